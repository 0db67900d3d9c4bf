// A batch loop built for the CPU: each batch's rows are gathered from a host
// table and compared, bit for bit, with the table. Prints "<batches> <batch
// size> <mismatches>".
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: 20 512 0

func.func private @sluice_rt_print_i64(i64)
func.func private @sluice_rt_print_newline()

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %c512 = arith.constant 512 : index
  %rows = arith.constant 2000 : index
  %batches = arith.constant 20 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %k = arith.constant -1640531535 : i32
  %table = memref.alloc(%rows) : memref<?x100xf32>
  scf.for %r = %c0 to %rows step %c1 {
    scf.for %c = %c0 to %c100 step %c1 {
      %rc = arith.muli %r, %c100 : index
      %lin = arith.addi %rc, %c : index
      %l32 = arith.index_cast %lin : index to i32
      %h = arith.muli %l32, %k : i32
      %f = arith.bitcast %h : i32 to f32
      memref.store %f, %table[%r, %c] : memref<?x100xf32>
    }
  }
  %total = arith.muli %batches, %c512 : index
  %all = memref.alloc(%total) : memref<?xi64>
  %p = arith.constant 7919 : index
  scf.for %i = %c0 to %total step %c1 {
    %a = arith.muli %i, %p : index
    %m = arith.remui %a, %rows : index
    %v = arith.index_cast %m : index to i64
    memref.store %v, %all[%i] : memref<?xi64>
  }
  %t = sluice.make_table %table : memref<?x100xf32> -> !sluice.table<?x100xf32, host_zero_copy>
  %buf = memref.alloc(%c512) : memref<?x100xf32>
  %bad = scf.for %b = %c0 to %batches step %c1 iter_args(%acc = %zero) -> i64 {
    %off = arith.muli %b, %c512 : index
    %idx = memref.subview %all[%off] [512] [1] : memref<?xi64> to memref<512xi64, strided<[1], offset: ?>>
    %plain = memref.alloc() : memref<512xi64>
    memref.copy %idx, %plain : memref<512xi64, strided<[1], offset: ?>> to memref<512xi64>
    sluice.gather_into %t[%plain] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<512xi64>, memref<?x100xf32>
    %inner = scf.for %j = %c0 to %c512 step %c1 iter_args(%acc2 = %acc) -> i64 {
      %raw = memref.load %plain[%j] : memref<512xi64>
      %row = arith.index_cast %raw : i64 to index
      %cols = scf.for %c = %c0 to %c100 step %c1 iter_args(%acc3 = %acc2) -> i64 {
        %want = memref.load %table[%row, %c] : memref<?x100xf32>
        %got = memref.load %buf[%j, %c] : memref<?x100xf32>
        %wb = arith.bitcast %want : f32 to i32
        %gb = arith.bitcast %got : f32 to i32
        %ne = arith.cmpi ne, %wb, %gb : i32
        %inc = arith.select %ne, %one, %zero : i64
        %next = arith.addi %acc3, %inc : i64
        scf.yield %next : i64
      }
      scf.yield %cols : i64
    }
    memref.dealloc %plain : memref<512xi64>
    scf.yield %inner : i64
  }
  %n = arith.index_cast %batches : index to i64
  %size = arith.index_cast %c512 : index to i64
  func.call @sluice_rt_print_i64(%n) : (i64) -> ()
  func.call @sluice_rt_print_i64(%size) : (i64) -> ()
  func.call @sluice_rt_print_i64(%bad) : (i64) -> ()
  func.call @sluice_rt_print_newline() : () -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
