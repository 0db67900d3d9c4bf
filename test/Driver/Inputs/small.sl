param steps: int = 3

fn halve(x: f32) -> f32 {
  return x / 2.0
}

pipeline run {
  var v = 8.0
  for i in 0..steps {
    v = halve(v)
  }
  log v
}
