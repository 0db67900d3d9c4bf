// sluice-run-kernels-on-host: kernels as host loops over blocks and threads,
// to check the CUDA lowering on machines without a GPU.
// RUN: sluice-opt %s -sluice-run-kernels-on-host -split-input-file -verify-diagnostics | FileCheck %s

// Loops over the blocks, then the threads, of the dimensions that are not
// a constant one; the ids of the others are zero (`+ %ty` folds away);
// registrations vanish.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>, %[[G:.*]]: index, %[[T:.*]]: index, %{{.*}}: f32)
// CHECK-NOT: gpu.host_register
// CHECK: scf.for %[[B:.*]] = %c0{{.*}} to %[[G]] step %c1
// CHECK:   scf.for %[[TH:.*]] = %c0{{.*}} to %[[T]] step %c1
// CHECK:     %[[BASE:.*]] = arith.muli %[[B]], %[[T]]
// CHECK:     %[[I:.*]] = arith.addi %[[BASE]], %[[TH]]
// The kernel's math is the GPU's: polynomial tanh, an intrinsic fabs.
// CHECK-NOT: math.tanh
// CHECK:     llvm.call_intrinsic "llvm.fabs.f32"
// CHECK-NOT: math.
// CHECK:     memref.store %{{.*}}, %[[A]][%[[I]]]
// CHECK-NOT: gpu.launch
func.func @kernel(%a: memref<?xf32>, %grid: index, %threads: index, %x: f32) {
  %c1 = arith.constant 1 : index
  %u = memref.cast %a : memref<?xf32> to memref<*xf32>
  gpu.host_register %u : memref<*xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %grid, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %threads, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %j = arith.addi %i, %ty : index
    %t = math.tanh %x : f32
    %v = math.absf %t : f32
    memref.store %v, %a[%j] : memref<?xf32>
    gpu.terminator
  }
  return
}

// -----

func.func @async(%a: memref<?xf32>) {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %t = gpu.wait async
  // expected-error @below {{'gpu.launch' op is asynchronous; only synchronous launches can be run on the host}}
  %done = gpu.launch async [%t] blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %zero, %a[%tx] : memref<?xf32>
    gpu.terminator
  }
  gpu.wait [%done]
  return
}
