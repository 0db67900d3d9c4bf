// RUN: not sluice check %s 2>&1 | FileCheck %s
let G = load_graph("builtin:sbm")
pipeline train {
  log G.num_nodes
}
schedule train {
  place G.features in host pinned
  // CHECK: parse-schedule.sl:[[@LINE-1]]:28: error: expected `zero_copy` or `staged` after `host`, found identifier `pinned`
  prefetch everything
  // CHECK: parse-schedule.sl:[[@LINE-1]]:3: error: expected a schedule directive (`place`, `overlap gather`, `overlap sample`, `sort gather indices`), found identifier `prefetch`
  place G.features in cloud
  // CHECK: parse-schedule.sl:[[@LINE-1]]:23: error: expected a placement (`device`, `host zero_copy`, `host staged` or `auto`), found identifier `cloud`
}
