// The shape of `select hardest(delta, epochs) by loss`.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
pipeline p {
  let G = load_graph("builtin:sbm")
  for b in batches(G.train, 32) select hardest[0.5, 2] by loss {
  // CHECK: parse-select-syntax.sl:[[@LINE-1]]:47: error: expected `(` after `select hardest`, found `[`
  }
  for b in batches(G.train, 32) select hardest(0.5 2) by loss {
  // CHECK: parse-select-syntax.sl:[[@LINE-1]]:52: error: expected `,` between arguments of `select hardest`, found number `2`
  }
  for b in batches(G.train, 32) select hardest(0.5, 2) loss {
  // CHECK: parse-select-syntax.sl:[[@LINE-1]]:56: error: expected `by` and the loss to rank batches by, found identifier `loss`
  }
}
