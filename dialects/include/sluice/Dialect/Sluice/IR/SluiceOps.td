//===- SluiceOps.td - sluice operations --------------------*- tablegen -*-===//
//
// Family 0 holds what a front end's programs need around the techniques
// (parameters, data, sampling, training); then comes one op family per
// technique of shared/design/TECHNIQUES.md. Each op's description states
// exactly what it computes; lowerings and tests hold the ops to that text.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_TD
#define SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_TD

include "sluice/Dialect/Sluice/IR/SluiceTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/SymbolInterfaces.td"

// The gpu dialect's async token and interface, named here rather than through
// GPUBase.td so that the gpu dialect's enums stay out of Sluice's generated code
// and reference.
def Sluice_AsyncToken : Type<
    CPred<"::llvm::isa<::mlir::gpu::AsyncTokenType>($_self)">,
    "gpu async token", "::mlir::gpu::AsyncTokenType">,
    BuildableType<"::mlir::gpu::AsyncTokenType::get($_builder.getContext())">;
def Sluice_GPUAsyncOpInterface : OpInterface<"AsyncOpInterface"> {
  let cppNamespace = "::mlir::gpu";
}

// A table constraint with the generic C++ type, so that op formats print
// `!sluice.table<...>` in full rather than the dialect-stripped `<...>`.
def Sluice_AnyTable : Type<CPred<"::llvm::isa<::mlir::sluice::TableType>($_self)">,
    "feature table">;

def Sluice_IndexTensor : 1DTensorOf<[AnySignlessInteger, Index]>;
def Sluice_IndexMemRef : MemRefRankOf<[AnySignlessInteger, Index], [1]>;
def Sluice_GatherSource : AnyTypeOf<[Sluice_AnyTable, AnyRankedTensor],
    "a feature table or a ranked tensor">;
def Sluice_FloatVector : 1DTensorOf<[AnyFloat]>;
// Per-sample positions in MaM's ops: signed integers an index fits in.
def Sluice_PositionVector : 1DTensorOf<[I32, I64, Index]>;

//===----------------------------------------------------------------------===//
// Family 0: programs, data and training
//===----------------------------------------------------------------------===//

// The one-dimensional i64 tensor of dynamic size that fields, parameters and
// the sampler use for node ids and fanouts.
def Sluice_I64Vector : Type<CPred<"$_self == ::mlir::RankedTensorType::get("
    "{::mlir::ShapedType::kDynamic}, "
    "::mlir::IntegerType::get($_self.getContext(), 64))">,
    "tensor<?xi64>", "::mlir::RankedTensorType">,
    BuildableType<"::mlir::RankedTensorType::get("
                  "{::mlir::ShapedType::kDynamic}, $_builder.getI64Type())">;

def Sluice_FieldObject : AnyTypeOf<[Sluice_GraphType, Sluice_DatasetType,
    Sluice_BlocksType, Sluice_BlockType, Sluice_AnyTable],
    "a graph, dataset, blocks, block or feature table">;

def Sluice_ParamOp : Sluice_Op<"param", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "a program parameter, set by a command-line flag";
  let description = [{
    Declares the parameter `@name` of the program, of type `type`: the
    compiled program reads it from the command-line flag `--name`, and
    `sluice.param_value @name` reads its value. With a default (the
    `default_value` attribute, written after `=`), the flag may be left out
    and the parameter takes that value; without one, the flag is required.
    `doc` is the flag's help text. Parameters live at the top of the module.

    The type is one of `i64`, `i1`, `f32`, `f64`, `!sluice.str`,
    `tensor<?xi64>` or `tensor<?xf32>` (a comma-separated list on the command
    line), and the default has that type: an integer for `i64`, `true` or
    `false` for `i1`, a float of the same type for `f32` and `f64`, a string
    for `!sluice.str`, and a dense 1-D tensor of static size with the same
    element type for the tensor types. Integer and float defaults are written
    without their type, which is the parameter's.

    Examples:
    ```mlir
    sluice.param @epochs : i64 = 5 doc "passes over the data"
    sluice.param @lr : f32 = 1.000000e-02
    sluice.param @graph : !sluice.str = "builtin:sbm"
    sluice.param @fanout : tensor<?xi64> = dense<[15, 10]> : tensor<2xi64>
    sluice.param @seed : i64
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttr:$type,
                       OptionalAttr<AnyAttr>:$default_value,
                       OptionalAttr<StrAttr>:$doc);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def Sluice_ParamValueOp : Sluice_Op<"param_value", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the value of a program parameter";
  let description = [{
    The value the program was given for the parameter `@param` (its flag, or
    else its default). `@param` names a `sluice.param` of the nearest symbol
    table, and the result has that parameter's type.

    Example:
    ```mlir
    %epochs = sluice.param_value @epochs : i64
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$param);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$param attr-dict `:` type($result)";
}

def Sluice_StringOp : Sluice_Op<"string", [Pure, ConstantLike]> {
  let summary = "a constant string";
  let description = [{
    The string `value`.

    Example:
    ```mlir
    %path = sluice.string "data/cora" : !sluice.str
    ```
  }];
  let arguments = (ins StrAttr:$value);
  let results = (outs Sluice_StrType:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
  let hasFolder = 1;
}

def Sluice_LoadGraphOp : Sluice_Op<"load_graph"> {
  let summary = "load a graph from a path or a built-in name";
  let description = [{
    Reads the graph that `source` names: a path to a graph on disk, or
    `builtin:<name>` for one of the runtime's built-in graphs (e.g.
    `builtin:sbm`, a stochastic block model). The result holds the graph's
    CSR topology, its `f32` feature table, its `i64` labels and its train,
    valid and test splits (see `!sluice.graph`). A source that cannot be read
    or parsed stops the program with an error that names it. The op reads
    files, so it is neither removed nor merged with another load.

    Example:
    ```mlir
    %g = sluice.load_graph %path : !sluice.graph
    ```
  }];
  let arguments = (ins Sluice_StrType:$source);
  let results = (outs Sluice_GraphType:$graph);
  let assemblyFormat = "$source attr-dict `:` type($graph)";
}

def Sluice_LoadDatasetOp : Sluice_Op<"load_dataset"> {
  let summary = "load a tabular or image dataset from a path or built-in name";
  let description = [{
    Reads the dataset that `source` names: a path to a dataset on disk, or
    `builtin:<name>` for one of the runtime's built-in datasets. The result
    holds the `f32` feature table (one row per sample), the `i64` labels and
    the train, valid and test splits (see `!sluice.dataset`). A source that
    cannot be read or parsed stops the program with an error that names it.
    The op reads files, so it is neither removed nor merged with another
    load.

    Example:
    ```mlir
    %d = sluice.load_dataset %path : !sluice.dataset
    ```
  }];
  let arguments = (ins Sluice_StrType:$source);
  let results = (outs Sluice_DatasetType:$dataset);
  let assemblyFormat = "$source attr-dict `:` type($dataset)";
}

def Sluice_FieldOp : Sluice_Op<"field", [Pure]> {
  let summary = "read a named field of a graph, dataset, blocks or table";
  let description = [{
    The part `field` of `object`. The fields and their types are:

    | object | field | result |
    |--------|-------|--------|
    | `!sluice.graph` | `features` | rank-2 `f32` table (`!sluice.table<?x?xf32, P>`, any placement) |
    | | `labels`, `train`, `valid`, `test` | `tensor<?xi64>` |
    | | `num_nodes`, `num_edges`, `num_classes` | `index` |
    | `!sluice.dataset` | `features` | rank-2 `f32` table |
    | | `labels`, `train`, `valid`, `test` | `tensor<?xi64>` |
    | | `num_samples`, `num_classes` | `index` |
    | `!sluice.blocks` | `inputs`, `seeds` | `tensor<?xi64>` |
    | | `num_layers` | `index` |
    | `!sluice.block` | `num_src`, `num_dst` | `index` |
    | `!sluice.table` | `rows`, `cols` | `index` |

    `labels[i]` is the class of node or sample `i`; `train`, `valid` and
    `test` list node or sample ids. `inputs` are the src nodes of the
    outermost layer (the rows to gather features for) and `seeds` the dst
    nodes of the last layer. A table's `cols` is the number of elements in one
    row: its second dimension for a rank-2 table, the product of its row
    shape in general (1 for a table of rank 1).

    Example:
    ```mlir
    %x = sluice.field %g["features"]
        : !sluice.graph -> !sluice.table<?x?xf32, auto>
    %n = sluice.field %g["num_nodes"] : !sluice.graph -> index
    ```
  }];
  let arguments = (ins Sluice_FieldObject:$object, StrAttr:$field);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $object `[` $field `]` attr-dict `:` type($object) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Sluice_ShuffleOp : Sluice_Op<"shuffle", [Pure,
    AllTypesMatch<["indices", "result"]>]> {
  let summary = "a seeded random permutation of indices";
  let description = [{
    A permutation of `indices` determined by `seed` alone: with `n` values,
    `result` starts as a copy of `indices`, then for `i` from `n - 1` down to
    `1` (Fisher-Yates), `j = next() mod (i + 1)` (unsigned) and `result[i]`
    and `result[j]` are swapped. `next()` is splitmix64 with the state
    starting at `seed` (as an unsigned 64-bit value):

    ```
    state += 0x9E3779B97F4A7C15
    z = state
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    return z ^ (z >> 31)
    ```

    The same indices and seed always give the same order; a training loop
    passes `seed + epoch` for a new order each epoch.

    Example:
    ```mlir
    %order = sluice.shuffle %train seed %s : tensor<?xi64>
    ```
  }];
  let arguments = (ins 1DTensorOf<[I64]>:$indices, I64:$seed);
  let results = (outs 1DTensorOf<[I64]>:$result);
  let assemblyFormat = "$indices `seed` $seed attr-dict `:` type($indices)";
}

def Sluice_SampleOp : Sluice_Op<"sample", [Pure]> {
  let summary = "uniform neighbor sampling of a mini-batch's blocks";
  let description = [{
    Samples the message-flow blocks of a GNN with `L = dim(fanouts, 0)`
    layers around the nodes `seeds`, as DGL's `NeighborSampler(fanouts)`
    does: `fanouts[l]` is the fanout of layer `l`, and the blocks are
    returned input first, so layer `0` is the outermost hop and layer
    `L - 1` has the seeds as its dst nodes.

    Sampling starts at the seeds and works outwards, from layer `L - 1` down
    to layer `0`. For layer `l`, with dst nodes `D` (the seeds for layer
    `L - 1`, else the src nodes of layer `l + 1`): each dst node `d`, in
    order, keeps all of its in-neighbors (in CSR order) when it has at most
    `fanouts[l]` of them or `fanouts[l] = -1`, and otherwise `fanouts[l]` of
    them chosen uniformly without replacement. The layer's src nodes are `D`
    followed by the sampled neighbors not in `D`, in order of first
    appearance; its edges run from each sampled neighbor to `d`. The random
    choices are a partial Fisher-Yates over a copy of `d`'s in-neighbor list
    of length `n`: for `k` from `0` to `fanouts[l] - 1`,
    `j = k + next() mod (n - k)` (unsigned), entries `k` and `j` swap, and
    entry `k` is the `k`-th chosen neighbor. `next()` is the splitmix64
    generator of `sluice.shuffle`, with one stream per dst node: for the
    node at position `i` of layer `l`, the state starts at
    `f(seed ^ (l << 56) ^ i)`, where `f` is splitmix64's output function
    (`z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9`,
    `z = (z ^ (z >> 27)) * 0x94D049BB133111EB`, `z ^ (z >> 31)`). The same
    graph, seeds, fanouts and seed give the same blocks, and the nodes'
    draws are independent of each other (so they can run in parallel). A seed outside `[0, num_nodes)` or a fanout
    below `-1` is a run-time error.

    Example:
    ```mlir
    %blocks = sluice.sample %g, %batch, %fanout seed %s : !sluice.blocks
    ```
  }];
  let arguments = (ins Sluice_GraphType:$graph, Sluice_I64Vector:$seeds,
                       Sluice_I64Vector:$fanouts, I64:$seed);
  let results = (outs Sluice_BlocksType:$blocks);
  let assemblyFormat = [{
    $graph `,` $seeds `,` $fanouts `seed` $seed attr-dict `:` type($blocks)
  }];
}

def Sluice_SampleAheadOp : Sluice_Op<"sample_ahead",
    [MemoryEffects<[MemWrite]>]> {
  let summary = "start a later sluice.sample in the background";
  let description = [{
    Starts sampling what `sluice.sample` with the same operands returns, on
    a thread of its own, under this op's source location. A
    `sluice.sample` at the same location whose operands turn out to be the
    same (the graph, every seed and fanout, and the seed) then takes that
    result, or its run-time error, instead of sampling; one whose operands
    differ samples itself. So the op changes when sampling happens, never
    what any sample returns: a sample is a function of its operands.
    `sluice-sample-ahead` puts one after a batch loop's sample, for the
    next iteration's operands.

    Example:
    ```mlir
    sluice.sample_ahead %g, %next_batch, %fanouts seed %next_seed
    ```
  }];
  let arguments = (ins Sluice_GraphType:$graph, Sluice_I64Vector:$seeds,
                       Sluice_I64Vector:$fanouts, I64:$seed);
  let assemblyFormat = [{
    $graph `,` $seeds `,` $fanouts `seed` $seed attr-dict
  }];
}

def Sluice_BlockLayerOp : Sluice_Op<"block_layer", [Pure]> {
  let summary = "one layer's block of a mini-batch";
  let description = [{
    Layer `layer` of `blocks`, counted input first as `sluice.sample` returns
    them (layer `0` is the outermost hop). A layer outside
    `[0, num_layers)` is a run-time error.

    Example:
    ```mlir
    %b0 = sluice.block_layer %blocks[%c0] : !sluice.block
    ```
  }];
  let arguments = (ins Sluice_BlocksType:$blocks, Index:$layer);
  let results = (outs Sluice_BlockType:$block);
  let assemblyFormat = "$blocks `[` $layer `]` attr-dict `:` type($block)";
}

def Sluice_AggregateMeanOp : Sluice_Op<"aggregate_mean", [Pure]> {
  let summary = "mean of each dst node's sampled in-neighbors' rows";
  let description = [{
    `x` has one row per src node of `block` (`dim(x, 0) = num_src`). For each
    dst node `d` of the block:

    ```
    result[d, ...] = (1 / |N(d)|) * sum over s in N(d) of x[s, ...]
    ```

    where `N(d)` are the src ends of `d`'s sampled edges (counted once per
    edge); a dst node with no sampled edge gets a row of zeros. The result
    has one row per dst node and the row shape and element type of `x`.

    Example:
    ```mlir
    %h = sluice.aggregate_mean %b0, %x : tensor<?x16xf32> -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins Sluice_BlockType:$block,
                       RankedTensorOf<[AnyFloat]>:$x);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $block `,` $x attr-dict `:` type($x) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Sluice_AggregateMeanGradOp : Sluice_Op<"aggregate_mean_grad", [Pure]> {
  let summary = "the transpose of aggregate_mean: spread dst rows to srcs";
  let description = [{
    The adjoint of `sluice.aggregate_mean` (which is linear in `x`): `g` has
    one row per dst node of `block`, the result one row per src node. For
    each src node `s`:

    ```
    result[s, ...] = sum over sampled edges (s, d) of g[d, ...] / |N(d)|
    ```

    with `N(d)` as in `sluice.aggregate_mean` (a dst node without sampled
    edges contributes nothing). Reverse-mode differentiation emits it.

    Example:
    ```mlir
    %dx = sluice.aggregate_mean_grad %b0, %g : tensor<?x16xf32> -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins Sluice_BlockType:$block,
                       RankedTensorOf<[AnyFloat]>:$g);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $block `,` $g attr-dict `:` type($g) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Sluice_GradOp : Sluice_Op<"grad", [Pure]> {
  let summary = "the gradient of a loss with respect to values";
  let description = [{
    Result `i` is the gradient of `loss` with respect to `wrt[i]`: a value of
    `wrt[i]`'s type whose every element is the partial derivative of `loss`
    with respect to that element of `wrt[i]`. The computation from the `wrt`
    values to `loss` must lie in the same region as the op; reverse-mode
    automatic differentiation expands the op into that computation's adjoint. A `wrt`
    value that `loss` does not depend on has a zero gradient.

    `loss` is a float scalar or a 0-d float tensor; each `wrt` value is a
    float scalar or a ranked float tensor.

    Example:
    ```mlir
    %dw, %db = sluice.grad %loss wrt %w, %b
        : f32, tensor<?x4xf32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyType:$loss, Variadic<AnyType>:$wrt);
  let results = (outs Variadic<AnyType>:$gradients);
  let assemblyFormat = [{
    $loss `wrt` $wrt attr-dict `:` type($loss) `,`
    custom<GradTypes>(type($wrt), type($gradients))
  }];
  let hasVerifier = 1;
}

def Sluice_RandomUniformOp : Sluice_Op<"random_uniform", [Pure,
    TypesMatchWith<"low has the result's element type", "result", "low",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).getElementType()">,
    TypesMatchWith<"high has the result's element type", "result", "high",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).getElementType()">]> {
  let summary = "a tensor of seeded uniform random values";
  let description = [{
    Fills a tensor of the result type, whose dynamic dimensions are
    `dynamic_sizes` in order, with values drawn uniformly from `[low, high)`.
    The generator is counter-based: the element at row-major position `k`
    depends only on `seed` and `k`,

    ```
    z_k = mix(seed + (k + 1) * 0x9E3779B97F4A7C15)   (unsigned 64-bit)
    u_k = (z_k >> 11) * 2^-53                        (in [0, 1))
    result[k] = low + (high - low) * u_k
    ```

    where `mix` is splitmix64's output function (the last four lines of
    `next()` in `sluice.shuffle`), so that `z_k` is output `k + 1` of
    splitmix64 seeded with `seed`. The arithmetic is in `f64`, then rounded to
    the element type.

    Example:
    ```mlir
    %w = sluice.random_uniform %lo, %hi seed 7 [%n] : tensor<?x16xf32>
    %b = sluice.random_uniform %lo, %hi seed 8 : tensor<16xf32>
    ```
  }];
  let arguments = (ins AnyFloat:$low, AnyFloat:$high,
                       Variadic<Index>:$dynamic_sizes, I64Attr:$seed);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $low `,` $high `seed` $seed (` ` `[` $dynamic_sizes^ `]`)? attr-dict `:`
    type($result)
  }];
  let hasVerifier = 1;
}

def Sluice_LogOp : Sluice_Op<"log", [MemoryEffects<[MemWrite]>]> {
  let summary = "write a named value to the program's log";
  let description = [{
    Writes `label` and `value` to the program's log: one line on the
    terminal and, when the program was given a metrics file, one record in
    it. `value` is an integer or float scalar or a 0-d tensor of one.

    Example:
    ```mlir
    sluice.log "loss" %loss : f32
    ```
  }];
  let arguments = (ins StrAttr:$label, AnyType:$value);
  let assemblyFormat = "$label $value attr-dict `:` type($value)";
  let hasVerifier = 1;
}

def Sluice_ArgmaxOp : Sluice_Op<"argmax", [Pure]> {
  let summary = "the index of the largest value along the last axis";
  let description = [{
    For each position of all but the last dimension, the index along the
    last dimension of the largest value of `x`: the lowest such index among
    equal values, and a NaN ranks above every number (the first NaN wins).
    The result has `x`'s shape without its last dimension, with `i64`
    elements; the last dimension must not be empty.

    Example:
    ```mlir
    %pred = sluice.argmax %logits : tensor<?x10xf32> -> tensor<?xi64>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$x);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Sluice_TakeAlongOp : Sluice_Op<"take_along", [Pure]> {
  let summary = "pick one column of each row: result[i] = x[i, labels[i]]";
  let description = [{
    `result[i] = x[i, labels[i]]` for every row `i` of the `[N, C]` tensor
    `x`, such as the log-probability of each sample's true class. A label
    outside `[0, C)` is a run-time error.

    Example:
    ```mlir
    %picked = sluice.take_along %logp, %labels
        : tensor<?x10xf32>, tensor<?xi64> -> tensor<?xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$x, Sluice_IndexTensor:$labels);
  let results = (outs Sluice_FloatVector:$result);
  let assemblyFormat = [{
    $x `,` $labels attr-dict `:` type($x) `,` type($labels) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Family 1: GPU-oriented feature gathering
//===----------------------------------------------------------------------===//

def Sluice_MakeTableOp : Sluice_Op<"make_table", [Pure]> {
  let summary = "give a host buffer the role of a feature table";
  let description = [{
    Makes the contiguous row-major host buffer `buffer` a feature table with
    the placement of the result type. The runtime then owns the memory's
    mapping: `device` copies it once into device memory, `host_zero_copy`
    page-locks it and maps it into the device address space (registered
    exactly once), `host_staged` page-locks it for DMA, and `auto` leaves the
    choice to the placement pass. The rows are not copied on the host.

    Example:
    ```mlir
    %t = sluice.make_table %features
        : memref<?x100xf32> -> !sluice.table<?x100xf32, host_zero_copy>
    ```
  }];
  let arguments = (ins AnyMemRef:$buffer);
  let results = (outs Sluice_AnyTable:$table);
  let assemblyFormat = "$buffer attr-dict `:` type($buffer) `->` type($table)";
  let hasVerifier = 1;
}

def Sluice_GatherOp : Sluice_Op<"gather", [Pure]> {
  let summary = "gather rows of a table or tensor by index";
  let description = [{
    `result[i, ...] = source[indices[i], ...]` for every `i` in
    `[0, dim(indices, 0))`. Indices may repeat and come in any order; an empty
    index list gives an empty result. An index outside `[0, rows)` is an error
    the runtime reports at run time, never a silent read.

    The optional `aligned<strategy, bytes>` attribute (see
    `#sluice.alignment`) selects the PCIe-aligned thread mapping for a
    zero-copy host table; it never changes the result, only which GPU thread
    moves which element. The source may also be a ranked tensor, which is how
    the sorted-index rewrite scatters rows back through its inverse
    permutation.

    Example:
    ```mlir
    %rows = sluice.gather %table[%idx] aligned<rotate, 128>
        : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64>
        -> tensor<?x100xf32>
    ```
  }];
  let arguments = (ins Sluice_GatherSource:$source,
                       Sluice_IndexTensor:$indices,
                       OptionalAttr<Sluice_AlignmentAttr>:$alignment);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $source `[` $indices `]` (`aligned` `` $alignment^)? attr-dict `:`
    type($source) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Sluice_GatherIntoOp : Sluice_Op<"gather_into", [Sluice_GPUAsyncOpInterface,
    AttrSizedOperandSegments]> {
  let summary = "buffer-level row gather, optionally asynchronous";
  let description = [{
    The buffer form of `sluice.gather`: writes `source[indices[i], ...]` into
    `dest[i, ...]`. With `async`, the gather is enqueued after the given
    `!gpu.async.token` dependencies and returns a token that completes when
    `dest` is written; this is what the overlap pass issues on a second stream
    so that the gather for batch `t + 1` runs while batch `t` computes.

    The source may also be a buffer (what bufferizing a tensor-level gather
    from a tensor gives); it is read like a device table.

    With `on %stream` instead, the gather is enqueued on that stream and the
    op returns at once; `sluice.stream_sync` observes its completion. A gather
    on a stream takes no async dependencies and gives no token.

    Examples:
    ```mlir
    %done = sluice.gather_into async [%ready] %table[%idx] into %buf
        aligned<rotate, 128>
        : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>,
          memref<?x100xf32>
    sluice.gather_into on %stream %table[%idx] into %buf
        : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>,
          memref<?x100xf32>
    ```
  }];
  let arguments = (ins Variadic<Sluice_AsyncToken>:$asyncDependencies,
                       Optional<Sluice_StreamType>:$stream,
                       Arg<AnyTypeOf<[Sluice_AnyTable, AnyMemRef]>, "",
                           [MemRead]>:$source,
                       Arg<Sluice_IndexMemRef, "", [MemRead]>:$indices,
                       Arg<AnyMemRef, "", [MemWrite]>:$dest,
                       OptionalAttr<Sluice_AlignmentAttr>:$alignment);
  let results = (outs Optional<Sluice_AsyncToken>:$asyncToken);
  let extraClassDeclaration = [{
    /// The source as a table type; a buffer source counts as a device table.
    TableType getSourceTable();
  }];
  let assemblyFormat = [{
    `` custom<AsyncDependencies>(type($asyncToken), $asyncDependencies)
    (`on` $stream^)? $source `[` $indices `]` `into` $dest
    (`aligned` `` $alignment^)?
    attr-dict `:` type($source) `,` type($indices) `,` type($dest)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Sluice_StreamCreateOp : Sluice_Op<"stream_create"> {
  let summary = "create a stream for asynchronous device work";
  let description = [{
    Example: `%s = sluice.stream_create : !sluice.stream`
  }];
  let results = (outs Sluice_StreamType:$stream);
  let assemblyFormat = "attr-dict `:` type($stream)";
}

def Sluice_StreamSyncOp : Sluice_Op<"stream_sync"> {
  let summary = "wait on the host for the work enqueued on a stream";
  let description = [{
    Returns when everything enqueued on `stream` before it has completed; the
    stream stays usable. Example: `sluice.stream_sync %s : !sluice.stream`
  }];
  let arguments = (ins Sluice_StreamType:$stream);
  let assemblyFormat = "$stream attr-dict `:` type($stream)";
}

def Sluice_StreamDestroyOp : Sluice_Op<"stream_destroy"> {
  let summary = "wait for and release a stream";
  let description = [{
    Waits for the work enqueued on `stream`, then releases it; the stream
    must not be used afterwards.
    Example: `sluice.stream_destroy %s : !sluice.stream`
  }];
  let arguments = (ins Sluice_StreamType:$stream);
  let assemblyFormat = "$stream attr-dict `:` type($stream)";
}

def Sluice_SortUniqueOp : Sluice_Op<"sort_unique", [Pure]> {
  let summary = "sort and de-duplicate indices, with the inverse map";
  let description = [{
    `unique` holds the distinct values of `indices` in ascending order and
    `inverse[i]` is the position of `indices[i]` in `unique`, so that
    `unique[inverse[i]] == indices[i]` for every `i`. Gathering by `unique`
    and then gathering the gathered rows by `inverse` gives the same result as
    gathering by `indices`, with better locality in host memory (DGL measured
    up to 4x).

    Example:
    ```mlir
    %unique, %inverse = sluice.sort_unique %idx
        : tensor<?xi64> -> tensor<?xi64>, tensor<?xindex>
    ```
  }];
  let arguments = (ins Sluice_IndexTensor:$indices);
  let results = (outs Sluice_IndexTensor:$unique, Sluice_IndexTensor:$inverse);
  let assemblyFormat = [{
    $indices attr-dict `:` type($indices) `->` type($unique) `,` type($inverse)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Sluice_SortUniqueIntoOp : Sluice_Op<"sort_unique_into"> {
  let summary = "buffer-level sort_unique";
  let description = [{
    The buffer form of `sluice.sort_unique`: writes the distinct values of
    `indices` in ascending order to the front of `unique` and, for each `i`,
    the position of `indices[i]` among them to `inverse[i]`; returns how many
    distinct values there are. `unique` must hold at least as many values as
    `indices` (the count is known only when the op has run).

    Example:
    ```mlir
    %n = sluice.sort_unique_into %idx into %unique, %inverse
        : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
    ```
  }];
  let arguments = (ins Arg<Sluice_IndexMemRef, "", [MemRead]>:$indices,
                       Arg<Sluice_IndexMemRef, "", [MemWrite]>:$unique,
                       Arg<Sluice_IndexMemRef, "", [MemWrite]>:$inverse);
  let results = (outs Index:$count);
  let assemblyFormat = [{
    $indices `into` $unique `,` $inverse attr-dict `:` type($indices) `,`
    type($unique) `,` type($inverse) `->` type($count)
  }];
  let hasVerifier = 1;
}

def Sluice_ToDeviceOp : Sluice_Op<"to_device", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "explicit host-to-device transfer of a tensor value";
  let description = [{
    The value is unchanged; the op marks where a host-resident tensor is
    copied to device memory (the staged path's DMA copy, or moving labels and
    seeds to the GPU). Transferring a value that was just transferred is a
    no-op and folds away.

    Example:
    ```mlir
    %d = sluice.to_device %rows : tensor<?x100xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Family 2: cross-layer KV-cache merging (MiniCache)
//===----------------------------------------------------------------------===//

def Sluice_MergeLayersOp : Sluice_Op<"merge_layers", [Pure,
    AllTypesMatch<["previous", "current", "direction"]>,
    AllTypesMatch<["previous_magnitude", "current_magnitude"]>,
    TypesMatchWith<"t has the states' element type", "previous", "t",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).getElementType()">,
    TypesMatchWith<"gamma has the states' element type", "previous", "gamma",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).getElementType()">]> {
  let summary = "merge adjacent layer pairs of K or V states (MiniCache)";
  let description = [{
    `previous` and `current` are `[..., T, H]` states (K or V, all heads
    concatenated) of layers `l - 1` and `l`: `T` tokens of width `H`, for
    any number of pairs in the leading dimensions, each merged on its own.
    Per token `i` of a pair:

    ```
    m_a = |previous[i]|, u_a = previous[i] / m_a
    m_b = |current[i]|,  u_b = current[i] / m_b
    Omega = arccos(u_a . u_b), computed as 2 atan2(|u_a - u_b|, |u_a + u_b|)
    direction[i] = sin((1 - t) Omega) / sin(Omega) * u_a
                 + sin(t Omega) / sin(Omega) * u_b        (SLERP)
    ```

    The `atan2` form is exact for equal directions, where `arccos` of a
    rounded dot product is off by about 4e-4 rad in f32. When `Omega` is
    below 1e-4 the normalized linear interpolation
    `normalize((1 - t) u_a + t u_b)` replaces SLERP, and a zero vector has
    magnitude 0 and the direction of the other layer.
    `previous_magnitude[i] = m_a` and `current_magnitude[i] = m_b`.

    Token retention: with `d_i = Omega_i / pi`, the tokens with
    `d_i > d_min + gamma * (d_max - d_min)` (min and max over the pair's `T`
    tokens) are kept unmerged: `retained[i]` is set for them. A mask rather
    than a list of indices keeps every pair's result the same shape, so that
    all pairs merge at once; the stored form lists the set tokens and their
    original vectors (`sluice.restore_layer` reads only those).

    `t` and `gamma` are scalars of the states' element type in `[0, 1]`; a
    value outside stops the program at the op (the lowering checks it: the
    verifier looks at no other op, so folding cannot make valid IR
    invalid). The paper's defaults are `t = 0.6`,
    `gamma = 0.05`, merging from layer `L / 2`. MiniCache has no public
    code: these formulas are the best reading of the paper and live here
    (and in the `sluice-expand-techniques` pass that lowers them), in one
    place, to be adjusted.

    Example:
    ```mlir
    %e, %ma, %mb, %keep = sluice.merge_layers %k10, %k11 t %t gamma %gamma
        : tensor<?x4096xf32> -> tensor<?xf32>, tensor<?xi1>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$previous,
                       RankedTensorOf<[AnyFloat]>:$current,
                       AnyFloat:$t, AnyFloat:$gamma);
  let results = (outs RankedTensorOf<[AnyFloat]>:$direction,
                      RankedTensorOf<[AnyFloat]>:$previous_magnitude,
                      RankedTensorOf<[AnyFloat]>:$current_magnitude,
                      RankedTensorOf<[I1]>:$retained);
  let assemblyFormat = [{
    $previous `,` $current `t` $t `gamma` $gamma attr-dict `:`
    type($previous) `->` type($previous_magnitude) `,` type($retained)
  }];
  let hasVerifier = 1;
}

def Sluice_RestoreLayerOp : Sluice_Op<"restore_layer", [Pure,
    AllTypesMatch<["direction", "retained_values", "result"]>]> {
  let summary = "restore one layer's states from merged pairs (MiniCache)";
  let description = [{
    `result[i] = retained_values[i]` for every token `i` whose `retained` bit
    is set (the layer's unmerged originals), and
    `result[i] = magnitude[i] * direction[i]` for every other token. The
    states are `[..., T, H]`, the magnitudes and the mask `[..., T]`, as
    `sluice.merge_layers` gives them; rows of `retained_values` whose bit is
    clear are not read.

    Example:
    ```mlir
    %k10 = sluice.restore_layer %e scaled %ma retain %keep = %k10_original
        : tensor<?x4096xf32>, tensor<?xf32>, tensor<?xi1>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$direction,
                       RankedTensorOf<[AnyFloat]>:$magnitude,
                       RankedTensorOf<[I1]>:$retained,
                       RankedTensorOf<[AnyFloat]>:$retained_values);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $direction `scaled` $magnitude `retain` $retained `=` $retained_values
    attr-dict `:` type($direction) `,` type($magnitude) `,` type($retained)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Family 3: loss-ranked mini-batch selection
//===----------------------------------------------------------------------===//

def Sluice_SelectHardestOp : Sluice_Op<"select_hardest", [Pure]> {
  let summary = "the floor(delta * N) batches with the largest recorded loss";
  let description = [{
    `losses` holds the last recorded loss of each of the `N` fixed batches.
    The result lists the indices of the `floor(delta * N)` batches with the
    largest loss, in ascending index order (the order they are then trained
    in). Among equal losses the lower batch index ranks first; a NaN loss
    ranks above every number, so a diverging batch is revisited rather than
    silently dropped. `delta` must lie in `(0, 1]`; `delta = 1` selects every
    batch, which is plain mini-batch training.

    `delta` is either a constant attribute (`delta = 0.5`, checked here) or an
    `f64` operand known only at run time (a program parameter; the lowering
    checks its range). A constant operand folds into the attribute.

    Example:
    ```mlir
    %sel = sluice.select_hardest %losses delta = 5.000000e-01
        : tensor<40xf32> -> tensor<20xindex>
    %any = sluice.select_hardest %losses delta %d
        : tensor<?xf32> -> tensor<?xindex>
    ```
  }];
  let arguments = (ins Sluice_FloatVector:$losses, Optional<F64>:$dynamic_delta,
                       OptionalAttr<F64Attr>:$delta);
  let results = (outs Sluice_IndexTensor:$selected);
  let assemblyFormat = [{
    $losses `delta` (`=` $delta^)? ($dynamic_delta^)? attr-dict `:`
    type($losses) `->` type($selected)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Sluice_RecordLossOp : Sluice_Op<"record_loss", [Pure,
    AllTypesMatch<["losses", "result"]>,
    TypesMatchWith<"the loss has the losses' element type", "losses", "loss",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).getElementType()">]> {
  let summary = "record the loss of one batch";
  let description = [{
    The result equals `losses` except at `batch`, where it holds `loss`.
    Recording twice at the same batch keeps only the later value. An index
    outside `[0, N)` is a run-time error.

    Example:
    ```mlir
    %l2 = sluice.record_loss %loss into %losses[%i] : tensor<40xf32>
    ```
  }];
  let arguments = (ins AnyFloat:$loss, Sluice_FloatVector:$losses,
                       Index:$batch);
  let results = (outs Sluice_FloatVector:$result);
  let assemblyFormat = [{
    $loss `into` $losses `[` $batch `]` attr-dict `:` type($losses)
  }];
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Family 4: marginal self-consistency (MaM)
//===----------------------------------------------------------------------===//

def Sluice_ConditionalNllOp : Sluice_Op<"conditional_nll", [Pure,
    AllTypesMatch<["variable", "value"]>]> {
  let summary = "the any-order autoregressive loss term of MaM's conditional network";
  let description = [{
    For each sample `b` of a batch of `B`:

    ```
    result[b] = -log_softmax(conditional_logits[b, variable[b], :])[value[b]]
    ```

    the negative log-likelihood the conditional network `p_phi` gives the
    variable `sigma(d)` added by one step of a random order, at its observed
    value; `D * mean(result)` estimates the network's negative
    log-likelihood of the samples (the any-order autoregressive loss that
    trains it before the marginal network is distilled from it).
    `conditional_logits`, `variable` and `value` are as in
    `sluice.mam_residual`; out-of-range entries are run-time errors, unless
    the op is marked `in_bounds` (as there).

    Example:
    ```mlir
    %nll = sluice.conditional_nll %logits[%var, %val]
        : tensor<?x100x2xf32>, tensor<?xi64> -> tensor<?xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$conditional_logits,
                       Sluice_PositionVector:$variable,
                       Sluice_PositionVector:$value,
                       UnitAttr:$in_bounds);
  let results = (outs Sluice_FloatVector:$result);
  let assemblyFormat = [{
    $conditional_logits `[` $variable `,` $value `]` (`in_bounds` $in_bounds^)?
    attr-dict `:` type($conditional_logits) `,` type($variable) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Sluice_MamResidualOp : Sluice_Op<"mam_residual", [Pure,
    AllTypesMatch<["marginal_current", "marginal_previous", "result"]>,
    AllTypesMatch<["variable", "value"]>]> {
  let summary = "the marginal self-consistency residual of MaM";
  let description = [{
    For each sample `b` of a batch of `B`, with `f = log p_theta` the marginal
    network's output on the partially observed sample, `x_prev` observing the
    first `d - 1` variables of a random order and `x_cur` the first `d`:

    ```
    result[b] = marginal_current[b] - marginal_previous[b]
              - log_softmax(conditional_logits[b, variable[b], :])[value[b]]
    ```

    `conditional_logits` is `[B, D, K]`: the conditional network's logits on
    `x_prev`. `variable[b]` in `[0, D)` is the variable `sigma(d)` added, and
    `value[b]` in `[0, K)` its observed value as a 0-based class (data values
    `1..K` of the paper minus one; 0 there encodes "unknown"). Out-of-range
    entries are run-time errors, unless the op is marked `in_bounds`: then
    its producer guarantees them in range (the language's
    `self_consistency` draws the variable in `[0, D)` and checks the values
    itself), the lowering checks nothing, and an entry out of range is
    undefined behavior. The last term is `sluice.conditional_nll`.

    Example:
    ```mlir
    %r = sluice.mam_residual %f_cur, %f_prev, %logits[%var, %val]
        : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
    ```
  }];
  let arguments = (ins Sluice_FloatVector:$marginal_current,
                       Sluice_FloatVector:$marginal_previous,
                       RankedTensorOf<[AnyFloat]>:$conditional_logits,
                       Sluice_PositionVector:$variable,
                       Sluice_PositionVector:$value,
                       UnitAttr:$in_bounds);
  let results = (outs Sluice_FloatVector:$result);
  let assemblyFormat = [{
    $marginal_current `,` $marginal_previous `,` $conditional_logits
    `[` $variable `,` $value `]` (`in_bounds` $in_bounds^)? attr-dict `:`
    type($marginal_current) `,` type($conditional_logits) `,` type($variable)
  }];
  let hasVerifier = 1;
}

def Sluice_MamPenaltyOp : Sluice_Op<"mam_penalty", [Pure,
    AllTypesMatch<["marginal_empty", "result"]>]> {
  let summary = "the self-consistency penalty of MaM";
  let description = [{
    `result = num_vars * mean(residual^2) + (marginal_empty - log_z)^2`, where
    `marginal_empty` is the marginal network's output with every variable
    unknown and `log_z` the log normalizer it must match (0 for maximum
    likelihood; `D log 2` for binary spins in energy-based training). The
    residual batch must not be empty.

    Example:
    ```mlir
    %p = sluice.mam_penalty %r, %f_empty num_vars = 100
        log_z = 0.000000e+00 : tensor<?xf32>, f32
    ```
  }];
  let arguments = (ins Sluice_FloatVector:$residual, AnyFloat:$marginal_empty,
                       I64Attr:$num_vars, F64Attr:$log_z);
  let results = (outs AnyFloat:$result);
  let assemblyFormat = [{
    $residual `,` $marginal_empty `num_vars` `=` $num_vars `log_z` `=` $log_z
    attr-dict `:` type($residual) `,` type($marginal_empty)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_TD
