//===- SluiceTypes.td - sluice types -----------------------*- tablegen -*-===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_TD
#define SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_TD

include "sluice/Dialect/Sluice/IR/SluiceAttrs.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

def Sluice_TableType : Sluice_Type<"Table", "table",
    [ShapedTypeInterface]> {
  let summary = "a feature table: rows of equal shape with a placement";
  let description = [{
    A table of `rows` rows, each of the row shape that follows, with an element
    type and a placement (`auto`, `device`, `host_zero_copy`, `host_staged`).
    Tables are what gathers read from; their memory is owned by the runtime
    (a host table is page-locked and, for zero-copy, mapped exactly once).
    Any dimension may be dynamic (`?`), bound from data at run time.

    Example: `!sluice.table<?x100xf32, host_zero_copy>` is a table of any
    number of rows of 100 `f32` features (400 bytes a row) read zero-copy.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType,
                        EnumParameter<Sluice_Placement>:$placement);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let skipDefaultBuilders = 0;
  let extraClassDeclaration = [{
    bool hasRank() const { return true; }
    ::mlir::ShapedType cloneWith(std::optional<::llvm::ArrayRef<int64_t>> shape,
                                 ::mlir::Type elementType) const;
    /// The same table with another placement.
    TableType withPlacement(Placement placement) const;
    /// The shape of one row (every dimension but the first).
    ::llvm::ArrayRef<int64_t> getRowShape() const {
      return getShape().drop_front();
    }
    /// Bytes per row, when the row shape and element size are static.
    std::optional<int64_t> getRowBytes() const;
  }];
}

def Sluice_StreamType : Sluice_Type<"Stream", "stream"> {
  let summary = "an ordered queue of device work";
  let description = [{
    Work enqueued on a stream (a gather `on` it) runs in order, concurrently
    with work on other streams and with the host; `sluice.stream_sync` waits
    on the host for everything enqueued so far. The overlap pass issues the
    next batch's gather on a stream of its own. Lowers to a CUDA stream.
  }];
}

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_TD
