// sluice-bufferize refuses a gradient nobody expanded, saying what to run
// (sluice-opt's lowering pipelines leave differentiation to the caller).
// RUN: sluice-opt %s -sluice-bufferize -verify-diagnostics
// RUN: not sluice-opt %s --sluice-lower-to-cpu 2>&1 | FileCheck %s
// CHECK: error: 'sluice.grad' op must be expanded before bufferization: run -sluice-autodiff first
// With it first, the same module lowers.
// RUN: sluice-opt %s -sluice-autodiff --sluice-lower-to-cpu | FileCheck %s --check-prefix=LOWERED
// LOWERED: llvm.func @gradient

func.func @gradient(%w: tensor<4xf32>) -> tensor<4xf32> {
  %sq = arith.mulf %w, %w : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%sq : tensor<4xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  // expected-error @below {{'sluice.grad' op must be expanded before bufferization: run -sluice-autodiff first (`sluice build` does)}}
  %g = sluice.grad %loss wrt %w : f32, tensor<4xf32>
  return %g : tensor<4xf32>
}
