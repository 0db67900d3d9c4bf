//===- SluiceOps.td - sluice operations --------------------*- tablegen -*-===//
//
// One op family per technique of shared/design/TECHNIQUES.md. Each op's
// description states exactly what it computes; lowerings and tests hold the
// ops to that text.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_TD
#define SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_TD

include "sluice/Dialect/Sluice/IR/SluiceTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

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
    AllTypesMatch<["retained_previous", "retained_current"]>]> {
  let summary = "merge an adjacent layer pair of K or V states (MiniCache)";
  let description = [{
    `previous` and `current` are the `[T, H]` states (K or V, all heads
    concatenated) of layers `l - 1` and `l`. Per token `i`:

    ```
    m_a = |previous[i]|, u_a = previous[i] / m_a
    m_b = |current[i]|,  u_b = current[i] / m_b
    Omega = arccos(clamp(u_a . u_b, -1, 1))
    direction[i] = sin((1 - t) Omega) / sin(Omega) * u_a
                 + sin(t Omega) / sin(Omega) * u_b        (SLERP)
    ```

    When `Omega` is tiny (below 1e-4) the normalized linear interpolation
    `normalize((1 - t) u_a + t u_b)` replaces SLERP, and a zero vector has
    magnitude 0 and direction `u` of the other layer. `previous_magnitude[i] =
    m_a` and `current_magnitude[i] = m_b`.

    Token retention: with `d_i = Omega_i / pi`, the tokens with
    `d_i > d_min + gamma * (d_max - d_min)` (min and max over the `T` tokens)
    are kept unmerged: `retained` lists their indices in ascending order and
    `retained_previous` / `retained_current` their original vectors.

    `t` must lie in `[0, 1]` and `gamma` in `[0, 1]`; the paper's defaults are
    `t = 0.6`, `gamma = 0.05`, merging from layer `L / 2`. MiniCache has no
    public code: these formulas are the best reading of the paper and live
    here, in one place, to be adjusted.

    Example:
    ```mlir
    %e, %ma, %mb, %keep, %ka, %kb = sluice.merge_layers %k10, %k11
        t = 6.000000e-01 gamma = 5.000000e-02 : tensor<?x4096xf32>
        -> tensor<?xf32>, tensor<?xi64>, tensor<?x4096xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$previous,
                       RankedTensorOf<[AnyFloat]>:$current,
                       F64Attr:$t, F64Attr:$gamma);
  let results = (outs RankedTensorOf<[AnyFloat]>:$direction,
                      Sluice_FloatVector:$previous_magnitude,
                      Sluice_FloatVector:$current_magnitude,
                      Sluice_IndexTensor:$retained,
                      RankedTensorOf<[AnyFloat]>:$retained_previous,
                      RankedTensorOf<[AnyFloat]>:$retained_current);
  let assemblyFormat = [{
    $previous `,` $current `t` `=` $t `gamma` `=` $gamma attr-dict `:`
    type($previous) `->` type($previous_magnitude) `,` type($retained) `,`
    type($retained_previous)
  }];
  let hasVerifier = 1;
}

def Sluice_RestoreLayerOp : Sluice_Op<"restore_layer", [Pure,
    AllTypesMatch<["direction", "result"]>]> {
  let summary = "restore one layer's states from a merged pair (MiniCache)";
  let description = [{
    `result[i] = magnitude[i] * direction[i]` for every token `i`, then
    `result[retained[k]] = retained_values[k]` for every retained token `k`
    (the unmerged originals of this layer).

    Example:
    ```mlir
    %k10 = sluice.restore_layer %e scaled %ma retain %keep = %ka
        : tensor<?x4096xf32>, tensor<?xf32>, tensor<?xi64>,
          tensor<?x4096xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$direction,
                       Sluice_FloatVector:$magnitude,
                       Sluice_IndexTensor:$retained,
                       RankedTensorOf<[AnyFloat]>:$retained_values);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $direction `scaled` $magnitude `retain` $retained `=` $retained_values
    attr-dict `:` type($direction) `,` type($magnitude) `,` type($retained)
    `,` type($retained_values)
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

    Example:
    ```mlir
    %sel = sluice.select_hardest %losses delta = 5.000000e-01
        : tensor<40xf32> -> tensor<20xindex>
    ```
  }];
  let arguments = (ins Sluice_FloatVector:$losses, F64Attr:$delta);
  let results = (outs Sluice_IndexTensor:$selected);
  let assemblyFormat = [{
    $losses `delta` `=` $delta attr-dict `:` type($losses) `->` type($selected)
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
    entries are run-time errors.

    Example:
    ```mlir
    %r = sluice.mam_residual %f_cur, %f_prev, %logits[%var, %val]
        : tensor<?xf32>, tensor<?x100x2xf32>, tensor<?xi64>
    ```
  }];
  let arguments = (ins Sluice_FloatVector:$marginal_current,
                       Sluice_FloatVector:$marginal_previous,
                       RankedTensorOf<[AnyFloat]>:$conditional_logits,
                       Sluice_IndexTensor:$variable,
                       Sluice_IndexTensor:$value);
  let results = (outs Sluice_FloatVector:$result);
  let assemblyFormat = [{
    $marginal_current `,` $marginal_previous `,` $conditional_logits
    `[` $variable `,` $value `]` attr-dict `:` type($marginal_current) `,`
    type($conditional_logits) `,` type($variable)
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
