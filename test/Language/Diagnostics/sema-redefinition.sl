// RUN: not sluice check %s 2>&1 | FileCheck %s
fn f() -> int {
  return 1
}
fn f() -> int {
// CHECK: sema-redefinition.sl:[[@LINE-1]]:4: error: `f` is already defined
// CHECK: sema-redefinition.sl:[[@LINE-5]]:4: note: the first definition
  return 2
}
pipeline p {
  let a = 1
  let a = 2
  // CHECK: sema-redefinition.sl:[[@LINE-1]]:7: error: `a` is already defined
}
