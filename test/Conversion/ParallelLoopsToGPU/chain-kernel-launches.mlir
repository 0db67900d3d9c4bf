// sluice-chain-kernel-launches: runs of synchronous launches with no host
// memory access between them go on one stream and wait once.
// RUN: sluice-opt %s -sluice-chain-kernel-launches -split-input-file | FileCheck %s

// Index arithmetic, allocation and deallocation do not end a run; a load,
// a call and the terminator do, each after a wait.
// CHECK-LABEL: func.func @runs
// CHECK: %[[S0:.*]] = gpu.wait async
// CHECK: %[[K1:.*]] = gpu.launch async [%[[S0]]]
// CHECK: arith.muli
// CHECK: memref.alloc
// CHECK: memref.dealloc
// CHECK: %[[K2:.*]] = gpu.launch async [%[[K1]]]
// CHECK: gpu.wait [%[[K2]]]
// CHECK-NEXT: memref.load
// CHECK: %[[S1:.*]] = gpu.wait async
// CHECK: %[[K3:.*]] = gpu.launch async [%[[S1]]]
// CHECK: gpu.wait [%[[K3]]]
// CHECK-NEXT: call @host
// CHECK: %[[S2:.*]] = gpu.wait async
// CHECK: %[[K4:.*]] = gpu.launch async [%[[S2]]]
// CHECK: gpu.wait [%[[K4]]]
// CHECK-NEXT: return
func.func private @host()
func.func @runs(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %zero, %a[%tx] : memref<?xf32>
    gpu.terminator
  }
  %m = arith.muli %n, %n : index
  %t = memref.alloc(%m) : memref<?xf32>
  memref.dealloc %t : memref<?xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %zero, %a[%bx] : memref<?xf32>
    gpu.terminator
  }
  %x = memref.load %a[%c0] : memref<?xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %x, %a[%bx] : memref<?xf32>
    gpu.terminator
  }
  func.call @host() : () -> ()
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %x, %a[%bx] : memref<?xf32>
    gpu.terminator
  }
  return %x : f32
}

// -----

// A loop ends the run before it; its body chains on its own and waits
// before its terminator. A launch that is already asynchronous is left as
// it is (after a wait for the run before it).
// CHECK-LABEL: func.func @loop
// CHECK: %[[S0:.*]] = gpu.wait async
// CHECK: %[[K0:.*]] = gpu.launch async [%[[S0]]]
// CHECK: gpu.wait [%[[K0]]]
// CHECK-NEXT: scf.for
// CHECK:   %[[S1:.*]] = gpu.wait async
// CHECK:   %[[K1:.*]] = gpu.launch async [%[[S1]]]
// CHECK:   %[[K2:.*]] = gpu.launch async [%[[K1]]]
// CHECK:   gpu.wait [%[[K2]]]
// CHECK-NEXT: }
// CHECK: %[[MINE:.*]] = gpu.wait async
// CHECK-NEXT: %[[ASYNC:.*]] = gpu.launch async [%[[MINE]]]
// CHECK: gpu.wait [%[[ASYNC]]]
// CHECK-NOT: gpu.wait
// CHECK: return
func.func @loop(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %zero, %a[%tx] : memref<?xf32>
    gpu.terminator
  }
  scf.for %i = %c0 to %n step %c1 {
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
      memref.store %zero, %a[%i] : memref<?xf32>
      gpu.terminator
    }
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
      memref.store %zero, %a[%i] : memref<?xf32>
      gpu.terminator
    }
  }
  %mine = gpu.wait async
  %done = gpu.launch async [%mine] blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %zero, %a[%tx] : memref<?xf32>
    gpu.terminator
  }
  gpu.wait [%done]
  return
}
