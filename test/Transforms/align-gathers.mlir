// sluice-align-gathers: zero-copy gathers whose rows straddle PCIe requests
// get the aligned thread mapping; others are left as they are.
// RUN: sluice-opt %s -allow-unregistered-dialect -sluice-align-gathers | FileCheck %s
// RUN: sluice-opt %s -allow-unregistered-dialect -sluice-align-gathers="strategy=shift request-bytes=64" | FileCheck %s --check-prefix=SHIFT
// RUN: not sluice-opt %s -allow-unregistered-dialect -sluice-align-gathers="strategy=spiral" 2>&1 | FileCheck %s --check-prefix=BADSTRATEGY
// RUN: not sluice-opt %s -allow-unregistered-dialect -sluice-align-gathers="request-bytes=100" 2>&1 | FileCheck %s --check-prefix=BADBYTES
// BADSTRATEGY: unknown alignment strategy 'spiral'; expected rotate or shift
// BADBYTES: alignment must be a power of two between 16 and 4096 bytes, but got 100

// CHECK-LABEL: func.func @rows
// 400-byte rows: aligned.
// CHECK: sluice.gather %{{.*}} aligned<rotate, 128> : !sluice.table<?x100xf32
// 128-byte rows: already aligned.
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x32xf32
// Row size known at run time: the kernel decides.
// CHECK: sluice.gather_into %{{.*}} aligned<rotate, 128> : !sluice.table<?x?xf32
// Device tables: not read over PCIe.
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x100xf32, device>
// A given alignment stays.
// CHECK: sluice.gather %{{.*}} aligned<shift, 256> : !sluice.table<?x200xf32
// SHIFT-LABEL: func.func @rows
// SHIFT: aligned<shift, 64> : !sluice.table<?x100xf32
// 128-byte rows are a multiple of 64: left alone.
// SHIFT: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x32xf32
func.func @rows(%t400: !sluice.table<?x100xf32, host_zero_copy>, %t128: !sluice.table<?x32xf32, host_zero_copy>,
                %tdyn: !sluice.table<?x?xf32, host_zero_copy>, %dev: !sluice.table<?x100xf32, device>,
                %t800: !sluice.table<?x200xf32, host_zero_copy>,
                %i: tensor<?xi64>, %mi: memref<?xi64>, %out: memref<?x?xf32>) {
  %0 = sluice.gather %t400[%i] : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
  %1 = sluice.gather %t128[%i] : !sluice.table<?x32xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x32xf32>
  sluice.gather_into %tdyn[%mi] into %out : !sluice.table<?x?xf32, host_zero_copy>, memref<?xi64>, memref<?x?xf32>
  %2 = sluice.gather %dev[%i] : !sluice.table<?x100xf32, device>, tensor<?xi64> -> tensor<?x100xf32>
  %3 = sluice.gather %t800[%i] aligned<shift, 256> : !sluice.table<?x200xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x200xf32>
  "test.use"(%0, %1, %2, %3) : (tensor<?x100xf32>, tensor<?x32xf32>, tensor<?x100xf32>, tensor<?x200xf32>) -> ()
  return
}
