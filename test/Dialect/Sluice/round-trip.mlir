// Every sluice op, type and attribute prints in a form that parses back to the
// same IR, in both the custom and the generic form.
// RUN: sluice-opt %s | sluice-opt | FileCheck %s
// RUN: sluice-opt %s --mlir-print-op-generic | sluice-opt | FileCheck %s

// Family 0: programs, data and training.

// CHECK: sluice.param @epochs : i64 = 5 doc "passes over the data"
// CHECK: sluice.param @verbose : i1 = true
// CHECK: sluice.param @lr : f32 = 5.000000e-01
// CHECK: sluice.param @momentum : f64 = 9.000000e-01 doc "SGD momentum"
// CHECK: sluice.param @graph : !sluice.str = "builtin:sbm"
// CHECK: sluice.param @fanout : tensor<?xi64> = dense<[15, 10]> : tensor<2xi64>
// CHECK: sluice.param @widths : tensor<?xf32> = dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK: sluice.param @seed : i64{{$}}
// CHECK: sluice.param @out : !sluice.str doc "metrics file" attributes {note}
sluice.param @epochs : i64 = 5 doc "passes over the data"
sluice.param @verbose : i1 = true
sluice.param @lr : f32 = 0.5
sluice.param @momentum : f64 = 0.9 doc "SGD momentum"
sluice.param @graph : !sluice.str = "builtin:sbm"
sluice.param @fanout : tensor<?xi64> = dense<[15, 10]> : tensor<2xi64>
sluice.param @widths : tensor<?xf32> = dense<[0.5, 0.25]> : tensor<2xf32>
sluice.param @seed : i64
sluice.param @out : !sluice.str doc "metrics file" attributes {note}

// CHECK-LABEL: func.func @front_end_types
// CHECK-SAME: !sluice.str, %{{.*}}: !sluice.graph, %{{.*}}: !sluice.dataset, %{{.*}}: !sluice.blocks, %{{.*}}: !sluice.block)
func.func @front_end_types(%s: !sluice.str, %g: !sluice.graph, %d: !sluice.dataset,
                           %bs: !sluice.blocks, %b: !sluice.block) {
  return
}

// CHECK-LABEL: func.func @params_and_data
// CHECK: sluice.param_value @epochs : i64
// CHECK: sluice.param_value @graph : !sluice.str
// CHECK: sluice.string "data/mnist" : !sluice.str
// CHECK: sluice.load_graph %{{.*}} : !sluice.graph
// CHECK: sluice.load_dataset %{{.*}} : !sluice.dataset
func.func @params_and_data() -> (i64, !sluice.graph, !sluice.dataset) {
  %e = sluice.param_value @epochs : i64
  %path = sluice.param_value @graph : !sluice.str
  %s = sluice.string "data/mnist" : !sluice.str
  %g = sluice.load_graph %path : !sluice.graph
  %d = sluice.load_dataset %s : !sluice.dataset
  return %e, %g, %d : i64, !sluice.graph, !sluice.dataset
}

// CHECK-LABEL: func.func @fields
// CHECK: sluice.field %{{.*}}["features"] : !sluice.graph -> !sluice.table<?x?xf32, auto>
// CHECK: sluice.field %{{.*}}["labels"] : !sluice.graph -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["train"] : !sluice.graph -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["valid"] : !sluice.graph -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["test"] : !sluice.graph -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["num_nodes"] : !sluice.graph -> index
// CHECK: sluice.field %{{.*}}["num_edges"] : !sluice.graph -> index
// CHECK: sluice.field %{{.*}}["num_classes"] : !sluice.graph -> index
// CHECK: sluice.field %{{.*}}["features"] : !sluice.dataset -> !sluice.table<?x784xf32, host_zero_copy>
// CHECK: sluice.field %{{.*}}["labels"] : !sluice.dataset -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["num_samples"] : !sluice.dataset -> index
// CHECK: sluice.field %{{.*}}["num_classes"] : !sluice.dataset -> index
// CHECK: sluice.field %{{.*}}["inputs"] : !sluice.blocks -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["seeds"] : !sluice.blocks -> tensor<?xi64>
// CHECK: sluice.field %{{.*}}["num_layers"] : !sluice.blocks -> index
// CHECK: sluice.field %{{.*}}["num_src"] : !sluice.block -> index
// CHECK: sluice.field %{{.*}}["num_dst"] : !sluice.block -> index
// CHECK: sluice.field %{{.*}}["rows"] : !sluice.table<?x?xf32, auto> -> index
// CHECK: sluice.field %{{.*}}["cols"] : !sluice.table<?x?xf32, auto> -> index
func.func @fields(%g: !sluice.graph, %d: !sluice.dataset, %bs: !sluice.blocks, %b: !sluice.block) {
  %x = sluice.field %g["features"] : !sluice.graph -> !sluice.table<?x?xf32, auto>
  %0 = sluice.field %g["labels"] : !sluice.graph -> tensor<?xi64>
  %1 = sluice.field %g["train"] : !sluice.graph -> tensor<?xi64>
  %2 = sluice.field %g["valid"] : !sluice.graph -> tensor<?xi64>
  %3 = sluice.field %g["test"] : !sluice.graph -> tensor<?xi64>
  %4 = sluice.field %g["num_nodes"] : !sluice.graph -> index
  %5 = sluice.field %g["num_edges"] : !sluice.graph -> index
  %6 = sluice.field %g["num_classes"] : !sluice.graph -> index
  %7 = sluice.field %d["features"] : !sluice.dataset -> !sluice.table<?x784xf32, host_zero_copy>
  %8 = sluice.field %d["labels"] : !sluice.dataset -> tensor<?xi64>
  %9 = sluice.field %d["num_samples"] : !sluice.dataset -> index
  %10 = sluice.field %d["num_classes"] : !sluice.dataset -> index
  %11 = sluice.field %bs["inputs"] : !sluice.blocks -> tensor<?xi64>
  %12 = sluice.field %bs["seeds"] : !sluice.blocks -> tensor<?xi64>
  %13 = sluice.field %bs["num_layers"] : !sluice.blocks -> index
  %14 = sluice.field %b["num_src"] : !sluice.block -> index
  %15 = sluice.field %b["num_dst"] : !sluice.block -> index
  %16 = sluice.field %x["rows"] : !sluice.table<?x?xf32, auto> -> index
  %17 = sluice.field %x["cols"] : !sluice.table<?x?xf32, auto> -> index
  return
}

// CHECK-LABEL: func.func @sampling
// CHECK: sluice.shuffle %{{.*}} seed %{{.*}} : tensor<?xi64>
// CHECK: sluice.shuffle %{{.*}} seed %{{.*}} : tensor<8xi64>
// CHECK: %[[BLOCKS:.*]] = sluice.sample %{{.*}}, %{{.*}}, %{{.*}} seed %{{.*}} : !sluice.blocks
// CHECK: sluice.sample_ahead %{{.*}}, %{{.*}}, %{{.*}} seed %{{.*}}{{$}}
// CHECK: %[[BLOCK:.*]] = sluice.block_layer %[[BLOCKS]][%{{.*}}] : !sluice.block
// CHECK: sluice.aggregate_mean %[[BLOCK]], %{{.*}} : tensor<?x16xf32> -> tensor<?x16xf32>
// CHECK: sluice.aggregate_mean %[[BLOCK]], %{{.*}} : tensor<10x4x2xf64> -> tensor<?x4x2xf64>
func.func @sampling(%g: !sluice.graph, %train: tensor<?xi64>, %few: tensor<8xi64>,
                    %fanouts: tensor<?xi64>, %seed: i64, %layer: index,
                    %x: tensor<?x16xf32>, %y: tensor<10x4x2xf64>) -> (tensor<8xi64>, tensor<?x16xf32>, tensor<?x4x2xf64>) {
  %order = sluice.shuffle %train seed %seed : tensor<?xi64>
  %small = sluice.shuffle %few seed %seed : tensor<8xi64>
  %blocks = sluice.sample %g, %order, %fanouts seed %seed : !sluice.blocks
  sluice.sample_ahead %g, %order, %fanouts seed %seed
  %block = sluice.block_layer %blocks[%layer] : !sluice.block
  %h = sluice.aggregate_mean %block, %x : tensor<?x16xf32> -> tensor<?x16xf32>
  %k = sluice.aggregate_mean %block, %y : tensor<10x4x2xf64> -> tensor<?x4x2xf64>
  return %small, %h, %k : tensor<8xi64>, tensor<?x16xf32>, tensor<?x4x2xf64>
}

// CHECK-LABEL: func.func @aggregate_adjoint
// CHECK: sluice.aggregate_mean_grad %{{.*}}, %{{.*}} : tensor<?x16xf32> -> tensor<?x16xf32>
func.func @aggregate_adjoint(%block: !sluice.block, %g: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %dx = sluice.aggregate_mean_grad %block, %g : tensor<?x16xf32> -> tensor<?x16xf32>
  return %dx : tensor<?x16xf32>
}

// CHECK-LABEL: func.func @training
// CHECK: sluice.random_uniform %{{.*}}, %{{.*}} seed 7 [%{{.*}}] : tensor<?x16xf32>
// CHECK: sluice.random_uniform %{{.*}}, %{{.*}} seed 8 : tensor<16xf32>
// CHECK: sluice.random_uniform %{{.*}}, %{{.*}} seed -1 [%{{.*}}, %{{.*}}] : tensor<?x?xf64>
// CHECK: %{{.*}}:2 = sluice.grad %{{.*}} wrt %{{.*}}, %{{.*}} : f32, tensor<?x16xf32>, tensor<16xf32>
// CHECK: sluice.grad %{{.*}} wrt %{{.*}} : tensor<f64>, f64
// CHECK: sluice.argmax %{{.*}} : tensor<?x10xf32> -> tensor<?xi64>
// CHECK: sluice.argmax %{{.*}} : tensor<10xf16> -> tensor<i64>
// CHECK: sluice.take_along %{{.*}}, %{{.*}} : tensor<?x10xf32>, tensor<?xi64> -> tensor<?xf32>
// CHECK: sluice.log "loss" %{{.*}} : f32
// CHECK: sluice.log "step" %{{.*}} : i64
// CHECK: sluice.log "accuracy" %{{.*}} : tensor<f64>
func.func @training(%lo: f32, %hi: f32, %n: index, %loss: f32, %dlo: f64, %dhi: f64,
                    %logits: tensor<?x10xf32>, %labels: tensor<?xi64>, %small: tensor<10xf16>,
                    %l64: tensor<f64>, %s: f64, %step: i64) {
  %w = sluice.random_uniform %lo, %hi seed 7 [%n] : tensor<?x16xf32>
  %b = sluice.random_uniform %lo, %hi seed 8 : tensor<16xf32>
  %m = sluice.random_uniform %dlo, %dhi seed -1 [%n, %n] : tensor<?x?xf64>
  %dw, %db = sluice.grad %loss wrt %w, %b : f32, tensor<?x16xf32>, tensor<16xf32>
  %ds = sluice.grad %l64 wrt %s : tensor<f64>, f64
  %pred = sluice.argmax %logits : tensor<?x10xf32> -> tensor<?xi64>
  %top = sluice.argmax %small : tensor<10xf16> -> tensor<i64>
  %picked = sluice.take_along %logits, %labels : tensor<?x10xf32>, tensor<?xi64> -> tensor<?xf32>
  sluice.log "loss" %loss : f32
  sluice.log "step" %step : i64
  sluice.log "accuracy" %l64 : tensor<f64>
  return
}

// Family 1: GPU-oriented feature gathering.

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
// CHECK: %[[E:.*]], %[[MA:.*]], %{{.*}}, %[[KEEP:.*]] = sluice.merge_layers %{{.*}}, %{{.*}} t %{{.*}} gamma %{{.*}} : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi1>
// CHECK: sluice.restore_layer %[[E]] scaled %[[MA]] retain %[[KEEP]] = %{{.*}} : tensor<?x64xf32>, tensor<?xf32>, tensor<?xi1>
func.func @merge_and_restore(%a: tensor<?x64xf32>, %b: tensor<?x64xf32>, %t: f32) -> tensor<?x64xf32> {
  %gamma = arith.constant 0.05 : f32
  %e, %ma, %mb, %keep = sluice.merge_layers %a, %b t %t gamma %gamma : tensor<?x64xf32> -> tensor<?xf32>, tensor<?xi1>
  %r = sluice.restore_layer %e scaled %ma retain %keep = %a : tensor<?x64xf32>, tensor<?xf32>, tensor<?xi1>
  return %r : tensor<?x64xf32>
}

// Pairs in leading dimensions: [pairs, K and V, tokens, width].
// CHECK-LABEL: func.func @merge_pairs
// CHECK: sluice.merge_layers %{{.*}}, %{{.*}} t %{{.*}} gamma %{{.*}} : tensor<?x2x16x64xf16> -> tensor<?x2x16xf16>, tensor<?x2x16xi1>
func.func @merge_pairs(%a: tensor<?x2x16x64xf16>, %b: tensor<?x2x16x64xf16>, %t: f16, %g: f16) -> tensor<?x2x16xi1> {
  %e, %ma, %mb, %keep = sluice.merge_layers %a, %b t %t gamma %g : tensor<?x2x16x64xf16> -> tensor<?x2x16xf16>, tensor<?x2x16xi1>
  return %keep : tensor<?x2x16xi1>
}

// CHECK-LABEL: func.func @hard_batches
// CHECK: sluice.select_hardest %{{.*}} delta = 5.000000e-01 : tensor<40xf32> -> tensor<20xindex>
// CHECK: sluice.record_loss %{{.*}} into %{{.*}}[%{{.*}}] : tensor<40xf32>
func.func @hard_batches(%losses: tensor<40xf32>, %loss: f32, %i: index) -> (tensor<20xindex>, tensor<40xf32>) {
  %sel = sluice.select_hardest %losses delta = 0.5 : tensor<40xf32> -> tensor<20xindex>
  %l = sluice.record_loss %loss into %losses[%i] : tensor<40xf32>
  return %sel, %l : tensor<20xindex>, tensor<40xf32>
}

// A delta known only at run time (a program parameter).
// CHECK-LABEL: func.func @hard_batches_runtime_delta
// CHECK: sluice.select_hardest %{{.*}} delta %{{.*}} : tensor<?xf32> -> tensor<?xindex>
func.func @hard_batches_runtime_delta(%losses: tensor<?xf32>, %delta: f64) -> tensor<?xindex> {
  %sel = sluice.select_hardest %losses delta %delta : tensor<?xf32> -> tensor<?xindex>
  return %sel : tensor<?xindex>
}

// CHECK-LABEL: func.func @mam
// CHECK: sluice.mam_residual %{{.*}}, %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
// CHECK: sluice.mam_penalty %{{.*}}, %{{.*}} num_vars = 100 log_z = 0.000000e+00 : tensor<?xf32>, f32
// CHECK: sluice.conditional_nll %{{.*}}[%{{.*}}, %{{.*}}] : tensor<?x100x2xf32>, tensor<?xi64> -> tensor<?xf32>
// CHECK: sluice.mam_residual %{{.*}}, %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] in_bounds : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
// CHECK: sluice.conditional_nll %{{.*}}[%{{.*}}, %{{.*}}] in_bounds : tensor<?x100x2xf32>, tensor<?xi64> -> tensor<?xf32>
func.func @mam(%cur: tensor<?xf32>, %prev: tensor<?xf32>, %logits: tensor<?x100x2xf32>,
               %var: tensor<?xi64>, %val: tensor<?xi64>, %empty: f32) -> (f32, tensor<?xf32>) {
  %r = sluice.mam_residual %cur, %prev, %logits[%var, %val] : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
  %p = sluice.mam_penalty %r, %empty num_vars = 100 log_z = 0.0 : tensor<?xf32>, f32
  %nll = sluice.conditional_nll %logits[%var, %val] : tensor<?x100x2xf32>, tensor<?xi64> -> tensor<?xf32>
  %r2 = sluice.mam_residual %cur, %prev, %logits[%var, %val] in_bounds : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
  %nll2 = sluice.conditional_nll %logits[%var, %val] in_bounds : tensor<?x100x2xf32>, tensor<?xi64> -> tensor<?xf32>
  return %p, %nll : f32, tensor<?xf32>
}

// CHECK-LABEL: func.func @buffer_forms
// CHECK: %{{.*}} = sluice.sort_unique_into %{{.*}} into %{{.*}}, %{{.*}} : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
// CHECK: sluice.gather_into %{{.*}}[%{{.*}}] into %{{.*}} : memref<?x8xf32>, memref<?xindex>, memref<?x8xf32>
func.func @buffer_forms(%i: memref<?xi64>, %u: memref<?xi64>, %inv: memref<?xindex>, %rows: memref<?x8xf32>, %out: memref<?x8xf32>) -> index {
  %n = sluice.sort_unique_into %i into %u, %inv : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
  sluice.gather_into %rows[%inv] into %out : memref<?x8xf32>, memref<?xindex>, memref<?x8xf32>
  return %n : index
}
