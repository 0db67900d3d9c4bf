// sluice-overlap-transfers: the next batch's gather runs on its own stream
// into a second buffer while this batch computes.
// RUN: sluice-opt %s -sluice-overlap-transfers -canonicalize -split-input-file | FileCheck %s

func.func private @compute(memref<?x100xf32>)

// CHECK-LABEL: func.func @train
// CHECK-SAME: (%[[T:[^:]*]]: !sluice.table<?x100xf32, host_zero_copy>, %[[ALL:[^:]*]]: memref<?xi64>, %[[N:[^:]*]]: index)
// CHECK: %[[A:.*]] = gpu.alloc host_shared (%[[C64:.*]]) : memref<?x100xf32>
// CHECK: %[[B:.*]] = gpu.alloc host_shared (%[[C64]]) : memref<?x100xf32>
// CHECK: %[[S:.*]] = sluice.stream_create : !sluice.stream
// The first batch, if there is one.
// CHECK: %[[RUNS:.*]] = arith.cmpi sgt, %[[N]], %c0
// CHECK: scf.if %[[RUNS]] {
// CHECK: %[[FIRST:.*]] = memref.subview %[[ALL]][0] [64] [1]
// CHECK: sluice.gather_into on %[[S]] %[[T]][%{{.*}}] into %[[A]] aligned<rotate, 128>
// CHECK: }
// CHECK: scf.for %[[I:.*]] = %c0 to %[[N]] step %c1 iter_args(%[[CUR:.*]] = %[[A]], %[[NEXT:.*]] = %[[B]])
// CHECK: sluice.stream_sync %[[S]]
// CHECK: %[[I1:.*]] = arith.addi %[[I]], %c1
// CHECK: %[[MORE:.*]] = arith.cmpi slt, %[[I1]], %[[N]]
// CHECK: scf.if %[[MORE]] {
// CHECK: %[[OFF:.*]] = arith.muli %[[I1]], %[[C64]]
// CHECK: memref.subview %[[ALL]][%[[OFF]]] [64] [1]
// CHECK: sluice.gather_into on %[[S]] %[[T]][%{{.*}}] into %[[NEXT]] aligned<rotate, 128>
// CHECK: }
// CHECK: func.call @compute(%[[CUR]])
// CHECK: scf.yield %[[NEXT]], %[[CUR]]
// CHECK: sluice.stream_destroy %[[S]]
func.func @train(%t: !sluice.table<?x100xf32, host_zero_copy>, %all: memref<?xi64>, %batches: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %buf = gpu.alloc host_shared (%c64) : memref<?x100xf32>
  scf.for %i = %c0 to %batches step %c1 {
    %off = arith.muli %i, %c64 : index
    %idx = memref.subview %all[%off] [64] [1] : memref<?xi64> to memref<64xi64, strided<[1], offset: ?>>
    %cast = memref.cast %idx : memref<64xi64, strided<[1], offset: ?>> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%cast] into %buf aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x100xf32>
    func.call @compute(%buf) : (memref<?x100xf32>) -> ()
  }
  return
}

// -----

func.func private @compute(memref<?x100xf32>)
func.func private @indices(index) -> memref<?xi64>
func.func private @sample(memref<?xi64>, index)

// Left alone: the indices come from a call (not a pure computation), the
// buffer is made inside the loop, the buffer is read before the gather, a
// staged table is not gathered by the GPU, and the index buffer is written
// in the loop (by a sampler) before the gather reads it.
// CHECK-LABEL: func.func @not_pipelined
// CHECK-NOT: sluice.stream_create
// CHECK-COUNT-5: sluice.gather_into %
func.func @not_pipelined(%t: !sluice.table<?x100xf32, host_zero_copy>, %staged: !sluice.table<?x100xf32, host_staged>,
                         %idx: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %buf = memref.alloc(%c64) : memref<?x100xf32>
  scf.for %i = %c0 to %n step %c1 {
    %called = func.call @indices(%i) : (index) -> memref<?xi64>
    sluice.gather_into %t[%called] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
    func.call @compute(%buf) : (memref<?x100xf32>) -> ()
  }
  scf.for %i = %c0 to %n step %c1 {
    %inner = memref.alloc(%c64) : memref<?x100xf32>
    sluice.gather_into %t[%idx] into %inner : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
    func.call @compute(%inner) : (memref<?x100xf32>) -> ()
  }
  scf.for %i = %c0 to %n step %c1 {
    func.call @compute(%buf) : (memref<?x100xf32>) -> ()
    sluice.gather_into %t[%idx] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    sluice.gather_into %staged[%idx] into %buf : !sluice.table<?x100xf32, host_staged>, memref<?xi64>, memref<?x100xf32>
    func.call @compute(%buf) : (memref<?x100xf32>) -> ()
  }
  scf.for %i = %c0 to %n step %c1 {
    func.call @sample(%idx, %i) : (memref<?xi64>, index) -> ()
    sluice.gather_into %t[%idx] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
    func.call @compute(%buf) : (memref<?x100xf32>) -> ()
  }
  return
}

// -----

func.func private @compute(memref<?x8xf32>)

// A device buffer allocated asynchronously: its twin is too, chained after
// it, and the one wait now waits for the twin (one wait per stream, so the
// stream is released once).
// CHECK-LABEL: func.func @device_buffer
// CHECK: %[[B0:.*]], %[[T0:.*]] = gpu.alloc async [%{{.*}}] (%{{.*}}) : memref<?x8xf32>
// CHECK: %[[B1:.*]], %[[T1:.*]] = gpu.alloc async [%[[T0]]] (%{{.*}}) : memref<?x8xf32>
// CHECK: gpu.wait [%[[T1]]]
// CHECK-NOT: gpu.wait [%[[T0]]]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[B0]], %{{.*}} = %[[B1]])
func.func @device_buffer(%t: !sluice.table<?x8xf32, device>, %idx: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %s0 = gpu.wait async
  %buf, %s1 = gpu.alloc async [%s0] (%c64) : memref<?x8xf32>
  gpu.wait [%s1]
  scf.for %i = %c0 to %n step %c1 {
    sluice.gather_into %t[%idx] into %buf : !sluice.table<?x8xf32, device>, memref<?xi64>, memref<?x8xf32>
    func.call @compute(%buf) : (memref<?x8xf32>) -> ()
  }
  return
}

// -----

func.func private @compute(memref<?x8xf32>)
func.func private @consume(memref<?x8xf32>)

// Freeing the buffer after the loop frees its twin too; reading it after the
// loop (the last batch could be in either buffer) keeps the loop as it is.
// CHECK-LABEL: func.func @after_the_loop
// CHECK: %[[A:.*]] = memref.alloc
// CHECK: %[[B:.*]] = memref.alloc
// CHECK: sluice.stream_create
// CHECK: sluice.stream_destroy
// CHECK: memref.dealloc %[[A]]
// CHECK: memref.dealloc %[[B]]
// CHECK: scf.for
// CHECK-NOT: sluice.stream_create
// CHECK: sluice.gather_into %
// CHECK: call @consume
func.func @after_the_loop(%t: !sluice.table<?x8xf32, device>, %idx: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %buf = memref.alloc(%c64) : memref<?x8xf32>
  scf.for %i = %c0 to %n step %c1 {
    sluice.gather_into %t[%idx] into %buf : !sluice.table<?x8xf32, device>, memref<?xi64>, memref<?x8xf32>
    func.call @compute(%buf) : (memref<?x8xf32>) -> ()
  }
  memref.dealloc %buf : memref<?x8xf32>
  %kept = memref.alloc(%c64) : memref<?x8xf32>
  scf.for %i = %c0 to %n step %c1 {
    sluice.gather_into %t[%idx] into %kept : !sluice.table<?x8xf32, device>, memref<?xi64>, memref<?x8xf32>
  }
  func.call @consume(%kept) : (memref<?x8xf32>) -> ()
  return
}

// -----

func.func private @update(memref<?x8xf32>)
func.func private @compute(memref<?x8xf32>)

// The body updates the table's rows: gathering the next batch early would
// read them before the update.
// CHECK-LABEL: func.func @table_written
// CHECK-NOT: sluice.stream_create
func.func @table_written(%rows: memref<?x8xf32>, %idx: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %t = sluice.make_table %rows : memref<?x8xf32> -> !sluice.table<?x8xf32, host_zero_copy>
  %buf = memref.alloc(%c64) : memref<?x8xf32>
  scf.for %i = %c0 to %n step %c1 {
    sluice.gather_into %t[%idx] into %buf : !sluice.table<?x8xf32, host_zero_copy>, memref<?xi64>, memref<?x8xf32>
    func.call @compute(%buf) : (memref<?x8xf32>) -> ()
    func.call @update(%rows) : (memref<?x8xf32>) -> ()
  }
  return
}

// -----

func.func private @compute(memref<?x8xf32>)

// Device memory freed with gpu.dealloc after the loop: the twin is freed the
// same way (asynchronously, then waited for), and the loop is pipelined.
// CHECK-LABEL: func.func @device_buffer_freed
// CHECK: %[[A:.*]], %{{.*}} = gpu.alloc async
// CHECK: %[[B:.*]], %{{.*}} = gpu.alloc async
// CHECK: sluice.stream_create
// CHECK: sluice.stream_destroy
// CHECK: %[[W:.*]] = gpu.wait async
// CHECK: gpu.dealloc async [%[[W]]] %[[A]]
// CHECK: %[[T:.*]] = gpu.dealloc async [%[[W]]] %[[B]]
// CHECK: gpu.wait [%[[T]]]
func.func @device_buffer_freed(%t: !sluice.table<?x8xf32, host_zero_copy>, %idx: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %s0 = gpu.wait async
  %buf, %s1 = gpu.alloc async [%s0] (%c64) : memref<?x8xf32>
  gpu.wait [%s1]
  scf.for %i = %c0 to %n step %c1 {
    sluice.gather_into %t[%idx] into %buf : !sluice.table<?x8xf32, host_zero_copy>, memref<?xi64>, memref<?x8xf32>
    func.call @compute(%buf) : (memref<?x8xf32>) -> ()
  }
  %w = gpu.wait async
  %f = gpu.dealloc async [%w] %buf : memref<?x8xf32>
  gpu.wait [%f]
  return
}
