// Tensor arithmetic compiled for the CPU, checked against a float64
// reference written independently in Python (Inputs/tensor-math.py).
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/tensor-math.py 0.5 6 > %t.ref
// RUN: python3 %S/Inputs/compare.py %t.out %t.ref
// The same executable with other parameter values.
// RUN: %t --scale 1.5 --n 11 > %t.2.out
// RUN: python3 %S/Inputs/tensor-math.py 1.5 11 > %t.2.ref
// RUN: python3 %S/Inputs/compare.py %t.2.out %t.2.ref
param scale: f32 = 0.5
param n: int = 6

fn norm(x: f32[N]) -> f32 {
  return sqrt(sum(x * x))
}

pipeline p {
  let u: f32[3] = [0.1, 0.7, -0.4]
  let v: f32[4] = [0.5, -1.0, 2.0, 0.25]
  // h[i][j] = scale * u[i] + v[j]: a row broadcast, a transpose, a column.
  let ones43: f32[4, 3] = ones()
  let h = transpose(ones43 * (u * scale)) + v
  log h12: h[1, 2]
  let w: f32[4, 2] = ones()
  let m = h @ (w * 0.5)
  log m01: m[0, 1]
  log total: sum(m)
  log t10: transpose(m)[1, 0]
  let s = softmax(h)
  log s13: s[1, 3]
  log ls20: log_softmax(h)[2, 0]
  log g: sum(gelu(h))
  log th: mean(tanh(h))
  log sg: sum(sigmoid(m))
  log ex: sum(exp(h))
  log lg: sum(log(h + 2.0))
  log rl: sum(relu(h))
  log ab: sum(abs(h))
  log mv: sum(h @ v)
  log vm: sum(u @ h)
  // A column broadcast: size-1 dimensions stretch.
  let col: f32[3, 1] = ones()
  log cb: sum(h * (col * 2.0))
  // A lower-rank operand against a size-1 dimension: [3, 1] * [4] is [3, 4].
  log cv: sum(col * v)
  let line: f32[n] = ones()
  log nrm: norm(line * 3.0)
  log mx: max(scale, 0.75) + min(scale, 0.75) + pow(scale, 3.0)
  log cnt: len(line)
  var acc = 0
  for i in 0..n {
    if i % 2 == 0 {
      acc = acc + i
    }
  }
  log acc
}
