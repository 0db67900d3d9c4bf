//===- SluiceAttrs.td - sluice enums and attributes --------*- tablegen -*-===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICEATTRS_TD
#define SLUICE_DIALECT_SLUICE_IR_SLUICEATTRS_TD

include "sluice/Dialect/Sluice/IR/SluiceDialect.td"
include "mlir/IR/EnumAttr.td"

def Sluice_Placement : I32EnumAttr<"Placement",
    "where a feature table's rows live and how the GPU reaches them", [
      I32EnumAttrCase<"Auto", 0, "auto">,
      I32EnumAttrCase<"Device", 1, "device">,
      I32EnumAttrCase<"HostZeroCopy", 2, "host_zero_copy">,
      I32EnumAttrCase<"HostStaged", 3, "host_staged">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::sluice";
  let description = [{
    - `auto`: not decided yet; the placement pass chooses.
    - `device`: copied once into device memory.
    - `host_zero_copy`: page-locked host memory mapped into the device address
      space; GPU threads read the requested rows directly over PCIe.
    - `host_staged`: page-locked host memory; CPU threads gather the rows into
      a dense pinned buffer that is then copied by DMA (the conventional path).
  }];
}

def Sluice_PlacementAttr : EnumAttr<Sluice_Dialect, Sluice_Placement, "placement"> {
  let assemblyFormat = "`<` $value `>`";
}

def Sluice_AlignStrategy : I32EnumAttr<"AlignStrategy",
    "how a row gather keeps host reads on PCIe request boundaries", [
      I32EnumAttrCase<"Rotate", 0, "rotate">,
      I32EnumAttrCase<"Shift", 1, "shift">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::sluice";
}

def Sluice_AlignmentAttr : Sluice_Attr<"Alignment", "alignment"> {
  let summary = "PCIe address alignment of a zero-copy row gather";
  let description = [{
    Names the thread-to-element mapping that makes each warp's host reads start
    on a `bytes`-aligned boundary (`bytes` is the PCIe request size, 128 on
    current GPUs). With row size `R` bytes:

    - `rotate` (PyTorch-Direct): the thread for output byte offset `o` of a row
      copies offset `o' = o + ((out_row - in_row) mod bytes)`, wrapped into
      `[0, R)`. Source and destination addresses are then congruent modulo
      `bytes`. Needed only when `R > bytes` and `R mod bytes != 0`.
    - `shift` (DGL): with `shift = (source row address mod bytes) / elem_size`,
      thread `t` starts at column `t - shift` and strides by the block width;
      negative columns are skipped. Applied for rows of `2 * bytes` and more.

    Either mapping moves exactly the same elements as the naive gather: only
    which thread moves which element changes.

    Example: `#sluice.alignment<rotate, 128>`
  }];
  let parameters = (ins EnumParameter<Sluice_AlignStrategy>:$strategy,
                        "int64_t":$bytes);
  let assemblyFormat = "`<` $strategy `,` $bytes `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether this alignment changes any thread's reads for rows of
    /// `rowBytes` bytes.
    bool isUsefulFor(int64_t rowBytes) const;
  }];
}

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICEATTRS_TD
