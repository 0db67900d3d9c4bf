// A module that is found but cannot be read says why.
// REQUIRES: non-root-user
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf 'fn one() -> int {\n  return 1\n}\n' > %t/locked.sl
// RUN: chmod 000 %t/locked.sl
// RUN: not sluice check -I %t %s 2>&1 | FileCheck %s -DDIR=%t
use locked
// CHECK: sema-module-unreadable.sl:[[@LINE-1]]:1: error: cannot read module `locked` at [[DIR]]/locked.sl: Permission denied
pipeline p {
  log locked.one()
}
