// Type syntax: list types, table types, shapes and their dimensions.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
fn a(x: [int) {
// CHECK: parse-types.sl:[[@LINE-1]]:13: error: expected `]` to close the list type, found `)`
}
fn b(x: table<f32[N, 4]) {
// CHECK: parse-types.sl:[[@LINE-1]]:24: error: expected `>` to close the table type, found `)`
}
fn c(x: table<int>) {
// CHECK: parse-types.sl:[[@LINE-1]]:15: error: a table's row type is a tensor type such as `f32[N, 100]`
}
fn d(x: f32[N M]) {
// CHECK: parse-types.sl:[[@LINE-1]]:15: error: expected `,` between dimensions, found identifier `M`
}
fn e(x: f32[*, 2]) {
// CHECK: parse-types.sl:[[@LINE-1]]:14: error: expected `]` to close the shape, found `,`
}
fn f(x: f32[N, -1]) {
// CHECK: parse-types.sl:[[@LINE-1]]:16: error: expected a dimension (an integer, a name, or `?`), found `-`
}
