// sluice-convert-to-gpu refuses what it cannot lower, naming why.
// RUN: sluice-opt %s -sluice-convert-to-gpu -split-input-file -verify-diagnostics
// RUN: not sluice-opt %s -split-input-file -sluice-convert-to-gpu="block-size=100" 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not sluice-opt %s -split-input-file -sluice-convert-to-gpu="max-threads=0" 2>&1 | FileCheck %s --check-prefix=THREADS

// BLOCK: block-size must be a multiple of 32 between 32 and 1024, but got 100
// THREADS: max-threads must be at least 1, but got 0

func.func @undecided(%b: memref<?x16xf32>) {
  // expected-error @below {{cannot lower table '!sluice.table<?x16xf32, auto>' to the GPU: its placement is not decided (run sluice-place-tables, or give one)}}
  %t = sluice.make_table %b : memref<?x16xf32> -> !sluice.table<?x16xf32, auto>
  return
}

// -----

func.func @staged_async(%t: !sluice.table<?x16xf32, host_staged>, %i: memref<?xi64>, %o: memref<?x16xf32>, %s: !sluice.stream) {
  // expected-error @below {{a staged gather cannot be asynchronous}}
  sluice.gather_into on %s %t[%i] into %o : !sluice.table<?x16xf32, host_staged>, memref<?xi64>, memref<?x16xf32>
  return
}

// -----

func.func @staged_narrow(%t: !sluice.table<?x16xf32, host_staged>, %i: memref<?xi32>, %o: memref<?x16xf32>) {
  // expected-error @below {{a staged gather needs i64 or index indices, but got 'memref<?xi32>'}}
  sluice.gather_into %t[%i] into %o : !sluice.table<?x16xf32, host_staged>, memref<?xi32>, memref<?x16xf32>
  return
}

// -----

func.func @tensor_level(%t: !sluice.table<?x16xf32, device>, %i: tensor<?xi64>) -> tensor<?x16xf32> {
  // expected-error @below {{'sluice.gather' op has no lowering to the GPU yet}}
  %r = sluice.gather %t[%i] : !sluice.table<?x16xf32, device>, tensor<?xi64> -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

// -----

func.func @sub_byte(%t: !sluice.table<?x8xi1, device>, %i: memref<?xi64>, %o: memref<?x8xi1>) {
  // expected-error @below {{'sluice.gather_into' op the CUDA lowering needs byte-sized elements}}
  sluice.gather_into %t[%i] into %o : !sluice.table<?x8xi1, device>, memref<?xi64>, memref<?x8xi1>
  return
}
