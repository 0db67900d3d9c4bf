// sluice-expand-sort-unique: sort_unique_into becomes a bitmap built by
// parallel loops where the ids are dense, the runtime's sort where not.
// Its results, against the runtime's sort: test/Execution/sort-unique-cpu.mlir.
// RUN: sluice-opt %s -sluice-expand-sort-unique | FileCheck %s
// RUN: sluice-opt %s "-sluice-expand-sort-unique=dense-range=8 gpu-scratch=1" | FileCheck %s --check-prefix=GPU
// RUN: not sluice-opt %s "-sluice-expand-sort-unique=dense-range=0" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not sluice-opt %s "-sluice-expand-sort-unique=dense-range=4097" 2>&1 | FileCheck %s --check-prefix=RANGE-BIG
// RANGE: error: sluice-expand-sort-unique: dense-range must be from 1 to 4096, got 0
// RANGE-BIG: error: sluice-expand-sort-unique: dense-range must be from 1 to 4096, got 4097

// CHECK-LABEL: func.func @sort
// CHECK-SAME: (%[[IDX:.*]]: memref<?xi64>, %[[U:.*]]: memref<?xi64>, %[[INV:.*]]: memref<?xindex>)
// CHECK: %[[N:.*]] = memref.dim %[[IDX]]
// The largest id, unsigned (a negative id is huge), in a one-element cell:
// each of ceil(n / 64) iterations takes the maximum of every ceil(n / 64)-th
// id from its own, then one atomic.
// CHECK: %[[CELL:.*]] = memref.alloc(%{{.*}}) : memref<?xi64>
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[RUNS:.*]] = arith.ceildivui %[[N]], %[[C64]]
// CHECK: scf.parallel (%[[R:.*]]) = (%{{.*}}) to (%[[RUNS]])
// CHECK: %[[RUNMAX:.*]] = scf.for %[[I:.*]] = %[[R]] to %[[N]] step %[[RUNS]] {{.*}} -> (i64)
// CHECK: %[[V:.*]] = memref.load %[[IDX]][%[[I]]]
// CHECK: arith.maxui %{{.*}}, %[[V]]
// CHECK: memref.atomic_rmw maxu %[[RUNMAX]], %[[CELL]]
// CHECK: %[[MAX:.*]] = memref.load %[[CELL]]
// CHECK: memref.dealloc %[[CELL]]
// Dense while the largest is below 64 times the count (the default).
// CHECK: %[[N64:.*]] = arith.index_castui %[[N]] : index to i64
// CHECK: %[[FACTOR:.*]] = arith.constant 64 : i64
// CHECK: %[[LIMIT:.*]] = arith.muli %[[N64]], %[[FACTOR]]
// CHECK: %[[FITS:.*]] = arith.cmpi ult, %[[N64]], %{{.*}} : i64
// CHECK: %[[BELOW:.*]] = arith.cmpi ult, %[[MAX]], %[[LIMIT]]
// CHECK: %[[DENSE:.*]] = arith.andi %[[BELOW]], %[[FITS]]
// CHECK: %[[COUNT:.*]] = scf.if %[[DENSE]] -> (index) {
// A bit per value up to the largest, in ceil((largest + 1) / 64) words:
// cleared, then each id's bit set by an atomic or.
// CHECK: %[[ROWS:.*]] = arith.addi
// CHECK: %[[WORDS:.*]] = arith.ceildivui %[[ROWS]], %{{.*}} : index
// About sqrt(words) chunks, for the ranks; then all scratch, before any loop.
// CHECK: math.sqrt
// CHECK: %[[CHUNKS:.*]] = arith.ceildivui %[[WORDS]]
// CHECK: %[[BITS:.*]] = memref.alloc(%[[WORDS]]) : memref<?xi64>
// CHECK: %[[SUMS:.*]] = memref.alloc(%[[CHUNKS]]) : memref<?xi64>
// CHECK: %[[OFFSETS:.*]] = memref.alloc(%[[CHUNKS]]) : memref<?xi64>
// CHECK: %[[RANKS:.*]] = memref.alloc(%[[WORDS]]) : memref<?xi64>
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel ({{.*}}) to (%[[WORDS]])
// CHECK: memref.store %{{.*}}, %[[BITS]]
// CHECK: scf.parallel (%[[I:.*]]) = ({{.*}}) to (%[[N]])
// CHECK: %[[ID:.*]] = memref.load %[[IDX]][%[[I]]]
// CHECK: %[[WORD64:.*]] = arith.shrui %[[ID]], %c6_i64
// CHECK: %[[WORD:.*]] = arith.index_castui %[[WORD64]]
// CHECK: %[[SHIFT:.*]] = arith.andi %[[ID]], %c63_i64
// CHECK: %[[BIT:.*]] = arith.shli %c1_i64, %[[SHIFT]]
// CHECK: memref.atomic_rmw ori %[[BIT]], %[[BITS]][%[[WORD]]]
// The chunks' popcounts, the sums before each chunk, then each word's rank
// and its values in bit order.
// CHECK: scf.parallel ({{.*}}) to (%[[CHUNKS]])
// CHECK: scf.for
// CHECK: memref.load %[[BITS]]
// CHECK: llvm.intr.ctpop
// CHECK: scf.parallel (%[[C:.*]]) = ({{.*}}) to (%[[CHUNKS]])
// CHECK: scf.for {{.*}} to %[[C]]
// CHECK: memref.load %[[SUMS]]
// Each chunk's loop records only its words' ranks ...
// CHECK: scf.parallel ({{.*}}) to (%[[CHUNKS]])
// CHECK: memref.load %[[OFFSETS]]
// CHECK: scf.for %[[W:.*]] = {{.*}} iter_args(%[[NEXT:.*]] = {{.*}}) -> (i64)
// CHECK: memref.store %[[NEXT]], %[[RANKS]][%[[W]]]
// CHECK: %[[WBITS:.*]] = memref.load %[[BITS]][%[[W]]]
// CHECK: %[[WPOP:.*]] = llvm.intr.ctpop(%[[WBITS]])
// CHECK: arith.addi %[[NEXT]], %[[WPOP]]
// CHECK-NOT: memref.store
// CHECK: scf.reduce
// ... and a loop over the words writes each word's values from its rank on.
// CHECK: scf.parallel (%[[W:.*]]) = ({{.*}}) to (%[[WORDS]])
// CHECK: %[[SET:.*]] = memref.load %[[BITS]][%[[W]]]
// CHECK: %[[W64:.*]] = arith.index_castui %[[W]]
// CHECK: %[[BASE:.*]] = arith.shli %[[W64]], %c6_i64
// CHECK: %[[POP:.*]] = llvm.intr.ctpop(%[[SET]])
// CHECK: %[[START:.*]] = memref.load %[[RANKS]][%[[W]]]
// CHECK: scf.for {{.*}} iter_args(%[[LEFT:.*]] = %[[SET]], %[[AT:.*]] = %[[START]])
// CHECK: %[[LOW:.*]] = "llvm.intr.cttz"(%[[LEFT]])
// CHECK: %[[VALUE:.*]] = arith.ori %[[BASE]], %[[LOW]]
// CHECK: %[[ATI:.*]] = arith.index_castui %[[AT]]
// CHECK: memref.store %[[VALUE]], %[[U]][%[[ATI]]]
// An id's position: its word's rank plus the bits below it.
// CHECK: scf.parallel ({{.*}}) to (%[[N]])
// CHECK: %[[BELOWMASK:.*]] = arith.subi %{{.*}}, %c1_i64
// CHECK: %[[WORDBITS:.*]] = memref.load %[[BITS]]
// CHECK: %[[LOWER:.*]] = arith.andi %[[WORDBITS]], %[[BELOWMASK]]
// CHECK: %[[LOWERPOP:.*]] = llvm.intr.ctpop(%[[LOWER]])
// CHECK: %[[WORDRANK:.*]] = memref.load %[[RANKS]]
// CHECK: %[[POS:.*]] = arith.addi %[[WORDRANK]], %[[LOWERPOP]]
// CHECK: %[[POSI:.*]] = arith.index_castui %[[POS]] : i64 to index
// CHECK: memref.store %[[POSI]], %[[INV]]
// CHECK: memref.dealloc %[[BITS]]
// CHECK: } else {
// CHECK: %[[SPARSE:.*]] = sluice.sort_unique_into %[[IDX]] into %[[U]], %[[INV]]
// CHECK: scf.yield %[[SPARSE]]
// CHECK: return %[[COUNT]]

// With GPU scratch the host touches no scratch: the largest id's cell is
// cleared by a one-iteration loop (a kernel) and read through a copy, and
// so is the count of distinct values.
// GPU-LABEL: func.func @sort
// GPU: %[[CELL:.*]] = gpu.alloc host_shared (%{{.*}}) : memref<?xi64>
// GPU: scf.parallel ({{.*}}) to (%c1{{.*}})
// GPU-NEXT: arith.constant 0 : index
// GPU-NEXT: arith.constant 0 : i64
// GPU-NEXT: memref.store %{{.*}}, %[[CELL]]
// GPU: {sluice.on_gpu}
// GPU: memref.atomic_rmw maxu %{{.*}}, %[[CELL]]
// The stack slot in a scope of its own (the sort may run in a loop).
// GPU: %[[MAX:.*]] = memref.alloca_scope -> (i64) {
// GPU-NEXT: %[[HOST:.*]] = memref.alloca() : memref<1xi64>
// GPU: %[[VIEW:.*]] = memref.cast %[[HOST]]
// GPU: %[[READY:.*]] = gpu.wait async
// GPU: %[[COPIED:.*]] = gpu.memcpy async [%[[READY]]] %[[VIEW]], %[[CELL]]
// GPU: gpu.wait [%[[COPIED]]]
// GPU: %[[LOADED:.*]] = memref.load %[[HOST]]
// GPU-NEXT: memref.alloca_scope.return %[[LOADED]] : i64
// GPU: arith.constant 8 : i64
// GPU: scf.if
// GPU-COUNT-4: gpu.alloc host_shared (%{{.*}}) : memref<?xi64>
// GPU: %[[COUNTCELL:.*]] = gpu.alloc host_shared (%c1{{.*}}) : memref<?xi64>
// GPU-NOT: gpu.alloc
// GPU: %[[LAST:.*]] = arith.subi %{{.*}}, %c1 : index
// GPU: scf.parallel ({{.*}}) to (%c1{{.*}})
// GPU: %[[LASTOFFSET:.*]] = memref.load %{{.*}}[%[[LAST]]] : memref<?xi64>
// GPU: %[[LASTSUM:.*]] = memref.load %{{.*}}[%[[LAST]]] : memref<?xi64>
// GPU: %[[COUNT:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// GPU: memref.store %[[COUNT]], %[[COUNTCELL]]
// GPU: {sluice.on_gpu}
// GPU: memref.alloca_scope
// GPU-NEXT: %[[HOSTCOUNT:.*]] = memref.alloca() : memref<1xi64>
// GPU: gpu.memcpy async [%{{.*}}] %{{.*}}, %[[COUNTCELL]]
// GPU: memref.load %[[HOSTCOUNT]]
// GPU: gpu.dealloc async [%{{.*}}] %[[COUNTCELL]]
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
