//===- Cublas.cpp - matrix products on the GPU through cuBLAS -------------===//

#include "sluice/Runtime/Cublas.h"
#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace sluice::rt {
namespace {

struct CublasState {
  std::once_flag loaded;
  CublasLibrary table{};
  bool ok = false;
  std::string whyNot;
  const CublasLibrary *testLibrary = nullptr;
  void *handle = nullptr;
  std::once_flag warned;
};

CublasState &state() {
  static CublasState *instance = new CublasState();
  return *instance;
}

void load(CublasState &s) {
  std::string tried;
  void *library = nullptr;
  auto attempt = [&](const char *name) {
    if (library)
      return;
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *reason = dlerror();
      tried +=
          std::string(tried.empty() ? "" : "; ") + (reason ? reason : name);
    }
  };
  if (const char *path = std::getenv("SLUICE_CUBLAS"))
    attempt(path);
  // The library path first, then the CUDA toolkit's default location.
  for (const char *name :
       {"libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so",
        "/usr/local/cuda/lib64/libcublas.so.13",
        "/usr/local/cuda/lib64/libcublas.so.12",
        "/usr/local/cuda/lib64/libcublas.so.11"})
    attempt(name);
  if (!library) {
    s.whyNot = "cuBLAS could not be loaded (" + tried +
               "); set SLUICE_CUBLAS to libcublas.so's path";
    return;
  }
  s.table.create = reinterpret_cast<decltype(s.table.create)>(
      dlsym(library, "cublasCreate_v2"));
  s.table.sgemm = reinterpret_cast<decltype(s.table.sgemm)>(
      dlsym(library, "cublasSgemm_v2"));
  if (!s.table.create || !s.table.sgemm) {
    s.whyNot =
        "the cuBLAS that was loaded has no cublasCreate_v2/cublasSgemm_v2";
    return;
  }
  s.ok = true;
}

} // namespace

const CublasLibrary *tryCublas(std::string *whyNot) {
  CublasState &s = state();
  if (s.testLibrary) {
    if (s.testLibrary->sgemm)
      return s.testLibrary;
    if (whyNot)
      *whyNot = "cuBLAS could not be loaded (test)";
    return nullptr;
  }
  std::call_once(s.loaded, [&] { load(s); });
  if (!s.ok && whyNot)
    *whyNot = s.whyNot;
  return s.ok ? &s.table : nullptr;
}

void setCublasForTesting(const CublasLibrary *library) {
  CublasState &s = state();
  s.testLibrary = library;
  s.handle = nullptr;
}

} // namespace sluice::rt

using namespace sluice::rt;

/// C += op(A) op(B) with plain loops over the thread pool: the fallback
/// without cuBLAS. Not OpenBLAS, which would add 25 MB to every CUDA
/// executable for a path that should not be taken.
static void matmulOnHost(int64_t m, int64_t n, int64_t k, const float *a,
                         int64_t lda, int64_t transA, const float *b,
                         int64_t ldb, int64_t transB, float *c, int64_t ldc) {
  // The host reads what kernels wrote: they are done (launches wait).
  parallelFor(m, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      for (int64_t t = 0; t < k; ++t) {
        float x = transA ? a[t * lda + i] : a[i * lda + t];
        for (int64_t j = 0; j < n; ++j)
          c[i * ldc + j] += x * (transB ? b[j * ldb + t] : b[t * ldb + j]);
      }
  });
}

extern "C" void sluice_rt_gpu_matmul_f32(int64_t m, int64_t n, int64_t k,
                                         intptr_t a, int64_t lda,
                                         int64_t transA, intptr_t b,
                                         int64_t ldb, int64_t transB,
                                         intptr_t c, int64_t ldc) {
  sluice::rt::ProfileScope profile(__func__);
  if (m == 0 || n == 0)
    return;
  const CudaDriver &driver = cudaDriver(); // a current context for cuBLAS
  std::string whyNot;
  const CublasLibrary *cublas = tryCublas(&whyNot);
  CublasState &s = state();
  if (!cublas) {
    std::call_once(s.warned, [&] {
      std::fprintf(stderr,
                   "sluice: warning: %s; matrix products run on the CPU, "
                   "slowly\n",
                   whyNot.c_str());
    });
    matmulOnHost(m, n, k, reinterpret_cast<const float *>(a), lda, transA,
                 reinterpret_cast<const float *>(b), ldb, transB,
                 reinterpret_cast<float *>(c), ldc);
    return;
  }
  if (!s.handle) {
    int status = cublas->create(&s.handle);
    if (status != 0)
      fatalError("cublasCreate failed with status " + std::to_string(status));
  }
  // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T, and a
  // row-major matrix with rows `ld` apart is its transpose in column-major
  // order with the same leading dimension: so B comes first, then A, with
  // their own transposes, and the result needs no transposing.
  auto leading = [](int64_t ld, int64_t columns) {
    return int(ld > columns ? ld : (columns > 0 ? columns : 1));
  };
  int ldA = leading(lda, transA ? m : k), ldB = leading(ldb, transB ? k : n),
      ldC = leading(ldc, n);
  const float one = 1.0f;
  int status =
      cublas->sgemm(s.handle, transB ? kCublasTrans : kCublasNoTrans,
                    transA ? kCublasTrans : kCublasNoTrans, int(n), int(m),
                    int(k), &one, reinterpret_cast<const float *>(b), ldB,
                    reinterpret_cast<const float *>(a), ldA, &one,
                    reinterpret_cast<float *>(c), ldC);
  if (status != 0)
    fatalError("cublasSgemm failed with status " + std::to_string(status) +
               " (" + std::to_string(m) + " x " + std::to_string(n) + " x " +
               std::to_string(k) + ")");
  // The host may read C next, or free an operand: wait for the product,
  // queued on the handle's stream (the default one), and only for it, so
  // that a gather overlapped on a stream of its own keeps running.
  checkCuda(driver.cuStreamSynchronize(nullptr), "cuStreamSynchronize");
}
