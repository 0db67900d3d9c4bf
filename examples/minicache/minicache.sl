// MiniCache (TECHNIQUES.md, section 3): a KV cache merged across layers,
// and what it costs in accuracy. The cache is synthetic, with the structure
// MiniCache relies on: the deeper a layer, the more its K and V states share
// one direction with its neighbours' (here a per-token direction common to
// all layers, mixed in with a weight that grows with depth), on top of
// states of each layer's own, except for a few outlier tokens. Merging from the middle down, as the paper
// does, is compared with merging from earlier layers, where states differ.

param t: f32 = 0.6
param gamma: f32 = 0.05

pipeline main {
  // 32 layers, K and V, 256 tokens of width 128.
  let own: f32[32, 2, 256, 128] = normal(0.0, 1.0, seed: 1)
  let common: f32[1, 2, 256, 128] = normal(0.0, 1.0, seed: 2)
  // The common direction's weight: 0 in the first 8 layers, rising to 0.97.
  let weight: f32[32] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                         0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
                         0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.91, 0.92,
                         0.93, 0.94, 0.95, 0.95, 0.96, 0.96, 0.97, 0.97]
  // A few tokens in twenty (outliers, as real caches have) keep their own
  // states in every layer.
  let draw: f32[1, 1, 256, 1] = uniform(0.0, 1.0, seed: 3)
  let w = reshape(weight, [32, 1, 1, 1]) * f32(draw >= 0.05)
  let kv = w * common + (1.0 - w) * own
  let norm = sqrt(sum(kv * kv))
  for from in [0, 8, 16, 24] {
    let c = merge_layers(kv, from, t: t, gamma: gamma)
    let gap = c.restored - kv
    log from: from
    log size: f32(c.bytes) / f32(kv.bytes)
    log error: sqrt(sum(gap * gap)) / norm
  }
}
