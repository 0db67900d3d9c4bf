// An optimizer-like update, w - g * 0.1, of generated tensors, then tanh.
param n: int = 8
fn step(w: f32[n], g: f32[n]) -> f32[n] {
  return w - g * 0.1
}
pipeline p {
  let w: f32[n] = uniform(-1.0, 1.0, seed: 1)
  let g: f32[n] = uniform(-1.0, 1.0, seed: 2)
  log s: sum(tanh(step(w, g)))
}
