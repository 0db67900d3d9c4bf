// sluice-convert-parallel-loops-to-runtime: outermost scf.parallel loops
// become a body function over a chunk of iterations and a call that runs the
// chunks on the runtime's thread pool.
// RUN: sluice-opt %s -sluice-convert-parallel-loops-to-runtime -split-input-file | FileCheck %s
// The context's unrealized casts meet their inverses once lowered to LLVM.
// RUN: sluice-opt %s -sluice-convert-parallel-loops-to-runtime -split-input-file \
// RUN:   -convert-scf-to-cf -expand-strided-metadata -finalize-memref-to-llvm \
// RUN:   -convert-arith-to-llvm -convert-cf-to-llvm -convert-func-to-llvm \
// RUN:   -reconcile-unrealized-casts | FileCheck %s --check-prefix=LLVM

// The body reads every non-constant value it uses (bounds included) from
// the context, copies the constants, and runs the loop with its first
// dimension restricted to [begin, end). The caller stores the values in a
// context allocated in its entry block and passes the trip count of the
// split dimension and the cost of one iteration: 3 operations times the
// inner dimension's trip count.
// CHECK-LABEL: func.func private @scale_parallel
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[CTX]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(i64, i64, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, f32, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>)>
// CHECK: %[[M64:.*]] = llvm.load %[[P0]] : !llvm.ptr -> i64
// CHECK: %[[M:.*]] = arith.index_cast %[[M64]] : i64 to index
// CHECK: %[[N64:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[N:.*]] = arith.index_cast %[[N64]] : i64 to index
// CHECK: %[[AD:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK: %[[A:.*]] = builtin.unrealized_conversion_cast %[[AD]] : {{.*}} to memref<?x?xf32>
// CHECK: %[[S:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: %[[B:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<?x?xf32>
// CHECK: %[[FIRST:.*]] = arith.addi %[[C0]], %{{.*}} : index
// CHECK: %[[UP:.*]] = arith.addi %[[C0]], %{{.*}} : index
// CHECK: %[[LAST:.*]] = arith.minsi %[[M]], %[[UP]] : index
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%[[FIRST]], %[[C0]]) to (%[[LAST]], %[[N]]) step (%[[C1]], %[[C1]])
// CHECK:   memref.load %[[A]][%[[I]], %[[J]]]
// CHECK:   arith.mulf %{{.*}}, %[[S]] : f32
// CHECK:   memref.store %{{.*}}, %[[B]][%[[I]], %[[J]]]
// CHECK: return
// CHECK-LABEL: func.func @scale
// CHECK-SAME: (%[[A:.*]]: memref<?x?xf32>, %[[B:.*]]: memref<?x?xf32>, %[[S:.*]]: f32)
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: %[[CONTEXT:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(i64, i64, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, f32, struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>)>
// CHECK: %[[M:.*]] = memref.dim %[[A]], %c0
// CHECK: %[[N:.*]] = memref.dim %[[A]], %c1
// CHECK: %[[M64:.*]] = arith.index_cast %[[M]] : index to i64
// CHECK: llvm.store %[[M64]]
// CHECK: %[[N64:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: llvm.store %[[N64]]
// CHECK: %[[AD:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<?x?xf32> to !llvm.struct
// CHECK: llvm.store %[[AD]]
// CHECK: llvm.store %[[S]], %{{.*}} : f32, !llvm.ptr
// CHECK: %[[COUNT:.*]] = arith.ceildivsi %{{.*}}, %c1 : index
// CHECK: %[[INNER:.*]] = arith.ceildivsi %{{.*}}, %c1 : index
// CHECK: %[[NONNEG:.*]] = arith.maxsi %[[INNER]], %{{.*}} : index
// CHECK: %[[TRIPS:.*]] = arith.muli %{{.*}}, %[[NONNEG]] : index
// CHECK: %[[COST:.*]] = arith.muli %[[TRIPS]], %c3 : index
// CHECK: %[[BODY:.*]] = constant @scale_parallel : (!llvm.ptr, index, index) -> ()
// CHECK: call @sluice_rt_parallel_for(%[[COUNT]], %[[COST]], %[[BODY]], %[[CONTEXT]]) : (index, index, (!llvm.ptr, index, index) -> (), !llvm.ptr) -> ()
// CHECK-NOT: scf.parallel
// CHECK: return
// LLVM-LABEL: llvm.func @scale_parallel(
// LLVM-NOT: unrealized_conversion_cast
// LLVM-LABEL: llvm.func @scale(
// LLVM: %[[BODY:.*]] = llvm.mlir.addressof @scale_parallel : !llvm.ptr
// LLVM: llvm.call @sluice_rt_parallel_for(%{{.*}}, %{{.*}}, %[[BODY]], %{{.*}}) : (i64, i64, !llvm.ptr, !llvm.ptr) -> ()
func.func @scale(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %a, %c0 : memref<?x?xf32>
  %n = memref.dim %a, %c1 : memref<?x?xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<?x?xf32>
    %y = arith.mulf %x, %s : f32
    memref.store %y, %b[%i, %j] : memref<?x?xf32>
    scf.reduce
  }
  return
}

// -----

// Inside a loop, the context still lives in the entry block (an alloca in
// the loop would take stack on every iteration). A reduction nested in the
// body whose bounds are known outside counts in the cost (its trip count
// times the body's 4 operations); the dimension split is the first that is
// not a single iteration, here the second.
// CHECK-LABEL: func.func private @rows_parallel
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %[[FIRST:.*]]) to (%c1, %[[LAST:.*]]) step (%c1, %c1)
// CHECK:   scf.for
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[A:.*]]: memref<1x?x?xf32>, %[[OUT:.*]]: memref<1x?xf32>, %[[STEPS:.*]]: index)
// CHECK-NEXT: %{{.*}} = arith.constant 1 : i64
// CHECK-NEXT: %[[CONTEXT:.*]] = llvm.alloca
// CHECK: scf.for
// CHECK:   %[[K:.*]] = memref.dim %[[A]], %c2
// CHECK:   %[[COUNT:.*]] = arith.ceildivsi
// CHECK:   %[[REDUCE:.*]] = arith.ceildivsi %{{.*}}, %c1
// CHECK:   %[[NONNEG:.*]] = arith.maxsi %[[REDUCE]], %c0
// CHECK:   %[[TRIPS:.*]] = arith.muli %c1{{.*}}, %[[NONNEG]]
// CHECK:   %[[COST:.*]] = arith.muli %[[TRIPS]], %c4
// CHECK:   call @sluice_rt_parallel_for(%[[COUNT]], %[[COST]], %{{.*}}, %[[CONTEXT]])
func.func @rows(%a: memref<1x?x?xf32>, %out: memref<1x?xf32>, %steps: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  scf.for %t = %c0 to %steps step %c1 {
    %n = memref.dim %a, %c1 : memref<1x?x?xf32>
    %k = memref.dim %a, %c2 : memref<1x?x?xf32>
    scf.parallel (%b, %i) = (%c0, %c0) to (%c1, %n) step (%c1, %c1) {
      %sum = scf.for %j = %c0 to %k step %c1 iter_args(%acc = %zero) -> f32 {
        %x = memref.load %a[%b, %i, %j] : memref<1x?x?xf32>
        %s = arith.addf %acc, %x : f32
        scf.yield %s : f32
      }
      memref.store %sum, %out[%b, %i] : memref<1x?xf32>
      scf.reduce
    }
  }
  return
}

// -----

// Only the outermost loop is outlined; the inner one runs inside the body.
// CHECK-LABEL: func.func private @nested_parallel
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK-LABEL: func.func @nested
// CHECK: call @sluice_rt_parallel_for
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @nested(%a: memref<?x?xf32>, %m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%m) step (%c1) {
    scf.parallel (%j) = (%c0) to (%n) step (%c1) {
      memref.store %zero, %a[%i, %j] : memref<?x?xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// Left as they are: a loop of one iteration, a loop with reductions of its
// own, a loop that uses a value the context cannot carry (a vector), and a
// loop in a GPU kernel.
// CHECK-LABEL: func.func @untouched
// CHECK-NOT: call @sluice_rt_parallel_for
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c1) step (%c1)
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%{{.*}}) step (%c1) init
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%{{.*}}) step (%c1) {
// CHECK:   vector.extract
// CHECK: gpu.launch
// CHECK:   scf.parallel
// CHECK-NOT: func.func private @untouched_parallel
func.func @untouched(%a: memref<?xf32>, %n: index, %v: vector<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    memref.store %zero, %a[%i] : memref<?xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    %x = memref.load %a[%i] : memref<?xf32>
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %x = vector.extract %v[0] : f32 from vector<4xf32>
    memref.store %x, %a[%i] : memref<?xf32>
    scf.reduce
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    scf.parallel (%i) = (%c0) to (%n) step (%c1) {
      memref.store %zero, %a[%i] : memref<?xf32>
      scf.reduce
    }
    gpu.terminator
  }
  return %sum : f32
}
