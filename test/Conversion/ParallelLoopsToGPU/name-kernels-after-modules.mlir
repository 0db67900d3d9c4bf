// sluice-name-kernels-after-modules: after outlining, every kernel of a
// function has the same name; each takes its module's unique one, and the
// launches follow, so that the PTX, the driver's errors and SLUICE_PROFILE
// tell the kernels apart.
// RUN: sluice-opt %s -gpu-kernel-outlining -sluice-name-kernels-after-modules | FileCheck %s

// CHECK-LABEL: func.func @train
// CHECK: gpu.launch_func @train_kernel::@train_kernel
// CHECK: gpu.launch_func @train_kernel_0::@train_kernel_0
// CHECK: gpu.module @train_kernel
// CHECK: gpu.func @train_kernel(
// CHECK: gpu.module @train_kernel_0
// CHECK: gpu.func @train_kernel_0(
// CHECK-NOT: gpu.func @train_kernel(
module attributes {gpu.container_module} {
  func.func @train(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %one = arith.constant 1.0 : f32
    gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%u = %c4, %v = %c1, %w = %c1) {
      memref.store %one, %a[%tx] : memref<4xf32>
      gpu.terminator
    }
    gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%u = %c4, %v = %c1, %w = %c1) {
      %l = memref.load %a[%tx] : memref<4xf32>
      %d = arith.addf %l, %l : f32
      memref.store %d, %a[%tx] : memref<4xf32>
      gpu.terminator
    }
    return
  }
}
