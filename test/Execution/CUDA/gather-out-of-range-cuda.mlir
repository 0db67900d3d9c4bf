// An index outside the table stops a compiled CUDA program with the gather's
// source location, the index and its position, and exit status 1: the kernel
// records it and the host checks after the gather.
// RUN: sluice build --target=cuda %s -o %t
// RUN: %if cuda-driver %{ not %t 2>&1 | FileCheck %s %}
// CHECK: sluice: error: pipe.sl:7:3: gather index 10 at position 1 is out of range for a table of 4 rows

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %table = memref.alloc() : memref<4x8xf32>
  %idx = gpu.alloc host_shared () : memref<2xi64>
  %three = arith.constant 3 : i64
  %ten = arith.constant 10 : i64
  memref.store %three, %idx[%c0] : memref<2xi64>
  memref.store %ten, %idx[%c1] : memref<2xi64>
  %out = gpu.alloc host_shared () : memref<2x8xf32>
  %t = sluice.make_table %table : memref<4x8xf32> -> !sluice.table<4x8xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out : !sluice.table<4x8xf32, host_zero_copy>, memref<2xi64>, memref<2x8xf32> loc("pipe.sl":7:3)
  %ok = arith.constant 0 : i32
  return %ok : i32
}
