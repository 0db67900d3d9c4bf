// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let s = "a\qb"
  // CHECK: lex-string.sl:[[@LINE-1]]:13: error: unknown escape `\q` in string (known: \n \t \\ \")
  let t = "never closed
  // CHECK: lex-string.sl:[[@LINE-1]]:11: error: unterminated string literal
}
