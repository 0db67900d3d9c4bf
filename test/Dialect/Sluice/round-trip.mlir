// Every sluice op, type and attribute prints in a form that parses back to the
// same IR, in both the custom and the generic form.
// RUN: sluice-opt %s | sluice-opt | FileCheck %s
// RUN: sluice-opt %s --mlir-print-op-generic | sluice-opt | FileCheck %s

// CHECK-LABEL: func.func @tables
// CHECK-SAME: !sluice.table<?x100xf32, auto>
// CHECK-SAME: !sluice.table<16x4x8xf16, device>
// CHECK-SAME: !sluice.table<7xi64, host_staged>
func.func @tables(%a: !sluice.table<?x100xf32, auto>,
                  %b: !sluice.table<16x4x8xf16, device>,
                  %c: !sluice.table<7xi64, host_staged>) {
  return
}

// CHECK-LABEL: func.func @make_table
// CHECK: sluice.make_table %{{.*}} : memref<?x100xf32> -> !sluice.table<?x100xf32, host_zero_copy>
func.func @make_table(%buf: memref<?x100xf32>) -> !sluice.table<?x100xf32, host_zero_copy> {
  %t = sluice.make_table %buf : memref<?x100xf32> -> !sluice.table<?x100xf32, host_zero_copy>
  return %t : !sluice.table<?x100xf32, host_zero_copy>
}

// CHECK-LABEL: func.func @gather
// CHECK: sluice.gather %{{.*}}[%{{.*}}] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
// CHECK: sluice.gather %{{.*}}[%{{.*}}] aligned<shift, 256> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : tensor<?x100xf32>, tensor<5xindex> -> tensor<5x100xf32>
func.func @gather(%t: !sluice.table<?x100xf32, host_zero_copy>, %idx: tensor<?xi64>,
                  %inv: tensor<5xindex>) -> tensor<5x100xf32> {
  %0 = sluice.gather %t[%idx] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %1 = sluice.gather %t[%idx] aligned<shift, 256> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %2 = sluice.gather %t[%idx] : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %3 = sluice.gather %2[%inv] : tensor<?x100xf32>, tensor<5xindex> -> tensor<5x100xf32>
  return %3 : tensor<5x100xf32>
}

// CHECK-LABEL: func.func @gather_into
// CHECK: %[[TOKEN:.*]] = sluice.gather_into async [%{{.*}}] %{{.*}}[%{{.*}}] into %{{.*}} aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
// CHECK: sluice.gather_into async %{{.*}}[%{{.*}}] into
// CHECK: sluice.gather_into %{{.*}}[%{{.*}}] into %{{.*}} : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
// CHECK: return %[[TOKEN]]
func.func @gather_into(%t: !sluice.table<?x100xf32, host_zero_copy>, %idx: memref<?xi64>,
                       %buf: memref<?x100xf32>, %ready: !gpu.async.token) -> !gpu.async.token {
  %done = sluice.gather_into async [%ready] %t[%idx] into %buf aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  %other = sluice.gather_into async %t[%idx] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  sluice.gather_into %t[%idx] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  return %done : !gpu.async.token
}

// CHECK-LABEL: func.func @streams
// CHECK: %[[S:.*]] = sluice.stream_create : !sluice.stream
// CHECK: sluice.gather_into on %[[S]] %{{.*}}[%{{.*}}] into %{{.*}} aligned<shift, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
// CHECK: sluice.stream_sync %[[S]] : !sluice.stream
// CHECK: sluice.stream_destroy %[[S]] : !sluice.stream
func.func @streams(%t: !sluice.table<?x100xf32, host_zero_copy>, %idx: memref<?xi64>, %buf: memref<?x100xf32>) {
  %s = sluice.stream_create : !sluice.stream
  sluice.gather_into on %s %t[%idx] into %buf aligned<shift, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  sluice.stream_sync %s : !sluice.stream
  sluice.stream_destroy %s : !sluice.stream
  return
}

// CHECK-LABEL: func.func @sort_unique
// CHECK: %{{.*}}, %{{.*}} = sluice.sort_unique %{{.*}} : tensor<?xi64> -> tensor<?xi64>, tensor<?xindex>
func.func @sort_unique(%idx: tensor<?xi64>) -> (tensor<?xi64>, tensor<?xindex>) {
  %u, %inv = sluice.sort_unique %idx : tensor<?xi64> -> tensor<?xi64>, tensor<?xindex>
  return %u, %inv : tensor<?xi64>, tensor<?xindex>
}

// CHECK-LABEL: func.func @to_device
// CHECK: sluice.to_device %{{.*}} : tensor<?x100xf32>
func.func @to_device(%rows: tensor<?x100xf32>) -> tensor<?x100xf32> {
  %0 = sluice.to_device %rows : tensor<?x100xf32>
  return %0 : tensor<?x100xf32>
}

// CHECK-LABEL: func.func @merge_and_restore
// CHECK: sluice.merge_layers %{{.*}}, %{{.*}} t = 6.000000e-01 gamma = 5.000000e-02 : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
// CHECK: sluice.restore_layer %{{.*}} scaled %{{.*}} retain %{{.*}} = %{{.*}} : tensor<?x64xf32>, tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
func.func @merge_and_restore(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %e, %ma, %mb, %keep, %ka, %kb = sluice.merge_layers %a, %b t = 0.6 gamma = 0.05 : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  %r = sluice.restore_layer %e scaled %ma retain %keep = %ka : tensor<?x64xf32>, tensor<?xf32>, tensor<?xi64>, tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// CHECK-LABEL: func.func @hard_batches
// CHECK: sluice.select_hardest %{{.*}} delta = 5.000000e-01 : tensor<40xf32> -> tensor<20xindex>
// CHECK: sluice.record_loss %{{.*}} into %{{.*}}[%{{.*}}] : tensor<40xf32>
func.func @hard_batches(%losses: tensor<40xf32>, %loss: f32, %i: index) -> (tensor<20xindex>, tensor<40xf32>) {
  %sel = sluice.select_hardest %losses delta = 0.5 : tensor<40xf32> -> tensor<20xindex>
  %l = sluice.record_loss %loss into %losses[%i] : tensor<40xf32>
  return %sel, %l : tensor<20xindex>, tensor<40xf32>
}

// CHECK-LABEL: func.func @mam
// CHECK: sluice.mam_residual %{{.*}}, %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
// CHECK: sluice.mam_penalty %{{.*}}, %{{.*}} num_vars = 100 log_z = 0.000000e+00 : tensor<?xf32>, f32
func.func @mam(%cur: tensor<?xf32>, %prev: tensor<?xf32>, %logits: tensor<?x100x2xf32>,
               %var: tensor<?xi64>, %val: tensor<?xi64>, %empty: f32) -> f32 {
  %r = sluice.mam_residual %cur, %prev, %logits[%var, %val] : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
  %p = sluice.mam_penalty %r, %empty num_vars = 100 log_z = 0.0 : tensor<?xf32>, f32
  return %p : f32
}

// CHECK-LABEL: func.func @buffer_forms
// CHECK: %{{.*}} = sluice.sort_unique_into %{{.*}} into %{{.*}}, %{{.*}} : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
// CHECK: sluice.gather_into %{{.*}}[%{{.*}}] into %{{.*}} : memref<?x8xf32>, memref<?xindex>, memref<?x8xf32>
func.func @buffer_forms(%i: memref<?xi64>, %u: memref<?xi64>, %inv: memref<?xindex>, %rows: memref<?x8xf32>, %out: memref<?x8xf32>) -> index {
  %n = sluice.sort_unique_into %i into %u, %inv : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
  sluice.gather_into %rows[%inv] into %out : memref<?x8xf32>, memref<?xindex>, memref<?x8xf32>
  return %n : index
}
