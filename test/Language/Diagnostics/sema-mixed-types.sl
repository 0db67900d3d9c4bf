// Number literals adapt; variables of different types do not mix.
// RUN: not sluice check %s 2>&1 | FileCheck %s
param epochs: int = 3
param lr: f32 = 0.1
pipeline p {
  let ok = lr * 2
  let bad = lr * epochs
  // CHECK: sema-mixed-types.sl:[[@LINE-1]]:13: error: operator `*` mixes f32 and int; convert one side, e.g. with `f32(...)`
  // CHECK: note: this is f32
  // CHECK: note: this is int
  log ok
}
