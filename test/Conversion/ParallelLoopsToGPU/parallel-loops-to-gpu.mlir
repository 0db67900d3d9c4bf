// sluice-convert-parallel-loops-to-gpu: outermost scf.parallel loops become
// grid-stride kernels over the flattened iteration space.
// RUN: sluice-opt %s -sluice-convert-parallel-loops-to-gpu -split-input-file | FileCheck %s
// RUN: sluice-opt %s -sluice-convert-parallel-loops-to-gpu="block-size=128 max-blocks=1024" -split-input-file | FileCheck %s --check-prefix=SIZED

// Trip counts (none when negative) multiply into the number of positions;
// ceil(positions / 256) blocks, at most 65535 and at least one; thread t
// runs t, t + 256 G, ... and splits each position into (i, j), j fastest.
// CHECK-LABEL: func.func @scale
// CHECK-SAME: (%[[A:.*]]: memref<?x?xf32>, %[[B:.*]]: memref<?x?xf32>, %[[S:.*]]: f32, %[[M:.*]]: index, %[[N:.*]]: index)
// CHECK: %[[TM:.*]] = arith.ceildivsi %{{.*}}, %c1
// CHECK: %[[ROWS:.*]] = arith.maxsi %[[TM]], %c0
// CHECK: %[[P0:.*]] = arith.muli %c1{{.*}}, %[[ROWS]]
// CHECK: %[[TN:.*]] = arith.ceildivsi %{{.*}}, %c1
// CHECK: %[[COLS:.*]] = arith.maxsi %[[TN]], %c0
// CHECK: %[[TOTAL:.*]] = arith.muli %[[P0]], %[[COLS]]
// CHECK: %[[NEED:.*]] = arith.ceildivsi %[[TOTAL]], %c256
// CHECK: %[[CAPPED:.*]] = arith.minsi %[[NEED]], %c65535
// CHECK: %[[BLOCKS:.*]] = arith.maxsi %[[CAPPED]], %c1
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%[[GX:.*]] = %[[BLOCKS]], %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
// CHECK:   %[[BASE:.*]] = arith.muli %[[BX]], %c256
// CHECK:   %[[FIRST:.*]] = arith.addi %[[BASE]], %[[TX]]
// CHECK:   %[[STRIDE:.*]] = arith.muli %[[GX]], %c256
// CHECK:   scf.for %[[K:.*]] = %[[FIRST]] to %[[TOTAL]] step %[[STRIDE]] {
// CHECK:     %[[COL:.*]] = arith.remsi %[[K]], %[[COLS]]
// CHECK:     %[[ROW:.*]] = arith.divsi %[[K]], %[[COLS]]
// CHECK:     %[[J:.*]] = arith.addi %c0{{.*}}, %{{.*}}
// CHECK:     %[[I:.*]] = arith.addi %c0{{.*}}, %{{.*}}
// CHECK:     %[[X:.*]] = memref.load %[[A]][%[[I]], %[[J]]]
// CHECK:     %[[Y:.*]] = arith.mulf %[[X]], %[[S]]
// CHECK:     memref.store %[[Y]], %[[B]][%[[I]], %[[J]]]
// CHECK:   }
// CHECK:   gpu.terminator
// CHECK-NOT: scf.parallel
// SIZED-LABEL: func.func @scale
// SIZED: arith.ceildivsi %{{.*}}, %c128
// SIZED: arith.minsi %{{.*}}, %c1024
// SIZED: gpu.launch {{.*}} threads({{.*}}) in (%{{.*}} = %c128,
func.func @scale(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %s: f32, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<?x?xf32>
    %y = arith.mulf %x, %s : f32
    memref.store %y, %b[%i, %j] : memref<?x?xf32>
    scf.reduce
  }
  return
}

// -----

// One dimension needs no split; a step other than one scales the position;
// a reduction and a parallel loop nested in the body run inside the thread.
// CHECK-LABEL: func.func @rows
// CHECK: gpu.launch
// CHECK:   scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NOT: arith.remsi
// CHECK:     %[[SCALED:.*]] = arith.muli %[[K]], %c2
// CHECK:     %[[I:.*]] = arith.addi %c0{{.*}}, %[[SCALED]]
// CHECK:     scf.for
// CHECK:     scf.parallel
// CHECK:   gpu.terminator
func.func @rows(%a: memref<?x8xf32>, %out: memref<?xf32>, %m: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%m) step (%c2) {
    %sum = scf.for %j = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> f32 {
      %x = memref.load %a[%i, %j] : memref<?x8xf32>
      %s = arith.addf %acc, %x : f32
      scf.yield %s : f32
    }
    memref.store %sum, %out[%i] : memref<?xf32>
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      memref.store %zero, %a[%i, %j] : memref<?x8xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// Loops that call a function other than a run-time check's report, or
// allocate, stay on the host.
// CHECK-LABEL: func.func @host
// CHECK-NOT: gpu.launch
// CHECK: scf.parallel
// CHECK:   call @check
// CHECK: scf.parallel
// CHECK:   memref.alloca
func.func private @check(index)
func.func @host(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    func.call @check(%i) : (index) -> ()
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %t = memref.alloca() : memref<f32>
    %x = memref.load %t[] : memref<f32>
    memref.store %x, %a[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// -----

// A loop whose only calls report failed run-time checks runs as a kernel: a
// failing thread records the report in the runtime's kernel error slot (the
// first by compare-and-swap of word 0 from 0 to the report's kind, then the
// arguments in words 1-4), what follows each check runs only where it
// passed (a bad label is never read), the message strings' addresses are
// taken on the host, and the host checks the slot right after the kernel.
// CHECK-LABEL: func.func @checked
// CHECK-SAME: (%[[X:[^:]*]]: memref<?x3xf32>, %[[LABELS:[^:]*]]: memref<?xi64>, %[[OUT:[^:]*]]: memref<?xf32>, %[[N:[^:]*]]: index)
// CHECK: %[[SLOT:.*]] = call @sluice_rt_kernel_error_slot() : () -> index
// CHECK: %[[WHERE:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<6xi8> -> index
// CHECK: gpu.launch
// CHECK: %[[LABEL:.*]] = memref.load %[[LABELS]]
// CHECK: %[[BAD:.*]] = arith.ori
// CHECK: scf.if %[[BAD]] {
// CHECK: %[[SLOT64:.*]] = arith.index_cast %[[SLOT]] : index to i64
// CHECK: %[[WORDS:.*]] = llvm.inttoptr %[[SLOT64]] : i64 to !llvm.ptr
// CHECK: %[[NONE:.*]] = arith.constant 0 : i64
// CHECK: %[[KIND:.*]] = arith.constant 1 : i64
// CHECK: %[[SWAP:.*]] = llvm.cmpxchg %[[WORDS]], %[[NONE]], %[[KIND]] monotonic monotonic : !llvm.ptr, i64
// CHECK: %[[WON:.*]] = llvm.extractvalue %[[SWAP]][1]
// CHECK: scf.if %[[WON]] {
// CHECK: %[[W1:.*]] = llvm.getelementptr %[[WORDS]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[WHERE64:.*]] = arith.index_cast %[[WHERE]] : index to i64
// CHECK: llvm.store %[[WHERE64]], %[[W1]] {alignment = 8 : i64} : i64, !llvm.ptr
// CHECK: %[[W2:.*]] = llvm.getelementptr %[[WORDS]][2]
// CHECK: llvm.store %[[LABEL]], %[[W2]]
// CHECK: %[[W3:.*]] = llvm.getelementptr %[[WORDS]][3]
// CHECK: llvm.store %c3_i64, %[[W3]]
// CHECK: } else {
// CHECK: %[[COL:.*]] = arith.index_cast %[[LABEL]] : i64 to index
// CHECK: memref.load %[[X]][%{{.*}}, %[[COL]]]
// CHECK: memref.store
// CHECK: }
// CHECK: gpu.terminator
// CHECK: call @sluice_rt_check_kernel_errors() : () -> ()
// CHECK-NOT: call @sluice_rt_label_error
memref.global "private" constant @where : memref<6xi8> = dense<[116, 46, 115, 108, 58, 0]>
func.func private @sluice_rt_label_error(index, i64, i64)
func.func @checked(%x: memref<?x3xf32>, %labels: memref<?xi64>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %three = arith.constant 3 : i64
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %label = memref.load %labels[%i] : memref<?xi64>
    %below = arith.cmpi slt, %label, %zero : i64
    %above = arith.cmpi sge, %label, %three : i64
    %bad = arith.ori %below, %above : i1
    scf.if %bad {
      %g = memref.get_global @where : memref<6xi8>
      %p = memref.extract_aligned_pointer_as_index %g : memref<6xi8> -> index
      func.call @sluice_rt_label_error(%p, %label, %three) : (index, i64, i64) -> ()
    }
    %col = arith.index_cast %label : i64 to index
    %v = memref.load %x[%i, %col] : memref<?x3xf32>
    memref.store %v, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return
}
