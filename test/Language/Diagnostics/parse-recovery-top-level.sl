// Recovery at the top level stops at the next item, `let` included, and a
// bad token is reported once.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
param a: int = 1; param b: int = 2
// CHECK-DAG: parse-recovery-top-level.sl:[[@LINE-1]]:17: error: expected `use`, `param`, `let`, `fn`, `model`, `optimizer`, `pipeline` or `schedule`, found `;`
log 1
// CHECK-DAG: parse-recovery-top-level.sl:[[@LINE-1]]:1: error: statements belong in a `pipeline` or `fn` body
let x: flaot = 1.0
// CHECK-DAG: parse-recovery-top-level.sl:[[@LINE-1]]:8: error: unknown type `flaot`
pipeline p {
  let c = 12abc
  // CHECK-DAG: parse-recovery-top-level.sl:[[@LINE-1]]:11: error: invalid suffix `abc` on number literal
  let d = b
}
