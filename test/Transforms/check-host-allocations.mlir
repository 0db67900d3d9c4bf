// sluice-check-host-allocations: every malloc of a CPU program's buffers
// goes through sluice_rt_alloc with the allocation's source location, one
// string per location.
// RUN: sluice-opt %s -sluice-check-host-allocations -split-input-file | FileCheck %s

// CHECK-DAG: llvm.mlir.global internal constant @[[ONE:__sluice_alloc_where_[0-9]+]]("prog.sl:3:7\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[TWO:__sluice_alloc_where_[0-9]+]]("prog.sl:9:1\00")
// CHECK-DAG: llvm.func @sluice_rt_alloc(i64, !llvm.ptr) -> !llvm.ptr
// CHECK-LABEL: llvm.func @buffers
// CHECK: %[[A:.*]] = llvm.mlir.addressof @[[ONE]]
// CHECK: llvm.call @sluice_rt_alloc(%arg0, %{{.*}}) : (i64, !llvm.ptr) -> !llvm.ptr
// CHECK: llvm.mlir.addressof @[[ONE]]
// CHECK: llvm.call @sluice_rt_alloc(%arg1, %{{.*}})
// CHECK: llvm.mlir.addressof @[[TWO]]
// CHECK: %[[C:.*]] = llvm.call @sluice_rt_alloc(%arg0, %{{.*}})
// Frees are untouched: the memory is malloc's.
// CHECK: llvm.call @free(%[[C]])
// CHECK-NOT: llvm.call @malloc
llvm.func @malloc(i64) -> !llvm.ptr
llvm.func @free(!llvm.ptr)
llvm.func @buffers(%n: i64, %m: i64) -> !llvm.ptr {
  %a = llvm.call @malloc(%n) : (i64) -> !llvm.ptr loc("prog.sl":3:7)
  %b = llvm.call @malloc(%m) : (i64) -> !llvm.ptr loc("prog.sl":3:7)
  %c = llvm.call @malloc(%n) : (i64) -> !llvm.ptr loc("prog.sl":9:1)
  llvm.call @free(%c) : (!llvm.ptr) -> ()
  llvm.return %b : !llvm.ptr
}

// -----

// Nothing to do without malloc: no declaration either.
// CHECK-LABEL: llvm.func @none
// CHECK-NOT: sluice_rt_alloc
llvm.func @none() {
  llvm.return
}

// -----

// A CUDA program's buffers come from the unified heap: the same, through
// sluice_rt_unified_alloc.
// CHECK-DAG: llvm.mlir.global internal constant @[[HEAP:__sluice_alloc_where_[0-9]+]]("prog.sl:5:2\00")
// CHECK-DAG: llvm.func @sluice_rt_unified_alloc(i64, !llvm.ptr) -> !llvm.ptr
// CHECK-LABEL: llvm.func @unified
// CHECK: llvm.mlir.addressof @[[HEAP]]
// CHECK: llvm.call @sluice_rt_unified_alloc(%arg0, %{{.*}}) : (i64, !llvm.ptr) -> !llvm.ptr
// CHECK-NOT: @_mlir_memref_to_llvm_alloc(
llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
llvm.func @unified(%n: i64) -> !llvm.ptr {
  %p = llvm.call @_mlir_memref_to_llvm_alloc(%n) : (i64) -> !llvm.ptr loc("prog.sl":5:2)
  llvm.return %p : !llvm.ptr
}
