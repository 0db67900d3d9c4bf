// A buffer-level index sort (test/Driver/cuda-sort.test).
func.func @sort(%idx: memref<?xi64>, %u: memref<?xi64>, %inv: memref<?xindex>) -> index {
  %n = sluice.sort_unique_into %idx into %u, %inv : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
  return %n : index
}
