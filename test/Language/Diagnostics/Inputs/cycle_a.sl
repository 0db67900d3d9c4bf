use cycle_b
fn a() -> int {
  return 1
}
