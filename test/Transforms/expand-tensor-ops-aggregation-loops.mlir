// sluice-expand-tensor-ops with aggregation=loops (what CUDA uses):
// aggregate_mean and its gradient as linalg over the block's CSR arrays.
// RUN: sluice-opt %s -sluice-expand-tensor-ops=aggregation=loops --allow-unregistered-dialect | FileCheck %s
// RUN: not sluice-opt %s -sluice-expand-tensor-ops=aggregation=gpu --allow-unregistered-dialect 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: sluice-expand-tensor-ops: aggregation must be 'runtime' or 'loops', not 'gpu'

// Forward: the input's rows checked against the block's src nodes, the dst
// offsets (num_dst + 1) and the sources (one per edge) copied out, and one
// element per (dst, column): the sum over the dst's edges of x[src, column],
// times the reciprocal of the edge count when there are edges.
// CHECK-LABEL: func.func @graph
// CHECK-SAME: (%{{.*}}: tensor<?xi64>, %{{.*}}: tensor<?xi64>, %[[X:.*]]: tensor<?x16xf32>, %[[G:.*]]: tensor<?x8xf32>, %{{.*}}: i64)
// CHECK:   %[[L:.*]] = func.call @sluice_rt_block_layer(
// CHECK:   %[[NDST:.*]] = func.call @sluice_rt_block_size(%[[L]], %c1_i64{{.*}})
// CHECK:   %[[ROWS:.*]] = arith.index_cast %[[NDST]] : i64 to index
// CHECK:   func.call @sluice_rt_block_check_rows(%[[L]], %{{.*}}, %c1_i64{{.*}}, %{{.*}})
// CHECK:   %[[NEDGE:.*]] = func.call @sluice_rt_block_size(%[[L]], %c2_i64{{.*}})
// CHECK:   %[[N1:.*]] = arith.addi %[[ROWS]], %c1
// CHECK:   memref.alloc(%[[N1]]) : memref<?xi64>
// CHECK:   func.call @sluice_rt_block_copy(%[[L]], %c0_i64{{.*}}, %{{.*}})
// CHECK:   %[[OFFSETS:.*]] = bufferization.to_tensor
// CHECK:   func.call @sluice_rt_block_copy(%[[L]], %c1_i64{{.*}}, %{{.*}})
// CHECK:   %[[SOURCES:.*]] = bufferization.to_tensor
// CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<?x16xf32>)
// CHECK:     %[[ROW:.*]] = linalg.index 0
// CHECK:     %[[COL:.*]] = linalg.index 1
// CHECK:     tensor.extract %[[OFFSETS]][%[[ROW]]]
// CHECK:     tensor.extract %[[OFFSETS]]
// CHECK:     %[[SUM:.*]] = scf.for %[[E:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %cst{{.*}}) -> (f32)
// CHECK:       %[[S64:.*]] = tensor.extract %[[SOURCES]][%[[E]]]
// CHECK:       %[[S:.*]] = arith.index_cast %[[S64]]
// CHECK:       %[[V:.*]] = tensor.extract %[[X]][%[[S]], %[[COL]]]
// CHECK:       %[[ADD:.*]] = arith.addf %[[ACC]], %[[V]]
// CHECK:       scf.yield %[[ADD]]
// CHECK:     %[[ANY:.*]] = arith.cmpi sgt
// CHECK:     %[[RECIP:.*]] = arith.divf %cst{{.*}}, %{{.*}} : f32
// CHECK:     %[[MEAN:.*]] = arith.mulf %[[SUM]], %[[RECIP]]
// CHECK:     %[[OUT:.*]] = arith.select %[[ANY]], %[[MEAN]], %[[SUM]]
// CHECK:     linalg.yield %[[OUT]]
// Backward: rows checked against the dst nodes; the transpose (src offsets,
// each src's dsts) and the dst offsets for each dst's count; every term
// scaled by its dst's reciprocal count before it is added.
// CHECK:   func.call @sluice_rt_block_check_rows(%[[L]], %{{.*}}, %c0_i64{{.*}}, %{{.*}})
// CHECK:   func.call @sluice_rt_block_copy(%[[L]], %c0_i64{{.*}}, %{{.*}})
// CHECK:   %[[DOFF:.*]] = bufferization.to_tensor
// CHECK:   func.call @sluice_rt_block_copy(%[[L]], %c2_i64{{.*}}, %{{.*}})
// CHECK:   %[[SOFF:.*]] = bufferization.to_tensor
// CHECK:   func.call @sluice_rt_block_copy(%[[L]], %c3_i64{{.*}}, %{{.*}})
// CHECK:   %[[DSTS:.*]] = bufferization.to_tensor
// CHECK:   linalg.generic {{.*}} outs(%{{.*}} : tensor<?x8xf32>)
// CHECK:     tensor.extract %[[SOFF]]
// CHECK:     scf.for %[[E:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %cst{{.*}}) -> (f32)
// CHECK:       %[[D64:.*]] = tensor.extract %[[DSTS]][%[[E]]]
// CHECK:       %[[D:.*]] = arith.index_cast %[[D64]]
// CHECK:       %[[V:.*]] = tensor.extract %[[G]][%[[D]], %{{.*}}]
// CHECK:       tensor.extract %[[DOFF]][%[[D]]]
// CHECK:       %[[R:.*]] = arith.divf
// CHECK:       %[[T:.*]] = arith.mulf %[[R]], %[[V]]
// CHECK:       arith.addf %[[ACC]], %[[T]]
// CHECK:   func.call @sluice_rt_blocks_free
// CHECK-NOT: sluice_rt_aggregate_mean
func.func @graph(%seeds: tensor<?xi64>, %fanout: tensor<?xi64>, %x: tensor<?x16xf32>, %g: tensor<?x8xf32>, %seed: i64) -> index {
  %s = sluice.string "builtin:sbm?nodes=100" : !sluice.str
  %graph = sluice.load_graph %s : !sluice.graph
  %classes = sluice.field %graph["num_classes"] : !sluice.graph -> index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %blocks = sluice.sample %graph, %seeds, %fanout seed %seed : !sluice.blocks
    %layer = sluice.block_layer %blocks[%c0] : !sluice.block
    %mean = sluice.aggregate_mean %layer, %x : tensor<?x16xf32> -> tensor<?x16xf32>
    %spread = sluice.aggregate_mean_grad %layer, %g : tensor<?x8xf32> -> tensor<?x8xf32>
    "test.use"(%mean, %spread) : (tensor<?x16xf32>, tensor<?x8xf32>) -> ()
  }
  return %classes : index
}
