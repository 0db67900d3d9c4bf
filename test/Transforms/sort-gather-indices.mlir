// sluice-sort-gather-indices: host-table gathers read sorted, distinct rows
// and scatter them back through the inverse map.
// RUN: sluice-opt %s -sluice-sort-gather-indices | FileCheck %s
// RUN: sluice-opt %s -sluice-sort-gather-indices -sluice-sort-gather-indices | FileCheck %s

// CHECK-LABEL: func.func @zero_copy
// CHECK-SAME: (%[[T:[^:]*]]: !sluice.table<?x100xf32, host_zero_copy>, %[[I:[^:]*]]: tensor<64xi64>)
// CHECK: %[[U:.*]], %[[INV:.*]] = sluice.sort_unique %[[I]] : tensor<64xi64> -> tensor<?xi64>, tensor<64xindex>
// CHECK: %[[ROWS:.*]] = sluice.gather %[[T]][%[[U]]] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
// CHECK: %[[R:.*]] = sluice.gather %[[ROWS]][%[[INV]]] : tensor<?x100xf32>, tensor<64xindex> -> tensor<64x100xf32>
// CHECK-NOT: sluice.sort_unique
// CHECK: return %[[R]]
func.func @zero_copy(%t: !sluice.table<?x100xf32, host_zero_copy>, %i: tensor<64xi64>) -> tensor<64x100xf32> {
  %r = sluice.gather %t[%i] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<64xi64> -> tensor<64x100xf32>
  return %r : tensor<64x100xf32>
}

// CHECK-LABEL: func.func @staged_and_auto
// CHECK-COUNT-2: sluice.sort_unique
func.func @staged_and_auto(%s: !sluice.table<?x8xf32, host_staged>, %a: !sluice.table<?x8xf32, auto>, %i: tensor<?xi64>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %r = sluice.gather %s[%i] : !sluice.table<?x8xf32, host_staged>, tensor<?xi64> -> tensor<?x8xf32>
  %q = sluice.gather %a[%i] : !sluice.table<?x8xf32, auto>, tensor<?xi64> -> tensor<?x8xf32>
  return %r, %q : tensor<?x8xf32>, tensor<?x8xf32>
}

// Device tables and tensors are read at device bandwidth: left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: sluice.sort_unique
func.func @left_alone(%d: !sluice.table<?x8xf32, device>, %x: tensor<?x8xf32>, %i: tensor<?xi64>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %r = sluice.gather %d[%i] : !sluice.table<?x8xf32, device>, tensor<?xi64> -> tensor<?x8xf32>
  %q = sluice.gather %x[%i] : tensor<?x8xf32>, tensor<?xi64> -> tensor<?x8xf32>
  return %r, %q : tensor<?x8xf32>, tensor<?x8xf32>
}
