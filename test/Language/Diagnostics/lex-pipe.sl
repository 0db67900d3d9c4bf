// A single `|` is most likely a typo for `||`.
// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = true | false
  // CHECK: lex-pipe.sl:[[@LINE-1]]:16: error: unexpected `|`; did you mean `||`?
}
