// A code-generation error inside inlined library code names the calls that
// led there.
// RUN: not sluice emit %s 2>&1 | FileCheck %s
use nn
pipeline p {
  let table = nn.Embedding(10, 4)
  // CHECK: nn.sl:{{[0-9]+}}:{{[0-9]+}}: error: `normal` initialization is not generated yet; use `uniform`
  // CHECK: codegen-inlined.sl:[[@LINE-2]]:15: note: called from here
  let ids: int[2] = [1, 2]
  log s: sum(table(ids))
}
