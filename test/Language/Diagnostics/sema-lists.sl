// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let empty = []
  // CHECK: sema-lists.sl:[[@LINE-1]]:15: error: cannot infer the type of an empty list; give it a type
  let words = [1, "two"]
  // CHECK: sema-lists.sl:[[@LINE-1]]:19: error: lists hold numbers; this is str
}
