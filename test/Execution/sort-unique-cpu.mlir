// sluice.sort_unique_into compiled for the CPU: by sluice-expand-sort-unique
// (a bitmap, as parallel loops on the thread pool) where the ids are
// dense, else by the runtime's sort. Each case is compared with the
// runtime's radix sort called directly (every distinct value, every inverse
// entry), and checked on its own: the values ascend strictly and
// unique[inverse[i]] == indices[i]. Lines: "<count> <distinct> <mismatches>".
// The boundary cases below are at --dense-sort-range=32, the CPU's default
// (CUDA's is 1024); a range of 64 and the runtime's sort alone give the
// same answers.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// RUN: sluice build --dense-sort-range=64 %s -o %t.64
// RUN: %t.64 | FileCheck %s
// RUN: sluice build --dense-sort-range=0 %s -o %t.runtime
// RUN: %t.runtime | FileCheck %s
// Which path each case took, from SLUICE_PROFILE's count of runtime sorts:
// the nine reference calls, plus the cases the bitmap does not take. At
// range 32: no ids (0 < 32 * 0 fails), the largest id at 32 * 1000, the
// negative id: 12. At 64 the 32000 case is dense: 11. With the runtime's
// sort only: 18.
// RUN: env SLUICE_PROFILE=1 %t 2>&1 >/dev/null | FileCheck %s --check-prefix=CALLS32
// RUN: env SLUICE_PROFILE=1 %t.64 2>&1 >/dev/null | FileCheck %s --check-prefix=CALLS64
// RUN: env SLUICE_PROFILE=1 %t.runtime 2>&1 >/dev/null | FileCheck %s --check-prefix=CALLS0
// CALLS32: sluice_rt_sort_unique 12 {{[0-9.]+}}
// CALLS64: sluice_rt_sort_unique 11 {{[0-9.]+}}
// CALLS0: sluice_rt_sort_unique 18 {{[0-9.]+}}
// RUN: sluice emit --stage=llvm-mlir %s | FileCheck %s --check-prefix=LLVM
// RUN: sluice emit --stage=llvm-mlir %s | FileCheck %s --check-prefix=CPU32
// RUN: sluice emit --stage=llvm-mlir --dense-sort-range=64 %s | FileCheck %s --check-prefix=RANGE64
// CPU32: llvm.mlir.constant(32 : i64)
// RANGE64: llvm.mlir.constant(64 : i64)
// RUN: sluice emit --stage=llvm-mlir --dense-sort-range=0 %s | FileCheck %s --check-prefix=RUNTIME
// LLVM: llvm.atomicrmw umax
// LLVM: llvm.call @sluice_rt_parallel_for
// LLVM: llvm.call @sluice_rt_sort_unique
// RUNTIME-NOT: llvm.atomicrmw
// RUNTIME: llvm.call @sluice_rt_sort_unique

// Distinct (7919 is prime to 7000), unsorted: the bitmap.
// CHECK: 5000 5000 0
// Empty.
// CHECK-NEXT: 0 0 0
// One id.
// CHECK-NEXT: 1 1 0
// One value, repeated.
// CHECK-NEXT: 100 1 0
// Repeats: 20000 ids below 3000.
// CHECK-NEXT: 20000 3000 0
// The largest id just inside the bitmap's range (32 * 1000 - 1), and
// just outside it (the runtime's sort).
// CHECK-NEXT: 1000 {{[0-9]+}} 0
// CHECK-NEXT: 1000 {{[0-9]+}} 0
// A negative id (the runtime's sort; the gather would report it).
// CHECK-NEXT: 100 {{[0-9]+}} 0
// Many chunks: 200000 ids below 1000003 (15626 words: 125 chunks of 126).
// CHECK-NEXT: 200000 {{[0-9]+}} 0

func.func private @sluice_rt_print_i64(i64)
func.func private @sluice_rt_print_newline()
func.func private @sluice_rt_sort_unique(index, index, index, index) -> index

// (k * stride + 13) mod modulus, for k < count.
func.func @indices(%count: index, %modulus: index, %stride: index) -> memref<?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %q = arith.constant 13 : index
  %idx = memref.alloc(%count) : memref<?xi64>
  scf.for %k = %c0 to %count step %c1 {
    %a = arith.muli %k, %stride : index
    %b = arith.addi %a, %q : index
    %m = arith.remui %b, %modulus : index
    %v = arith.index_cast %m : index to i64
    memref.store %v, %idx[%k] : memref<?xi64>
  }
  return %idx : memref<?xi64>
}

func.func @address(%buffer: memref<?xi64>) -> index {
  %p = memref.extract_aligned_pointer_as_index %buffer : memref<?xi64> -> index
  return %p : index
}

// 1 where `a` and `b` differ, else 0.
func.func @differ(%a: i64, %b: i64) -> i64 {
  %ne = arith.cmpi ne, %a, %b : i64
  %r = arith.extui %ne : i1 to i64
  return %r : i64
}

func.func @check(%idx: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %true = arith.constant true
  %n = memref.dim %idx, %c0 : memref<?xi64>
  %unique = memref.alloc(%n) : memref<?xi64>
  %inverse = memref.alloc(%n) : memref<?xindex>
  %distinct = sluice.sort_unique_into %idx into %unique, %inverse : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index

  // The reference: the runtime's radix sort.
  %refUnique = memref.alloc(%n) : memref<?xi64>
  %refInverse = memref.alloc(%n) : memref<?xi64>
  %pi = func.call @address(%idx) : (memref<?xi64>) -> index
  %pu = func.call @address(%refUnique) : (memref<?xi64>) -> index
  %pv = func.call @address(%refInverse) : (memref<?xi64>) -> index
  %refCount = func.call @sluice_rt_sort_unique(%pi, %n, %pu, %pv) : (index, index, index, index) -> index
  %refDistinct = arith.index_cast %refCount : index to i64
  %n64 = arith.index_cast %n : index to i64

  %d64 = arith.index_cast %distinct : index to i64
  %bad0 = func.call @differ(%d64, %refDistinct) : (i64, i64) -> i64
  // Distinct values: equal to the reference's, strictly ascending.
  %bad1 = scf.for %j = %c0 to %distinct step %c1 iter_args(%acc = %bad0) -> i64 {
    %u = memref.load %unique[%j] : memref<?xi64>
    %r = memref.load %refUnique[%j] : memref<?xi64>
    %d = func.call @differ(%u, %r) : (i64, i64) -> i64
    %isFirst = arith.cmpi eq, %j, %c0 : index
    %jp = arith.subi %j, %c1 : index
    %prevAt = arith.select %isFirst, %c0, %jp : index
    %prev = memref.load %unique[%prevAt] : memref<?xi64>
    %ascends = arith.cmpi slt, %prev, %u : i64
    %ok = arith.ori %isFirst, %ascends : i1
    %notOk = arith.xori %ok, %true : i1
    %e = arith.extui %notOk : i1 to i64
    %s = arith.addi %acc, %d : i64
    %t = arith.addi %s, %e : i64
    scf.yield %t : i64
  }
  // Inverse: equal to the reference's, and leading back to each id.
  %bad2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %bad1) -> i64 {
    %v = memref.load %inverse[%i] : memref<?xindex>
    %v64 = arith.index_cast %v : index to i64
    %r = memref.load %refInverse[%i] : memref<?xi64>
    %d = func.call @differ(%v64, %r) : (i64, i64) -> i64
    %inRange = arith.cmpi ult, %v, %distinct : index
    %at = arith.select %inRange, %v, %c0 : index
    %back = memref.load %unique[%at] : memref<?xi64>
    %id = memref.load %idx[%i] : memref<?xi64>
    %d2 = func.call @differ(%back, %id) : (i64, i64) -> i64
    %out = arith.xori %inRange, %true : i1
    %d3 = arith.extui %out : i1 to i64
    %s = arith.addi %acc, %d : i64
    %s2 = arith.addi %s, %d2 : i64
    %s3 = arith.addi %s2, %d3 : i64
    scf.yield %s3 : i64
  }
  func.call @sluice_rt_print_i64(%n64) : (i64) -> ()
  func.call @sluice_rt_print_i64(%d64) : (i64) -> ()
  func.call @sluice_rt_print_i64(%bad2) : (i64) -> ()
  func.call @sluice_rt_print_newline() : () -> ()
  memref.dealloc %unique : memref<?xi64>
  memref.dealloc %inverse : memref<?xindex>
  memref.dealloc %refUnique : memref<?xi64>
  memref.dealloc %refInverse : memref<?xi64>
  memref.dealloc %idx : memref<?xi64>
  return
}

func.func @generated(%count: index, %modulus: index, %stride: index) {
  %idx = func.call @indices(%count, %modulus, %stride) : (index, index, index) -> memref<?xi64>
  func.call @check(%idx) : (memref<?xi64>) -> ()
  return
}

// Generated ids with the last one replaced by `last`.
func.func @ending_in(%count: index, %modulus: index, %last: i64) {
  %c1 = arith.constant 1 : index
  %c7919 = arith.constant 7919 : index
  %idx = func.call @indices(%count, %modulus, %c7919) : (index, index, index) -> memref<?xi64>
  %end = arith.subi %count, %c1 : index
  memref.store %last, %idx[%end] : memref<?xi64>
  func.call @check(%idx) : (memref<?xi64>) -> ()
  return
}

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %c1000 = arith.constant 1000 : index
  %c3000 = arith.constant 3000 : index
  %c5000 = arith.constant 5000 : index
  %c7000 = arith.constant 7000 : index
  %c7919 = arith.constant 7919 : index
  %c20000 = arith.constant 20000 : index
  %c32000 = arith.constant 32000 : index
  %c200000 = arith.constant 200000 : index
  %c1000003 = arith.constant 1000003 : index
  func.call @generated(%c5000, %c7000, %c7919) : (index, index, index) -> ()
  func.call @generated(%c0, %c7000, %c7919) : (index, index, index) -> ()
  func.call @generated(%c1, %c7000, %c7919) : (index, index, index) -> ()
  // Stride 0: every id is 13 mod 100.
  func.call @generated(%c100, %c100, %c0) : (index, index, index) -> ()
  func.call @generated(%c20000, %c3000, %c7919) : (index, index, index) -> ()
  %inside = arith.constant 31999 : i64
  %outside = arith.constant 32000 : i64
  %negative = arith.constant -5 : i64
  func.call @ending_in(%c1000, %c32000, %inside) : (index, index, i64) -> ()
  func.call @ending_in(%c1000, %c32000, %outside) : (index, index, i64) -> ()
  func.call @ending_in(%c100, %c1000, %negative) : (index, index, i64) -> ()
  func.call @generated(%c200000, %c1000003, %c7919) : (index, index, index) -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
