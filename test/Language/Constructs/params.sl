// Program parameters: every allowed type, with and without a default; each
// use reads the parameter once at the top of the pipeline.
// RUN: sluice emit %s | FileCheck %s
param epochs: int = 5
param lr: f32 = 0.5
param scale: f64 = -2.0
param verbose: bool = true
param source: path = "data/graph"
param name: str = "run"
param fanout: [int] = [15, 10]
param weights: [f32] = [1, 0.5]
param seed: int
param small: f32 = 1
// CHECK: sluice.param @epochs : i64 = 5
// CHECK: sluice.param @lr : f32 = 5.000000e-01
// CHECK: sluice.param @scale : f64 = -2.000000e+00
// CHECK: sluice.param @verbose : i1 = true
// CHECK: sluice.param @source : !sluice.str = "data/graph"
// CHECK: sluice.param @name : !sluice.str = "run"
// CHECK: sluice.param @fanout : tensor<?xi64> = dense<[15, 10]> : tensor<2xi64>
// CHECK: sluice.param @weights : tensor<?xf32> = dense<[1.000000e+00, 5.000000e-01]> : tensor<2xf32>
// A parameter without a default is a required flag.
// CHECK: sluice.param @seed : i64{{$}}
// An int literal default of a float parameter is that float.
// CHECK: sluice.param @small : f32 = 1.000000e+00
// CHECK-LABEL: func.func @p()
// CHECK: %[[E:.*]] = sluice.param_value @epochs : i64
// CHECK: %[[LR:.*]] = sluice.param_value @lr : f32
// CHECK: sluice.log "epochs" %[[E]] : i64
// CHECK: sluice.log "lr" %[[LR]] : f32
pipeline p {
  log epochs
  log lr
}
