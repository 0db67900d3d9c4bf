// sluice-copy-constants-to-heap: a constant buffer a kernel may read is
// copied into an allocated one on entry and freed before each return.
// RUN: sluice-opt %s -sluice-copy-constants-to-heap | FileCheck %s

memref.global "private" constant @weights : memref<3xf32> = dense<[1.0, 2.0, 3.0]>

// CHECK-LABEL: func.func @f
// CHECK-NEXT: %[[HOST:.*]] = memref.get_global @weights : memref<3xf32>
// CHECK-NEXT: %[[COPY:.*]] = memref.alloc() : memref<3xf32>
// CHECK-NEXT: memref.copy %[[HOST]], %[[COPY]] : memref<3xf32> to memref<3xf32>
// CHECK: scf.for
// CHECK:   memref.load %[[COPY]]
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
    %x = memref.load %w[%c1] : memref<3xf32>
    memref.store %x, %out[%i] : memref<?xf32>
  }
  cf.cond_br %early, ^bb1, ^bb2
^bb1:
  return
^bb2:
  return
}

// A function without constants is left alone.
// CHECK-LABEL: func.func @none
// CHECK-NOT: memref.alloc
// CHECK: return
func.func @none() {
  return
}
