// RUN: not sluice check %s 2>&1 | FileCheck %s
let D = load_dataset("builtin:blobs")
pipeline p {
  for b in batches(D.train, 64) select easiest(0.5, 2) by loss {
  // CHECK: parse-select.sl:[[@LINE-1]]:40: error: expected `hardest` after `select` (the only batch selection rule), found identifier `easiest`
    let loss = 1.0
  }
}
