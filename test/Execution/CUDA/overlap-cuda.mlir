// A batch loop compiled for CUDA: each batch's rows are gathered (the
// overlap pass gathers batch i + 1 on its own stream while batch i is being
// checked) and compared, bit for bit, with the table on the host. Prints
// "<batches> <batch size> <mismatches>", with and without the overlap pass.
// RUN: sluice build --target=cuda %s -o %t
// RUN: sluice build --target=cuda --no-overlap %s -o %t.serial
// RUN: sluice emit --target=cuda --stage=lowered %s | FileCheck %s --check-prefix=IR
// RUN: %if cuda-driver %{ %t | FileCheck %s %}
// RUN: %if cuda-driver %{ %t.serial | FileCheck %s %}
// CHECK: 20 512 0
// The overlap pass has something to pipeline here:
// IR: sluice.stream_create
// IR: scf.for
// IR: sluice.stream_sync
// IR: sluice.gather_into on

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

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %c512 = arith.constant 512 : index
  %c2000 = arith.constant 2000 : index
  %batches = arith.constant 20 : index
  %total = arith.muli %batches, %c512 : index
  %table = memref.alloc(%c2000, %c100) : memref<?x?xf32>
  func.call @fill(%table) : (memref<?x?xf32>) -> ()
  %host_idx = func.call @indices(%total, %c2000) : (index, index) -> memref<?xi64>
  %all = gpu.alloc host_shared (%total) : memref<?xi64>
  memref.copy %host_idx, %all : memref<?xi64> to memref<?xi64>
  %buf = gpu.alloc host_shared (%c512, %c100) : memref<?x?xf32>
  %t = sluice.make_table %table : memref<?x?xf32> -> !sluice.table<?x?xf32, host_zero_copy>
  // The check reads a copy: a call that takes the table itself might write
  // it, and the overlap pass stays away from loops that write their table.
  %reference = memref.alloc(%c2000, %c100) : memref<?x?xf32>
  memref.copy %table, %reference : memref<?x?xf32> to memref<?x?xf32>
  %zero = arith.constant 0 : i64
  %count = memref.alloca() : memref<i64>
  memref.store %zero, %count[] : memref<i64>
  scf.for %b = %c0 to %batches step %c1 {
    %off = arith.muli %b, %c512 : index
    %idx = memref.subview %all[%off] [512] [1] : memref<?xi64> to memref<512xi64, strided<[1], offset: ?>>
    %cast = memref.cast %idx : memref<512xi64, strided<[1], offset: ?>> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%cast] into %buf aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x?xf32>
    %plain = memref.alloc(%c512) : memref<?xi64>
    memref.copy %cast, %plain : memref<?xi64, strided<[1], offset: ?>> to memref<?xi64>
    %bad = func.call @mismatches(%reference, %plain, %buf) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
    memref.dealloc %plain : memref<?xi64>
    %sofar = memref.load %count[] : memref<i64>
    %sum = arith.addi %sofar, %bad : i64
    memref.store %sum, %count[] : memref<i64>
  }
  %n = arith.index_cast %batches : index to i64
  %size = arith.index_cast %c512 : index to i64
  %final = memref.load %count[] : memref<i64>
  func.call @sluice_rt_print_i64(%n) : (i64) -> ()
  func.call @sluice_rt_print_i64(%size) : (i64) -> ()
  func.call @sluice_rt_print_i64(%final) : (i64) -> ()
  func.call @sluice_rt_print_newline() : () -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
