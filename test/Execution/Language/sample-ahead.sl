// Sampling ahead (sluice-sample-ahead) changes when the next batch's blocks
// are sampled, not what any batch gets: a build with it prints what a build
// without it prints, bit for bit, run-time errors included.
// RUN: sluice build --sample-ahead %s -o %t.ahead
// RUN: sluice build --no-sample-ahead %s -o %t.plain
// RUN: %t.ahead > %t.ahead.out
// RUN: %t.plain > %t.plain.out
// RUN: cmp %t.ahead.out %t.plain.out
// RUN: FileCheck %s --input-file=%t.ahead.out
// Two epochs of 8 batches (the graph's 30 training nodes, 4 at a time):
// CHECK-COUNT-16: dst1: {{[24]}}
//
// The samples really ran ahead: every batch but each epoch's first was
// started in the background (2 x 7), and the plain build has none.
// RUN: env SLUICE_PROFILE=1 %t.ahead 2>&1 >/dev/null | FileCheck %s --check-prefix=PROFILE
// PROFILE: sluice_rt_sample_ahead [background] 14 {{[0-9]}}
// PROFILE: sampling ahead: 14 of 14 samples started in the background were taken
// RUN: env SLUICE_PROFILE=1 %t.plain 2>&1 >/dev/null | FileCheck %s --check-prefix=PLAIN
// PLAIN-NOT: sample_ahead
//
// A seed outside the graph in a later batch (the 6th with --shift 20) is
// sampled ahead, during the 5th; the error still comes at the 6th batch's
// `sample`, after the same output.
// RUN: not %t.ahead --shift 20 > %t.ahead.err 2>&1
// RUN: not %t.plain --shift 20 > %t.plain.err 2>&1
// RUN: cmp %t.ahead.err %t.plain.err
// RUN: FileCheck %s --check-prefix=LATE --input-file=%t.ahead.err
// LATE-COUNT-5: dst1:
// LATE-NOT: dst1:
// LATE: sluice: error: {{.*}}sample-ahead.sl:[[@LINE+9]]:15: seed node {{[0-9]+}} at position {{[0-9]}} is outside the graph's 300 nodes
let G = load_graph("builtin:sbm?nodes=300&features=4&classes=3")
param fanout: [int] = [4, 3]
param epochs: int = 2
param shift: int = 0

pipeline p {
  for epoch in 0..epochs {
    for seeds in batches(G.train, 4, shuffle: true) {
      let b = sample(G, seeds + shift, fanout)
      log inputs: len(b.inputs)
      log first: b.inputs[0]
      log src0: b.layer(0).num_src
      log dst1: b.layer(1).num_dst
    }
  }
}
