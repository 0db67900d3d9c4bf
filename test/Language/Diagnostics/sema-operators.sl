// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = 2.5 % 2.0
  // CHECK: sema-operators.sl:[[@LINE-1]]:11: error: `%` is defined for integers only
  let b = !3
  // CHECK: sema-operators.sl:[[@LINE-1]]:11: error: `!` needs a bool; this is int
  let c = 1 && true
  // CHECK: sema-operators.sl:[[@LINE-1]]:11: error: `&&` needs bools; this is int
  let d = -"text"
  // CHECK: sema-operators.sl:[[@LINE-1]]:11: error: `-` needs a number or tensor; this is str
  let e = "a" + 1
  // CHECK: sema-operators.sl:[[@LINE-1]]:11: error: operator `+` needs numbers or tensors; this is str
}
