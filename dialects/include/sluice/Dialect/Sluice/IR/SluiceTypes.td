//===- SluiceTypes.td - sluice types -----------------------*- tablegen -*-===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_TD
#define SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_TD

include "sluice/Dialect/Sluice/IR/SluiceAttrs.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

//===----------------------------------------------------------------------===//
// Family 0: programs, data and training
//===----------------------------------------------------------------------===//

def Sluice_StrType : Sluice_Type<"Str", "str"> {
  let summary = "a string value: a path or a text";
  let description = [{
    An immutable string of bytes, such as the path or `builtin:` name that a
    `sluice.load_graph` reads, or a program parameter's text. Made by
    `sluice.string` or read from a `sluice.param` of this type.

    Example: `%s = sluice.string "builtin:sbm" : !sluice.str`
  }];
}

def Sluice_GraphType : Sluice_Type<"Graph", "graph"> {
  let summary = "a loaded graph: topology, features, labels and splits";
  let description = [{
    A graph that `sluice.load_graph` read, owned by the runtime: its topology
    in CSR form (for each node, the list of its in-neighbors), a feature table
    with one row of `f32` features per node, one `i64` class label per node
    and the node ids of the train, valid and test splits. `sluice.field`
    reads its parts: `features`, `labels`, `train`, `valid`, `test`,
    `num_nodes`, `num_edges`, `num_classes`.
  }];
}

def Sluice_DatasetType : Sluice_Type<"Dataset", "dataset"> {
  let summary = "a loaded tabular or image dataset: features, labels, splits";
  let description = [{
    A dataset that `sluice.load_dataset` read, owned by the runtime: a feature
    table with one row of `f32` features per sample (an image is flattened
    into its row), one `i64` class label per sample and the sample ids of the
    train, valid and test splits. `sluice.field` reads its parts: `features`,
    `labels`, `train`, `valid`, `test`, `num_samples`, `num_classes`.
  }];
}

def Sluice_BlocksType : Sluice_Type<"Blocks", "blocks"> {
  let summary = "the sampled message-flow blocks of one mini-batch";
  let description = [{
    What `sluice.sample` returns: one `!sluice.block` per GNN layer, input
    layer first (as DGL returns them), so that layer `0` is the outermost
    hop and the last layer's dst nodes are the seeds. `sluice.field` reads
    `inputs` (the src nodes of layer 0, whose features the batch gathers),
    `seeds` (the dst nodes of the last layer) and `num_layers`;
    `sluice.block_layer` picks one layer.
  }];
}

def Sluice_BlockType : Sluice_Type<"Block", "block"> {
  let summary = "one layer's sampled block: src nodes, dst nodes, edges";
  let description = [{
    The bipartite graph of one GNN layer: `num_src` src nodes, `num_dst` dst
    nodes and the sampled edges from src to dst nodes. The dst nodes are the
    first `num_dst` src nodes, in the same order, so that a layer's output
    rows (one per dst node) are the next layer's input rows. Rows of the
    tensors a block is applied to are numbered by its src nodes
    (`sluice.aggregate_mean`); `sluice.field` reads `num_src` and `num_dst`.
  }];
}

//===----------------------------------------------------------------------===//
// Family 1: GPU-oriented feature gathering
//===----------------------------------------------------------------------===//

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
