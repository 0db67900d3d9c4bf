// Every op is located at the source it came from, so --mlir-print-debuginfo
// (and any later error) points into the .sl file.
// The printed IR parses back (sluice-opt reprints it with the locations
// inline).
// RUN: sluice emit --mlir-print-debuginfo %s | sluice-opt --mlir-print-debuginfo --mlir-pretty-debuginfo | FileCheck %s
fn square(v: f32[4]) -> f32[4] {
  return v * v
}
pipeline p {
  let x: f32[4] = uniform(0.0, 1.0)
  log total: sum(square(x))
}
// CHECK: sluice.random_uniform {{.*}} {{.*}}locations.sl:10:19
// CHECK: arith.mulf {{.*}} {{.*}}locations.sl:7:10
// CHECK: sluice.log "total" {{.*}} {{.*}}locations.sl:11:3
