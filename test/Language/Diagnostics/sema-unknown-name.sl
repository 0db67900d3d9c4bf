// An unknown name suggests the closest one in scope, with a fix-it.
// RUN: not sluice check %s 2>&1 | FileCheck %s --strict-whitespace
param fanout: [int] = [15, 10]
pipeline p {
  let f = fanuot
  // CHECK: sema-unknown-name.sl:[[@LINE-1]]:11: error: unknown name `fanuot`
  // CHECK-NEXT: {{^}}  let f = fanuot{{$}}
  // CHECK-NEXT: {{^}}          ^~~~~~{{$}}
  // CHECK: sema-unknown-name.sl:[[@LINE-4]]:11: note: did you mean `fanout`?
  // CHECK: {{^}}          fanout{{$}}
  let g = nothing_like_it
  // CHECK: sema-unknown-name.sl:[[@LINE-1]]:11: error: unknown name `nothing_like_it`
  // CHECK-NOT: note: did you mean
}
