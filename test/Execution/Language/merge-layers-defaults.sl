// merge_layers' defaults are the paper's (TECHNIQUES.md, section 3): merge
// from layer L / 2 (here 7 / 2 = 3), t = 0.6, gamma = 0.05. The default
// call gives the same cache and size as the explicit one, and a different
// size from another first layer (so the comparison can tell).
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: default: [[BYTES:[0-9]+]]
// CHECK-NEXT: explicit: [[BYTES]]
// CHECK-NEXT: restored_differences: 0
// CHECK-NEXT: from_one_differs: 1
pipeline p {
  let kv: f32[7, 2, 5, 4] = uniform(-1.0, 1.0, seed: 3)
  let d = merge_layers(kv)
  let e = merge_layers(kv, 3, t: 0.6, gamma: 0.05)
  log default: d.bytes
  log explicit: e.bytes
  log restored_differences: sum(f32(d.restored != e.restored))
  log from_one_differs: int(merge_layers(kv, 1).bytes != d.bytes)
}
