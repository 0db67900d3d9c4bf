// sluice-autodiff: sluice.grad becomes the adjoint of its block's
// computation from the wrt values to the loss.
// RUN: sluice-opt %s -sluice-autodiff -split-input-file -verify-diagnostics | FileCheck %s

// loss = sum(w * x): the gradient is x, through the reduction (a broadcast
// of the loss's adjoint) and the product.
// CHECK-LABEL: func.func @product
// CHECK-SAME: (%[[W:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<4xf32>)
// CHECK: %[[Y:.*]] = arith.mulf %[[W]], %[[X]]
// CHECK: %[[SUM:.*]] = linalg.reduce ins(%[[Y]]
// CHECK: %[[L:.*]] = tensor.extract %[[SUM]][]
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// The extract's adjoint: 1 inserted into zeros of the 0-d sum.
// CHECK: %[[G0:.*]] = tensor.insert %[[ONE]] into %{{.*}}[] : tensor<f32>
// CHECK: %[[G1:.*]] = linalg.broadcast ins(%[[G0]] : tensor<f32>) outs(%{{.*}} : tensor<4xf32>) dimensions = [0]
// CHECK: %[[DW:.*]] = arith.mulf %[[G1]], %[[X]] : tensor<4xf32>
// CHECK-NOT: sluice.grad
// CHECK: return %[[DW]]
func.func @product(%w: tensor<4xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %y = arith.mulf %w, %x : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%y : tensor<4xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %dw = sluice.grad %loss wrt %w : f32, tensor<4xf32>
  return %dw : tensor<4xf32>
}

// -----

// A value used twice sums its adjoints; a wrt value the loss does not
// depend on gets zeros.
// CHECK-LABEL: func.func @twice
// CHECK-SAME: (%[[A:.*]]: f32, %[[B:.*]]: f32)
// CHECK: %[[SQ:.*]] = arith.mulf %[[A]], %[[A]] : f32
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[P1:.*]] = arith.mulf %[[ONE]], %[[A]] : f32
// CHECK: %[[P2:.*]] = arith.mulf %[[ONE]], %[[A]] : f32
// CHECK: %[[DA:.*]] = arith.addf %[[P1]], %[[P2]] : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: return %[[DA]], %[[ZERO]]
func.func @twice(%a: f32, %b: f32) -> (f32, f32) {
  %sq = arith.mulf %a, %a : f32
  %da, %db = sluice.grad %sq wrt %a, %b : f32, f32, f32
  return %da, %db : f32, f32
}

// -----

// relu = max(x, 0): the gradient goes to x where x > 0, so 0 at 0.
// CHECK-LABEL: func.func @relu
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.select %[[POS]], %{{.*}}, %{{.*}} : f32
func.func @relu(%x: f32) -> f32 {
  %zero = arith.constant 0.0 : f32
  %r = arith.maximumf %x, %zero : f32
  %dx = sluice.grad %r wrt %x : f32, f32
  return %dx : f32
}

// -----

// y = x @ w: dw = x^T @ g, dx = g @ w^T.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[G:.*]]: tensor<2x4xf32>)
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<3x4xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %[[WT]] : tensor<2x4xf32>, tensor<4x3xf32>)
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3xf32>)
// CHECK: %[[DW:.*]] = linalg.matmul ins(%[[XT]], %{{.*}} : tensor<3x2xf32>, tensor<2x4xf32>)
// CHECK: return %[[DW]]
func.func @matmul(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %g: tensor<2x4xf32>) -> tensor<3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  // loss = sum(y * g): its adjoint with respect to y is g.
  %yg = arith.mulf %y, %g : tensor<2x4xf32>
  %e0 = tensor.empty() : tensor<f32>
  %i0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%yg : tensor<2x4xf32>) outs(%i0 : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %dw = sluice.grad %loss wrt %w : f32, tensor<3x4xf32>
  return %dw : tensor<3x4xf32>
}

// -----

// An op without a rule on the path is an error at that op.
func.func @no_rule(%w: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'math.cos' op has no gradient rule yet, and the loss being differentiated depends on the parameters through it}}
  %c = math.cos %w : tensor<4xf32>
  %i = arith.constant 0 : index
  %loss = tensor.extract %c[%i] : tensor<4xf32>
  %dw = sluice.grad %loss wrt %w : f32, tensor<4xf32>
  return %dw : tensor<4xf32>
}

// -----

// Control flow between the parameters and the loss is not differentiated.
func.func @through_if(%w: f32, %p: i1) -> f32 {
  // expected-error @below {{'scf.if' op is control flow between the parameters and the loss; differentiating through it is not supported yet}}
  %r = scf.if %p -> (f32) {
    %d = arith.mulf %w, %w : f32
    scf.yield %d : f32
  } else {
    scf.yield %w : f32
  }
  %dw = sluice.grad %r wrt %w : f32, f32
  return %dw : f32
}

// -----

// The mean aggregation is linear: its adjoint spreads rows back to srcs.
// CHECK-LABEL: func.func @aggregate
// CHECK-SAME: (%[[B:.*]]: !sluice.block, %[[H:.*]]: tensor<?x4xf32>, %[[G:.*]]: tensor<?x4xf32>)
// CHECK: %[[DH:.*]] = sluice.aggregate_mean_grad %[[B]], %{{.*}} : tensor<?x4xf32> -> tensor<?x4xf32>
// CHECK: return %[[DH]]
func.func @aggregate(%b: !sluice.block, %h: tensor<?x4xf32>, %g: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %a = sluice.aggregate_mean %b, %h : tensor<?x4xf32> -> tensor<?x4xf32>
  %ag = arith.mulf %a, %g : tensor<?x4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %i0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%ag : tensor<?x4xf32>) outs(%i0 : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %dh = sluice.grad %loss wrt %h : f32, tensor<?x4xf32>
  return %dh : tensor<?x4xf32>
}

// -----

// Code generation passes parameters through every `if` and loop; results
// passed through unchanged are dropped first, so the parameter after the
// `if` is the one the loss was computed from (d(w*w)/dw = 2w, not 0).
// CHECK-LABEL: func.func @pass_through
// CHECK-SAME: (%[[W:.*]]: f32, %[[P:.*]]: i1)
// CHECK-NOT: scf.if
// CHECK: arith.mulf %[[W]], %[[W]] : f32
// CHECK: %[[A:.*]] = arith.mulf %{{.*}}, %[[W]] : f32
// CHECK: %[[B:.*]] = arith.mulf %{{.*}}, %[[W]] : f32
// CHECK: %[[DW:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK: return %[[DW]]
func.func @pass_through(%w: f32, %p: i1) -> f32 {
  %sq = arith.mulf %w, %w : f32
  %r = scf.if %p -> (f32) {
    scf.yield %w : f32
  } else {
    scf.yield %w : f32
  }
  %dw = sluice.grad %sq wrt %r : f32, f32
  return %dw : f32
}

// -----

// Rows of a parameter (an embedding lookup): the adjoint adds each row of
// the result's adjoint into the row it was read from (scatter-add), one
// index at a time so that repeated indices add up.
// CHECK-LABEL: func.func @gather_rows
// CHECK-SAME: (%[[E:.*]]: tensor<6x3xf32>, %[[IDS:.*]]: tensor<?xi64>)
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[IDS]], %c0
// CHECK-DAG: %[[ZERO:.*]] = tensor.splat %{{.*}} : tensor<6x3xf32>
// CHECK: %[[DE:.*]] = scf.for %[[I:.*]] = %c0{{.*}} to %[[N]] step %c1{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (tensor<6x3xf32>) {
// CHECK:   %[[ID:.*]] = tensor.extract %[[IDS]][%[[I]]] : tensor<?xi64>
// CHECK:   %[[ROW:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK:   %[[OLD:.*]] = tensor.extract_slice %[[ACC]][%[[ROW]], 0] [1, 3] [1, 1] : tensor<6x3xf32> to tensor<1x3xf32>
// CHECK:   %[[ADD:.*]] = tensor.extract_slice %{{.*}}[%[[I]], 0] [1, 3] [1, 1] : tensor<?x3xf32> to tensor<1x3xf32>
// CHECK:   %[[SUM:.*]] = arith.addf %[[OLD]], %[[ADD]] : tensor<1x3xf32>
// CHECK:   %[[NEW:.*]] = tensor.insert_slice %[[SUM]] into %[[ACC]][%[[ROW]], 0] [1, 3] [1, 1]
// CHECK:   scf.yield %[[NEW]]
// CHECK: return %[[DE]]
func.func @gather_rows(%e: tensor<6x3xf32>, %ids: tensor<?xi64>) -> tensor<6x3xf32> {
  %rows = sluice.gather %e[%ids] : tensor<6x3xf32>, tensor<?xi64> -> tensor<?x3xf32>
  %c0 = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<f32>
  %filled = linalg.fill ins(%c0 : f32) outs(%init : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%rows : tensor<?x3xf32>) outs(%filled : tensor<f32>) dimensions = [0, 1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %de = sluice.grad %loss wrt %e : f32, tensor<6x3xf32>
  return %de : tensor<6x3xf32>
}

// -----

// concat's insert_slice: the source's adjoint is its window of g, the
// destination's is g with that window zeroed; reshape's is g reshaped back.
// CHECK-LABEL: func.func @join_and_reshape
// CHECK-SAME: (%[[W:.*]]: tensor<3xf32>)
// CHECK: %[[J:.*]] = tensor.insert_slice %[[W]] into %{{.*}}[0] [3] [1]
// CHECK: %[[R:.*]] = tensor.reshape %[[J]](%{{.*}})
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}} : tensor<1xindex>
// CHECK: %[[GJ:.*]] = tensor.reshape %{{.*}}(%[[SHAPE]]) : (tensor<2x3xf32>, tensor<1xindex>) -> tensor<6xf32>
// CHECK: %[[GW:.*]] = tensor.extract_slice %[[GJ]][0] [3] [1] : tensor<6xf32> to tensor<3xf32>
// CHECK: return %[[GW]]
func.func @join_and_reshape(%w: tensor<3xf32>) -> tensor<3xf32> {
  %e = tensor.empty() : tensor<6xf32>
  %j = tensor.insert_slice %w into %e[0] [3] [1] : tensor<3xf32> into tensor<6xf32>
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %shape = tensor.from_elements %c2, %c3 : tensor<2xindex>
  %r = tensor.reshape %j(%shape) : (tensor<6xf32>, tensor<2xindex>) -> tensor<2x3xf32>
  %t = math.tanh %r : tensor<2x3xf32>
  %c0 = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<f32>
  %filled = linalg.fill ins(%c0 : f32) outs(%init : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%t : tensor<2x3xf32>) outs(%filled : tensor<f32>) dimensions = [0, 1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %dw = sluice.grad %loss wrt %w : f32, tensor<3xf32>
  return %dw : tensor<3xf32>
}

// -----

// A tensor built from scalars (a list literal): each scalar's adjoint is the
// element of the result's adjoint at its row-major position, summed where a
// scalar appears twice; a constant element gets none.
// CHECK-LABEL: func.func @from_elements
// CHECK-SAME: (%[[A:.*]]: f32, %[[B:.*]]: f32)
// CHECK: %[[T:.*]] = tensor.from_elements %[[A]], %[[B]], %{{.*}}, %[[A]] : tensor<2x2xf32>
// CHECK: %[[G:.*]] = linalg.broadcast
// CHECK: %[[G00:.*]] = tensor.extract %[[G]][%[[C0:.*]], %[[C0B:.*]]] : tensor<2x2xf32>
// CHECK: %[[G01:.*]] = tensor.extract %[[G]][%{{.*}}, %{{.*}}] : tensor<2x2xf32>
// CHECK-NOT: tensor.extract %[[G]]
// CHECK: %[[G11:.*]] = tensor.extract %[[G]][%{{.*}}, %{{.*}}] : tensor<2x2xf32>
// CHECK: %[[DA:.*]] = arith.addf %[[G00]], %[[G11]] : f32
// CHECK: return %[[DA]]
func.func @from_elements(%a: f32, %b: f32) -> f32 {
  %three = arith.constant 3.0 : f32
  %t = tensor.from_elements %a, %b, %three, %a : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%t : tensor<2x2xf32>) outs(%init : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %da = sluice.grad %loss wrt %a : f32, f32
  return %da : f32
}

// -----

// MaM's residual, differentiated as one op: the marginals get g and -g, the
// logits g * (softmax - onehot(value)) in the row of each sample's variable
// (the row's maximum and sum of exponentials first), 0 in the others.
// CHECK-LABEL: func.func @mam_residual
// CHECK-SAME: (%[[CUR:.*]]: tensor<4xf32>, %[[PREV:.*]]: tensor<4xf32>, %[[L:.*]]: tensor<4x3x5xf32>, %[[VAR:.*]]: tensor<4xi64>, %[[VAL:.*]]: tensor<4xi64>)
// CHECK: %[[G:.*]] = linalg.broadcast
// CHECK: %[[NEG:.*]] = arith.negf %[[G]] : tensor<4xf32>
// CHECK: %[[TOP:.*]] = linalg.reduce ins(%[[L]] : tensor<4x3x5xf32>) outs(%{{.*}} : tensor<4x3xf32>) dimensions = [2]
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[L]], %[[TOP]] : tensor<4x3x5xf32>, tensor<4x3xf32>)
// CHECK: math.exp
// CHECK: %[[DL:.*]] = linalg.generic {{.*}} ins(%[[L]], %[[TOP]], %[[SUM]], %[[VAR]], %[[VAL]], %[[G]] : tensor<4x3x5xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4xi64>, tensor<4xi64>, tensor<4xf32>)
// CHECK: %[[D:.*]] = linalg.index 1
// CHECK: %[[K:.*]] = linalg.index 2
// CHECK: %[[IN_ROW:.*]] = arith.cmpi eq, %[[D]]
// CHECK: %[[IS_VALUE:.*]] = arith.cmpi eq, %[[K]]
// CHECK: %[[P:.*]] = arith.divf
// CHECK: %[[ONE_HOT:.*]] = arith.select %[[IS_VALUE]], %{{.*}}, %{{.*}} : f32
// CHECK: %[[SLOPE:.*]] = arith.subf %[[P]], %[[ONE_HOT]] : f32
// CHECK: %[[ADJ:.*]] = arith.mulf %{{.*}}, %[[SLOPE]] : f32
// CHECK: %[[OUT:.*]] = arith.select %[[IN_ROW]], %[[ADJ]], %{{.*}} : f32
// CHECK: linalg.yield %[[OUT]]
// CHECK: return %[[G]], %[[NEG]], %[[DL]]
func.func @mam_residual(%cur: tensor<4xf32>, %prev: tensor<4xf32>, %logits: tensor<4x3x5xf32>,
                        %var: tensor<4xi64>, %val: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4x3x5xf32>) {
  %r = sluice.mam_residual %cur, %prev, %logits[%var, %val] : tensor<4xf32>, tensor<4x3x5xf32>, tensor<4xi64>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%r : tensor<4xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %dc, %dp, %dl = sluice.grad %loss wrt %cur, %prev, %logits : f32, tensor<4xf32>, tensor<4xf32>, tensor<4x3x5xf32>
  return %dc, %dp, %dl : tensor<4xf32>, tensor<4xf32>, tensor<4x3x5xf32>
}

// -----

// The any-order autoregressive loss term has the same adjoint with respect
// to its logits (dynamic sizes here).
// CHECK-LABEL: func.func @conditional_nll
// CHECK-SAME: (%[[L:.*]]: tensor<?x8x2xf32>, %[[VAR:.*]]: tensor<?xindex>, %[[VAL:.*]]: tensor<?xindex>)
// CHECK: linalg.reduce ins(%[[L]] : tensor<?x8x2xf32>) outs(%{{.*}} : tensor<?x8xf32>) dimensions = [2]
// CHECK: %[[DL:.*]] = linalg.generic {{.*}} ins(%[[L]], %{{.*}}, %{{.*}}, %[[VAR]], %[[VAL]], %{{.*}} : tensor<?x8x2xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?xindex>, tensor<?xindex>, tensor<?xf32>) outs(%{{.*}} : tensor<?x8x2xf32>)
// CHECK: return %[[DL]]
func.func @conditional_nll(%logits: tensor<?x8x2xf32>, %var: tensor<?xindex>, %val: tensor<?xindex>) -> tensor<?x8x2xf32> {
  %n = sluice.conditional_nll %logits[%var, %val] : tensor<?x8x2xf32>, tensor<?xindex> -> tensor<?xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce ins(%n : tensor<?xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %loss = tensor.extract %sum[] : tensor<f32>
  %dl = sluice.grad %loss wrt %logits : f32, tensor<?x8x2xf32>
  return %dl : tensor<?x8x2xf32>
}

// -----

// MaM's penalty n * mean(r^2) + (f - log_z)^2: dr = 2 n g r / B (B read at
// run time), df = 2 g (f - log_z).
// CHECK-LABEL: func.func @mam_penalty
// CHECK-SAME: (%[[R:.*]]: tensor<?xf32>, %[[F:.*]]: f32)
// CHECK: %[[B:.*]] = tensor.dim %[[R]]
// CHECK: %[[BF:.*]] = arith.uitofp %{{.*}} : i64 to f32
// CHECK: %[[TWICE:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[N2G:.*]] = arith.mulf %{{.*}}, %[[TWICE]] : f32
// CHECK: %[[SCALE:.*]] = arith.divf %[[N2G]], %[[BF]] : f32
// CHECK: %[[SPLAT:.*]] = tensor.splat %[[SCALE]]
// CHECK: %[[DR:.*]] = arith.mulf %[[SPLAT]], %[[R]] : tensor<?xf32>
// CHECK: %[[OFFSET:.*]] = arith.subf %[[F]], %{{.*}} : f32
// CHECK: %[[DF:.*]] = arith.mulf %[[TWICE]], %[[OFFSET]] : f32
// CHECK: return %[[DR]], %[[DF]]
func.func @mam_penalty(%r: tensor<?xf32>, %f: f32) -> (tensor<?xf32>, f32) {
  %p = sluice.mam_penalty %r, %f num_vars = 8 log_z = 0.5 : tensor<?xf32>, f32
  %dr, %df = sluice.grad %p wrt %r, %f : f32, tensor<?xf32>, f32
  return %dr, %df : tensor<?xf32>, f32
}
