// sluice-expand-kernel-math: kernel math that needs no CUDA libdevice.
// RUN: sluice-opt %s -pass-pipeline='builtin.module(gpu.module(sluice-expand-kernel-math))' | FileCheck %s
// Lowered the rest of the way, no __nv_ function is called.
// RUN: sluice-opt %s -pass-pipeline='builtin.module(gpu.module(sluice-expand-kernel-math,convert-scf-to-cf,convert-gpu-to-nvvm))' | FileCheck %s --check-prefix=NVVM

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // f32 functions become polynomial arithmetic; absolute value, square
    // root, fma and rounding calls of the intrinsics NVPTX selects.
    // CHECK-LABEL: gpu.func @f32_math
    // CHECK-NOT: math.tanh
    // CHECK-NOT: math.exp
    // CHECK-NOT: math.log
    // CHECK-NOT: math.erf
    // CHECK-NOT: math.powf
    // CHECK: llvm.call_intrinsic "llvm.fabs.f32"(%{{.*}}) : (f32) -> f32
    // CHECK: llvm.call_intrinsic "llvm.sqrt.f32"(%{{.*}}) : (f32) -> f32
    // CHECK: llvm.call_intrinsic "llvm.floor.f32"(%{{.*}}) : (f32) -> f32
    // CHECK-NOT: math.
    // CHECK: gpu.return
    // NVVM-LABEL: llvm.func @f32_math
    // NVVM-NOT: __nv_
    // NVVM: llvm.return
    gpu.func @f32_math(%x: f32, %y: f32, %out: memref<8xf32>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %c5 = arith.constant 5 : index
      %c6 = arith.constant 6 : index
      %c7 = arith.constant 7 : index
      %t = math.tanh %x : f32
      memref.store %t, %out[%c0] : memref<8xf32>
      %e = math.exp %x : f32
      memref.store %e, %out[%c1] : memref<8xf32>
      %l = math.log %x : f32
      memref.store %l, %out[%c2] : memref<8xf32>
      %r = math.erf %x : f32
      memref.store %r, %out[%c3] : memref<8xf32>
      %p = math.powf %x, %y : f32
      memref.store %p, %out[%c4] : memref<8xf32>
      %a = math.absf %x : f32
      memref.store %a, %out[%c5] : memref<8xf32>
      %s = math.sqrt %x : f32
      memref.store %s, %out[%c6] : memref<8xf32>
      %f = math.floor %x : f32
      memref.store %f, %out[%c7] : memref<8xf32>
      gpu.return
    }

    // f64 functions are left to libdevice; f64 square roots are not.
    // CHECK-LABEL: gpu.func @f64_math
    // CHECK: math.exp %{{.*}} : f64
    // CHECK: llvm.call_intrinsic "llvm.sqrt.f64"(%{{.*}}) : (f64) -> f64
    gpu.func @f64_math(%x: f64, %out: memref<2xf64>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %e = math.exp %x : f64
      memref.store %e, %out[%c0] : memref<2xf64>
      %s = math.sqrt %x : f64
      memref.store %s, %out[%c1] : memref<2xf64>
      gpu.return
    }
  }
}
