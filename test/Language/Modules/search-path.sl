// `use` looks in the using file's directory, then the -I directories, then
// SLUICE_PATH, then the standard library. A dotted path is a subdirectory;
// the module is named by its last part; module globals are evaluated once
// per pipeline.
// RUN: cp %S/Inputs/sibling.sl %t.sibling.sl
// RUN: env SLUICE_PATH=%S/Inputs/env sluice emit -I %S/Inputs/lib %s | FileCheck %s
// RUN: not sluice check %s 2>&1 | FileCheck %s --check-prefix=NO-PATH
use nn
use geometry.shapes
use units
pipeline p {
  log p: shapes.perimeter(2.5)
  log m: units.meters(10.0)
  log n: shapes.sides
}
// CHECK-LABEL: func.func @p()
// CHECK-DAG: %[[P:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[M:.*]] = arith.constant 3.048000e+00 : f32
// CHECK-DAG: %[[N:.*]] = arith.constant 4 : i64
// CHECK: sluice.log "p" %[[P]] : f32
// CHECK: sluice.log "m" %[[M]] : f32
// CHECK: sluice.log "n" %[[N]] : i64
// Without -I and SLUICE_PATH the two modules are not found; nn (the stdlib)
// still is.
// NO-PATH: search-path.sl:9:1: error: cannot find module `geometry.shapes` (geometry/shapes.sl in: {{.*}}Modules, {{.*}}stdlib)
// NO-PATH: search-path.sl:10:1: error: cannot find module `units`
// NO-PATH-NOT: error
