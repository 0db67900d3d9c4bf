// A missing `}` points at the brace that is never closed.
// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
// CHECK: parse-unclosed-brace.sl:[[@LINE-1]]:12: error: this `{` is never closed
  let a = 1
