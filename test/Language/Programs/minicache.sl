// Target program 3 of LANGUAGE-SKETCH.md (MiniCache): a KV cache from a
// prefill, merged across layers from the middle down. (merge-layers.sl in
// test/Execution/Language checks the merge against a float64 reference.)
// RUN: sluice check %s
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// The stand-in's cache is all zeros: every token of a merged pair points
// the same way, nothing is retained, and the 4 merged layers of 8 take a
// direction and two magnitudes per token: (4 * 64 + 2 * (64 + 2)) / (8 * 64).
// CHECK: ratio: 0.757812
// CHECK: tokens: 0
// The merge is the dialect's op over all merged pairs at once ([pairs, K
// and V, T, dim]); the program reads only the size, so the restores are
// dropped as dead code. The lowered stage has only tensor code.
// RUN: sluice emit %s | FileCheck %s --check-prefix=IR
// IR: sluice.merge_layers {{.*}} : tensor<?x2x?x?xf32> -> tensor<?x2x?xf32>, tensor<?x2x?xi1>
// IR-NOT: sluice.restore_layer
// RUN: sluice emit --stage=lowered %s | FileCheck %s --check-prefix=LOWERED
// LOWERED-NOT: sluice.merge_layers
// LOWERED-NOT: sluice.restore_layer

let L = 8

// A stand-in language model with the shapes of a real one.
model Lm(layers: int, dim: int) {
  proj: f32[dim, dim] = uniform(-0.1, 0.1)

  fn prefill(self, tokens: int[T]) -> f32[layers, 2, T, dim] {
    let kv: f32[layers, 2, T, dim] = zeros()
    return kv
  }

  fn decode(self, c: Cache, steps: int) -> f32[steps, dim] {
    let y: f32[steps, dim] = zeros()
    return y
  }
}

pipeline generate {
  let lm = Lm(L, 64)
  let prompt: f32[16] = zeros()
  let tokens = int(prompt)
  let kv = lm.prefill(tokens)                                  // f32[L, 2, T, H*Dh]
  let c  = merge_layers(kv, from: L / 2, t: 0.6, gamma: 0.05)  // compressed cache
  let y  = lm.decode(c, steps: 64)
  log ratio: f32(c.bytes) / f32(kv.bytes)
  log tokens: sum(y)
}
