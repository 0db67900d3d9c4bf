// A tensor-level gather from a table whose placement the compiler decides,
// compiled for the CPU through every stage: placement, index sorting (with
// --sort-gather-indices: sorted distinct rows, then a gather back through the
// inverse map), alignment,
// bufferization, deallocation and the runtime calls. Every element is
// compared, bit for bit, with a brute-force loop. Lines: "<row bytes> <rows>
// <indices> <mismatches>".
// RUN: sluice emit --stage=lowered --sort-gather-indices %s | FileCheck %s --check-prefix=LOWERED
// RUN: sluice emit --stage=llvm-mlir --sort-gather-indices %s | FileCheck %s --check-prefix=LLVM
// RUN: sluice build --sort-gather-indices %s -o %t
// RUN: %t | FileCheck %s
// RUN: sluice build %s -o %t.unsorted
// RUN: %t.unsorted | FileCheck %s
// The CUDA lowering, its kernels (the index sort's included) run as host
// loops: the same rows.
// RUN: sluice emit --target=cuda --stage=lowered --sort-gather-indices %s -o %t.cuda.mlir
// RUN: sluice-opt %t.cuda.mlir "--sluice-lower-to-cuda=tensor-code=1 run-kernels-on-host=1" -o %t.host.mlir
// RUN: sluice build %t.host.mlir -o %t.host
// RUN: %t.host | FileCheck %s
// LOWERED: sluice.sort_unique
// LOWERED: sluice.gather {{.*}} aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>
// LOWERED: sluice.gather
// LLVM: llvm.call @sluice_rt_sort_unique
// LLVM: llvm.call @sluice_rt_cpu_gather
// LLVM: llvm.call @sluice_rt_cpu_gather
// LLVM: llvm.call @free
// CHECK: 400 2000 5000 0
// CHECK-NEXT: 400 7 100 0
// CHECK-NEXT: 400 3000 1 0
// CHECK-NEXT: 400 50 0 0

func.func private @sluice_rt_print_i64(i64)
func.func private @sluice_rt_print_newline()

// Random bits: a multiplicative hash of the element's position.
func.func @fill(%table: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %table, %c0 : memref<?x?xf32>
  %cols = memref.dim %table, %c1 : memref<?x?xf32>
  %k = arith.constant -1640531535 : i32
  %s = arith.constant 15 : i32
  scf.for %r = %c0 to %rows step %c1 {
    scf.for %c = %c0 to %cols step %c1 {
      %rc = arith.muli %r, %cols : index
      %lin = arith.addi %rc, %c : index
      %l32 = arith.index_cast %lin : index to i32
      %h = arith.muli %l32, %k : i32
      %hs = arith.shrui %h, %s : i32
      %bits = arith.xori %h, %hs : i32
      %f = arith.bitcast %bits : i32 to f32
      memref.store %f, %table[%r, %c] : memref<?x?xf32>
    }
  }
  return
}

// Unsorted indices with repeats: (k * 7919 + 13) mod rows.
func.func @indices(%count: index, %rows: index) -> memref<?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %p = arith.constant 7919 : index
  %q = arith.constant 13 : index
  %idx = memref.alloc(%count) : memref<?xi64>
  scf.for %k = %c0 to %count step %c1 {
    %a = arith.muli %k, %p : index
    %b = arith.addi %a, %q : index
    %m = arith.remui %b, %rows : index
    %v = arith.index_cast %m : index to i64
    memref.store %v, %idx[%k] : memref<?xi64>
  }
  return %idx : memref<?xi64>
}

// Counts elements of `out` whose bits differ from table[idx[k], c].
func.func @mismatches(%table: memref<?x?xf32>, %idx: memref<?xi64>, %out: memref<?x?xf32>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %count = memref.dim %idx, %c0 : memref<?xi64>
  %cols = memref.dim %table, %c1 : memref<?x?xf32>
  %bad = scf.for %k = %c0 to %count step %c1 iter_args(%acc = %zero) -> i64 {
    %raw = memref.load %idx[%k] : memref<?xi64>
    %row = arith.index_cast %raw : i64 to index
    %inner = scf.for %c = %c0 to %cols step %c1 iter_args(%acc2 = %acc) -> i64 {
      %want = memref.load %table[%row, %c] : memref<?x?xf32>
      %got = memref.load %out[%k, %c] : memref<?x?xf32>
      %wb = arith.bitcast %want : f32 to i32
      %gb = arith.bitcast %got : f32 to i32
      %ne = arith.cmpi ne, %wb, %gb : i32
      %inc = arith.select %ne, %one, %zero : i64
      %next = arith.addi %acc2, %inc : i64
      scf.yield %next : i64
    }
    scf.yield %inner : i64
  }
  return %bad : i64
}

func.func @report(%cols: index, %rows: index, %count: index, %bad: i64) {
  %c4 = arith.constant 4 : index
  %bytes = arith.muli %cols, %c4 : index
  %b = arith.index_cast %bytes : index to i64
  %r = arith.index_cast %rows : index to i64
  %n = arith.index_cast %count : index to i64
  func.call @sluice_rt_print_i64(%b) : (i64) -> ()
  func.call @sluice_rt_print_i64(%r) : (i64) -> ()
  func.call @sluice_rt_print_i64(%n) : (i64) -> ()
  func.call @sluice_rt_print_i64(%bad) : (i64) -> ()
  func.call @sluice_rt_print_newline() : () -> ()
  return
}

func.func @check(%rows: index, %count: index) {
  %table = memref.alloc(%rows) : memref<?x100xf32>
  %dyn = memref.cast %table : memref<?x100xf32> to memref<?x?xf32>
  func.call @fill(%dyn) : (memref<?x?xf32>) -> ()
  %idx = func.call @indices(%count, %rows) : (index, index) -> memref<?xi64>
  %ids = bufferization.to_tensor %idx restrict : memref<?xi64> to tensor<?xi64>
  %t = sluice.make_table %table : memref<?x100xf32> -> !sluice.table<?x100xf32, auto>
  %gathered = sluice.gather %t[%ids] : !sluice.table<?x100xf32, auto>, tensor<?xi64> -> tensor<?x100xf32>
  %out = bufferization.to_buffer %gathered : tensor<?x100xf32> to memref<?x100xf32>
  %outDyn = memref.cast %out : memref<?x100xf32> to memref<?x?xf32>
  %bad = func.call @mismatches(%dyn, %idx, %outDyn) : (memref<?x?xf32>, memref<?xi64>, memref<?x?xf32>) -> i64
  %c100 = arith.constant 100 : index
  func.call @report(%c100, %rows, %count, %bad) : (index, index, index, i64) -> ()
  return
}

func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %c50 = arith.constant 50 : index
  %c100 = arith.constant 100 : index
  %c2000 = arith.constant 2000 : index
  %c3000 = arith.constant 3000 : index
  %c5000 = arith.constant 5000 : index
  func.call @check(%c2000, %c5000) : (index, index) -> ()
  func.call @check(%c7, %c100) : (index, index) -> ()
  func.call @check(%c3000, %c1) : (index, index) -> ()
  func.call @check(%c50, %c0) : (index, index) -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
