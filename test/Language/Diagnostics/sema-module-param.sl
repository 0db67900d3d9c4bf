// Only the main program declares flags.
// RUN: not sluice check -I %S/Inputs %s 2>&1 | FileCheck %s
use with_param
// CHECK: with_param.sl:2:1: error: `param` declares a flag of the program; only the main program has them (pass the value to the module's functions instead)
pipeline p {
}
