// sluice-expand-tensor-ops: random_uniform, argmax and take_along as linalg.
// RUN: sluice-opt %s -sluice-expand-tensor-ops -split-input-file --allow-unregistered-dialect | FileCheck %s

// Each element mixes seed + (k + 1) * gamma with splitmix64's output
// function, k its row-major position, and scales the top 53 bits.
// CHECK-LABEL: func.func @uniform
// CHECK-SAME: (%[[LO:.*]]: f32, %[[HI:.*]]: f32, %[[N:.*]]: index)
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x3xf32>
// CHECK: %[[LO64:.*]] = arith.extf %[[LO]] : f32 to f64
// CHECK: %[[HI64:.*]] = arith.extf %[[HI]] : f32 to f64
// CHECK: %[[SPAN:.*]] = arith.subf %[[HI64]], %[[LO64]] : f64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%[[E]] : tensor<?x3xf32>)
// CHECK:   %[[I:.*]] = linalg.index 0 : index
// CHECK:   %[[J:.*]] = linalg.index 1 : index
// CHECK:   %[[K:.*]] = arith.index_cast
// CHECK:   arith.addi %[[K]], %c1_i64
// CHECK:   arith.muli {{.*}}, %c-7046029254386353131_i64
// CHECK:   arith.addi %c42_i64
// CHECK:   arith.shrui {{.*}}, %c30_i64
// CHECK:   arith.muli {{.*}}, %c-4658895280553007687_i64
// CHECK:   arith.shrui {{.*}}, %c27_i64
// CHECK:   arith.muli {{.*}}, %c-7723592293110705685_i64
// CHECK:   arith.shrui {{.*}}, %c31_i64
// CHECK:   %[[TOP:.*]] = arith.shrui {{.*}}, %c11_i64
// CHECK:   %[[F:.*]] = arith.uitofp %[[TOP]] : i64 to f64
// CHECK:   %[[U:.*]] = arith.mulf %[[F]], %cst{{.*}} : f64
// CHECK:   %[[S:.*]] = arith.mulf %[[SPAN]], %[[U]] : f64
// CHECK:   %[[V:.*]] = arith.addf %[[LO64]], %[[S]] : f64
// CHECK:   %[[R:.*]] = arith.truncf %[[V]] : f64 to f32
// CHECK:   linalg.yield %[[R]] : f32
// CHECK-NOT: sluice.random_uniform
func.func @uniform(%lo: f32, %hi: f32, %n: index) -> tensor<?x3xf32> {
  %r = sluice.random_uniform %lo, %hi seed 42 [%n] : tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// -----

// f64 draws use f64 bounds as they are and yield the draw itself.
// CHECK-LABEL: func.func @uniform_f64
// CHECK-SAME: (%[[LO:.*]]: f64, %[[HI:.*]]: f64)
// CHECK-NOT: arith.extf
// CHECK: %[[SPAN:.*]] = arith.subf %[[HI]], %[[LO]] : f64
// CHECK: linalg.generic
// CHECK:   %[[S:.*]] = arith.mulf %[[SPAN]], %{{.*}} : f64
// CHECK:   %[[V:.*]] = arith.addf %[[LO]], %[[S]] : f64
// CHECK-NOT: arith.truncf
// CHECK:   linalg.yield %[[V]] : f64
func.func @uniform_f64(%lo: f64, %hi: f64) -> tensor<5xf64> {
  %r = sluice.random_uniform %lo, %hi seed 3 : tensor<5xf64>
  return %r : tensor<5xf64>
}

// -----

// argmax: a reduction over the last dimension carrying (best, index) from
// (-inf, INT64_MAX); the rules do not depend on the reduction order.
// CHECK-LABEL: func.func @argmax
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[BEST:.*]] = linalg.fill ins(%[[NEG]] : f32) outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[IDX:.*]] = linalg.fill ins(%c9223372036854775807_i64 : i64) outs(%{{.*}} : tensor<4xi64>)
// CHECK: %[[G:.*]]:2 = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<4x10xf32>) outs(%[[BEST]], %[[IDX]] : tensor<4xf32>, tensor<4xi64>)
// CHECK:   arith.cmpf uno
// CHECK:   arith.cmpf ogt
// CHECK:   arith.cmpf oeq
// CHECK:   linalg.yield
// CHECK: return %[[G]]#1 : tensor<4xi64>
func.func @argmax(%x: tensor<4x10xf32>) -> tensor<4xi64> {
  %r = sluice.argmax %x : tensor<4x10xf32> -> tensor<4xi64>
  return %r : tensor<4xi64>
}

// -----

// take_along: one element per row; a label outside [0, C) calls the runtime
// error with the op's location.
// CHECK-DAG: memref.global "private" constant @__sluice_str_{{[0-9]+}} : memref<{{[0-9]+}}xi8>
// CHECK-DAG: func.func private @sluice_rt_label_error(index, i64, i64)
// CHECK-LABEL: func.func @take_along
// CHECK-SAME: (%[[X:.*]]: tensor<?x10xf32>, %[[L:.*]]: tensor<?xi64>)
// CHECK: %[[C:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[C64:.*]] = arith.index_cast %[[C]] : index to i64
// CHECK: linalg.generic {{.*}} ins(%[[L]] : tensor<?xi64>)
// CHECK: ^bb0(%[[LABEL:.*]]: i64, %{{.*}}: f32):
// CHECK:   %[[NEG:.*]] = arith.cmpi slt, %[[LABEL]], %c0_i64
// CHECK:   %[[BIG:.*]] = arith.cmpi sge, %[[LABEL]], %[[C64]]
// CHECK:   %[[BAD:.*]] = arith.ori %[[NEG]], %[[BIG]]
// CHECK:   scf.if %[[BAD]] {
// CHECK:     func.call @sluice_rt_label_error(%{{.*}}, %[[LABEL]], %[[C64]])
// CHECK:   %[[ROW:.*]] = linalg.index 0
// CHECK:   %[[COL:.*]] = arith.index_cast %[[LABEL]] : i64 to index
// CHECK:   %[[V:.*]] = tensor.extract %[[X]][%[[ROW]], %[[COL]]]
// CHECK:   linalg.yield %[[V]] : f32
func.func @take_along(%x: tensor<?x10xf32>, %labels: tensor<?xi64>) -> tensor<?xf32> {
  %r = sluice.take_along %x, %labels : tensor<?x10xf32>, tensor<?xi64> -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// record_loss: a checked insert.
// CHECK-LABEL: func.func @record
// CHECK-SAME: (%[[L:.*]]: f32, %[[LS:.*]]: tensor<?xf32>, %[[I:.*]]: index)
// CHECK: %[[N:.*]] = tensor.dim %[[LS]], %c0
// CHECK-DAG: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %{{.*}}
// CHECK-DAG: %[[BIG:.*]] = arith.cmpi sge, %[[I]], %[[N]]
// CHECK: %[[BAD:.*]] = arith.ori %[[NEG]], %[[BIG]]
// CHECK: scf.if %[[BAD]] {
// CHECK:   %[[WHAT:.*]] = memref.get_global @[[MESSAGE:__sluice_str_[0-9]+]]
// CHECK:   func.call @sluice_rt_check_error(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (index, index, i64, i64) -> ()
// CHECK: %[[R:.*]] = tensor.insert %[[L]] into %[[LS]][%[[I]]]
// CHECK: return %[[R]]
func.func @record(%loss: f32, %losses: tensor<?xf32>, %i: index) -> tensor<?xf32> {
  %r = sluice.record_loss %loss into %losses[%i] : tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// select_hardest: K = floor(delta N) checked, ranks by pairwise comparison,
// then the chosen batches in index order.
// CHECK-LABEL: func.func @select
// CHECK-SAME: (%[[LS:.*]]: tensor<?xf32>, %[[D:.*]]: f64)
// CHECK: %[[K64:.*]] = arith.fptosi
// CHECK: func.call @sluice_rt_select_error(%{{.*}}, %[[D]], %{{.*}})
// CHECK: %[[RANKS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[LS]], %[[LS]] : tensor<?xf32>, tensor<?xf32>)
// CHECK: scf.for {{.*}} iter_args
// CHECK:   tensor.extract %[[RANKS]]
// CHECK:   scf.if
// CHECK:     tensor.insert
// CHECK-NOT: sluice.select_hardest
func.func @select(%losses: tensor<?xf32>, %delta: f64) -> tensor<?xindex> {
  %s = sluice.select_hardest %losses delta %delta : tensor<?xf32> -> tensor<?xindex>
  return %s : tensor<?xindex>
}

// -----

// shuffle: Fisher-Yates from the last position down, splitmix64 from the
// seed, j = next() mod (i + 1).
// CHECK-LABEL: func.func @shuffle
// CHECK-SAME: (%[[IDX:.*]]: tensor<?xi64>, %[[SEED:.*]]: i64)
// CHECK: %[[N:.*]] = tensor.dim %[[IDX]], %c0
// CHECK: %[[R:.*]]:2 = scf.for %[[K:.*]] = %c1 to %[[N]] step %c1 iter_args(%[[ORDER:.*]] = %[[IDX]], %[[STATE:.*]] = %[[SEED]])
// CHECK:   %[[I:.*]] = arith.subi %[[N]], %[[K]] : index
// CHECK:   %[[NEXT:.*]] = arith.addi %[[STATE]], %c-7046029254386353131_i64
// CHECK:   %[[J64:.*]] = arith.remui
// CHECK:   %[[J:.*]] = arith.index_cast %[[J64]] : i64 to index
// CHECK:   %[[AI:.*]] = tensor.extract %[[ORDER]][%[[I]]]
// CHECK:   %[[AJ:.*]] = tensor.extract %[[ORDER]][%[[J]]]
// CHECK:   %[[S1:.*]] = tensor.insert %[[AJ]] into %[[ORDER]][%[[I]]]
// CHECK:   %[[S2:.*]] = tensor.insert %[[AI]] into %[[S1]][%[[J]]]
// CHECK:   scf.yield %[[S2]], %[[NEXT]]
// CHECK: return %[[R]]#0
func.func @shuffle(%indices: tensor<?xi64>, %seed: i64) -> tensor<?xi64> {
  %r = sluice.shuffle %indices seed %seed : tensor<?xi64>
  return %r : tensor<?xi64>
}

// -----

// A loaded dataset: one runtime handle, and each field read becomes a buffer
// filled once right after the load (features become a table of it).
// CHECK-LABEL: func.func @dataset
// CHECK: %[[H:.*]] = call @sluice_rt_load_dataset(%{{.*}}, %{{.*}}) : (index, index) -> index
// CHECK: %[[N64:.*]] = call @sluice_rt_dataset_size(%[[H]], %c0_i64)
// CHECK: %[[N:.*]] = arith.index_cast %[[N64]]
// CHECK: %[[F64:.*]] = call @sluice_rt_dataset_size(%[[H]], %c1_i64)
// CHECK: %[[F:.*]] = arith.index_cast %[[F64]]
// CHECK-DAG: %[[X:.*]] = memref.alloc(%[[N]], %[[F]]) : memref<?x?xf32>
// CHECK-DAG: %[[T:.*]] = sluice.make_table %[[X]] : memref<?x?xf32> -> !sluice.table<?x?xf32, auto>
// CHECK-DAG: %[[L:.*]] = memref.alloc(%[[N]]) : memref<?xi64>
// CHECK-DAG: %[[LT:.*]] = bufferization.to_tensor %[[L]] restrict writable
// CHECK-NOT: sluice.load_dataset
// CHECK-NOT: sluice.field
// CHECK: return %[[T]], %[[LT]], %[[F]]
func.func @dataset() -> (!sluice.table<?x?xf32, auto>, tensor<?xi64>, index) {
  %s = sluice.string "builtin:blobs?samples=10" : !sluice.str
  %d = sluice.load_dataset %s : !sluice.dataset
  %x = sluice.field %d["features"] : !sluice.dataset -> !sluice.table<?x?xf32, auto>
  %cols = sluice.field %x["cols"] : !sluice.table<?x?xf32, auto> -> index
  %y = sluice.field %d["labels"] : !sluice.dataset -> tensor<?xi64>
  return %x, %y, %cols : !sluice.table<?x?xf32, auto>, tensor<?xi64>, index
}

// -----

// A graph becomes a runtime handle like a dataset; a sample becomes a call
// that returns the blocks' handle, reading the seeds and fanouts through
// their buffers; a layer becomes a block handle, its sizes calls, and
// aggregate_mean / aggregate_mean_grad calls that fill fresh buffers. The
// blocks are freed at the end of the block the sample is in.
// CHECK-LABEL: func.func @graph
// CHECK-SAME: (%[[SEEDS:.*]]: tensor<?xi64>, %[[FANOUT:.*]]: tensor<?xi64>, %[[X:.*]]: tensor<?x16xf32>, %[[G:.*]]: tensor<?x8xf32>, %[[SEED:.*]]: i64)
// CHECK: %[[H:.*]] = call @sluice_rt_load_graph(%{{.*}}, %{{.*}}) : (index, index) -> index
// CHECK: call @sluice_rt_graph_size(%[[H]], %c2_i64)
// CHECK: scf.for
// CHECK:   %[[SB:.*]] = bufferization.to_buffer %[[SEEDS]] read_only : tensor<?xi64> to memref<?xi64>
// CHECK:   %[[SP:.*]] = memref.extract_aligned_pointer_as_index %[[SB]]
// CHECK:   %[[FB:.*]] = bufferization.to_buffer %[[FANOUT]] read_only
// CHECK:   %[[FP:.*]] = memref.extract_aligned_pointer_as_index %[[FB]]
// CHECK:   %[[B:.*]] = func.call @sluice_rt_sample(%[[H]], %[[SP]], %{{.*}}, %[[ONE:c1_i64[_0-9]*]], %[[FP]], %{{.*}}, %[[ONE]], %[[SEED]], %{{.*}}) : (index, index, i64, i64, index, i64, i64, i64, index) -> index
// CHECK:   %[[IN:.*]] = func.call @sluice_rt_blocks_size(%[[B]], %{{c0_i64[_0-9]*}})
// CHECK:   func.call @sluice_rt_blocks_copy(%[[B]], %{{c0_i64[_0-9]*}}, %{{.*}})
// CHECK:   %[[L:.*]] = func.call @sluice_rt_block_layer(%[[B]], %{{.*}}, %{{.*}}) : (index, i64, index) -> index
// CHECK:   %[[DST:.*]] = func.call @sluice_rt_block_size(%[[L]], %{{c1_i64[_0-9]*}})
// CHECK:   %[[ROWS:.*]] = arith.index_cast %[[DST]] : i64 to index
// CHECK:   %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<?x16xf32> to memref<?x16xf32>
// CHECK:   %[[XP:.*]] = memref.extract_aligned_pointer_as_index %[[XB]]
// CHECK:   %[[OUT:.*]] = memref.alloc(%[[ROWS]]) : memref<?x16xf32>
// CHECK:   %[[OP:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK:   func.call @sluice_rt_aggregate_mean(%[[L]], %[[XP]], %{{.*}}, %{{.*}}, %{{.*}}, %[[OP]], %{{.*}})
// CHECK:   bufferization.to_tensor %[[OUT]] restrict writable
// The adjoint has one row per src node.
// CHECK:   func.call @sluice_rt_block_size(%[[L]], %{{c0_i64[_0-9]*}})
// CHECK:   func.call @sluice_rt_aggregate_mean_grad(%[[L]],
// CHECK:   func.call @sluice_rt_blocks_free(%[[B]])
// CHECK-NEXT: }
// CHECK-NOT: sluice.sample
// CHECK-NOT: sluice.block_layer
// CHECK-NOT: sluice.aggregate_mean
func.func @graph(%seeds: tensor<?xi64>, %fanout: tensor<?xi64>, %x: tensor<?x16xf32>, %g: tensor<?x8xf32>, %seed: i64) -> index {
  %s = sluice.string "builtin:sbm?nodes=100" : !sluice.str
  %graph = sluice.load_graph %s : !sluice.graph
  %classes = sluice.field %graph["num_classes"] : !sluice.graph -> index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %blocks = sluice.sample %graph, %seeds, %fanout seed %seed : !sluice.blocks
    %inputs = sluice.field %blocks["inputs"] : !sluice.blocks -> tensor<?xi64>
    %layer = sluice.block_layer %blocks[%c0] : !sluice.block
    %mean = sluice.aggregate_mean %layer, %x : tensor<?x16xf32> -> tensor<?x16xf32>
    %spread = sluice.aggregate_mean_grad %layer, %g : tensor<?x8xf32> -> tensor<?x8xf32>
    "test.use"(%inputs, %mean, %spread) : (tensor<?xi64>, tensor<?x16xf32>, tensor<?x8xf32>) -> ()
  }
  return %classes : index
}
