// A buffer-level index sort (test/Driver/cuda-sort.test), next to the
// program's own parallel loops, which stay on the host.
func.func @sort(%idx: memref<?xi64>, %u: memref<?xi64>, %inv: memref<?xindex>) -> index {
  %n = sluice.sort_unique_into %idx into %u, %inv : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
  return %n : index
}

func.func @user_loops(%x: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %x[%i] : memref<?xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    %v = memref.load %x[%i] : memref<?xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}
