// RUN: not sluice check %s 2>&1 | FileCheck %s
let G = load_graph("builtin:sbm")
param epochs: int = 2
pipeline train {
  log G.num_nodes
}
schedule trian {
// CHECK: sema-schedule.sl:[[@LINE-1]]:10: error: schedule for `trian`, but there is no pipeline `trian`
// CHECK: note: did you mean `train`?
}
schedule train {
  place epochs in device
  // CHECK: sema-schedule.sl:[[@LINE-1]]:9: error: only tables are placed; this is int
  overlap gather depth 12
  // CHECK: sema-schedule.sl:[[@LINE-1]]:3: error: overlap depth must be between 1 and 8, not 12
  sort gather indices
  sort gather indices
  // CHECK: sema-schedule.sl:[[@LINE-1]]:3: error: this directive is repeated in the schedule
}
schedule train {
// CHECK: sema-schedule.sl:[[@LINE-1]]:10: error: pipeline `train` has more than one schedule
}
