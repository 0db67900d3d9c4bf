// `sort gather indices` on a gather by a batch of a list of ids: the batch
// is a view into the list, copied to a contiguous buffer for the sort. The
// sorted build prints what the plain one prints, for plain and shuffled
// batches; the CUDA build (the schedule's usual target) compiles too.
// RUN: sluice build %s -o %t.plain
// RUN: sluice build --sort-gather-indices %s -o %t.sorted
// RUN: %t.plain > %t.plain.out
// RUN: %t.sorted > %t.sorted.out
// RUN: diff %t.plain.out %t.sorted.out
// RUN: FileCheck %s < %t.sorted.out
// CHECK: batches: 8
// CHECK-NEXT: shuffled: 8
// RUN: sluice build --target=cuda %s -o %t.cuda
param data: path = "builtin:blobs?samples=300&features=8&classes=3"
let D = load_dataset(data)
pipeline train {
  var plain = 0.0
  var n = 0
  for b in batches(D.train, 32) {
    plain = plain + sum(D.features[b])
    n = n + 1
  }
  log batches: n
  var shuffled = 0.0
  var m = 0
  for b in batches(D.train, 32, shuffle: true, seed: 3) {
    shuffled = shuffled + sum(D.features[b] * D.features[b])
    m = m + 1
  }
  log shuffled: m
  log sums: plain + shuffled
}
schedule train {
  sort gather indices
}
