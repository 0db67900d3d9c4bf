// int(...) and i32(...) of a float round toward zero; a value past the
// integer's range, or NaN, stops the program with the place (the hardware's
// answer would be meaningless).
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: a: -7
// CHECK-NEXT: b: -7
// CHECK-NEXT: c: 2
// CHECK-NEXT: d: 3
// RUN: not %t --big 1e20 2>&1 | FileCheck %s --check-prefix=TENSOR
// TENSOR: sluice: error: {{.*}}float-to-int.sl:25:14: `int(...)`: 1 value(s) NaN or outside the range of int
// RUN: not %t --small 3e9 2>&1 | FileCheck %s --check-prefix=I32
// I32: sluice: error: {{.*}}float-to-int.sl:23:10: `i32(...)`: the value is NaN or outside the range of i32
// 2^63 is just past int's range; -2^63 is its last value (and past i32's).
// RUN: not %t --big 9223372036854775808 2>&1 | FileCheck %s --check-prefix=TENSOR
// RUN: not %t --small -9223372036854775808 2>&1 | FileCheck %s --check-prefix=LOWEST
// LOWEST: a: -9223372036854775808
// LOWEST-NEXT: sluice: error: {{.*}}float-to-int.sl:23:10: `i32(...)`
param big: f32 = 3.0
param small: f32 = -7.9
pipeline p {
  log a: int(small)
  log b: i32(small)
  let v: f32[3] = [1.5, big, -2.5]
  log c: sum(int(v))
  log d: int(big)
}
