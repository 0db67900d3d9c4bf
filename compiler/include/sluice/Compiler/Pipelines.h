//===- Pipelines.h - Sluice's pass pipelines --------------------*- C++ -*-===//
//
// The pipelines `sluice`, `sluice-opt` and the tests share. Registered once
// as `sluice-lower-to-cpu` and `sluice-lower-to-cuda`, built by the `sluice`
// driver stage by stage.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_COMPILER_PIPELINES_H
#define SLUICE_COMPILER_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace sluice {

/// Options of the target pipelines.
struct TargetPipelineOptions
    : public mlir::PassPipelineOptions<TargetPipelineOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("the GPU to generate code for"),
                           llvm::cl::init("sm_90")};
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("optimization level of the PTX "
                                           "code generator (0-3)"),
                            llvm::cl::init(3)};
  Option<int64_t> gatherMaxThreads{
      *this, "gather-max-threads",
      llvm::cl::desc("the most threads a zero-copy gather kernel may occupy"),
      llvm::cl::init(10240)};
  Option<std::string> binaryFormat{
      *this, "binary-format",
      llvm::cl::desc("what kernels are embedded as: 'isa' (PTX, compiled by "
                     "the driver at the first run) or 'fatbin' (machine code "
                     "for the chip plus PTX; needs the CUDA toolkit's ptxas "
                     "and fatbinary at build time)"),
      llvm::cl::init("isa")};
  Option<std::string> cudaToolkit{
      *this, "cuda-toolkit",
      llvm::cl::desc("the CUDA toolkit for binary-format=fatbin"),
      llvm::cl::init("")};
  Option<bool> tensorCode{
      *this, "tensor-code",
      llvm::cl::desc("the module is a tensor program (bufferize it, run its "
                     "loops as kernels over unified memory), not buffer-level "
                     "gathers"),
      llvm::cl::init(false)};
  Option<bool> runKernelsOnHost{
      *this, "run-kernels-on-host",
      llvm::cl::desc("with tensor-code: run the kernels as host loops and "
                     "the matrix products on OpenBLAS, to check the CUDA "
                     "lowering on a machine without a GPU"),
      llvm::cl::init(false)};
  Option<int64_t> denseSortRange{
      *this, "dense-sort-range",
      llvm::cl::desc("sort gather indices with a bitmap (parallel loops) "
                     "while the largest is below this many times their "
                     "count; 0: always the runtime's sort"),
      llvm::cl::init(1024)};
};

/// What the high-level passes do beyond what every program gets.
struct HighLevelOptions {
  bool cuda = false;
  /// CUDA: gather the next batch while this one computes.
  bool overlap = true;
  /// Gather in sorted, distinct order (not yet measured to pay end to end,
  /// see docs/performance.md).
  bool sortIndices = false;
  /// Sample the next batch's blocks in the background.
  bool sampleAhead = true;
};

/// The high-level passes on sluice + tensor/memref IR (the `lowered` stage):
/// canonicalization, placement, index sorting, alignment, the software
/// pipelining of batch loops for CUDA, and sampling ahead, as `options` say.
void buildHighLevelPipeline(mlir::OpPassManager &pm,
                            const HighLevelOptions &options = {});

/// From the `lowered` stage to the LLVM dialect for the CPU: sluice ops
/// become libsluice_rt calls, loops and buffers become LLVM.
/// Options of the CPU lowering (`sluice-opt --sluice-lower-to-cpu=...`).
struct CpuPipelineOptions
    : public mlir::PassPipelineOptions<CpuPipelineOptions> {
  Option<std::string> aggregation{
      *this, "aggregation",
      llvm::cl::desc("aggregate_mean through the runtime's function "
                     "('runtime') or as generated loops ('loops', what CUDA "
                     "uses)"),
      llvm::cl::init("runtime")};
  Option<int64_t> denseSortRange{
      *this, "dense-sort-range",
      llvm::cl::desc("sort gather indices with a bitmap (parallel loops) "
                     "while the largest is below this many times their "
                     "count; 0: always the runtime's sort"),
      llvm::cl::init(32)};
};

void buildLowerToCpuPipeline(mlir::OpPassManager &pm,
                             const CpuPipelineOptions &options = {});

/// From the `lowered` stage to the LLVM dialect for CUDA: gathers become
/// gpu.launch kernels, kernels are outlined and compiled to PTX with LLVM's
/// NVPTX back end (embedded as gpu.binary), and the host side calls the
/// mgpu* runtime ABI.
void buildLowerToCudaPipeline(mlir::OpPassManager &pm,
                              const TargetPipelineOptions &options);

/// Registers Sluice's passes and the upstream passes its pipelines use.
void registerSluicePipelinePasses();

/// Registers the two target pipelines with the pass registry (for
/// `sluice-opt --sluice-lower-to-cpu` and friends).
void registerSluicePipelines();

/// Every dialect, interface and translation Sluice's pipelines need.
void registerSluiceDialects(mlir::DialectRegistry &registry);

} // namespace sluice

#endif // SLUICE_COMPILER_PIPELINES_H
