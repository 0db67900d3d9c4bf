// sluice-place-tables: tables that fit the device budget go to the device,
// others are read zero-copy (or staged); given placements stay.
// RUN: sluice-opt %s -sluice-place-tables -split-input-file -verify-diagnostics | FileCheck %s
// RUN: sluice-opt %s -sluice-place-tables="device-budget=100000" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=SMALL
// RUN: sluice-opt %s -sluice-place-tables="device-budget=100000 zero-copy=false" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=STAGED

// 1000 x 100 x f32 = 400,000 bytes: fits 4 GiB, not 100,000 bytes.
// CHECK-LABEL: func.func @static_table
// CHECK: sluice.make_table %{{.*}} -> !sluice.table<1000x100xf32, device>
// CHECK: sluice.gather %{{.*}} : !sluice.table<1000x100xf32, device>
// SMALL-LABEL: func.func @static_table
// SMALL: -> !sluice.table<1000x100xf32, host_zero_copy>
// STAGED-LABEL: func.func @static_table
// STAGED: -> !sluice.table<1000x100xf32, host_staged>
func.func @static_table(%b: memref<1000x100xf32>, %i: tensor<?xi64>) -> tensor<?x100xf32> {
  %t = sluice.make_table %b : memref<1000x100xf32> -> !sluice.table<1000x100xf32, auto>
  %r = sluice.gather %t[%i] : !sluice.table<1000x100xf32, auto>, tensor<?xi64> -> tensor<?x100xf32>
  return %r : tensor<?x100xf32>
}

// -----

// 100 x 100 x f32 = 40,000 bytes fits both budgets.
// CHECK-LABEL: func.func @small_table
// CHECK: !sluice.table<100x100xf32, device>
// SMALL: !sluice.table<100x100xf32, device>
func.func @small_table(%b: memref<100x100xf32>, %i: memref<?xi64>, %o: memref<?x100xf32>) {
  %t = sluice.make_table %b : memref<100x100xf32> -> !sluice.table<100x100xf32, auto>
  sluice.gather_into %t[%i] into %o : !sluice.table<100x100xf32, auto>, memref<?xi64>, memref<?x100xf32>
  return
}

// -----

// A row count known only at run time cannot be promised to fit.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK: -> !sluice.table<?x100xf32, host_zero_copy>
func.func @dynamic_rows(%b: memref<?x100xf32>, %i: tensor<?xi64>) -> tensor<?x100xf32> {
  %t = sluice.make_table %b : memref<?x100xf32> -> !sluice.table<?x100xf32, auto>
  %r = sluice.gather %t[%i] : !sluice.table<?x100xf32, auto>, tensor<?xi64> -> tensor<?x100xf32>
  return %r : tensor<?x100xf32>
}

// -----

// A placement the program gives is kept.
// CHECK-LABEL: func.func @given
// CHECK: -> !sluice.table<10x4xf32, host_zero_copy>
func.func @given(%b: memref<10x4xf32>) {
  %t = sluice.make_table %b : memref<10x4xf32> -> !sluice.table<10x4xf32, host_zero_copy>
  return
}

// -----

// A table that leaves its function keeps `auto`.
// CHECK-LABEL: func.func @escapes
// CHECK: -> !sluice.table<10x4xf32, auto>
func.func @escapes(%b: memref<10x4xf32>) -> !sluice.table<10x4xf32, auto> {
  // expected-warning @below {{table '!sluice.table<10x4xf32, auto>' leaves its function, so its placement stays undecided}}
  %t = sluice.make_table %b : memref<10x4xf32> -> !sluice.table<10x4xf32, auto>
  return %t : !sluice.table<10x4xf32, auto>
}

// -----

// A loaded graph's feature table: its size is known only at run time, so it
// is read zero-copy; reading its column count does not pin the placement.
// CHECK-LABEL: func.func @graph_features
// CHECK: %[[T:.*]] = sluice.field %{{.*}}["features"] : !sluice.graph -> !sluice.table<?x?xf32, host_zero_copy>
// CHECK: sluice.field %[[T]]["cols"] : !sluice.table<?x?xf32, host_zero_copy> -> index
// CHECK: sluice.gather %[[T]][%{{.*}}] : !sluice.table<?x?xf32, host_zero_copy>
func.func @graph_features(%g: !sluice.graph, %i: tensor<?xi64>) -> (tensor<?x?xf32>, index) {
  %t = sluice.field %g["features"] : !sluice.graph -> !sluice.table<?x?xf32, auto>
  %c = sluice.field %t["cols"] : !sluice.table<?x?xf32, auto> -> index
  %r = sluice.gather %t[%i] : !sluice.table<?x?xf32, auto>, tensor<?xi64> -> tensor<?x?xf32>
  return %r, %c : tensor<?x?xf32>, index
}

// -----

// A schedule's placement holds for every read of the same field of the same
// graph (here one from an inlined function): the auto read takes it, where
// it would otherwise be zero-copy and aligned against a device table.
// CHECK-LABEL: func.func @same_field_twice
// CHECK: %[[A:.*]] = sluice.field %{{.*}}["features"] : !sluice.graph -> !sluice.table<?x?xf32, device>
// CHECK: sluice.gather %[[A]]
// CHECK: %[[B:.*]] = sluice.field %{{.*}}["features"] : !sluice.graph -> !sluice.table<?x?xf32, device>
// CHECK: sluice.gather %[[B]]
// A field of another graph is its own table.
// CHECK: sluice.field %{{.*}}["features"] : !sluice.graph -> !sluice.table<?x?xf32, host_zero_copy>
func.func @same_field_twice(%g: !sluice.graph, %h: !sluice.graph, %i: tensor<?xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %a = sluice.field %g["features"] : !sluice.graph -> !sluice.table<?x?xf32, auto>
  %ra = sluice.gather %a[%i] : !sluice.table<?x?xf32, auto>, tensor<?xi64> -> tensor<?x?xf32>
  %b = sluice.field %g["features"] : !sluice.graph -> !sluice.table<?x?xf32, device>
  %rb = sluice.gather %b[%i] : !sluice.table<?x?xf32, device>, tensor<?xi64> -> tensor<?x?xf32>
  %c = sluice.field %h["features"] : !sluice.graph -> !sluice.table<?x?xf32, auto>
  %rc = sluice.gather %c[%i] : !sluice.table<?x?xf32, auto>, tensor<?xi64> -> tensor<?x?xf32>
  return %ra, %rb, %rc : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}
