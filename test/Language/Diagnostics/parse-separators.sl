// Commas between arguments and list elements, and the bracket that closes
// an index.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
pipeline p {
  let a = max(1 2)
  // CHECK: parse-separators.sl:[[@LINE-1]]:17: error: expected `,` between arguments of the call, found number `2`
  let xs = [1, 2 3]
  // CHECK: parse-separators.sl:[[@LINE-1]]:18: error: expected `,` between list elements, found number `3`
  let w: f32[4, 4] = zeros()
  let c = w[0 1]
  // CHECK: parse-separators.sl:[[@LINE-1]]:15: error: expected `]` to close the index, found number `1`
}
