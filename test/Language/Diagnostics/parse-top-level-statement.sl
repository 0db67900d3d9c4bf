// RUN: not sluice check %s 2>&1 | FileCheck %s
for i in 0..3 {
// CHECK: parse-top-level-statement.sl:[[@LINE-1]]:1: error: statements belong in a `pipeline` or `fn` body; at the top level expected `use`, `param`, `let`, `fn`, `model`, `optimizer`, `pipeline` or `schedule`, found `for`
}
