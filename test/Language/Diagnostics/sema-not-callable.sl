// RUN: not sluice check %s 2>&1 | FileCheck %s
param epochs: int = 3
pipeline train {
  log epochs(2)
  // CHECK: sema-not-callable.sl:[[@LINE-1]]:7: error: `epochs` is int and cannot be called
  let t = train
  // CHECK: sema-not-callable.sl:[[@LINE-1]]:11: error: pipeline `train` is not a value
}
