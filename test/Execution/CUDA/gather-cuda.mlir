// Compiled CUDA programs gather rows of random bits on the GPU (zero-copy
// naive, rotated and shifted, from a device-resident copy, and staged through
// the CPU) and compare
// every element, bit for bit, with a brute-force loop on the host. Built on
// every machine; run where a GPU driver is (bench/gpu/run.sh runs the same
// program on the GPU machine). Lines: "<row bytes> <rows> <indices> <mismatches>".
// RUN: sluice build --target=cuda %s -o %t
// RUN: %if cuda-driver %{ %t | FileCheck %s %}

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
// CHECK-NEXT: 4 1000 5000 0
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
// CHECK-NEXT: 4 1000 5000 0
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
// CHECK-NEXT: 4 1000 5000 0
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
// CHECK-NEXT: 4 1000 5000 0
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

func.func @check_naive(%cols: index, %rows: index, %count: index) {
  %table = memref.alloc(%rows, %cols) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %host_idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %idx = gpu.alloc host_shared (%count) : memref<?xi64>
  memref.copy %host_idx, %idx : memref<?xi64> to memref<?xi64>
  %out = gpu.alloc host_shared (%count, %cols) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %bad = func.call @mismatches(%table, %idx, %out) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%cols, %rows, %count, %bad) : (index, index, index, i64) -> ()
  // Tables and managed buffers stay allocated until exit (a synchronous
  // gpu.dealloc has no lowering in MLIR 22).
  return
}

func.func @check_rotate(%cols: index, %rows: index, %count: index) {
  %table = memref.alloc(%rows, %cols) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %host_idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %idx = gpu.alloc host_shared (%count) : memref<?xi64>
  memref.copy %host_idx, %idx : memref<?xi64> to memref<?xi64>
  %out = gpu.alloc host_shared (%count, %cols) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %bad = func.call @mismatches(%table, %idx, %out) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%cols, %rows, %count, %bad) : (index, index, index, i64) -> ()
  // Tables and managed buffers stay allocated until exit (a synchronous
  // gpu.dealloc has no lowering in MLIR 22).
  return
}

func.func @check_shift(%cols: index, %rows: index, %count: index) {
  %table = memref.alloc(%rows, %cols) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %host_idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %idx = gpu.alloc host_shared (%count) : memref<?xi64>
  memref.copy %host_idx, %idx : memref<?xi64> to memref<?xi64>
  %out = gpu.alloc host_shared (%count, %cols) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out aligned<shift, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %bad = func.call @mismatches(%table, %idx, %out) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%cols, %rows, %count, %bad) : (index, index, index, i64) -> ()
  // Tables and managed buffers stay allocated until exit (a synchronous
  // gpu.dealloc has no lowering in MLIR 22).
  return
}

func.func @check_device(%cols: index, %rows: index, %count: index) {
  %table = memref.alloc(%rows, %cols) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %host_idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %idx = gpu.alloc host_shared (%count) : memref<?xi64>
  memref.copy %host_idx, %idx : memref<?xi64> to memref<?xi64>
  %out = gpu.alloc host_shared (%count, %cols) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, device>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?xf32, device>, memref<?xi64>, memref<?x?xf32>
  %bad = func.call @mismatches(%table, %idx, %out) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%cols, %rows, %count, %bad) : (index, index, index, i64) -> ()
  // Tables and managed buffers stay allocated until exit (a synchronous
  // gpu.dealloc has no lowering in MLIR 22).
  return
}

func.func @check_staged(%cols: index, %rows: index, %count: index) {
  %table = memref.alloc(%rows, %cols) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %host_idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %idx = gpu.alloc host_shared (%count) : memref<?xi64>
  memref.copy %host_idx, %idx : memref<?xi64> to memref<?xi64>
  %out = gpu.alloc host_shared (%count, %cols) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, host_staged>
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x?xf32, host_staged>, memref<?xi64>, memref<?x?xf32>
  %bad = func.call @mismatches(%table, %idx, %out) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  func.call @report(%cols, %rows, %count, %bad) : (index, index, index, i64) -> ()
  // Tables and managed buffers stay allocated until exit (a synchronous
  // gpu.dealloc has no lowering in MLIR 22).
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
  %c500 = arith.constant 500 : index
  %c700 = arith.constant 700 : index
  %c1000 = arith.constant 1000 : index
  %c1024 = arith.constant 1024 : index
  %c2000 = arith.constant 2000 : index
  %c4096 = arith.constant 4096 : index
  %c5000 = arith.constant 5000 : index
  %c20000 = arith.constant 20000 : index
  func.call @check_naive(%c1, %c1000, %c5000) : (index, index, index) -> ()
  func.call @check_naive(%c3, %c97, %c300) : (index, index, index) -> ()
  func.call @check_naive(%c16, %c1000, %c4096) : (index, index, index) -> ()
  func.call @check_naive(%c25, %c500, %c1000) : (index, index, index) -> ()
  func.call @check_naive(%c32, %c1000, %c2000) : (index, index, index) -> ()
  func.call @check_naive(%c100, %c2000, %c20000) : (index, index, index) -> ()
  func.call @check_naive(%c128, %c64, %c700) : (index, index, index) -> ()
  func.call @check_naive(%c250, %c50, %c300) : (index, index, index) -> ()
  func.call @check_naive(%c1024, %c100, %c1000) : (index, index, index) -> ()
  func.call @check_naive(%c100, %c1, %c17) : (index, index, index) -> ()
  func.call @check_naive(%c100, %c10, %c0) : (index, index, index) -> ()
  func.call @check_rotate(%c1, %c1000, %c5000) : (index, index, index) -> ()
  func.call @check_rotate(%c3, %c97, %c300) : (index, index, index) -> ()
  func.call @check_rotate(%c16, %c1000, %c4096) : (index, index, index) -> ()
  func.call @check_rotate(%c25, %c500, %c1000) : (index, index, index) -> ()
  func.call @check_rotate(%c32, %c1000, %c2000) : (index, index, index) -> ()
  func.call @check_rotate(%c100, %c2000, %c20000) : (index, index, index) -> ()
  func.call @check_rotate(%c128, %c64, %c700) : (index, index, index) -> ()
  func.call @check_rotate(%c250, %c50, %c300) : (index, index, index) -> ()
  func.call @check_rotate(%c1024, %c100, %c1000) : (index, index, index) -> ()
  func.call @check_rotate(%c100, %c1, %c17) : (index, index, index) -> ()
  func.call @check_rotate(%c100, %c10, %c0) : (index, index, index) -> ()
  func.call @check_shift(%c1, %c1000, %c5000) : (index, index, index) -> ()
  func.call @check_shift(%c3, %c97, %c300) : (index, index, index) -> ()
  func.call @check_shift(%c16, %c1000, %c4096) : (index, index, index) -> ()
  func.call @check_shift(%c25, %c500, %c1000) : (index, index, index) -> ()
  func.call @check_shift(%c32, %c1000, %c2000) : (index, index, index) -> ()
  func.call @check_shift(%c100, %c2000, %c20000) : (index, index, index) -> ()
  func.call @check_shift(%c128, %c64, %c700) : (index, index, index) -> ()
  func.call @check_shift(%c250, %c50, %c300) : (index, index, index) -> ()
  func.call @check_shift(%c1024, %c100, %c1000) : (index, index, index) -> ()
  func.call @check_shift(%c100, %c1, %c17) : (index, index, index) -> ()
  func.call @check_shift(%c100, %c10, %c0) : (index, index, index) -> ()
  func.call @check_device(%c1, %c1000, %c5000) : (index, index, index) -> ()
  func.call @check_device(%c3, %c97, %c300) : (index, index, index) -> ()
  func.call @check_device(%c16, %c1000, %c4096) : (index, index, index) -> ()
  func.call @check_device(%c25, %c500, %c1000) : (index, index, index) -> ()
  func.call @check_device(%c32, %c1000, %c2000) : (index, index, index) -> ()
  func.call @check_device(%c100, %c2000, %c20000) : (index, index, index) -> ()
  func.call @check_device(%c128, %c64, %c700) : (index, index, index) -> ()
  func.call @check_device(%c250, %c50, %c300) : (index, index, index) -> ()
  func.call @check_device(%c1024, %c100, %c1000) : (index, index, index) -> ()
  func.call @check_device(%c100, %c1, %c17) : (index, index, index) -> ()
  func.call @check_device(%c100, %c10, %c0) : (index, index, index) -> ()
  func.call @check_staged(%c1, %c1000, %c5000) : (index, index, index) -> ()
  func.call @check_staged(%c3, %c97, %c300) : (index, index, index) -> ()
  func.call @check_staged(%c16, %c1000, %c4096) : (index, index, index) -> ()
  func.call @check_staged(%c25, %c500, %c1000) : (index, index, index) -> ()
  func.call @check_staged(%c32, %c1000, %c2000) : (index, index, index) -> ()
  func.call @check_staged(%c100, %c2000, %c20000) : (index, index, index) -> ()
  func.call @check_staged(%c128, %c64, %c700) : (index, index, index) -> ()
  func.call @check_staged(%c250, %c50, %c300) : (index, index, index) -> ()
  func.call @check_staged(%c1024, %c100, %c1000) : (index, index, index) -> ()
  func.call @check_staged(%c100, %c1, %c17) : (index, index, index) -> ()
  func.call @check_staged(%c100, %c10, %c0) : (index, index, index) -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
