// A bad index in the third batch of a pipelined loop (gathered on the overlap
// pass's stream) stops the program when the loop waits for that batch.
// RUN: sluice build --target=cuda %s -o %t
// RUN: sluice emit --target=cuda --stage=llvm %s | FileCheck %s --check-prefix=IR
// RUN: %if cuda-driver %{ not %t 2>&1 | FileCheck %s %}
// CHECK: sluice: error: loop.sl:9:5: gather index 99 at position 3 is out of range for a table of 16 rows
// IR: call void @sluice_rt_stream_sync(

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c11 = arith.constant 11 : index
  %table = memref.alloc() : memref<16x32xf32>
  %all = gpu.alloc host_shared () : memref<20xi64>
  scf.for %k = %c0 to %c5 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %kj = arith.muli %k, %c4 : index
      %p = arith.addi %kj, %j : index
      %v = arith.index_cast %j : index to i64
      memref.store %v, %all[%p] : memref<20xi64>
    }
  }
  // Batch 2, position 3: element 11.
  %bad = arith.constant 99 : i64
  memref.store %bad, %all[%c11] : memref<20xi64>
  %buf = gpu.alloc host_shared () : memref<4x32xf32>
  %t = sluice.make_table %table : memref<16x32xf32> -> !sluice.table<16x32xf32, host_zero_copy>
  scf.for %b = %c0 to %c5 step %c1 {
    %off = arith.muli %b, %c4 : index
    %idx = memref.subview %all[%off] [4] [1] : memref<20xi64> to memref<4xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%idx] into %buf : !sluice.table<16x32xf32, host_zero_copy>, memref<4xi64, strided<[1], offset: ?>>, memref<4x32xf32> loc("loop.sl":9:5)
  }
  %ok = arith.constant 0 : i32
  return %ok : i32
}
