// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = 12ab
  // CHECK: lex-number.sl:[[@LINE-1]]:11: error: invalid suffix `ab` on number literal
  let b = 99999999999999999999
  // CHECK: lex-number.sl:[[@LINE-1]]:11: error: integer literal `99999999999999999999` does not fit in 64 bits
}
