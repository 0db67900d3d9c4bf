// sluice-bufferize: tensor-level sluice ops become their buffer forms, and
// what was allocated is freed; buffer-level modules are left alone.
// RUN: sluice-opt %s -sluice-bufferize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @sorted_gather
// CHECK-SAME: (%[[T:[^:]*]]: !sluice.table<?x100xf32, host_zero_copy>, %[[I:[^:]*]]: memref<?xi64>) -> memref<?x100xf32>
// CHECK: %[[N:.*]] = memref.dim %[[I]], %c0
// CHECK: %[[U:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?xi64>
// CHECK: %[[INV:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?xindex>
// CHECK: %[[COUNT:.*]] = sluice.sort_unique_into %[[I]] into %[[U]], %[[INV]] : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
// CHECK: %[[FRONT:.*]] = memref.reinterpret_cast %[[U]] to offset: [0], sizes: [%[[COUNT]]], strides: [1] : memref<?xi64> to memref<?xi64>
// CHECK: %[[COUNT2:.*]] = memref.dim %[[FRONT]], %c0
// CHECK: %[[ROWS:.*]] = memref.alloc(%[[COUNT2]]) {alignment = 64 : i64} : memref<?x100xf32>
// CHECK: sluice.gather_into %[[T]][%[[FRONT]]] into %[[ROWS]] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>, memref<?x100xf32>
// CHECK: %[[OUT:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?x100xf32>
// CHECK: sluice.gather_into %[[ROWS]][%[[INV]]] into %[[OUT]] : memref<?x100xf32>, memref<?xindex>, memref<?x100xf32>
// CHECK-DAG: memref.dealloc %[[U]]
// CHECK-DAG: memref.dealloc %[[INV]]
// CHECK-DAG: memref.dealloc %[[ROWS]]
// CHECK: return %[[OUT]]
func.func @sorted_gather(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: tensor<?xi64>) -> tensor<?x100xf32> {
  %u, %inv = sluice.sort_unique %i : tensor<?xi64> -> tensor<?xi64>, tensor<?xindex>
  %rows = sluice.gather %t[%u] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %r = sluice.gather %rows[%inv] : tensor<?x100xf32>, tensor<?xindex> -> tensor<?x100xf32>
  return %r : tensor<?x100xf32>
}

// -----

// to_device is its operand's buffer: no copy, no allocation.
// CHECK-LABEL: func.func @to_device
// CHECK-SAME: (%[[X:[^:]*]]: memref<4xf32>, %[[I:[^:]*]]: index) -> f32
// CHECK-NOT: memref.alloc
// CHECK-NOT: sluice.to_device
// CHECK: %[[V:.*]] = memref.load %[[X]][%[[I]]]
// CHECK: return %[[V]]
func.func @to_device(%x: tensor<4xf32>, %i: index) -> f32 {
  %d = sluice.to_device %x : tensor<4xf32>
  %v = tensor.extract %d[%i] : tensor<4xf32>
  return %v : f32
}

// -----

// Static shapes allocate statically; static unique counts view statically.
// CHECK-LABEL: func.func @static_shapes
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<8x4xf32>
// CHECK: sluice.gather_into
func.func @static_shapes(%t: !sluice.table<16x4xf32, device>, %i: tensor<8xi64>) -> tensor<8x4xf32> {
  %r = sluice.gather %t[%i] : !sluice.table<16x4xf32, device>, tensor<8xi64> -> tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}

// -----

// No tensors: the program's own deallocation stays as it is.
// CHECK-LABEL: func.func @buffers
// CHECK: %[[B:.*]] = memref.alloc
// CHECK: sluice.gather_into
// CHECK: memref.dealloc %[[B]]
func.func @buffers(%t: !sluice.table<?x4xf32, device>, %i: memref<?xi64>) {
  %c8 = arith.constant 8 : index
  %b = memref.alloc(%c8) : memref<?x4xf32>
  sluice.gather_into %t[%i] into %b : !sluice.table<?x4xf32, device>, memref<?xi64>, memref<?x4xf32>
  memref.dealloc %b : memref<?x4xf32>
  return
}
