// RUN: sluice-opt --sluice-expand-techniques --split-input-file %s | FileCheck %s
// No technique op survives, and the pass is idempotent on what it produced.
// RUN: sluice-opt --sluice-expand-techniques --sluice-expand-techniques --split-input-file %s | FileCheck %s --check-prefix=GONE
// GONE-NOT: sluice.merge_layers
// GONE-NOT: sluice.restore_layer
// GONE-NOT: sluice.conditional_nll
// GONE-NOT: sluice.mam_
// The whole program still differentiates: the residual's gradient with
// respect to the logits flows back through take_along and the log-softmax.
// RUN: sluice-opt --sluice-expand-techniques --sluice-autodiff --split-input-file %s | FileCheck %s --check-prefix=GRAD

// The loss term: range checks on both index vectors (each names the count
// and the bound), the log-softmax over the classes, the [B, D * K] view and
// one element per sample at variable * K + value.
// CHECK-LABEL: func.func @nll
// CHECK-SAME: (%[[LOGITS:.*]]: tensor<?x8x2xf32>, %[[VAR:.*]]: tensor<?xi64>, %[[VAL:.*]]: tensor<?xi64>)
// CHECK-DAG: %[[D:.*]] = tensor.dim %[[LOGITS]], %c1
// CHECK-DAG: %[[K:.*]] = tensor.dim %[[LOGITS]], %c2
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[VAR]] : tensor<?xi64>)
// CHECK: arith.cmpi slt
// CHECK: scf.if
// CHECK: func.call @sluice_rt_check_error
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[VAL]] : tensor<?xi64>)
// CHECK: func.call @sluice_rt_check_error
// CHECK: %[[TOP:.*]] = linalg.reduce ins(%[[LOGITS]] : tensor<?x8x2xf32>) {{.*}} dimensions = [2]
// CHECK: arith.maximumf
// CHECK: %[[SHIFTED:.*]] = arith.subf %[[LOGITS]], %{{.*}} : tensor<?x8x2xf32>
// CHECK: math.exp %[[SHIFTED]]
// CHECK: %[[LOGSUM:.*]] = math.log %{{.*}} : tensor<?x8xf32>
// CHECK: %[[LOGP:.*]] = arith.subf %[[SHIFTED]], %{{.*}} : tensor<?x8x2xf32>
// CHECK: %[[WIDTH:.*]] = arith.muli %[[D]], %[[K]]
// CHECK: %[[FLAT:.*]] = tensor.reshape %[[LOGP]]({{.*}}) : (tensor<?x8x2xf32>, tensor<2xindex>) -> tensor<?x16xf32>
// CHECK: %[[POS:.*]] = linalg.generic {{.*}} ins(%[[VAR]], %[[VAL]] : tensor<?xi64>, tensor<?xi64>)
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: %[[PICK:.*]] = sluice.take_along %[[FLAT]], %[[POS]]
// CHECK: %[[NLL:.*]] = arith.negf %[[PICK]] : tensor<?xf32>
// CHECK: return %[[NLL]]
func.func @nll(%logits: tensor<?x8x2xf32>, %var: tensor<?xi64>, %val: tensor<?xi64>) -> tensor<?xf32> {
  %r = sluice.conditional_nll %logits[%var, %val] : tensor<?x8x2xf32>, tensor<?xi64> -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// In bounds: the producer vouches for the entries, so only the sizes are
// compared (they are dynamic here), not every entry.
// CHECK-LABEL: func.func @nll_in_bounds
// CHECK-NOT: iterator_types = ["reduction"]
// CHECK: linalg.reduce
// CHECK: sluice.take_along
func.func @nll_in_bounds(%logits: tensor<?x8x2xf32>, %var: tensor<?xi64>, %val: tensor<?xi64>) -> tensor<?xf32> {
  %r = sluice.conditional_nll %logits[%var, %val] in_bounds : tensor<?x8x2xf32>, tensor<?xi64> -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// The residual: the marginals' difference minus the log-probability, after
// a check that there are as many marginals as samples.
// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%[[CUR:.*]]: tensor<4xf32>, %[[PREV:.*]]: tensor<4xf32>
// CHECK: %[[PICK:.*]] = sluice.take_along
// CHECK: arith.cmpi ne
// CHECK: func.call @sluice_rt_check_error
// CHECK: %[[DIFF:.*]] = arith.subf %[[CUR]], %[[PREV]] : tensor<4xf32>
// CHECK: %[[R:.*]] = arith.subf %[[DIFF]], %[[PICK]] : tensor<4xf32>
// CHECK: arith.mulf %[[R]], %[[R]]
// GRAD-LABEL: func.func @residual
// GRAD: sluice.take_along
// The adjoint of take_along: a one-hot scatter into [B, D * K].
// GRAD: linalg.generic
// GRAD: tensor.reshape {{.*}} -> tensor<4x3x5xf32>
// Then the log-softmax's adjoint: a sum over the classes, log's 1 / x.
// GRAD: linalg.reduce ins({{.*}} : tensor<4x3x5xf32>) {{.*}} dimensions = [2]
// GRAD: arith.divf
// GRAD: return %{{.*}} : tensor<4x3x5xf32>
func.func @residual(%cur: tensor<4xf32>, %prev: tensor<4xf32>, %logits: tensor<4x3x5xf32>,
                    %var: tensor<4xi64>, %val: tensor<4xi64>) -> tensor<4x3x5xf32> {
  %r = sluice.mam_residual %cur, %prev, %logits[%var, %val] : tensor<4xf32>, tensor<4x3x5xf32>, tensor<4xi64>
  %sq = arith.mulf %r, %r : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.splat %zero : tensor<f32>
  %sum = linalg.reduce ins(%sq : tensor<4xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %g = sluice.grad %loss wrt %logits : f32, tensor<4x3x5xf32>
  return %g : tensor<4x3x5xf32>
}

// -----

// The penalty: num_vars * sum(r^2) / B + (f - log_z)^2, after a check that
// the batch is not empty.
// CHECK-LABEL: func.func @penalty
// CHECK-SAME: (%[[R:.*]]: tensor<?xf32>, %[[F:.*]]: f32)
// CHECK: %[[B:.*]] = tensor.dim %[[R]], %c0
// CHECK: arith.cmpi eq, %[[B]]
// CHECK: func.call @sluice_rt_check_error
// CHECK: %[[SQ:.*]] = arith.mulf %[[R]], %[[R]] : tensor<?xf32>
// CHECK: linalg.reduce ins(%[[SQ]] : tensor<?xf32>)
// CHECK: %[[SUM:.*]] = tensor.extract
// CHECK: %[[MEAN:.*]] = arith.divf %[[SUM]], %{{.*}} : f32
// CHECK: %[[OFFSET:.*]] = arith.subf %[[F]], %{{.*}} : f32
// CHECK: %[[SQUARE:.*]] = arith.mulf %[[OFFSET]], %[[OFFSET]] : f32
// CHECK: %[[VARS:.*]] = arith.mulf %cst{{.*}}, %[[MEAN]] : f32
// CHECK: %[[P:.*]] = arith.addf %[[VARS]], %[[SQUARE]] : f32
// CHECK: return %[[P]]
func.func @penalty(%r: tensor<?xf32>, %f: f32) -> f32 {
  %p = sluice.mam_penalty %r, %f num_vars = 8 log_z = 0.5 : tensor<?xf32>, f32
  return %p : f32
}

// -----

// MiniCache on pairs in a leading dimension: checks of t and gamma, the
// magnitudes over the last axis, the angle by atan2, SLERP with its lerp
// fallback, and the retention mask from the per-pair minimum and maximum
// over the tokens ([P, 16] reduced to [P]); the restore selects.
// CHECK-LABEL: func.func @merge
// CHECK-SAME: (%[[A:.*]]: tensor<?x16x64xf32>, %[[B:.*]]: tensor<?x16x64xf32>, %[[T:.*]]: f32, %[[G:.*]]: f32)
// CHECK: arith.cmpf oge, %[[T]]
// CHECK: func.call @sluice_rt_check_error
// CHECK: arith.cmpf oge, %[[G]]
// CHECK: func.call @sluice_rt_check_error
// CHECK: %[[SQA:.*]] = arith.mulf %[[A]], %[[A]] : tensor<?x16x64xf32>
// CHECK: linalg.reduce ins(%[[SQA]] : tensor<?x16x64xf32>) {{.*}} dimensions = [2]
// CHECK: %[[MA:.*]] = math.sqrt %{{.*}} : tensor<?x16xf32>
// CHECK: math.atan2 {{.*}} : tensor<?x16xf32>
// CHECK: %[[TINY:.*]] = arith.cmpf olt
// CHECK: math.sin
// CHECK: linalg.reduce ins(%{{.*}} : tensor<?x16xf32>) outs(%{{.*}} : tensor<?xf32>) dimensions = [1]
// CHECK: arith.maximumf
// CHECK: %[[KEEP:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : tensor<?x16xf32>
// CHECK: %[[KEEPS:.*]] = linalg.broadcast ins(%[[KEEP]] : tensor<?x16xi1>) {{.*}} dimensions = [2]
// CHECK: %[[R:.*]] = arith.select %[[KEEPS]], %[[A]], %{{.*}} : tensor<?x16x64xi1>, tensor<?x16x64xf32>
// CHECK: return %[[R]], %[[KEEP]]
func.func @merge(%a: tensor<?x16x64xf32>, %b: tensor<?x16x64xf32>, %t: f32, %g: f32) -> (tensor<?x16x64xf32>, tensor<?x16xi1>) {
  %e, %ma, %mb, %keep = sluice.merge_layers %a, %b t %t gamma %g : tensor<?x16x64xf32> -> tensor<?x16xf32>, tensor<?x16xi1>
  %r = sluice.restore_layer %e scaled %ma retain %keep = %a : tensor<?x16x64xf32>, tensor<?x16xf32>, tensor<?x16xi1>
  return %r, %keep : tensor<?x16x64xf32>, tensor<?x16xi1>
}
