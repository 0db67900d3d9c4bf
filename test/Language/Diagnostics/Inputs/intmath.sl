// A module for codegen-inlined.sl: `pow` of integers is checked but not
// generated.
fn cube(x: int) -> int {
  return pow(x, 3)
}
