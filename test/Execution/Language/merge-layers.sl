// MiniCache's cross-layer merge (`merge_layers`): the restored cache and
// its size as stored, checked against Inputs/merge-layers.py, which merges
// the same cache in float64 from docs/language.md's description (the cache
// re-drawn from sluice.random_uniform's generator).
// RUN: sluice emit %s | FileCheck %s --check-prefix=IR
// IR: %[[E:.*]], %[[MA:.*]], %[[MB:.*]], %[[KEEP:.*]] = sluice.merge_layers
// IR: sluice.restore_layer %[[E]] scaled %[[MA]] retain %[[KEEP]]
// IR: sluice.restore_layer %[[E]] scaled %[[MB]] retain %[[KEEP]]
// RUN: sluice build %s -o %t
// RUN: %t > %t.2.out
// RUN: python3 %S/Inputs/merge-layers.py %t.2.out 2 0.6 0.05
// An odd number of layers from `from` on: the last one is kept.
// RUN: %t --from 1 --t 0.3 --gamma 0.2 > %t.1.out
// RUN: python3 %S/Inputs/merge-layers.py %t.1.out 1 0.3 0.2
// Nothing to merge from the last layer on.
// RUN: %t --from 7 > %t.7.out
// RUN: python3 %S/Inputs/merge-layers.py %t.7.out 7 0.6 0.05
//
// RUN: not %t --from 8 2>&1 | FileCheck %s --check-prefix=FROM
// FROM: sluice: error: {{.*}}merge-layers.sl:[[@LINE+17]]:11: `merge_layers`: the first merged layer 8 is outside [0, 7]
// RUN: not %t --t 1.5 2>&1 | FileCheck %s --check-prefix=T
// T: sluice: error: {{.*}}merge-layers.sl:[[@LINE+15]]:11: `merge_layers`: t must lie in [0, 1]
// RUN: not %t --gamma -0.1 2>&1 | FileCheck %s --check-prefix=GAMMA
// GAMMA: sluice: error: {{.*}}merge-layers.sl:[[@LINE+13]]:11: `merge_layers`: gamma must lie in [0, 1]
// A cache whose second axis is not K and V is refused where it is known.
// RUN: sed 's/f32\[7, 2, 5, 4\]/f32[7, 3, 5, 4]/' %s > %t.kinds.sl
// RUN: not sluice build %t.kinds.sl -o %t.kinds 2>&1 | FileCheck %s --check-prefix=KINDS
// KINDS: error: `merge_layers` needs K and V on the second axis (size 2), not 3
param from: int = 2
param t: f32 = 0.6
param gamma: f32 = 0.05
pipeline p {
  // Layer 4 repeats layer 3: that pair merges exactly.
  let drawn: f32[7, 2, 5, 4] = uniform(-1.0, 1.0, seed: 3)
  let rows: int[7] = [0, 1, 2, 3, 3, 5, 6]
  let kv = drawn[rows]
  let c = merge_layers(kv, from, t: t, gamma: gamma)
  let r = c.restored
  log bytes: c.bytes
  log full: kv.bytes
  for l in 0..7 {
    for k in 0..2 {
      for i in 0..5 {
        for j in 0..4 {
          log r: r[l, k, i, j]
        }
      }
    }
  }
}
