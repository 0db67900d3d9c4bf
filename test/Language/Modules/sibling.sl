// A module next to the program needs no flag.
// RUN: mkdir -p %t && cp %S/Inputs/sibling.sl %t/helpers.sl
// RUN: printf 'use helpers\npipeline p {\n  log d: helpers.double(1.5)\n}\n' > %t/main.sl
// RUN: sluice emit %t/main.sl | FileCheck %s
// CHECK: %[[D:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: sluice.log "d" %[[D]] : f32
