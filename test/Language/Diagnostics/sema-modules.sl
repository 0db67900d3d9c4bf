// RUN: not sluice check %s 2>&1 | FileCheck %s
use nn
use nonexistent
// CHECK: sema-modules.sl:[[@LINE-1]]:1: error: cannot find module `nonexistent` (nonexistent.sl in: {{.*}})
pipeline p {
  let l = nn.Lineer(2, 2)
  // CHECK: sema-modules.sl:[[@LINE-1]]:14: error: module `nn` has no `Lineer`
  // CHECK: note: did you mean `Linear`?
}
