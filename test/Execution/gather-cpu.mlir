// Compiled CPU programs gather rows of random bits and compare every element,
// bit for bit, with a brute-force loop: row sizes from 4 bytes to 4 KiB
// (including sizes that are not multiples of 128 bytes), unsorted and
// repeated indices, a one-row table and an empty index list. Each line is
// "<row bytes> <rows> <indices> <mismatches>".
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s

// CHECK: 4 1000 5000 0
// CHECK-NEXT: 12 97 300 0
// CHECK-NEXT: 64 1000 4096 0
// CHECK-NEXT: 100 500 1000 0
// CHECK-NEXT: 128 1000 2000 0
// CHECK-NEXT: 400 2000 20000 0
// CHECK-NEXT: 512 64 700 0
// CHECK-NEXT: 1000 50 300 0
// CHECK-NEXT: 4096 100 1000 0
// CHECK-NEXT: 400 1 17 0
// CHECK-NEXT: 400 10 0 0
// The static-row-shape path.
// CHECK-NEXT: 400 333 1000 0
// The checker itself notices one corrupted element.
// CHECK-NEXT: 400 333 1000 1

func.func private @sluice_rt_print_i64(i64)
func.func private @sluice_rt_print_newline()

// Random bits: a multiplicative hash of the element's position.
func.func @fill(%table: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %table, %c0 : memref<?x?xf32>
  %cols = memref.dim %table, %c1 : memref<?x?xf32>
  %k = arith.constant -1640531535 : i32
  %s = arith.constant 15 : i32
  scf.for %r = %c0 to %rows step %c1 {
    scf.for %c = %c0 to %cols step %c1 {
      %rc = arith.muli %r, %cols : index
      %lin = arith.addi %rc, %c : index
      %l32 = arith.index_cast %lin : index to i32
      %h = arith.muli %l32, %k : i32
      %hs = arith.shrui %h, %s : i32
      %bits = arith.xori %h, %hs : i32
      %f = arith.bitcast %bits : i32 to f32
      memref.store %f, %table[%r, %c] : memref<?x?xf32>
    }
  }
  return
}

// Unsorted indices with repeats: (k * 7919 + 13) mod rows.
func.func @indices(%count: index, %rows: index) -> memref<?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %p = arith.constant 7919 : index
  %q = arith.constant 13 : index
  %idx = memref.alloc(%count) : memref<?xi64>
  scf.for %k = %c0 to %count step %c1 {
    %a = arith.muli %k, %p : index
    %b = arith.addi %a, %q : index
    %m = arith.remui %b, %rows : index
    %v = arith.index_cast %m : index to i64
    memref.store %v, %idx[%k] : memref<?xi64>
  }
  return %idx : memref<?xi64>
}

// Counts elements of `out` whose bits differ from table[idx[k], c].
func.func @mismatches(%table: memref<?x?xf32>, %idx: memref<?xi64>, %out: memref<?x?xf32>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %count = memref.dim %idx, %c0 : memref<?xi64>
  %cols = memref.dim %table, %c1 : memref<?x?xf32>
  %bad = scf.for %k = %c0 to %count step %c1 iter_args(%acc = %zero) -> i64 {
    %raw = memref.load %idx[%k] : memref<?xi64>
    %row = arith.index_cast %raw : i64 to index
    %inner = scf.for %c = %c0 to %cols step %c1 iter_args(%acc2 = %acc) -> i64 {
      %want = memref.load %table[%row, %c] : memref<?x?xf32>
      %got = memref.load %out[%k, %c] : memref<?x?xf32>
      %wb = arith.bitcast %want : f32 to i32
      %gb = arith.bitcast %got : f32 to i32
      %ne = arith.cmpi ne, %wb, %gb : i32
      %inc = arith.select %ne, %one, %zero : i64
      %next = arith.addi %acc2, %inc : i64
      scf.yield %next : i64
    }
    scf.yield %inner : i64
  }
  return %bad : i64
}

func.func @report(%cols: index, %rows: index, %count: index, %bad: i64) {
  %c4 = arith.constant 4 : index
  %bytes = arith.muli %cols, %c4 : index
  %b = arith.index_cast %bytes : index to i64
  %r = arith.index_cast %rows : index to i64
  %n = arith.index_cast %count : index to i64
  func.call @sluice_rt_print_i64(%b) : (i64) -> ()
  func.call @sluice_rt_print_i64(%r) : (i64) -> ()
  func.call @sluice_rt_print_i64(%n) : (i64) -> ()
  func.call @sluice_rt_print_i64(%bad) : (i64) -> ()
  func.call @sluice_rt_print_newline() : () -> ()
  return
}

func.func @check(%cols: index, %rows: index, %count: index) {
  %table = memref.alloc(%rows, %cols) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %out = memref.alloc(%count, %cols) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %bad = func.call @mismatches(%table, %idx, %out) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%cols, %rows, %count, %bad) : (index, index, index, i64) -> ()
  memref.dealloc %out : memref<?x?xf32>
  memref.dealloc %idx : memref<?xi64>
  memref.dealloc %table : memref<?x?xf32>
  return
}

// 100-column rows known statically; `corrupt` flips one output element after
// the gather to show that the comparison notices.
func.func @check_static(%rows: index, %count: index, %corrupt: i1) {
  %c0 = arith.constant 0 : index
  %c100 = arith.constant 100 : index
  %table = memref.alloc(%rows) : memref<?x100xf32>
  %dyn = memref.cast %table : memref<?x100xf32> to memref<?x?xf32>
  func.call @fill(%dyn) : (memref<?x?xf32>) -> ()
  %idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %out = memref.alloc(%count) : memref<?x100xf32>
  %t = sluice.make_table %table : memref<?x100xf32> -> !sluice.table<?x100xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  scf.if %corrupt {
    %x = memref.load %out[%c0, %c0] : memref<?x100xf32>
    %bits = arith.bitcast %x : f32 to i32
    %one = arith.constant 1 : i32
    %flipped = arith.xori %bits, %one : i32
    %y = arith.bitcast %flipped : i32 to f32
    memref.store %y, %out[%c0, %c0] : memref<?x100xf32>
  }
  %outDyn = memref.cast %out : memref<?x100xf32> to memref<?x?xf32>
  %bad = func.call @mismatches(%dyn, %idx, %outDyn) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%c100, %rows, %count, %bad) : (index, index, index, i64) -> ()
  return
}

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c10 = arith.constant 10 : index
  %c16 = arith.constant 16 : index
  %c17 = arith.constant 17 : index
  %c25 = arith.constant 25 : index
  %c32 = arith.constant 32 : index
  %c50 = arith.constant 50 : index
  %c64 = arith.constant 64 : index
  %c97 = arith.constant 97 : index
  %c100 = arith.constant 100 : index
  %c128 = arith.constant 128 : index
  %c250 = arith.constant 250 : index
  %c300 = arith.constant 300 : index
  %c333 = arith.constant 333 : index
  %c500 = arith.constant 500 : index
  %c700 = arith.constant 700 : index
  %c1000 = arith.constant 1000 : index
  %c1024 = arith.constant 1024 : index
  %c2000 = arith.constant 2000 : index
  %c4096 = arith.constant 4096 : index
  %c5000 = arith.constant 5000 : index
  %c20000 = arith.constant 20000 : index
  func.call @check(%c1, %c1000, %c5000) : (index, index, index) -> ()
  func.call @check(%c3, %c97, %c300) : (index, index, index) -> ()
  func.call @check(%c16, %c1000, %c4096) : (index, index, index) -> ()
  func.call @check(%c25, %c500, %c1000) : (index, index, index) -> ()
  func.call @check(%c32, %c1000, %c2000) : (index, index, index) -> ()
  func.call @check(%c100, %c2000, %c20000) : (index, index, index) -> ()
  func.call @check(%c128, %c64, %c700) : (index, index, index) -> ()
  func.call @check(%c250, %c50, %c300) : (index, index, index) -> ()
  func.call @check(%c1024, %c100, %c1000) : (index, index, index) -> ()
  func.call @check(%c100, %c1, %c17) : (index, index, index) -> ()
  func.call @check(%c100, %c10, %c0) : (index, index, index) -> ()
  %false = arith.constant false
  %true = arith.constant true
  func.call @check_static(%c333, %c1000, %false) : (index, index, i1) -> ()
  func.call @check_static(%c333, %c1000, %true) : (index, index, i1) -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
