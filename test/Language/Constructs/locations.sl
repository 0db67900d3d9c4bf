// Every op is located at the source it came from, so --mlir-print-debuginfo
// (and any later error) points into the .sl file.
// The printed IR parses back (sluice-opt reprints it with the locations
// inline). Code inlined from a call is located at its own place, called from
// the call's.
// RUN: sluice emit --mlir-print-debuginfo %s | sluice-opt --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s
fn square(v: f32[4]) -> f32[4] {
  return v * v
}
pipeline p {
  let x: f32[4] = uniform(0.0, 1.0)
  log total: sum(square(x))
}
// CHECK: sluice.random_uniform {{.*}} loc("{{.*}}locations.sl":11:19)
// CHECK: arith.mulf {{.*}} loc(callsite("{{.*}}locations.sl":8:10 at "{{.*}}locations.sl":12:18))
// CHECK: sluice.log "total" {{.*}} loc("{{.*}}locations.sl":12:3)
