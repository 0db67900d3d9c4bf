// sluice-convert-to-gpu has no lowering for family 0 (programs, data and
// training) yet: it names each kind of op once, at its first use, and fails.
// RUN: sluice-opt %s -sluice-convert-to-gpu -split-input-file -verify-diagnostics

// expected-error @below {{'sluice.param' cannot be compiled yet: no back end lowers it in this version of sluice}}
sluice.param @graph : !sluice.str = "builtin:sbm"
sluice.param @seed : i64 = 0

func.func @pipeline(%fanouts: tensor<?xi64>, %layer: index, %lo: f32, %hi: f32) {
  // expected-error @below {{'sluice.param_value' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %path = sluice.param_value @graph : !sluice.str
  %seed = sluice.param_value @seed : i64
  // expected-error @below {{'sluice.load_graph' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %g = sluice.load_graph %path : !sluice.graph
  // expected-error @below {{'sluice.field' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %train = sluice.field %g["train"] : !sluice.graph -> tensor<?xi64>
  // expected-error @below {{'sluice.shuffle' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %order = sluice.shuffle %train seed %seed : tensor<?xi64>
  // expected-error @below {{'sluice.sample' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %blocks = sluice.sample %g, %order, %fanouts seed %seed : !sluice.blocks
  // expected-error @below {{'sluice.block_layer' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %block = sluice.block_layer %blocks[%layer] : !sluice.block
  %n = sluice.field %block["num_src"] : !sluice.block -> index
  // expected-error @below {{'sluice.random_uniform' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %x = sluice.random_uniform %lo, %hi seed 7 [%n] : tensor<?x16xf32>
  // expected-error @below {{'sluice.aggregate_mean' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %h = sluice.aggregate_mean %block, %x : tensor<?x16xf32> -> tensor<?x16xf32>
  // expected-error @below {{'sluice.argmax' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %pred = sluice.argmax %h : tensor<?x16xf32> -> tensor<?xi64>
  // expected-error @below {{'sluice.take_along' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %picked = sluice.take_along %h, %pred : tensor<?x16xf32>, tensor<?xi64> -> tensor<?xf32>
  // expected-error @below {{'sluice.grad' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %dx = sluice.grad %lo wrt %x : f32, tensor<?x16xf32>
  // expected-error @below {{'sluice.log' cannot be compiled yet: no back end lowers it in this version of sluice}}
  sluice.log "loss" %lo : f32
  return
}

// -----

func.func @dataset() {
  // expected-error @below {{'sluice.string' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %path = sluice.string "data/mnist" : !sluice.str
  // expected-error @below {{'sluice.load_dataset' cannot be compiled yet: no back end lowers it in this version of sluice}}
  %d = sluice.load_dataset %path : !sluice.dataset
  return
}
