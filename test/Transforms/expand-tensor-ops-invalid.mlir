// What sluice-expand-tensor-ops cannot compile yet is an error at the op.
// RUN: sluice-opt %s -sluice-expand-tensor-ops -split-input-file -verify-diagnostics

func.func @mean_of_f64(%seeds: tensor<?xi64>, %fanout: tensor<?xi64>, %x: tensor<?x4xf64>, %seed: i64) -> tensor<?x4xf64> {
  %s = sluice.string "builtin:sbm" : !sluice.str
  %graph = sluice.load_graph %s : !sluice.graph
  %blocks = sluice.sample %graph, %seeds, %fanout seed %seed : !sluice.blocks
  %c0 = arith.constant 0 : index
  %layer = sluice.block_layer %blocks[%c0] : !sluice.block
  // expected-error @below {{'sluice.aggregate_mean' op is compiled for rank-2 f32 tensors only, got 'tensor<?x4xf64>'}}
  %mean = sluice.aggregate_mean %layer, %x : tensor<?x4xf64> -> tensor<?x4xf64>
  return %mean : tensor<?x4xf64>
}

// -----

func.func @source_from_elsewhere(%s: !sluice.str) -> index {
  // expected-error @below {{'sluice.load_graph' op needs its source as a string literal or a parameter to be compiled}}
  %graph = sluice.load_graph %s : !sluice.graph
  %n = sluice.field %graph["num_nodes"] : !sluice.graph -> index
  return %n : index
}

// -----

func.func @blocks_escape(%seeds: tensor<?xi64>, %fanout: tensor<?xi64>, %seed: i64, %flag: i1) -> index {
  %s = sluice.string "builtin:sbm" : !sluice.str
  %graph = sluice.load_graph %s : !sluice.graph
  %chosen = scf.if %flag -> !sluice.blocks {
    %blocks = sluice.sample %graph, %seeds, %fanout seed %seed : !sluice.blocks
    scf.yield %blocks : !sluice.blocks
  } else {
    %other = sluice.sample %graph, %seeds, %fanout seed %seed : !sluice.blocks
    // (The load's uses are visited last first.)
    // expected-error @below {{'scf.yield' op reads sampled blocks in a way the CPU back end does not compile yet}}
    scf.yield %other : !sluice.blocks
  }
  %layers = sluice.field %chosen["num_layers"] : !sluice.blocks -> index
  return %layers : index
}
