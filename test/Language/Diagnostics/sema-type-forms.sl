// Lists hold numbers, and a table's rows have exactly two dimensions.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
fn a(flags: [bool]) {
// CHECK: sema-type-forms.sl:[[@LINE-1]]:13: error: lists hold numbers (`[int]`, `[f32]`), not bool
}
fn b(nested: [[int]]) {
// CHECK: sema-type-forms.sl:[[@LINE-1]]:14: error: lists hold numbers (`[int]`, `[f32]`), not [int]
}
fn c(rows: table<f32[4]>) {
// CHECK: sema-type-forms.sl:[[@LINE-1]]:18: error: a table is two-dimensional (rows, columns), as in `table<f32[N, 100]>`
}
fn d(cube: table<f32[N, 4, 4]>) {
// CHECK: sema-type-forms.sl:[[@LINE-1]]:18: error: a table is two-dimensional (rows, columns), as in `table<f32[N, 100]>`
}
