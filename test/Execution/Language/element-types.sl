// Gathers, concat and reshape of i32 and bool tensors, which reached
// internal type errors: the values below are worked by hand.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// iv[ix] = [3, 1, 2]
// CHECK: gathered: 6
// [2, 4, 6] then [1, 2, 3]
// CHECK-NEXT: joined: 18
// CHECK-NEXT: reshaped: 6
// bv > 0.5 = [true, false, true]; rows 2 and 0 are both true.
// CHECK-NEXT: bools: 2
// CHECK-NEXT: second: 0
// An empty list takes the element type its annotation gives.
// CHECK-NEXT: empty: 0
pipeline p {
  let iv: i32[3] = [1, 2, 3]
  let ix: int[3] = [2, 0, 1]
  log gathered: sum(iv[ix])
  log joined: sum(concat(iv + iv, iv))
  log reshaped: sum(reshape(iv, [3, 1]))
  let bv: f32[3] = [1.0, 0.0, 2.0]
  let picks: int[2] = [2, 0]
  let b = bv > 0.5
  log bools: sum(int(b[picks]))
  let again: int[1] = [1]
  log second: sum(int(b[again]))
  let none: int[0] = []
  let nothing: f32[0] = []
  log empty: len(none) + len(nothing)
}
