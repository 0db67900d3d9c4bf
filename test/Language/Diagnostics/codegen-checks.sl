// What a run-time check would stop for, where code generation already knows
// the values, is an error of `sluice emit`, at the construct
// (run-time-checks.sl in test/Execution/Language has the run-time side).
// Each case is its own file, split from this one with its line numbers kept.
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: not sluice emit %t/divide.sl 2>&1 | FileCheck %s --check-prefix=DIVIDE
// RUN: not sluice emit %t/remainder.sl 2>&1 | FileCheck %s --check-prefix=REMAINDER
// RUN: not sluice emit %t/index.sl 2>&1 | FileCheck %s --check-prefix=INDEX
// RUN: not sluice emit %t/matrix.sl 2>&1 | FileCheck %s --check-prefix=MATRIX
// RUN: not sluice emit %t/huge.sl 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not sluice emit %t/hidden.sl 2>&1 | FileCheck %s --check-prefix=HIDDEN
// RUN: not sluice emit %t/annotated.sl 2>&1 | FileCheck %s --check-prefix=ANNOTATED
// RUN: not sluice emit %t/argmax.sl 2>&1 | FileCheck %s --check-prefix=ARGMAX
// RUN: not sluice emit %t/merge-t.sl 2>&1 | FileCheck %s --check-prefix=MERGE-T
// RUN: not sluice emit %t/merge-gamma.sl 2>&1 | FileCheck %s --check-prefix=MERGE-GAMMA
// A computed index or divisor is checked when the program runs, so it builds.
// RUN: sluice emit %t/computed.sl -o /dev/null

//--- divide.sl
pipeline p {
  log 1 / 0
  // DIVIDE: divide.sl:[[@LINE-1]]:7: error: integer division by zero
}

//--- remainder.sl
param n: int = 7
pipeline p {
  log n % 0
  // REMAINDER: remainder.sl:[[@LINE-1]]:7: error: integer division by zero
}

//--- index.sl
pipeline p {
  let v: f32[3] = [1.0, 2.0, 3.0]
  log v[3]
  // INDEX: index.sl:[[@LINE-1]]:9: error: index 3 is outside [0, 3) (axis 0)
}

//--- matrix.sl
pipeline p {
  let m: f32[2, 3] = ones()
  log m[1, 5]
  // MATRIX: matrix.sl:[[@LINE-1]]:12: error: index 5 is outside [0, 3) (axis 1)
}

//--- huge.sl
pipeline p {
  let x: f32[4611686018427387904, 4] = zeros()
  // HUGE: huge.sl:[[@LINE-1]]:40: error: the tensor type `f32[4611686018427387904, 4]` is too large: its size in bytes does not fit in 64 bits
  log sum(x)
}

//--- hidden.sl
pipeline p {
  let m: f32[2, 3] = ones()
  let x: f32[?] = m[0]
  let y: f32[4] = ones()
  log s: sum(x * y)
  // HIDDEN: hidden.sl:[[@LINE-1]]:14: error: sizes do not match in `*`: 3 and 4 (known only after the `?` sizes of the types were resolved)
}

//--- annotated.sl
fn mat() -> f32[2, 2] {
  let o: f32[2, 2] = ones()
  return o
}
pipeline p {
  let m: f32[?, ?] = mat()
  let m2: f32[4, 4] = m
  // ANNOTATED: annotated.sl:[[@LINE-1]]:3: error: sizes do not match in `m2: f32[4, 4]` (dimension 0): 2 and 4 (known only after the `?` sizes of the types were resolved)
  log sum(m2)
}

//--- argmax.sl
pipeline p {
  let a: f32[2, 0] = ones()
  log sum(argmax(a))
  // ARGMAX: argmax.sl:[[@LINE-1]]:11: error: `argmax` of a tensor whose last dimension is empty: there is no largest value
}

//--- computed.sl
param i: int = 3
pipeline p {
  let v: f32[3] = [1.0, 2.0, 3.0]
  log v[i] / 2.0
  log 1 / (i - 3)
}

//--- merge-t.sl
pipeline p {
  let kv: f32[4, 2, 3, 5] = zeros()
  log merge_layers(kv, 0, t: 1.5).bytes
  // MERGE-T: merge-t.sl:[[@LINE-1]]:30: error: `merge_layers`: t must lie in [0, 1], not 1.5
}

//--- merge-gamma.sl
pipeline p {
  let kv: f32[4, 2, 3, 5] = zeros()
  log merge_layers(kv, 0, gamma: 2).bytes
  // MERGE-GAMMA: merge-gamma.sl:[[@LINE-1]]:34: error: `merge_layers`: gamma must lie in [0, 1], not 2
}
