//===- Pipelines.cpp - Sluice's pass pipelines ----------------------------===//

#include "sluice/Compiler/Pipelines.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "sluice/Conversion/Passes.h"
#include "sluice/Dialect/Sluice/IR/SluiceDialect.h"
#include "sluice/Dialect/Sluice/Transforms/BufferizableOpInterfaceImpl.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/Transforms/InlinerInterfaceImpl.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace sluice {

void buildHighLevelPipeline(OpPassManager &pm,
                            const HighLevelOptions &options) {
  pm.addPass(mlir::sluice::createAutodiff());
  pm.addPass(mlir::sluice::createExpandTechniques());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(mlir::sluice::createPlaceTables());
  if (options.sortIndices)
    pm.addPass(mlir::sluice::createSortGatherIndices());
  pm.addPass(mlir::sluice::createAlignGathers());
  if (options.cuda && options.overlap)
    pm.addPass(mlir::sluice::createOverlapTransfers());
  // After the canonicalizer has moved loop-invariant operands out of the
  // loops, so that less of each sample's operands is recomputed.
  if (options.sampleAhead) {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(mlir::sluice::createSampleAhead());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Buffers to LLVM; with `unifiedHeap`, allocated through MLIR's generic
/// allocation functions, which libsluice_rt implements over CUDA managed
/// memory.
static void addBuffersToLLVM(OpPassManager &pm, bool unifiedHeap) {
  FinalizeMemRefToLLVMConversionPassOptions memrefs;
  memrefs.useGenericFunctions = unifiedHeap;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefs));
}

/// Loops, buffers, arithmetic and functions of the host code to LLVM;
/// with `unifiedHeap`, buffers come from the runtime's unified heap (MLIR's
/// generic allocation functions).
static void addHostToLLVM(OpPassManager &pm, bool unifiedHeap = false) {
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  addBuffersToLLVM(pm, unifiedHeap);
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
}

/// A tensor program to buffers: what both targets do first.
/// `aggregation`: sluice-expand-tensor-ops' option of that name;
/// `reductionsInward`: run sluice-interchange-reductions-inward.
static void addTensorProgramToBuffers(OpPassManager &pm, StringRef aggregation,
                                      bool reductionsInward) {
  pm.addPass(mlir::sluice::createConvertProgramToRuntime());
  // --checkpoint / --resume for the training loop, while it carries tensors.
  pm.addPass(mlir::sluice::createCheckpointLoops());
  // The technique ops of IR given straight to a lowering pipeline
  // (sluice-opt); after the driver's high-level passes there are none left.
  pm.addPass(mlir::sluice::createExpandTechniques());
  mlir::sluice::ExpandTensorOpsOptions expand;
  expand.aggregation = aggregation.str();
  pm.addPass(mlir::sluice::createExpandTensorOps(expand));
  // Elementwise arithmetic on tensors becomes linalg, so that everything a
  // Sluice program computes on tensors bufferizes and becomes loops.
  pm.addPass(createConvertElementwiseToLinalgPass());
  // Chains of elementwise ops become one loop nest (one kernel on a GPU),
  // each element's arithmetic unchanged. Canonicalization first folds the
  // sizes read from an intermediate, which count as further uses of it and
  // stop fusion; fusing makes new ones, so twice (the flagship's kernels:
  // 291 unfused, 195 after one round, 176 after two, no fewer after three).
  for (int round = 0; round < 2; ++round) {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createLinalgElementwiseOpFusionPass());
  }
  // Transposed matmul operands become indexing maps, not copies.
  pm.addPass(mlir::sluice::createFoldTransposeIntoMatmul());
  // On a GPU, reductions inside parallel loops, not around them: one kernel
  // per column sum, not a launch per row. (On the CPU a row-outer sum reads
  // memory in order and its per-row loops run inline; measured faster
  // there: examples/sage 5-10% slower with the interchange on 2 cores.)
  if (reductionsInward)
    pm.addPass(mlir::sluice::createInterchangeReductionsInward());
  pm.addPass(mlir::sluice::createBufferize());
}

/// Host math: erf and friends have no LLVM intrinsic, libm has them.
static void addHostMathToLLVM(OpPassManager &pm) {
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertMathToLLVMPass());
}

/// Index sorting by a bitmap where the ids are dense enough (0: never).
static void addExpandSortUnique(OpPassManager &pm, int64_t denseRange,
                                bool gpuScratch) {
  if (denseRange <= 0)
    return;
  mlir::sluice::ExpandSortUniqueOptions options;
  options.denseRange = denseRange;
  options.gpuScratch = gpuScratch;
  pm.addPass(mlir::sluice::createExpandSortUnique(options));
}

void buildLowerToCpuPipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options) {
  addTensorProgramToBuffers(pm, options.aggregation,
                            /*reductionsInward=*/false);
  addExpandSortUnique(pm, options.denseSortRange, /*gpuScratch=*/false);
  pm.addPass(mlir::sluice::createConvertSluiceToCPU());
  // Matrix products through OpenBLAS; the rest of linalg becomes loops,
  // whose parallel dimensions run on the runtime's thread pool.
  pm.addPass(mlir::sluice::createConvertLinalgToBlas());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(mlir::sluice::createConvertParallelLoopsToRuntime());
  addHostMathToLLVM(pm);
  addHostToLLVM(pm);
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Buffers through sluice_rt_alloc: too large a tensor is an error that
  // names it, not a null pointer written through.
  pm.addPass(mlir::sluice::createCheckHostAllocations());
}

void buildLowerToCudaPipeline(OpPassManager &pm,
                              const TargetPipelineOptions &options) {
  mlir::sluice::ConvertSluiceToGPUOptions gather;
  gather.maxThreads = options.gatherMaxThreads;
  if (options.tensorCode) {
    // Loops become kernels over managed memory (aggregation too, as
    // loops); the training loop, runtime calls and logs stay on the host.
    addTensorProgramToBuffers(pm, "loops", /*reductionsInward=*/true);
    // Index sorting as loops, so as kernels next to the ids.
    addExpandSortUnique(pm, options.denseSortRange, /*gpuScratch=*/false);
    pm.addPass(mlir::sluice::createConvertSluiceToGPU(gather));
    // Matrix products through cuBLAS, on the managed buffers (OpenBLAS when
    // the kernels are checked on the host).
    mlir::sluice::ConvertLinalgToBlasOptions cublas;
    if (!options.runKernelsOnHost)
      cublas.callee = "sluice_rt_gpu_matmul_f32";
    pm.addPass(mlir::sluice::createConvertLinalgToBlas(cublas));
    // Copies of buffers kernels write are kernels too, not host memcpys
    // that move managed pages to the host and back.
    pm.addPass(mlir::sluice::createConvertCopiesToLinalg());
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(mlir::sluice::createConvertParallelLoopsToGPU());
    pm.addPass(mlir::sluice::createCopyConstantsToHeap());
    if (options.runKernelsOnHost) {
      pm.addPass(mlir::sluice::createRunKernelsOnHost());
      addHostMathToLLVM(pm);
      // The aligned gathers' vector loads, which NVVM lowering would take.
      pm.addPass(createConvertVectorToLLVMPass());
      addHostToLLVM(pm, /*unifiedHeap=*/true);
      pm.addPass(createReconcileUnrealizedCastsPass());
      return;
    }
    // Runs of kernels with no host memory access between them wait once.
    pm.addPass(mlir::sluice::createChainKernelLaunches());
    // Loops a kernel cannot run (those that call the runtime) use the
    // host's cores.
    pm.addPass(mlir::sluice::createConvertParallelLoopsToRuntime());
  } else {
    pm.addPass(mlir::sluice::createConvertProgramToRuntime());
    // Index sorting as kernels only when asked for: the kernels read the
    // ids and write the results, and whether the GPU can reach a
    // buffer-level program's buffers is the program's business. Their
    // scratch is shared memory (memref.alloc is host memory here), and
    // only their loops become kernels.
    if (options.denseSortRange.hasValue() && options.denseSortRange > 0) {
      addExpandSortUnique(pm, options.denseSortRange, /*gpuScratch=*/true);
      mlir::sluice::ConvertParallelLoopsToGPUOptions sortLoops;
      sortLoops.markedOnly = true;
      pm.addPass(mlir::sluice::createConvertParallelLoopsToGPU(sortLoops));
      // The sort's kernels, queued back to back with one wait where the
      // host next reads (each waited for, they cost about as much again).
      pm.addPass(mlir::sluice::createChainKernelLaunches());
    }
    pm.addPass(mlir::sluice::createConvertSluiceToGPU(gather));
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(mlir::sluice::createNameKernelsAfterModules());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  // Math without CUDA's libdevice where possible.
  kernels.addPass(mlir::sluice::createExpandKernelMath());
  // scf.if left in a kernel fails NVVM translation: lower it first.
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  // The host: structured control flow first, then gpu-to-llvm, which also
  // converts the branches that carry !gpu.async.token values (a software-
  // pipelined batch loop), then everything else.
  pm.addPass(mlir::sluice::createReleaseStackTemporaries());
  addHostMathToLLVM(pm);
  pm.addPass(createSCFToControlFlowPass());
  if (options.tensorCode) {
    // Buffers first, from the unified heap: gpu-to-llvm would lower them
    // to malloc.
    pm.addPass(memref::createExpandStridedMetadataPass());
    addBuffersToLLVM(pm, /*unifiedHeap=*/true);
  }
  pm.addPass(createGpuToLLVMConversionPass());
  addHostToLLVM(pm);
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Allocations that fail name their place (the unified heap's, malloc's).
  pm.addPass(mlir::sluice::createCheckHostAllocations());
  // PTX text by default: `isa` needs no CUDA toolkit; `fatbin` (ptxas and
  // fatbinary at build time) spares the driver's JIT at the first run.
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.binaryFormat;
  binary.toolkitPath = options.cudaToolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void registerSluicePipelinePasses() {
  // The upstream passes the pipelines use, by name, so that tests can run any
  // step alone.
  registerTransformsPasses();
  registerConvertLinalgToParallelLoopsPass();
  registerLowerAffinePass();
  registerArithToLLVMConversionPass();
  registerConvertControlFlowToLLVMPass();
  registerConvertFuncToLLVMPass();
  registerGpuToLLVMConversionPass();
  registerConvertGpuOpsToNVVMOps();
  registerConvertIndexToLLVMPass();
  registerFinalizeMemRefToLLVMConversionPass();
  registerReconcileUnrealizedCastsPass();
  registerSCFToControlFlowPass();
  registerGPUPasses();
  memref::registerMemRefPasses();
  bufferization::registerBufferizationPasses();
  bufferization::registerBufferizationPipelines();
  mlir::sluice::registerSluiceConversionPasses();
  mlir::sluice::registerSluiceTransformsPasses();
}

void registerSluicePipelines() {
  PassPipelineRegistration<CpuPipelineOptions>(
      "sluice-lower-to-cpu",
      "lower sluice IR to the LLVM dialect for the CPU (libsluice_rt calls)",
      buildLowerToCpuPipeline);
  PassPipelineRegistration<TargetPipelineOptions>(
      "sluice-lower-to-cuda",
      "lower sluice IR to the LLVM dialect with PTX kernels for CUDA",
      buildLowerToCudaPipeline);
}

void registerSluiceDialects(DialectRegistry &registry) {
  registry.insert<mlir::sluice::SluiceDialect, affine::AffineDialect,
                  arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, gpu::GPUDialect, index::IndexDialect,
                  linalg::LinalgDialect, LLVM::LLVMDialect, math::MathDialect,
                  memref::MemRefDialect, NVVM::NVVMDialect, scf::SCFDialect,
                  tensor::TensorDialect, vector::VectorDialect>();
  func::registerInlinerExtension(registry);
  registry.insert<bufferization::BufferizationDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::sluice::registerBufferizableOpInterfaceExternalModels(registry);
  // convert-gpu-to-nvvm lowers kernel bodies through the ConvertToLLVM
  // interfaces of the dialects they contain.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  NVVM::registerConvertGpuToNVVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  vector::registerConvertVectorToLLVMInterface(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
}

} // namespace sluice
