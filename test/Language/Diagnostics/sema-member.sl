// RUN: not sluice check %s 2>&1 | FileCheck %s
let G = load_graph("builtin:sbm")
pipeline p {
  log G.num_classses
  // CHECK: sema-member.sl:[[@LINE-1]]:9: error: Graph has no member `num_classses`; it has features, labels, train, valid, test, num_nodes, num_edges, num_classes
  // CHECK: note: did you mean `num_classes`?
  log G.features.width
  // CHECK: sema-member.sl:[[@LINE-1]]:18: error: table<f32[G.num_nodes, G.features.cols]> has no member `width`; it has rows, cols
  let x = 3
  log x.size
  // CHECK: sema-member.sl:[[@LINE-1]]:9: error: int has no members (looking for `size`)
}
