// sluice-opt registers the sluice dialect and the upstream dialects Sluice's
// IR mixes with it.
// RUN: sluice-opt --show-dialects | FileCheck %s
// CHECK: Available Dialects:
// CHECK-SAME: arith
// CHECK-SAME: func
// CHECK-SAME: gpu
// CHECK-SAME: memref
// CHECK-SAME: scf
// CHECK-SAME: sluice
// CHECK-SAME: tensor
