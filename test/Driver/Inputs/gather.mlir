// A gather from a zero-copy table, input to the driver tests.
func.func @gather(%t: !sluice.table<?x100xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x100xf32>) {
  sluice.gather_into %t[%idx] into %out aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
  return
}
