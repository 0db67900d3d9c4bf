//===- SluiceDialect.td - The sluice dialect ---------------*- tablegen -*-===//
//
// The `sluice` dialect: the ops Sluice needs to express four published
// training-pipeline techniques so that passes can place, align, overlap and
// lower them.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICEDIALECT_TD
#define SLUICE_DIALECT_SLUICE_IR_SLUICEDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Sluice_Dialect : Dialect {
  let name = "sluice";
  let cppNamespace = "::mlir::sluice";
  let summary = "Training-pipeline techniques: feature gathering, KV-cache "
                "merging, loss-ranked batching, marginal self-consistency";
  let description = [{
    The `sluice` dialect carries four technique families at tensor level, with
    exact semantics, so that Sluice's passes can reason about them before they
    are lowered to upstream dialects, and a family 0 of what a front end's
    programs need around them:

    0. Programs, data and training: parameters set by command-line flags
       (`sluice.param`), strings, loaded graphs and datasets and their
       fields, seeded shuffling and DGL-style neighbor sampling into
       per-layer blocks, mean aggregation over a block, seeded random
       initialization, gradients, logging, `argmax` and `take_along`.
    1. GPU-oriented feature gathering (Min et al., VLDB 2021): feature tables
       that live in device memory or in host memory read zero-copy by the GPU
       (`!sluice.table`), row gathers with PCIe address alignment, index
       sorting, explicit host-to-device transfers, and an asynchronous
       buffer-level gather that the overlap pass schedules on its own stream.
    2. Cross-layer KV-cache merging (MiniCache, NeurIPS 2024): merge an
       adjacent pair of layers' states into one direction, two magnitude
       vectors and the retained outlier tokens; restore either layer.
    3. Loss-ranked mini-batch selection (Sahayam et al., 2023): pick the
       `floor(delta * N)` batches with the largest recorded loss.
    4. The marginal self-consistency residual and penalty of marginalization
       models (MaM, Liu et al.).

    Upstream types are used wherever they fit: tensors for values, memrefs for
    buffers, `!gpu.async.token` for asynchronous dependencies.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerTypesAndAttributes();
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::gpu::GPUDialect"
  ];
}

class Sluice_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sluice_Dialect, mnemonic, traits>;

class Sluice_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Sluice_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

class Sluice_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Sluice_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICEDIALECT_TD
