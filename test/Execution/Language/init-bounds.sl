// nn.Linear's initialization bound is 1/sqrt(inputs), and 0 without inputs
// (PyTorch's rule; 1/0 made the bias NaN). uniform's bounds are finite and
// in order, else the program stops at the call.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: empty_bias: 0
// CHECK-NEXT: outside: 0
// CHECK-NEXT: spread: 100
// RUN: not %t --low 2.0 2>&1 | FileCheck %s --check-prefix=ORDER
// ORDER: sluice: error: {{.*}}init-bounds.sl:22:21: `uniform(low, high)` needs finite bounds with low <= high
// RUN: not %t --low -1e30 --high 1e38 --scale 1e10 2>&1 | FileCheck %s --check-prefix=ORDER
use nn
param low: f32 = -1.0
param high: f32 = 1.0
param scale: f32 = 1.0
pipeline p {
  let empty = nn.Linear(0, 3)
  log empty_bias: sum(empty.bias * empty.bias)
  let four = nn.Linear(4, 3)
  // No weight outside 1/sqrt(4) = 0.5.
  log outside: sum(f32(abs(four.weight) > 0.5))
  let u: f32[100] = uniform(low, high * scale)
  log spread: sum(f32(abs(u) <= 1.0))
}
