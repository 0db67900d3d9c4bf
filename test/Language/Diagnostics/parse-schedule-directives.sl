// The words of each schedule directive, in order, and the schedule's brace.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
let G = load_graph("builtin:sbm")
pipeline train {
  log G.num_nodes
}
schedule train {
  place G.features on device
  // CHECK: parse-schedule-directives.sl:[[@LINE-1]]:20: error: expected `in` between the table and its placement, found identifier `on`
  overlap gathers
  // CHECK: parse-schedule-directives.sl:[[@LINE-1]]:11: error: expected `gather` or `sample` after `overlap`, found identifier `gathers`
  overlap gather depth two
  // CHECK: parse-schedule-directives.sl:[[@LINE-1]]:24: error: expected the overlap depth (an integer), found identifier `two`
  sort gather rows
  // CHECK: parse-schedule-directives.sl:[[@LINE-1]]:15: error: expected `indices`, found identifier `rows`
}
schedule train [
// CHECK: parse-schedule-directives.sl:[[@LINE-1]]:16: error: expected `{` to open the schedule, found `[`
]
