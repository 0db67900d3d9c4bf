// A batch loop: gather each batch's rows, then compute on them.
func.func private @compute(memref<?x100xf32>)
func.func @train(%t: !sluice.table<?x100xf32, host_zero_copy>, %all: memref<?xi64>, %batches: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %buf = gpu.alloc host_shared (%c64) : memref<?x100xf32>
  scf.for %i = %c0 to %batches step %c1 {
    %off = arith.muli %i, %c64 : index
    %idx = memref.subview %all[%off] [64] [1] : memref<?xi64> to memref<64xi64, strided<[1], offset: ?>>
    %cast = memref.cast %idx : memref<64xi64, strided<[1], offset: ?>> to memref<?xi64, strided<[1], offset: ?>>
    sluice.gather_into %t[%cast] into %buf : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64, strided<[1], offset: ?>>, memref<?x100xf32>
    func.call @compute(%buf) : (memref<?x100xf32>) -> ()
  }
  return
}
