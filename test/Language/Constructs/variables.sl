// `var`s are cells: loops carry them through iter_args and `if` yields them;
// a `let` is a plain value.
// RUN: sluice emit %s | FileCheck %s
// CHECK-LABEL: func.func @p()
pipeline p {
  var total = 0
  var best = 0.0
  for i in 0..10 {
    total = total + i
    if i > 5 {
      best = best + 1.0
    } else {
      best = best - 0.5
    }
  }
  log total
  log best
}
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[FIVE:.*]] = arith.constant 5 : i64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[FZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[R:.*]]:2 = scf.for %[[IV:.*]] = %c0 to %c10 step %c1 iter_args(%[[T:.*]] = %[[ZERO]], %[[B:.*]] = %[[FZERO]]) -> (i64, f32)
// CHECK:   %[[I:.*]] = arith.index_cast %[[IV]] : index to i64
// CHECK:   %[[SUM:.*]] = arith.addi %[[T]], %[[I]] : i64
// CHECK:   %[[C:.*]] = arith.cmpi sgt, %[[I]], %[[FIVE]] : i64
// CHECK:   %[[NEW:.*]] = scf.if %[[C]] -> (f32) {
// CHECK:     %[[UP:.*]] = arith.addf %[[B]], %[[ONE]] : f32
// CHECK:     scf.yield %[[UP]] : f32
// CHECK:   } else {
// CHECK:     %[[DOWN:.*]] = arith.subf %[[B]], %[[HALF]] : f32
// CHECK:     scf.yield %[[DOWN]] : f32
// CHECK:   scf.yield %[[SUM]], %[[NEW]] : i64, f32
// CHECK: sluice.log "total" %[[R]]#0 : i64
// CHECK: sluice.log "best" %[[R]]#1 : f32
