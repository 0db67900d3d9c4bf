// A module found through SLUICE_PATH.
fn meters(feet: f32) -> f32 {
  return feet * 0.3048
}
