// Data: graphs, datasets, batches, sampling, gathers.
// RUN: sluice emit %s | FileCheck %s
let G = load_graph("builtin:sbm?nodes=100")
let D = load_dataset("builtin:blobs?samples=64")
pipeline p {
  // Batches without shuffling: slices of the index list, the last one short.
  for b in batches(D.train, 10) {
    log rows: sum(D.features[b])
  }
  // Sampling and the two aggregation builtins of a SageConv layer.
  for seeds in batches(G.train, 16, shuffle: true, seed: 7) {
    let blocks = sample(G, seeds, [5, 3], seed: 11)
    let x = gather(G.features, blocks.inputs)
    let inner = blocks.layer(0)
    log mixed: sum(aggregate_mean(inner, x)) + sum(dst(inner, x))
    log outputs: blocks.num_layers + inner.num_dst
  }
  log sizes: G.num_nodes + G.features.rows + D.num_classes
}
// CHECK-LABEL: func.func @p()
// CHECK-DAG: %[[GS:.*]] = sluice.string "builtin:sbm?nodes=100" : !sluice.str
// CHECK-DAG: %[[G:.*]] = sluice.load_graph %[[GS]] : !sluice.graph
// CHECK-DAG: %[[D:.*]] = sluice.load_dataset %{{.*}} : !sluice.dataset
// CHECK: %[[TRAIN:.*]] = sluice.field %[[D]]["train"] : !sluice.dataset -> tensor<?xi64>
// CHECK: %[[N:.*]] = tensor.dim %[[TRAIN]], %c0
// CHECK: %[[COUNT:.*]] = arith.ceildivsi %[[N]], %c10 : index
// CHECK: scf.for %[[I:.*]] = %c0 to %[[COUNT]] step %c1 {
// CHECK:   %[[START:.*]] = arith.muli %[[I]], %c10 : index
// CHECK:   %[[LEFT:.*]] = arith.subi %[[N]], %[[START]] : index
// CHECK:   %[[LEN:.*]] = arith.minsi %[[LEFT]], %c10 : index
// CHECK:   %[[B:.*]] = tensor.extract_slice %[[TRAIN]][%[[START]]] [%[[LEN]]] [1]
// CHECK:   %[[F:.*]] = sluice.field %[[D]]["features"] : !sluice.dataset -> !sluice.table<?x?xf32, auto>
// CHECK:   sluice.gather %[[F]][%[[B]]] : !sluice.table<?x?xf32, auto>, tensor<?xi64> -> tensor<?x?xf32>
// CHECK:   sluice.log "rows"
// The shuffled loop: the seed mixes in nothing here (no enclosing loop).
// CHECK: %[[GTRAIN:.*]] = sluice.field %[[G]]["train"]
// CHECK: %[[ORDER:.*]] = sluice.shuffle %[[GTRAIN]] seed %c7_i64 : tensor<?xi64>
// CHECK: scf.for %[[J:.*]] =
// CHECK:   %[[SEEDS:.*]] = tensor.extract_slice %[[ORDER]]
// The sample's seed differs per batch: 11 * 1000003 + the batch number.
// CHECK:   %[[J64:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK:   %[[SEED:.*]] = arith.addi %[[J64]], %c11000033_i64 : i64
// CHECK:   %[[BLOCKS:.*]] = sluice.sample %[[G]], %[[SEEDS]], %{{.*}} seed %[[SEED]] : !sluice.blocks
// CHECK:   %[[INPUTS:.*]] = sluice.field %[[BLOCKS]]["inputs"] : !sluice.blocks -> tensor<?xi64>
// CHECK:   %[[X:.*]] = sluice.gather %{{.*}}[%[[INPUTS]]]
// CHECK:   %[[INNER:.*]] = sluice.block_layer %[[BLOCKS]][%c0] : !sluice.block
// CHECK:   sluice.aggregate_mean %[[INNER]], %[[X]] : tensor<?x?xf32> -> tensor<?x?xf32>
// dst(block, x): the first num_dst rows.
// CHECK:   %[[DST:.*]] = sluice.field %[[INNER]]["num_dst"] : !sluice.block -> index
// CHECK:   tensor.extract_slice %[[X]][0, 0] [%[[DST]], %{{.*}}] [1, 1]
// CHECK:   sluice.field %[[BLOCKS]]["num_layers"] : !sluice.blocks -> index
// CHECK:   sluice.log "outputs"
// CHECK: sluice.field %[[G]]["num_nodes"] : !sluice.graph -> index
// CHECK: sluice.field %{{.*}}["rows"] : !sluice.table<?x?xf32, auto> -> index
// CHECK: sluice.field %[[D]]["num_classes"] : !sluice.dataset -> index
