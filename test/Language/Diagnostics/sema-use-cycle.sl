// RUN: not sluice check -I %S/Inputs %s 2>&1 | FileCheck %s
use cycle_a
// CHECK: cycle_b.sl:2:1: error: module `cycle_a` uses itself (a cycle of `use`s)
pipeline p {
}
