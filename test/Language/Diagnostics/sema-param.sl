// RUN: not sluice check %s 2>&1 | FileCheck %s
param base: int = 4
param size: int = base * 2
// CHECK: sema-param.sl:[[@LINE-1]]:19: error: the default of parameter `size` must be a constant (a number, string, bool or list of numbers)
param g: Graph
// CHECK: sema-param.sl:[[@LINE-1]]:10: error: a program parameter is a bool, int, f32, f64, str, path, [int] or [f32], not Graph
param epochs: int = 2.5
// CHECK: sema-param.sl:[[@LINE-1]]:21: error: the default of parameter `epochs` is f32, but the parameter is int
param lr: f32 = 1
param small: i32 = 3
// CHECK: sema-param.sl:[[@LINE-1]]:14: error: a program parameter is a bool, int, f32, f64, str, path, [int] or [f32], not i32
param ratios: [f64] = [0.5]
// CHECK: sema-param.sl:[[@LINE-1]]:15: error: a program parameter is a bool, int, f32, f64, str, path, [int] or [f32], not [f64]
param help: bool = false
// CHECK: sema-param.sl:[[@LINE-1]]:7: error: a parameter cannot be named `help`: every program's --help prints its flags, so --help could never set it
