// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = 1 < 2 < 3
  // CHECK: parse-chained-comparison.sl:[[@LINE-1]]:17: error: comparisons do not chain; write `a < b && b < c`
}
