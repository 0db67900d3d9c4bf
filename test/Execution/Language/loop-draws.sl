// `uniform` and `normal` inside loops draw afresh at each iteration (noise,
// dropout masks): their seed is mixed with the loop counters, as `sample`'s
// is, and the draws are the generator of sluice.random_uniform with that
// seed, which Inputs/loop-draws.py re-computes in float64. Outside loops
// the draws are fixed at compile time, as initial weights are.
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/loop-draws.py %t.out
// Runs repeat exactly.
// RUN: %t | cmp - %t.out
pipeline p {
  let fixed: f32[2] = uniform(-1.0, 2.0, seed: 7)
  log fixed: fixed[0]
  log fixed: fixed[1]
  for e in 0..2 {
    for i in 0..3 {
      let u: f32[2] = uniform(-1.0, 2.0, seed: 7)
      log u: u[0]
      log u: u[1]
      let n: f32[2] = normal(0.5, 2.0, seed: 9)
      log n: n[0]
      log n: n[1]
    }
  }
}
