// Loss-ranked batch selection on the CPU, checked step by step against a
// Python simulation of TECHNIQUES.md section 2 (Inputs/hard-batches.py):
// fixed batches, a first full pass, then passes over the floor(delta * N)
// batches with the largest recorded loss in ascending index order, until
// epochs * N steps are spent.
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/hard-batches.py 0.5 3 > %t.ref
// RUN: diff %t.out %t.ref
// RUN: %t --delta 0.4 --epochs 4 > %t.2.out
// RUN: python3 %S/Inputs/hard-batches.py 0.4 4 > %t.2.ref
// RUN: diff %t.2.out %t.2.ref
// delta = 1 is plain training: every batch, in order, each epoch.
// RUN: %t --delta 1.0 --epochs 2 > %t.3.out
// RUN: python3 %S/Inputs/hard-batches.py 1.0 2 > %t.3.ref
// RUN: diff %t.3.out %t.3.ref
// A delta that selects nothing stops the program.
// RUN: not %t --delta 0.01 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: sluice: error: {{.*}}hard-batches.sl:[[#@LINE+9]]:{{[0-9]+}}: select hardest: delta 0.01 selects no batch out of 5
param delta: f32 = 0.5
param epochs: int = 3

pipeline p {
  // Five batches of one sample; batch b's loss is base[b] * (the step).
  let order: int[5] = [0, 1, 2, 3, 4]
  let base: f32[5] = [0.1, 0.9, 0.5, 0.3, 0.7]
  var step = 0
  for b in batches(order, 1) select hardest(delta, epochs) by loss {
    step = step + 1
    let loss = sum(base[b]) * f32(step)
    log batch: b[0]
  }
}
