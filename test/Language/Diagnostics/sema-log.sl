// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let x: f32[4, 4] = zeros()
  log x
  // CHECK: sema-log.sl:[[@LINE-1]]:7: error: `log` records a number; this is f32[4, 4] (reduce it, e.g. with `mean`)
  log total: "text"
  // CHECK: sema-log.sl:[[@LINE-1]]:14: error: `log` records a number; this is str
}
