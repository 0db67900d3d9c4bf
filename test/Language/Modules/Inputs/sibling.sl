// A module next to the program that uses it.
fn double(x: f32) -> f32 {
  return 2.0 * x
}
