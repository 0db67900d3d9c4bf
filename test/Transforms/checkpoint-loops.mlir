// sluice-checkpoint-loops: the first top-level loop that carries values and
// contains another loop saves what it yields after each iteration and can
// start from a checkpoint.
// RUN: sluice-opt %s -sluice-checkpoint-loops -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @train
// CHECK-SAME: (%[[W0:.*]]: tensor<?x4xf32>, %[[N:.*]]: index)
// Before the loop: the last saved iteration (or -1; past the loop's trip
// count, an error of the runtime), then each initial value, loaded when
// resuming.
// First of all, a checkpoint to resume from is read and checked against the
// loop's 2 carried values, before any other work.
// CHECK-NEXT: %[[STATES:.*]] = arith.constant 2 : i64
// CHECK-NEXT: memref.get_global
// CHECK-NEXT: %[[WHERE:.*]] = memref.extract_aligned_pointer_as_index
// CHECK-NEXT: call @sluice_rt_checkpoint_precheck(%[[STATES]], %[[WHERE]]) : (i64, index) -> ()
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %c0
// CHECK: %[[CEIL:.*]] = arith.ceildivsi %[[SPAN]], %c1
// CHECK: %[[TRIPS:.*]] = arith.maxsi %[[CEIL]], %c0
// CHECK: %[[TRIPS64:.*]] = arith.index_cast %[[TRIPS]] : index to i64
// CHECK: %[[LAST:.*]] = call @sluice_rt_checkpoint_resume(%c2_i64{{.*}}, %[[TRIPS64]], %{{.*}}) : (i64, i64, index) -> i64
// CHECK: %[[RESUMING:.*]] = arith.cmpi sge, %[[LAST]], %c0_i64
// CHECK: %[[W:.*]] = scf.if %[[RESUMING]] -> (tensor<?x4xf32>) {
// CHECK:   tensor.dim %[[W0]]
// CHECK:   %[[BUF:.*]] = memref.alloc(%{{.*}}) : memref<?x4xf32>
// CHECK:   call @sluice_rt_checkpoint_load(%c0_i64{{.*}}, %{{.*}}, %{{.*}}, %c5_i64{{.*}}, %{{.*}})
// CHECK:   %[[LOADED:.*]] = bufferization.to_tensor %[[BUF]] restrict writable
// CHECK:   scf.yield %[[LOADED]]
// CHECK: } else {
// CHECK:   scf.yield %[[W0]]
// CHECK: %[[T:.*]] = scf.if %[[RESUMING]] -> (i64) {
// CHECK:   %[[SLOT:.*]] = memref.alloca() : memref<i64>
// CHECK:   call @sluice_rt_checkpoint_load(%c1_i64{{.*}}, %{{.*}}, %{{.*}}, %c4_i64{{.*}}, %{{.*}})
// CHECK:   memref.load %[[SLOT]][]
// The loop starts after the last saved iteration.
// CHECK: %[[NEXT:.*]] = arith.addi %{{.*}}, %c1
// CHECK: %[[SKIP:.*]] = arith.muli %[[NEXT]], %c1
// CHECK: %[[FROM:.*]] = arith.addi %c0, %[[SKIP]]
// CHECK: %[[LB:.*]] = arith.select %[[RESUMING]], %[[FROM]], %c0
// CHECK: scf.for %[[E:.*]] = %[[LB]] to %[[N]] step %c1 iter_args(%{{.*}} = %[[W]], %{{.*}} = %[[T]])
// After the body: save the yielded values.
// CHECK:   %[[ITER:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:   call @sluice_rt_checkpoint_begin(%[[ITER]])
// CHECK:   bufferization.to_buffer %{{.*}} read_only : tensor<?x4xf32> to memref<?x4xf32>
// CHECK:   call @sluice_rt_checkpoint_add(%c0_i64{{.*}}, %{{.*}}, %{{.*}}, %c5_i64{{.*}})
// CHECK:   memref.store %{{.*}}, %{{.*}}[] : memref<i64>
// CHECK:   call @sluice_rt_checkpoint_add(%c1_i64{{.*}}, %{{.*}}, %{{.*}}, %c4_i64{{.*}})
// CHECK:   call @sluice_rt_checkpoint_commit(%{{.*}})
// CHECK-NEXT: scf.yield
// main declares that checkpoints are available.
// CHECK-LABEL: func.func @main
// CHECK-NEXT: call @sluice_rt_checkpoint_available()
func.func @train(%w0: tensor<?x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %t0 = arith.constant 0 : i64
  %r:2 = scf.for %e = %c0 to %n step %c1 iter_args(%w = %w0, %t = %t0) -> (tensor<?x4xf32>, i64) {
    %inner:2 = scf.for %b = %c0 to %c3 step %c1 iter_args(%wi = %w, %ti = %t) -> (tensor<?x4xf32>, i64) {
      %one = arith.constant 1 : i64
      %next = arith.addi %ti, %one : i64
      scf.yield %wi, %next : tensor<?x4xf32>, i64
    }
    scf.yield %inner#0, %inner#1 : tensor<?x4xf32>, i64
  }
  return %r#0 : tensor<?x4xf32>
}
func.func @main() -> i32 {
  %c0 = arith.constant 0 : i32
  return %c0 : i32
}

// -----

// Not a training loop: no inner loop (one step per iteration), or nothing
// carried. Nothing changes.
// CHECK-LABEL: func.func @steps
// CHECK-NOT: sluice_rt_checkpoint
func.func @steps(%x0: f32, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %x0) -> (f32) {
    %y = arith.addf %x, %x : f32
    scf.yield %y : f32
  }
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %n step %c1 {
    }
  }
  return %r : f32
}
