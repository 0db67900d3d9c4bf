// A static-shaped sort_unique_into whose ids straddle a bitmap word (63, 64)
// and repeat (9), built for the CPU: {9, 2, 63, 64, 9} -> 4 distinct values
// 2 9 63 64, inverse 1 0 2 3 1; then the same with index-typed buffers.
// The CUDA build (asked to sort with
// kernels) compiles too.
// RUN: sluice build %s -o %t && %t | FileCheck %s
// RUN: sluice emit --target=cuda --stage=ptx --dense-sort-range=256 %s | FileCheck %s --check-prefix=PTX
// CHECK: 4 2 9 63 64 1 0 2 3 1
// CHECK-NEXT: 4 2 9 63 64 1 0 2 3 1
// PTX: atom.global.or.b64

func.func private @sluice_rt_print_i64(i64)
func.func private @sluice_rt_print_newline()
func.func @main() -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %idx = memref.alloc() : memref<5xi64>
  %u = memref.alloc() : memref<5xi64>
  %inv = memref.alloc() : memref<5xindex>
  %v0 = arith.constant 9 : i64
  %v1 = arith.constant 2 : i64
  %v2 = arith.constant 63 : i64
  %v3 = arith.constant 64 : i64
  memref.store %v0, %idx[%c0] : memref<5xi64>
  memref.store %v1, %idx[%c1] : memref<5xi64>
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  memref.store %v2, %idx[%c2] : memref<5xi64>
  memref.store %v3, %idx[%c3] : memref<5xi64>
  memref.store %v0, %idx[%c4] : memref<5xi64>
  %n = sluice.sort_unique_into %idx into %u, %inv : memref<5xi64>, memref<5xi64>, memref<5xindex> -> index
  %n64 = arith.index_cast %n : index to i64
  func.call @sluice_rt_print_i64(%n64) : (i64) -> ()
  scf.for %j = %c0 to %n step %c1 {
    %x = memref.load %u[%j] : memref<5xi64>
    func.call @sluice_rt_print_i64(%x) : (i64) -> ()
  }
  scf.for %j = %c0 to %c5 step %c1 {
    %x = memref.load %inv[%j] : memref<5xindex>
    %y = arith.index_cast %x : index to i64
    func.call @sluice_rt_print_i64(%y) : (i64) -> ()
  }
  func.call @sluice_rt_print_newline() : () -> ()
  // The same ids as index values, unique and inverse as index too.
  %idxI = memref.alloc() : memref<5xindex>
  %uI = memref.alloc() : memref<5xindex>
  %invI = memref.alloc() : memref<5xindex>
  scf.for %j = %c0 to %c5 step %c1 {
    %x = memref.load %idx[%j] : memref<5xi64>
    %xi = arith.index_cast %x : i64 to index
    memref.store %xi, %idxI[%j] : memref<5xindex>
  }
  %nI = sluice.sort_unique_into %idxI into %uI, %invI : memref<5xindex>, memref<5xindex>, memref<5xindex> -> index
  %nI64 = arith.index_cast %nI : index to i64
  func.call @sluice_rt_print_i64(%nI64) : (i64) -> ()
  scf.for %j = %c0 to %nI step %c1 {
    %x = memref.load %uI[%j] : memref<5xindex>
    %y = arith.index_cast %x : index to i64
    func.call @sluice_rt_print_i64(%y) : (i64) -> ()
  }
  scf.for %j = %c0 to %c5 step %c1 {
    %x = memref.load %invI[%j] : memref<5xindex>
    %y = arith.index_cast %x : index to i64
    func.call @sluice_rt_print_i64(%y) : (i64) -> ()
  }
  func.call @sluice_rt_print_newline() : () -> ()
  %ok = arith.constant 0 : i32
  return %ok : i32
}
