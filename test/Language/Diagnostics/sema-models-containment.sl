// RUN: not sluice check %s 2>&1 | FileCheck %s
model A {
  b = B()
}
model B {
  a = A()
  // CHECK: sema-models-containment.sl:[[@LINE-1]]:7: error: model `A` contains itself (A -> B -> A)
}
