// `sample` takes seeds of a known length (a list literal) as well as a
// batch's; a seed outside the graph stops the program with the place.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// Every seed is among the sampled block's inputs (they come first).
// CHECK: first: 0
// CHECK-NEXT: second: 150
// RUN: not %t --last 500 2>&1 | FileCheck %s --check-prefix=OUTSIDE
// OUTSIDE: sluice: error: {{.*}}sample-seeds.sl:16:11: seed node 500 at position 1 is outside the graph's 200 nodes
let G = load_graph("builtin:sbm?nodes=200&features=4&classes=2")
param fanout: [int] = [3]
param last: int = 150

pipeline p {
  let seeds: int[2] = [0, last]
  let b = sample(G, seeds, fanout)
  log first: b.inputs[0]
  log second: b.inputs[1]
}
