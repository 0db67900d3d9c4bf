// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
}
/* this comment
   never ends
// CHECK: lex-comment.sl:[[@LINE-2]]:1: error: unterminated `/*` comment
