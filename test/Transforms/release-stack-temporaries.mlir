// sluice-release-stack-temporaries: the kernel-argument array that each
// launch in a loop builds on the stack is given back after the launch.
// RUN: sluice-opt %s -sluice-release-stack-temporaries | FileCheck %s
// What the launch becomes in LLVM IR: test/Driver/stack-temporaries.test.

module attributes {gpu.container_module} {
  // An asynchronous launch in a loop: released after the launch, the token
  // used as before.
  // CHECK-LABEL: func.func @launch_in_loop
  // CHECK: scf.for {{.*}} iter_args(%[[T:.*]] = %{{.*}}) -> (!gpu.async.token)
  // CHECK-NEXT: %[[SP:.*]] = llvm.intr.stacksave : !llvm.ptr
  // CHECK-NEXT: %[[NEXT:.*]] = gpu.launch_func async [%[[T]]] @kernels::@scale
  // CHECK-NEXT: llvm.intr.stackrestore %[[SP]] : !llvm.ptr
  // CHECK-NEXT: scf.yield %[[NEXT]]
  // Outside a loop the array lives until the function returns, as before.
  // CHECK: }
  // CHECK-NEXT: gpu.launch_func @kernels::@scale
  // CHECK-NEXT: return
  func.func @launch_in_loop(%buffer: memref<256xf32>, %n: index, %start: !gpu.async.token) -> !gpu.async.token {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %done = scf.for %i = %c0 to %n step %c1 iter_args(%t = %start) -> (!gpu.async.token) {
      %next = gpu.launch_func async [%t] @kernels::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buffer : memref<256xf32>)
      scf.yield %next : !gpu.async.token
    }
    gpu.launch_func @kernels::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buffer : memref<256xf32>)
    return %done : !gpu.async.token
  }

  // Any loop, at any depth: a synchronous launch in a branch of a while
  // loop's body.
  // CHECK-LABEL: func.func @while_loop
  // CHECK: scf.while
  // CHECK: scf.if
  // CHECK-NEXT: %[[SP:.*]] = llvm.intr.stacksave
  // CHECK-NEXT: gpu.launch_func @kernels::@scale
  // CHECK-NEXT: llvm.intr.stackrestore %[[SP]]
  func.func @while_loop(%buffer: memref<256xf32>, %go: i1) {
    %c1 = arith.constant 1 : index
    scf.while : () -> () {
      scf.condition(%go)
    } do {
      scf.if %go {
        gpu.launch_func @kernels::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buffer : memref<256xf32>)
      }
      scf.yield
    }
    return
  }

  gpu.module @kernels {
    gpu.func @scale(%buffer: memref<256xf32>) kernel {
      gpu.return
    }
  }
}
