// What sema accepts but code generation cannot do yet is an error of
// `sluice emit`, at the construct. Code generation stops at the first such
// error, so each case is its own file (split from this one with its line
// numbers kept).
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: not sluice emit %t/pow.sl 2>&1 | FileCheck %s --check-prefix=POW
// RUN: not sluice emit %t/shuffle.sl 2>&1 | FileCheck %s --check-prefix=SHUFFLE
// RUN: not sluice emit %t/dynamic.sl 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not sluice emit %t/sizes.sl 2>&1 | FileCheck %s --check-prefix=SIZES
// A `var` holding a model was once such a case; sema now rejects it.
// RUN: not sluice emit %t/var.sl 2>&1 | FileCheck %s --check-prefix=VAR








//--- pow.sl
pipeline p {
  log pow(2, 3)
  // POW: pow.sl:[[@LINE-1]]:7: error: `pow` is generated for floats only
}

//--- shuffle.sl
param shuffle: bool = true
pipeline p {
  let G = load_graph("builtin:sbm")
  for b in batches(G.train, 32, shuffle: shuffle) {
  // SHUFFLE: shuffle.sl:[[@LINE-1]]:42: error: `shuffle` must be `true` or `false` for code generation
    log 1
  }
}

//--- dynamic.sl
pipeline p {
  let w: f32[?] = zeros()
  // DYNAMIC: dynamic.sl:[[@LINE-1]]:19: error: code generation needs the size `?` here; give it as a number or a name in scope
  log sum(w)
}

//--- sizes.sl
// `?` sizes are checked when the inlined call makes them known.
fn add(a: f32[?], b: f32[?]) -> f32[?] {
  return a + b
  // SIZES: sizes.sl:[[@LINE-1]]:10: error: sizes do not match in `+`: 4 and 5 (known only after the `?` sizes of the types were resolved)
}
pipeline p {
  let x: f32[4] = zeros()
  let y: f32[5] = zeros()
  log sum(add(x, y))
}

//--- var.sl
model Net {
  w: f32[2] = zeros()
}
pipeline p {
  var m = Net()
  // VAR: var.sl:[[@LINE-1]]:11: error: a `var` holds a number, bool or tensor, not model Net; bind it with `let`
  log sum(m.w)
}
