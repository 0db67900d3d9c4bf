//===- Blas.cpp - matrix products through OpenBLAS ------------------------===//
//
// The one BLAS entry point generated code calls. cblas_sgemm is declared
// here (its ABI is fixed) rather than taken from cblas.h, whose copy in
// /usr/include depends on which BLAS the alternatives system selected.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Blas.h"
#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"

#include <algorithm>
#include <mutex>

namespace {
enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
} // namespace

extern "C" void cblas_sgemm(int order, int transA, int transB, int m, int n,
                            int k, float alpha, const float *a, int lda,
                            const float *b, int ldb, float beta, float *c,
                            int ldc);

extern "C" void openblas_set_num_threads(int threads);

extern "C" void sluice_rt_matmul_f32(int64_t m, int64_t n, int64_t k,
                                     intptr_t a, int64_t lda, int64_t transA,
                                     intptr_t b, int64_t ldb, int64_t transB,
                                     intptr_t c, int64_t ldc) {
  sluice::rt::ProfileScope profile(__func__);
  if (m == 0 || n == 0)
    return;
  // BLAS wants a leading dimension of at least one (and at least the row
  // length), even for an operand with no elements to read.
  auto leading = [](int64_t ld, int64_t columns) {
    return int(ld > columns ? ld : (columns > 0 ? columns : 1));
  };
  // One thread pool, not two: OpenBLAS's own threads spin-yield between
  // calls and took a quarter of the CPU from the runtime's pool and the
  // generated code (measured on examples/sage), so OpenBLAS runs
  // single-threaded inside the runtime's parallelFor, over blocks of C's rows
  // (or of its columns when it has few rows).
  static std::once_flag single;
  std::call_once(single, [] { openblas_set_num_threads(1); });
  const float *pa = reinterpret_cast<const float *>(a);
  const float *pb = reinterpret_cast<const float *>(b);
  float *pc = reinterpret_cast<float *>(c);
  // Stored row lengths: A is m x k, or k x m transposed; B k x n or n x k.
  int ldA = leading(lda, transA ? m : k), ldB = leading(ldb, transB ? k : n),
      ldC = leading(ldc, n);
  int opA = transA ? Trans : NoTrans, opB = transB ? Trans : NoTrans;
  int64_t threads = sluice::rt::numThreads();
  // Below about a million multiply-adds a split costs more than it saves.
  if (threads == 1 || m * n * k < (int64_t(1) << 20)) {
    cblas_sgemm(RowMajor, opA, opB, int(m), int(n), int(k), 1.0f, pa, ldA, pb,
                ldB, 1.0f, pc, ldC);
    return;
  }
  bool byRows = m >= 16 * threads;
  int64_t extent = byRows ? m : n;
  // Column blocks stay multiples of 16 floats (64 bytes) wide.
  int64_t align = byRows ? 1 : 16;
  int64_t block = (extent + threads - 1) / threads;
  block = (block + align - 1) / align * align;
  sluice::rt::parallelFor(
      (extent + block - 1) / block, 1, [&](int64_t first, int64_t last) {
        for (int64_t part = first; part < last; ++part) {
          int64_t begin = part * block;
          int64_t size = std::min(block, extent - begin);
          if (size <= 0)
            continue;
          // Rows begin.. of op(A) start at row `begin` of A, or column
          // `begin` of A when it is stored transposed; likewise for op(B)'s
          // columns.
          if (byRows)
            cblas_sgemm(RowMajor, opA, opB, int(size), int(n), int(k), 1.0f,
                        pa + (transA ? begin : begin * ldA), ldA, pb, ldB, 1.0f,
                        pc + begin * ldC, ldC);
          else
            cblas_sgemm(RowMajor, opA, opB, int(m), int(size), int(k), 1.0f, pa,
                        ldA, pb + (transB ? begin * ldB : begin), ldB, 1.0f,
                        pc + begin, ldC);
        }
      });
}
