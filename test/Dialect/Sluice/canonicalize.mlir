// Every fold and canonicalization pattern of the sluice dialect, before and
// after, with the cases each one must leave alone.
// RUN: sluice-opt %s -canonicalize -split-input-file -allow-unregistered-dialect | FileCheck %s

// Equal strings are one constant; an unused field read goes away, but a load
// stays (it reads files and can fail).
// CHECK-LABEL: func.func @strings_and_loads
// CHECK: %[[S:.*]] = sluice.string "data/cora" : !sluice.str
// CHECK-NOT: sluice.string
// CHECK: %[[G:.*]] = sluice.load_graph %[[S]] : !sluice.graph
// CHECK: sluice.load_graph %[[S]] : !sluice.graph
// CHECK-NOT: sluice.field
// CHECK: return %[[G]]
func.func @strings_and_loads() -> !sluice.graph {
  %a = sluice.string "data/cora" : !sluice.str
  %b = sluice.string "data/cora" : !sluice.str
  %g = sluice.load_graph %a : !sluice.graph
  %unused = sluice.load_graph %b : !sluice.graph
  %n = sluice.field %g["num_nodes"] : !sluice.graph -> index
  return %g : !sluice.graph
}

// -----

// CHECK-LABEL: func.func @to_device_twice
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4xf32>)
// CHECK: %[[D:.*]] = sluice.to_device %[[X]] : tensor<4xf32>
// CHECK-NOT: sluice.to_device
// CHECK: return %[[D]], %[[D]]
func.func @to_device_twice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = sluice.to_device %x : tensor<4xf32>
  %1 = sluice.to_device %0 : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// The largest losses are the NaN at 4 and the two 2.0s at 1 and 3; the result
// lists them in ascending batch order.
// CHECK-LABEL: func.func @select_constant_losses
// CHECK: %[[C:.*]] = arith.constant dense<[1, 3, 4]> : tensor<3xindex>
// CHECK-NOT: sluice.select_hardest
// CHECK: return %[[C]]
func.func @select_constant_losses() -> tensor<3xindex> {
  %losses = arith.constant dense<[0.5, 2.0, 1.0, 2.0, 0x7FC00000, 0.1]> : tensor<6xf32>
  %s = sluice.select_hardest %losses delta = 0.5 : tensor<6xf32> -> tensor<3xindex>
  return %s : tensor<3xindex>
}

// -----

// Ties go to the lower batch index.
// CHECK-LABEL: func.func @select_ties
// CHECK: arith.constant dense<[1, 2]> : tensor<2xi64>
func.func @select_ties() -> tensor<2xi64> {
  %losses = arith.constant dense<[1.0, 3.0, 3.0, 3.0, 2.0]> : tensor<5xf32>
  %s = sluice.select_hardest %losses delta = 0.5 : tensor<5xf32> -> tensor<2xi64>
  return %s : tensor<2xi64>
}

// -----

// delta = 1 keeps every batch, whatever the (unknown) losses.
// CHECK-LABEL: func.func @select_all
// CHECK: %[[C:.*]] = arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xindex>
// CHECK: return %[[C]]
func.func @select_all(%losses: tensor<5xf32>) -> tensor<5xindex> {
  %s = sluice.select_hardest %losses delta = 1.0 : tensor<5xf32> -> tensor<5xindex>
  return %s : tensor<5xindex>
}

// -----

// A run-time delta that is a constant becomes the attribute; with delta = 1
// the selection then folds to every batch.
// CHECK-LABEL: func.func @select_constant_dynamic_delta
// CHECK: %[[C:.*]] = arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xindex>
// CHECK-NOT: sluice.select_hardest
// CHECK: return %[[C]]
func.func @select_constant_dynamic_delta(%losses: tensor<5xf32>) -> tensor<5xindex> {
  %d = arith.constant 1.0 : f64
  %s = sluice.select_hardest %losses delta %d : tensor<5xf32> -> tensor<5xindex>
  return %s : tensor<5xindex>
}

// -----

// CHECK-LABEL: func.func @select_constant_dynamic_delta_half
// CHECK: sluice.select_hardest %{{.*}} delta = 5.000000e-01 : tensor<5xf32> -> tensor<?xindex>
func.func @select_constant_dynamic_delta_half(%losses: tensor<5xf32>) -> tensor<?xindex> {
  %d = arith.constant 0.5 : f64
  %s = sluice.select_hardest %losses delta %d : tensor<5xf32> -> tensor<?xindex>
  return %s : tensor<?xindex>
}

// -----

// CHECK-LABEL: func.func @select_unknown_losses
// CHECK: sluice.select_hardest
func.func @select_unknown_losses(%losses: tensor<5xf32>) -> tensor<2xindex> {
  %s = sluice.select_hardest %losses delta = 0.5 : tensor<5xf32> -> tensor<2xindex>
  return %s : tensor<2xindex>
}

// -----

// 4 * mean([1, -2, 3, 0]^2) + (0.5 - 1.5)^2 = 4 * 3.5 + 1 = 15
// CHECK-LABEL: func.func @penalty_constant
// CHECK: %[[C:.*]] = arith.constant 1.500000e+01 : f32
// CHECK: return %[[C]]
func.func @penalty_constant() -> f32 {
  %r = arith.constant dense<[1.0, -2.0, 3.0, 0.0]> : tensor<4xf32>
  %e = arith.constant 0.5 : f32
  %p = sluice.mam_penalty %r, %e num_vars = 4 log_z = 1.5 : tensor<4xf32>, f32
  return %p : f32
}

// -----

// CHECK-LABEL: func.func @penalty_unknown
// CHECK: sluice.mam_penalty
func.func @penalty_unknown(%r: tensor<4xf32>) -> f32 {
  %e = arith.constant 0.5 : f32
  %p = sluice.mam_penalty %r, %e num_vars = 4 log_z = 1.5 : tensor<4xf32>, f32
  return %p : f32
}

// -----

// CHECK-LABEL: func.func @gather_empty
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0x100xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[E]] : tensor<0x100xf32> to tensor<?x100xf32>
// CHECK-NOT: sluice.gather
// CHECK: return %[[C]]
func.func @gather_empty(%t: !sluice.table<?x100xf32, device>, %i: tensor<0xi64>) -> tensor<?x100xf32> {
  %0 = sluice.gather %t[%i] : !sluice.table<?x100xf32, device>, tensor<0xi64> -> tensor<?x100xf32>
  return %0 : tensor<?x100xf32>
}

// -----

// CHECK-LABEL: func.func @gather_empty_dynamic_row
// CHECK: sluice.gather
func.func @gather_empty_dynamic_row(%t: !sluice.table<?x?xf32, device>, %i: tensor<0xi64>) -> tensor<0x?xf32> {
  %0 = sluice.gather %t[%i] : !sluice.table<?x?xf32, device>, tensor<0xi64> -> tensor<0x?xf32>
  return %0 : tensor<0x?xf32>
}

// -----

// Rows of 400 B straddle 128-byte requests: both mappings stay. Rows of 128 B
// and 256 B are already aligned, rows of 64 B fit in one request, and shift
// needs rows of at least 256 B (192 B keeps rotate only). A dynamic row size
// is decided at run time, so the attribute stays.
// CHECK-LABEL: func.func @alignment
// CHECK: sluice.gather %{{.*}}[%{{.*}}] aligned<rotate, 128> : !sluice.table<?x100xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] aligned<shift, 128> : !sluice.table<?x100xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x32xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x64xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x16xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] aligned<rotate, 128> : !sluice.table<?x48xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x48xf32
// CHECK: sluice.gather %{{.*}}[%{{.*}}] aligned<rotate, 128> : !sluice.table<?x?xf32
func.func @alignment(%t400: !sluice.table<?x100xf32, host_zero_copy>,
                     %t128: !sluice.table<?x32xf32, host_zero_copy>,
                     %t256: !sluice.table<?x64xf32, host_zero_copy>,
                     %t64: !sluice.table<?x16xf32, host_zero_copy>,
                     %t192: !sluice.table<?x48xf32, host_zero_copy>,
                     %tdyn: !sluice.table<?x?xf32, host_zero_copy>,
                     %i: tensor<?xi64>) {
  %0 = sluice.gather %t400[%i] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %1 = sluice.gather %t400[%i] aligned<shift, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %2 = sluice.gather %t128[%i] aligned<rotate, 128> : !sluice.table<?x32xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x32xf32>
  %3 = sluice.gather %t256[%i] aligned<shift, 128> : !sluice.table<?x64xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x64xf32>
  %4 = sluice.gather %t64[%i] aligned<rotate, 128> : !sluice.table<?x16xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x16xf32>
  %5 = sluice.gather %t192[%i] aligned<rotate, 128> : !sluice.table<?x48xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x48xf32>
  %6 = sluice.gather %t192[%i] aligned<shift, 128> : !sluice.table<?x48xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x48xf32>
  %7 = sluice.gather %tdyn[%i] aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x?xf32>
  "test.use"(%0, %1, %2, %3, %4, %5, %6, %7) : (tensor<?x100xf32>, tensor<?x100xf32>, tensor<?x32xf32>, tensor<?x64xf32>, tensor<?x16xf32>, tensor<?x48xf32>, tensor<?x48xf32>, tensor<?x?xf32>) -> ()
  return
}

// -----

// CHECK-LABEL: func.func @gather_into_alignment
// CHECK: sluice.gather_into %{{.*}}[%{{.*}}] into %{{.*}} aligned<rotate, 128> : !sluice.table<?x100xf32
// CHECK: sluice.gather_into %{{.*}}[%{{.*}}] into %{{.*}} : !sluice.table<?x32xf32
func.func @gather_into_alignment(%t400: !sluice.table<?x100xf32, host_zero_copy>,
                                 %t128: !sluice.table<?x32xf32, host_zero_copy>,
                                 %i: memref<?xi64>, %b400: memref<?x100xf32>,
                                 %b128: memref<?x32xf32>) {
  sluice.gather_into %t400[%i] into %b400 aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  sluice.gather_into %t128[%i] into %b128 aligned<rotate, 128> : !sluice.table<?x32xf32, host_zero_copy>, memref<?xi64>, memref<?x32xf32>
  return
}

// -----

// [5, 3, 5, 9, 3]: unique [3, 5, 9]; inverse [1, 0, 1, 2, 0].
// CHECK-LABEL: func.func @sort_unique_constant
// CHECK-DAG: %[[U:.*]] = arith.constant dense<[3, 5, 9]> : tensor<3xi64>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<[1, 0, 1, 2, 0]> : tensor<5xindex>
// CHECK-DAG: %[[UC:.*]] = tensor.cast %[[U]] : tensor<3xi64> to tensor<?xi64>
// CHECK-NOT: sluice.sort_unique
// CHECK: return %[[UC]], %[[I]]
func.func @sort_unique_constant() -> (tensor<?xi64>, tensor<5xindex>) {
  %idx = arith.constant dense<[5, 3, 5, 9, 3]> : tensor<5xi64>
  %u, %inv = sluice.sort_unique %idx : tensor<5xi64> -> tensor<?xi64>, tensor<5xindex>
  return %u, %inv : tensor<?xi64>, tensor<5xindex>
}

// -----

// Negative indices sort as signed numbers (the runtime reports them as out of
// range; sorting must not hide them among large values).
// CHECK-LABEL: func.func @sort_unique_signed
// CHECK-DAG: arith.constant dense<[-1, 2]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<[1, 0, 1]> : tensor<3xi32>
func.func @sort_unique_signed() -> (tensor<2xi32>, tensor<3xi32>) {
  %idx = arith.constant dense<[2, -1, 2]> : tensor<3xi32>
  %u, %inv = sluice.sort_unique %idx : tensor<3xi32> -> tensor<2xi32>, tensor<3xi32>
  return %u, %inv : tensor<2xi32>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @record_twice
// CHECK-SAME: (%[[L:[^:]*]]: tensor<8xf32>, %[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32, %[[I:[^:]*]]: index, %[[J:[^:]*]]: index)
// CHECK: %[[R:.*]] = sluice.record_loss %[[B]] into %[[L]][%[[I]]]
// CHECK: %[[S:.*]] = sluice.record_loss %[[A]] into %[[L]][%[[J]]]
// CHECK: %[[T:.*]] = sluice.record_loss %[[B]] into %[[S]][%[[I]]]
// CHECK: return %[[R]], %[[T]]
func.func @record_twice(%l: tensor<8xf32>, %a: f32, %b: f32, %i: index, %j: index) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = sluice.record_loss %a into %l[%i] : tensor<8xf32>
  %1 = sluice.record_loss %b into %0[%i] : tensor<8xf32>
  %2 = sluice.record_loss %a into %l[%j] : tensor<8xf32>
  %3 = sluice.record_loss %b into %2[%i] : tensor<8xf32>
  return %1, %3 : tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @record_twice_constant_index
// CHECK: %[[C:.*]] = arith.constant 3 : index
// CHECK: %[[R:.*]] = sluice.record_loss %{{.*}} into %{{.*}}[%[[C]]]
// CHECK-NOT: sluice.record_loss
// CHECK: return %[[R]]
func.func @record_twice_constant_index(%l: tensor<8xf32>, %a: f32, %b: f32) -> tensor<8xf32> {
  %c3 = arith.constant 3 : index
  %c3b = arith.constant 3 : index
  %0 = sluice.record_loss %a into %l[%c3] : tensor<8xf32>
  %1 = sluice.record_loss %b into %0[%c3b] : tensor<8xf32>
  return %1 : tensor<8xf32>
}
