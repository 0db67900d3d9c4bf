// A CUDA program: gathers from a zero-copy table into managed memory.
func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %table = memref.alloc() : memref<64x100xf32>
  %idx = gpu.alloc host_shared () : memref<16xi64>
  %out = gpu.alloc host_shared () : memref<16x100xf32>
  %t = sluice.make_table %table : memref<64x100xf32> -> !sluice.table<64x100xf32, host_zero_copy>
  sluice.gather_into %t[%idx] into %out aligned<rotate, 128> : !sluice.table<64x100xf32, host_zero_copy>, memref<16xi64>, memref<16x100xf32>
  %ok = arith.constant 0 : i32
  return %ok : i32
}
