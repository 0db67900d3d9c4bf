// sluice-sample-ahead: right after a batch loop's sample, the next
// iteration's sample starts in the background, its operands recomputed for
// the next iteration.
// RUN: sluice-opt %s -sluice-sample-ahead -split-input-file | FileCheck %s

func.func private @train(!sluice.blocks)

// CHECK-LABEL: func.func @batches
// CHECK-SAME: (%[[G:[^:]*]]: !sluice.graph, %[[ORDER:[^:]*]]: tensor<?xi64>, %[[F:[^:]*]]: tensor<?xi64>, %[[BASE:[^:]*]]: i64, %[[N:[^:]*]]: index)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[N]] step %[[STEP:[^ ]*]]
// CHECK: %[[OFF:.*]] = arith.muli %[[I]], %[[C4:[^ ]*]]
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[ORDER]][%[[OFF]]] [4] [1]
// CHECK: %[[IDS:.*]] = tensor.cast %[[SLICE]]
// CHECK: %[[SEED:.*]] = arith.addi %[[BASE]], %{{.*}} : i64
// CHECK: %[[B:.*]] = sluice.sample %[[G]], %[[IDS]], %[[F]] seed %[[SEED]]
// CHECK: %[[NEXT:.*]] = arith.addi %[[I]], %[[STEP]] : index
// CHECK: %[[MORE:.*]] = arith.cmpi slt, %[[NEXT]], %[[N]] : index
// CHECK: scf.if %[[MORE]] {
// CHECK: %[[NOFF:.*]] = arith.muli %[[NEXT]], %[[C4]]
// CHECK: %[[NSLICE:.*]] = tensor.extract_slice %[[ORDER]][%[[NOFF]]] [4] [1]
// CHECK: %[[NIDS:.*]] = tensor.cast %[[NSLICE]]
// CHECK: %[[NI64:.*]] = arith.index_cast %[[NEXT]] : index to i64
// CHECK: %[[NSEED:.*]] = arith.addi %[[BASE]], %[[NI64]] : i64
// CHECK: sluice.sample_ahead %[[G]], %[[NIDS]], %[[F]] seed %[[NSEED]]
// CHECK: }
// CHECK: func.call @train(%[[B]])
func.func @batches(%g: !sluice.graph, %order: tensor<?xi64>, %f: tensor<?xi64>, %base: i64, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %n step %c1 {
    %off = arith.muli %i, %c4 : index
    %slice = tensor.extract_slice %order[%off] [4] [1] : tensor<?xi64> to tensor<4xi64>
    %ids = tensor.cast %slice : tensor<4xi64> to tensor<?xi64>
    %i64 = arith.index_cast %i : index to i64
    %seed = arith.addi %base, %i64 : i64
    %b = sluice.sample %g, %ids, %f seed %seed : !sluice.blocks
    func.call @train(%b) : (!sluice.blocks) -> ()
  }
  return
}

// -----

func.func private @train(!sluice.blocks)
func.func private @ids(index) -> tensor<?xi64>

// Left alone: a seed carried from the previous iteration (its next value is
// not known before this one ends); seeds from a call (not pure); a sample
// under an `scf.if` (the next iteration may not sample); and the epoch loop
// around an inner loop, whose next sample would wait a whole inner loop and
// hold up the inner loop's own samples.
// CHECK-LABEL: func.func @not_ahead
// CHECK-NOT: sluice.sample_ahead
// CHECK: return
func.func @not_ahead(%g: !sluice.graph, %order: tensor<?xi64>, %f: tensor<?xi64>, %n: index, %c: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s0 = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %last = scf.for %i = %c0 to %n step %c1 iter_args(%s = %s0) -> (i64) {
    %b = sluice.sample %g, %order, %f seed %s : !sluice.blocks
    func.call @train(%b) : (!sluice.blocks) -> ()
    %next = arith.addi %s, %one : i64
    scf.yield %next : i64
  }
  scf.for %i = %c0 to %n step %c1 {
    %ids = func.call @ids(%i) : (index) -> tensor<?xi64>
    %b = sluice.sample %g, %ids, %f seed %s0 : !sluice.blocks
    func.call @train(%b) : (!sluice.blocks) -> ()
  }
  scf.for %i = %c0 to %n step %c1 {
    scf.if %c {
      %b = sluice.sample %g, %order, %f seed %s0 : !sluice.blocks
      func.call @train(%b) : (!sluice.blocks) -> ()
    }
  }
  scf.for %epoch = %c0 to %n step %c1 {
    %e = arith.index_cast %epoch : index to i64
    %b = sluice.sample %g, %order, %f seed %e : !sluice.blocks
    func.call @train(%b) : (!sluice.blocks) -> ()
    scf.for %i = %c0 to %n step %c1 {
      func.call @train(%b) : (!sluice.blocks) -> ()
    }
  }
  return
}
