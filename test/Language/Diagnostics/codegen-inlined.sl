// A code-generation error inside inlined library code names the calls that
// led there.
// RUN: not sluice emit -I %S/Inputs %s 2>&1 | FileCheck %s
use intmath
pipeline p {
  log c: intmath.cube(2)
  // CHECK: intmath.sl:4:10: error: `pow` is generated for floats only
  // CHECK: codegen-inlined.sl:[[@LINE-2]]:10: note: called from here
}
