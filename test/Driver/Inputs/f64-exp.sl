// f64 math in a kernel: exp of f64 calls CUDA's libdevice (__nv_exp).
param n: int = 300
pipeline p {
  let x: f64[n, 64] = uniform(-1.0, 1.0, seed: 3)
  log s: sum(exp(x))
}
