// The index sort compiled programs run (sluice.sort_unique_into, expanded by
// sluice-expand-sort-unique where the ids are dense), for
// bench/cpu/sort_bench.cpp and the GPU benchmark. Built with
// `sluice emit --stage=obj` (--target=cuda for the GPU: its loops become
// kernels).
func.func @sort_unique_ids(%ids: memref<?xi64>, %unique: memref<?xi64>, %inverse: memref<?xi64>) -> index attributes {llvm.emit_c_interface} {
  %n = sluice.sort_unique_into %ids into %unique, %inverse : memref<?xi64>, memref<?xi64>, memref<?xi64> -> index
  return %n : index
}
