// Shuffled batches on the CPU: sluice.shuffle's Fisher-Yates over
// splitmix64, a new order each epoch (the seed mixed with the epoch), checked
// against a Python implementation of the op's description
// (Inputs/shuffle.py).
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/shuffle.py 7 > %t.ref
// RUN: diff %t.out %t.ref
// RUN: %t --seed 12345 > %t.2.out
// RUN: python3 %S/Inputs/shuffle.py 12345 > %t.2.ref
// RUN: diff %t.2.out %t.2.ref
param seed: int = 7

pipeline p {
  let order: int[6] = [10, 11, 12, 13, 14, 15]
  for epoch in 0..2 {
    for b in batches(order, 4, shuffle: true, seed: seed) {
      for i in 0..len(b) {
        log x: b[i]
      }
      log size: len(b)
    }
  }
}
