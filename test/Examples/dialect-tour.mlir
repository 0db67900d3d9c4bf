// The dialect tour that `make demo` runs gives the results its README states
// (each worked out by hand there).
// RUN: sluice-opt %S/../../examples/dialect-tour/tour.mlir -canonicalize | FileCheck %s
// As its README says, the technique ops expand to tensor code.
// RUN: sluice-opt %S/../../examples/dialect-tour/tour.mlir --sluice-expand-techniques | FileCheck %s --check-prefix=EXPANDED
// EXPANDED-LABEL: func.func @mam_penalty
// EXPANDED-NOT: sluice.mam_penalty
// EXPANDED-LABEL: func.func @merge_kv
// EXPANDED-NOT: sluice.merge_layers
// EXPANDED: math.atan2 {{.*}} : tensor<?xf16>
// EXPANDED-NOT: sluice.restore_layer
// EXPANDED: return

// CHECK-LABEL: func.func @hardest_batches
// CHECK: arith.constant dense<[1, 3, 5, 6]> : tensor<4xindex>
// CHECK-NOT: sluice.select_hardest

// CHECK-LABEL: func.func @sorted_gather
// CHECK-DAG: %[[INV:.*]] = arith.constant dense<[3, 1, 3, 0, 1, 2]> : tensor<6xindex>
// CHECK-DAG: %[[IDS:.*]] = arith.constant dense<[4, 12, 55, 907]> : tensor<4xi64>
// CHECK: %[[ROWS:.*]] = sluice.gather %{{.*}}[%{{.*}}] aligned<rotate, 128>
// CHECK: %[[DEV:.*]] = sluice.to_device %[[ROWS]]
// CHECK-NOT: sluice.to_device
// CHECK: sluice.gather %[[DEV]][%[[INV]]]

// CHECK-LABEL: func.func @aligned_rows
// CHECK: sluice.gather %{{.*}}[%{{.*}}] : !sluice.table<?x32xf32, host_zero_copy>

// CHECK-LABEL: func.func @mam_penalty
// CHECK: arith.constant 1.937500e+00 : f32

// CHECK-LABEL: func.func @merge_kv
// CHECK: sluice.merge_layers
// CHECK-COUNT-2: sluice.restore_layer
