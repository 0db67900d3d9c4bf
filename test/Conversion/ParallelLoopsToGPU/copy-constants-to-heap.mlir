// sluice-copy-constants-to-heap: a constant buffer a kernel reads is copied
// into an allocated one on entry and freed before each return; constants
// only the host reads stay.
// RUN: sluice-opt %s -sluice-copy-constants-to-heap | FileCheck %s

memref.global "private" constant @weights : memref<3xf32> = dense<[1.0, 2.0, 3.0]>

// CHECK-LABEL: func.func @f
// CHECK-NEXT: %[[HOST:.*]] = memref.get_global @weights : memref<3xf32>
// CHECK-NEXT: %[[COPY:.*]] = memref.alloc() : memref<3xf32>
// CHECK-NEXT: memref.copy %[[HOST]], %[[COPY]] : memref<3xf32> to memref<3xf32>
// CHECK: scf.for
// CHECK:   gpu.launch
// CHECK:     memref.load %[[COPY]]
// CHECK-NOT: memref.get_global
// CHECK: cf.cond_br
// CHECK: ^bb1:
// CHECK-NEXT: memref.dealloc %[[COPY]]
// CHECK-NEXT: return
// CHECK: ^bb2:
// CHECK-NEXT: memref.dealloc %[[COPY]]
// CHECK-NEXT: return
func.func @f(%n: index, %out: memref<?xf32>, %early: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %w = memref.get_global @weights : memref<3xf32>
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
      %x = memref.load %w[%c1] : memref<3xf32>
      memref.store %x, %out[%i] : memref<?xf32>
      gpu.terminator
    }
  }
  cf.cond_br %early, ^bb1, ^bb2
^bb1:
  return
^bb2:
  return
}

// Constants only the host reads (through a view, too) are left alone.
// CHECK-LABEL: func.func @host_only
// CHECK-NOT: memref.alloc
// CHECK: memref.get_global @weights
// CHECK-NOT: memref.alloc
// CHECK: return
func.func @host_only(%out: memref<f32>) {
  %c1 = arith.constant 1 : index
  %w = memref.get_global @weights : memref<3xf32>
  %v = memref.subview %w[1] [2] [1] : memref<3xf32> to memref<2xf32, strided<[1], offset: 1>>
  %x = memref.load %v[%c1] : memref<2xf32, strided<[1], offset: 1>>
  memref.store %x, %out[] : memref<f32>
  return
}

// A view that a kernel reads makes the constant a kernel's.
// CHECK-LABEL: func.func @through_view
// CHECK-NEXT: %[[HOST:.*]] = memref.get_global @weights
// CHECK-NEXT: %[[COPY:.*]] = memref.alloc()
// CHECK-NEXT: memref.copy %[[HOST]], %[[COPY]]
// CHECK: memref.subview %[[COPY]]
func.func @through_view(%out: memref<f32>) {
  %c1 = arith.constant 1 : index
  %w = memref.get_global @weights : memref<3xf32>
  %v = memref.subview %w[1] [2] [1] : memref<3xf32> to memref<2xf32, strided<[1], offset: 1>>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %x = memref.load %v[%c1] : memref<2xf32, strided<[1], offset: 1>>
    memref.store %x, %out[] : memref<f32>
    gpu.terminator
  }
  return
}

// A constant that reaches a kernel only through structured control flow:
// the initial state on one branch (as an optimizer's zeros when not
// resuming), then a loop's iteration argument. It is copied as well; it
// was a kernel reading the host's data section (an illegal address on the
// GPU) before.
memref.global "private" constant @zeros : memref<4xf32> = dense<0.0>

// CHECK-LABEL: func.func @through_control_flow
// CHECK-NEXT: %[[HOST:.*]] = memref.get_global @zeros : memref<4xf32>
// CHECK-NEXT: %[[COPY:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT: memref.copy %[[HOST]], %[[COPY]]
// CHECK: scf.if
// CHECK: } else {
// CHECK-NEXT: scf.yield %[[COPY]]
// CHECK: scf.for
// CHECK: gpu.launch
// CHECK: memref.dealloc %[[COPY]]
// CHECK-NEXT: return
func.func @through_control_flow(%resume: i1, %saved: memref<4xf32>, %out: memref<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zeros = memref.get_global @zeros : memref<4xf32>
  %init = scf.if %resume -> memref<4xf32> {
    scf.yield %saved : memref<4xf32>
  } else {
    scf.yield %zeros : memref<4xf32>
  }
  %last = scf.for %i = %c0 to %n step %c1 iter_args(%state = %init) -> memref<4xf32> {
    gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
      %v0 = memref.load %state[%c0] : memref<4xf32>
      memref.store %v0, %out[%c0] : memref<4xf32>
      gpu.terminator
    }
    scf.yield %out : memref<4xf32>
  }
  return
}
