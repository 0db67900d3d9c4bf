// Every body opens with `{`; the error says which body it expected.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
pipeline p (
// CHECK: parse-blocks.sl:[[@LINE-1]]:12: error: expected `{` to open the pipeline's body, found `(`
)
fn f(x: int)
  log x
// CHECK: parse-blocks.sl:[[@LINE-1]]:3: error: expected `{` to open the function body, found `log`
pipeline q {
  for i in 0..3
  log 1
  // CHECK: parse-blocks.sl:[[@LINE-1]]:3: error: expected `{` to open the loop body, found `log`
  if true
  log 2
  // CHECK: parse-blocks.sl:[[@LINE-1]]:3: error: expected `{` to open the `if` body, found `log`
  if false {
    log 3
  } else
  log 4
  // CHECK: parse-blocks.sl:[[@LINE-1]]:3: error: expected `{` to open the `else` body, found `log`
  for i 0..3 {
  // CHECK: parse-blocks.sl:[[@LINE-1]]:9: error: expected `in` after the loop variable, found number `0`
  }
}
