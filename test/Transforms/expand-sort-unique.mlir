// sluice-expand-sort-unique: sort_unique_into becomes a rank table built by
// parallel loops where the ids are dense, the runtime's sort where not.
// Its results, against the runtime's sort: test/Execution/sort-unique-cpu.mlir.
// RUN: sluice-opt %s -sluice-expand-sort-unique | FileCheck %s
// RUN: sluice-opt %s "-sluice-expand-sort-unique=dense-range=8 gpu-scratch=1" | FileCheck %s --check-prefix=GPU
// RUN: not sluice-opt %s "-sluice-expand-sort-unique=dense-range=0" 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: error: sluice-expand-sort-unique: dense-range must be at least 1, got 0

// CHECK-LABEL: func.func @sort
// CHECK-SAME: (%[[IDX:.*]]: memref<?xi64>, %[[U:.*]]: memref<?xi64>, %[[INV:.*]]: memref<?xindex>)
// CHECK: %[[N:.*]] = memref.dim %[[IDX]]
// The largest id, unsigned (a negative id is huge), in a one-element cell:
// each iteration takes the maximum of 64 ids, then one atomic.
// CHECK: %[[CELL:.*]] = memref.alloc(%{{.*}}) : memref<?xi64>
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[RUNS:.*]] = arith.ceildivui %[[N]], %[[C64]]
// CHECK: scf.parallel (%[[R:.*]]) = (%{{.*}}) to (%[[RUNS]])
// CHECK: %[[FIRST:.*]] = arith.muli %[[R]], %[[C64]]
// CHECK: %[[LAST:.*]] = arith.addi %[[FIRST]], %[[C64]]
// CHECK: %[[END:.*]] = arith.minui %[[LAST]], %[[N]]
// CHECK: %[[RUNMAX:.*]] = scf.for %[[I:.*]] = %[[FIRST]] to %[[END]] {{.*}} -> (i64)
// CHECK: %[[V:.*]] = memref.load %[[IDX]][%[[I]]]
// CHECK: arith.maxui %{{.*}}, %[[V]]
// CHECK: memref.atomic_rmw maxu %[[RUNMAX]], %[[CELL]]
// CHECK: %[[MAX:.*]] = memref.load %[[CELL]]
// CHECK: memref.dealloc %[[CELL]]
// Dense while the largest is below 32 times the count (and ranks fit i32).
// CHECK: %[[N64:.*]] = arith.index_castui %[[N]] : index to i64
// CHECK: %[[C32:.*]] = arith.constant 32 : i64
// CHECK: %[[LIMIT:.*]] = arith.muli %[[N64]], %[[C32]]
// CHECK: %[[FITS:.*]] = arith.cmpi ult, %[[N64]], %{{.*}} : i64
// CHECK: %[[BELOW:.*]] = arith.cmpi ult, %[[MAX]], %[[LIMIT]]
// CHECK: %[[DENSE:.*]] = arith.andi %[[BELOW]], %[[FITS]]
// CHECK: %[[COUNT:.*]] = scf.if %[[DENSE]] -> (index) {
// One rank per value up to the largest: cleared, then marked.
// CHECK: %[[RANKS:.*]] = memref.alloc(%[[ROWS:.*]]) : memref<?xi32>
// CHECK: scf.parallel ({{.*}}) to (%[[ROWS]])
// CHECK: memref.store %c0_i32, %[[RANKS]]
// CHECK: scf.parallel ({{.*}}) to (%[[N]])
// CHECK: memref.store %c1_i32, %[[RANKS]]
// About sqrt(rows) chunks: their sums, the sums before each, then ranks.
// CHECK: math.sqrt
// CHECK: %[[CHUNKS:.*]] = arith.ceildivui %[[ROWS]]
// CHECK: %[[SUMS:.*]] = memref.alloc(%[[CHUNKS]]) : memref<?xi64>
// CHECK: scf.parallel ({{.*}}) to (%[[CHUNKS]])
// CHECK: scf.for
// CHECK: memref.load %[[RANKS]]
// CHECK: %[[OFFSETS:.*]] = memref.alloc(%[[CHUNKS]]) : memref<?xi64>
// CHECK: scf.parallel (%[[C:.*]]) = ({{.*}}) to (%[[CHUNKS]])
// CHECK: scf.for {{.*}} to %[[C]]
// CHECK: memref.load %[[SUMS]]
// CHECK: scf.parallel ({{.*}}) to (%[[CHUNKS]])
// CHECK: memref.load %[[OFFSETS]]
// CHECK: scf.for
// CHECK: %[[MARK:.*]] = memref.load %[[RANKS]]
// CHECK: %[[PRESENT:.*]] = arith.cmpi ne, %[[MARK]]
// CHECK: scf.if %[[PRESENT]] {
// CHECK: memref.store %{{.*}}, %[[RANKS]]
// CHECK: memref.store %{{.*}}, %[[U]]
// Each id's rank is its inverse.
// CHECK: scf.parallel ({{.*}}) to (%[[N]])
// CHECK: %[[RANK:.*]] = memref.load %[[RANKS]]
// CHECK: %[[R:.*]] = arith.index_castui %[[RANK]] : i32 to index
// CHECK: memref.store %[[R]], %[[INV]]
// CHECK: memref.dealloc %[[RANKS]]
// CHECK: } else {
// CHECK: %[[SPARSE:.*]] = sluice.sort_unique_into %[[IDX]] into %[[U]], %[[INV]]
// CHECK: scf.yield %[[SPARSE]]
// CHECK: return %[[COUNT]]

// GPU-LABEL: func.func @sort
// GPU: gpu.alloc host_shared
// GPU: arith.constant 8 : i64
// GPU: gpu.alloc host_shared (%{{.*}}) : memref<?xi32>
// GPU: gpu.dealloc
// GPU-NOT: memref.alloc
// GPU: sluice.sort_unique_into
func.func @sort(%idx: memref<?xi64>, %u: memref<?xi64>, %inv: memref<?xindex>) -> index {
  %n = sluice.sort_unique_into %idx into %u, %inv : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
  return %n : index
}

// Index-typed ids and unique values: cast to i64 for the maximum, back to
// index for `unique`.
// CHECK-LABEL: func.func @index_ids
// CHECK: %[[V:.*]] = memref.load %{{.*}} : memref<?xindex>
// CHECK: %[[V64:.*]] = arith.index_castui %[[V]] : index to i64
// CHECK: arith.maxui %{{.*}}, %[[V64]]
// CHECK: memref.atomic_rmw maxu
// CHECK: scf.if
// CHECK: memref.store %{{.*}} : memref<?xindex>
func.func @index_ids(%idx: memref<?xindex>, %u: memref<?xindex>, %inv: memref<?xindex>) -> index {
  %n = sluice.sort_unique_into %idx into %u, %inv : memref<?xindex>, memref<?xindex>, memref<?xindex> -> index
  return %n : index
}

// A strided buffer is not expanded (its lowering reports it).
// CHECK-LABEL: func.func @strided
// CHECK-NOT: scf.parallel
// CHECK: sluice.sort_unique_into
// CHECK-NOT: scf.if
func.func @strided(%idx: memref<?xi64, strided<[2]>>, %u: memref<?xi64>, %inv: memref<?xindex>) -> index {
  %n = sluice.sort_unique_into %idx into %u, %inv : memref<?xi64, strided<[2]>>, memref<?xi64>, memref<?xindex> -> index
  return %n : index
}
