// Generated loops on the runtime's thread pool
// (sluice-convert-parallel-loops-to-runtime): elementwise arithmetic with a
// broadcast, a row softmax and argmax (reductions inside parallel rows), an
// f64 matrix product (not BLAS: loops) and the uniform generator itself, each
// large enough to be split into chunks, checked against a float64 reference
// written independently in Python (Inputs/parallel-loops.py).
// RUN: sluice build %s -o %t
// RUN: env SLUICE_NUM_THREADS=4 %t > %t.four
// RUN: python3 %S/Inputs/parallel-loops.py 400 > %t.ref
// RUN: python3 %S/Inputs/compare.py %t.four %t.ref
// The iterations of a parallel loop are independent and reductions stay
// serial inside them, so any number of threads gives the same bits.
// RUN: env SLUICE_NUM_THREADS=1 %t > %t.one
// RUN: cmp %t.one %t.four
// RUN: env SLUICE_NUM_THREADS=3 %t --n 1001 > %t.three
// RUN: env SLUICE_NUM_THREADS=1 %t --n 1001 > %t.serial
// RUN: cmp %t.three %t.serial
// RUN: python3 %S/Inputs/parallel-loops.py 1001 > %t.ref2
// RUN: python3 %S/Inputs/compare.py %t.three %t.ref2
// Every loop above became a call into the pool.
// RUN: sluice emit --stage=llvm-mlir %s | FileCheck %s
// CHECK: llvm.func @p_parallel(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK: llvm.call @sluice_rt_parallel_for(
param n: int = 400

pipeline p {
  let x: f32[n, 300] = uniform(-1.0, 1.0, seed: 7)
  let b: f32[300] = uniform(-0.5, 0.5, seed: 8)
  let y = tanh(x * 2.0) + b
  log y_3_5: y[3, 5]
  log y_last: y[n - 1, 299]
  log relu_sum: sum(relu(y))
  let s = softmax(y)
  log s_17_42: s[17, 42]
  log s_row: sum(s) / f32(n)
  log picks: sum(argmax(y))
  let w: f64[300, 8] = uniform(-1.0, 1.0, seed: 9)
  let m = f64(x) @ w
  log m_123_4: m[123, 4]
  log m_sum: sum(m)
}
