// An unexpected character is reported where it is, and lexing goes on.
// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = 1 $ 2
  // CHECK: lex-character.sl:[[@LINE-1]]:13: error: unexpected character `$`
  let b = 3 # 4
  // CHECK: lex-character.sl:[[@LINE-1]]:13: error: unexpected character `#`
}
