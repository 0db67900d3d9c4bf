// sluice-convert-copies-to-linalg: buffer copies of a CUDA program become
// linalg.copy, which lowers to a parallel loop and so to a kernel, instead of
// a host memcpy over managed memory the kernels wrote.
// RUN: sluice-opt %s -sluice-convert-copies-to-linalg | FileCheck %s
// RUN: sluice-opt %s -sluice-convert-copies-to-linalg -convert-linalg-to-parallel-loops \
// RUN:   -sluice-convert-parallel-loops-to-gpu | FileCheck %s --check-prefix=KERNEL

// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[A:.*]]: memref<?x256xf32>, %[[B:.*]]: memref<?x256xf32>, %[[V:.*]]: memref<4xf32, strided<[2]>>, %[[D:.*]]: memref<4xf32>, %[[S:.*]]: memref<f32>, %[[T:.*]]: memref<f32>)
// CHECK-NEXT: linalg.copy ins(%[[A]] : memref<?x256xf32>) outs(%[[B]] : memref<?x256xf32>)
// A strided view and a scalar, the same way.
// CHECK-NEXT: linalg.copy ins(%[[V]] : memref<4xf32, strided<[2]>>) outs(%[[D]] : memref<4xf32>)
// CHECK-NEXT: linalg.copy ins(%[[S]] : memref<f32>) outs(%[[T]] : memref<f32>)
// CHECK-NOT: memref.copy
// CHECK: return
// KERNEL-LABEL: func.func @copies
// KERNEL: gpu.launch
// KERNEL: memref.load %{{.*}} : memref<?x256xf32>
// KERNEL: memref.store %{{.*}} : memref<?x256xf32>
// KERNEL-NOT: memref.copy
// KERNEL-LABEL: func.func @in_kernel
func.func @copies(%a: memref<?x256xf32>, %b: memref<?x256xf32>, %view: memref<4xf32, strided<[2]>>,
                  %dense: memref<4xf32>, %s: memref<f32>, %t: memref<f32>) {
  memref.copy %a, %b : memref<?x256xf32> to memref<?x256xf32>
  memref.copy %view, %dense : memref<4xf32, strided<[2]>> to memref<4xf32>
  memref.copy %s, %t : memref<f32> to memref<f32>
  return
}

// Copies inside a kernel are left alone.
// CHECK-LABEL: func.func @in_kernel
// CHECK: gpu.launch
// CHECK: memref.copy
func.func @in_kernel(%a: memref<4xf32>, %b: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    memref.copy %a, %b : memref<4xf32> to memref<4xf32>
    gpu.terminator
  }
  return
}
