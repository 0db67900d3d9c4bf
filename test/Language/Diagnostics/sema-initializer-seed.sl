// RUN: not sluice check %s 2>&1 | FileCheck %s
param seed: int = 3
pipeline p {
  let w: f32[4] = uniform(-1.0, 1.0, seed: seed)
  // CHECK: sema-initializer-seed.sl:[[@LINE-1]]:44: error: `uniform` expects a constant seed (an int literal), since it fixes the initial values at compile time; this is int
  let v: f32[4] = uniform(-1.0, 1.0, seed: 7)
  log sum(v)
}
