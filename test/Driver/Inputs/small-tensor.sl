pipeline p {
  let v: f32[4] = [1.0, 2.0, 3.0, 4.0]
  log s: sum(v * v)
}
