// sluice-convert-to-cpu refuses what the CPU cannot run, naming why.
// RUN: sluice-opt %s -sluice-convert-to-cpu -split-input-file -verify-diagnostics

func.func @async(%t: !sluice.table<?x16xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x16xf32>, %dep: !gpu.async.token) -> !gpu.async.token {
  // expected-error @below {{asynchronous gathers need the CUDA target}}
  %d = sluice.gather_into async [%dep] %t[%idx] into %out : !sluice.table<?x16xf32, host_zero_copy>, memref<?xi64>, memref<?x16xf32>
  return %d : !gpu.async.token
}

// -----

func.func @narrow_indices(%t: !sluice.table<?x16xf32, host_zero_copy>, %idx: memref<?xi32>, %out: memref<?x16xf32>) {
  // expected-error @below {{the CPU lowering needs i64 or index indices, but got 'memref<?xi32>'}}
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x16xf32, host_zero_copy>, memref<?xi32>, memref<?x16xf32>
  return
}

// -----

func.func @strided(%t: !sluice.table<?x16xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<4x16xf32, strided<[32, 1]>>) {
  // expected-error @below {{the CPU lowering needs contiguous index and row buffers}}
  sluice.gather_into %t[%idx] into %out : !sluice.table<?x16xf32, host_zero_copy>, memref<?xi64>, memref<4x16xf32, strided<[32, 1]>>
  return
}

// -----

func.func @tensor_level(%l: tensor<8xf32>) -> tensor<4xindex> {
  // expected-error @below {{'sluice.select_hardest' op has no lowering to the CPU yet}}
  %s = sluice.select_hardest %l delta = 0.5 : tensor<8xf32> -> tensor<4xindex>
  return %s : tensor<4xindex>
}

// -----

func.func @on_stream(%t: !sluice.table<?x16xf32, host_zero_copy>, %idx: memref<?xi64>, %out: memref<?x16xf32>, %s: !sluice.stream) {
  // expected-error @below {{asynchronous gathers need the CUDA target}}
  sluice.gather_into on %s %t[%idx] into %out : !sluice.table<?x16xf32, host_zero_copy>, memref<?xi64>, memref<?x16xf32>
  return
}

// -----

func.func @sort_narrow(%i: memref<?xi32>, %u: memref<?xi32>, %inv: memref<?xindex>) -> index {
  // expected-error @below {{sorting needs contiguous buffers of i64 or index, but got 'memref<?xi32>'}}
  %n = sluice.sort_unique_into %i into %u, %inv : memref<?xi32>, memref<?xi32>, memref<?xindex> -> index
  return %n : index
}
