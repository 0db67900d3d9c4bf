//===- Passes.td - sluice dialect passes -------------------*- tablegen -*-===//

#ifndef SLUICE_DIALECT_SLUICE_TRANSFORMS_PASSES_TD
#define SLUICE_DIALECT_SLUICE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PlaceTables : Pass<"sluice-place-tables", "ModuleOp"> {
  let summary = "decide where each feature table lives";
  let description = [{
    Gives every table whose placement is `auto` (made by `sluice.make_table`,
    or read from a loaded graph or dataset by `sluice.field`) one of:
    - `device` when its size is known at compile time and fits
      `device-budget` bytes: copied to device memory once, read at device
      bandwidth;
    - otherwise `host_zero_copy` (GPU threads read the rows straight from
      page-locked host memory), or `host_staged` with `zero-copy=false` (for
      systems without mapped host memory).
    A loaded graph's feature table has a size known only at run time, so it
    is never `device`. A placement the program gives (a `schedule`, or an
    explicit placement in IR) is never changed, and holds for every read of
    the same field of the same object: an `auto` read of a field that
    another read places (say a function, inlined, reading `g.features` where
    the schedule placed `G.features`) takes that placement, since both are
    one table. Tables whose value leaves the function (returned or
    passed to a call) keep `auto`, with a warning, since their type is part of
    an interface.

    Example, with the default 4 GiB budget:
    ```mlir
    %t = sluice.make_table %b : memref<1000x100xf32> -> !sluice.table<1000x100xf32, auto>
    ```
    becomes
    ```mlir
    %t = sluice.make_table %b : memref<1000x100xf32> -> !sluice.table<1000x100xf32, device>
    ```
  }];
  let options = [
    Option<"deviceBudget", "device-budget", "int64_t",
           /*default=*/"4294967296",
           "bytes of device memory tables may take (copied once)">,
    Option<"zeroCopy", "zero-copy", "bool", /*default=*/"true",
           "read tables that do not fit zero-copy (else staged)">
  ];
}

def SortGatherIndices : Pass<"sluice-sort-gather-indices"> {
  let summary = "gather host-table rows in sorted, de-duplicated order";
  let description = [{
    Rewrites each tensor-level `sluice.gather` from a host table
    (`host_zero_copy`, `host_staged` or `auto`) into a gather by the sorted
    distinct indices followed by a gather of those rows by the inverse map:

    ```mlir
    %r = sluice.gather %t[%idx] : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
    ```
    becomes
    ```mlir
    %u, %inv = sluice.sort_unique %idx : tensor<?xi64> -> tensor<?xi64>, tensor<?xindex>
    %rows = sluice.gather %t[%u] : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
    %r = sluice.gather %rows[%inv] : tensor<?x100xf32>, tensor<?xindex> -> tensor<?x100xf32>
    ```

    The result is the same; host memory is read in address order and each
    distinct row once. On an H200 over PCIe 5.0, sorted indices made
    zero-copy gathers of random rows 2-12x faster, not counting the sort; the
    runtime's sort is a host comparison sort that costs more than that today,
    so the `sluice` driver runs this pass only with `--sort-gather-indices`
    (docs/performance.md).
    Gathers from device tables or tensors, and gathers whose indices already
    come from `sluice.sort_unique`, are left alone.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def AlignGathers : Pass<"sluice-align-gathers"> {
  let summary = "add PCIe address alignment to zero-copy gathers";
  let description = [{
    Gives every `sluice.gather` and `sluice.gather_into` from a
    `host_zero_copy` table the `aligned<strategy, request-bytes>` thread
    mapping, where the row size calls for it: rows of a size unknown at
    compile time (the kernel decides at run time), or of `R` bytes with
    `R mod request-bytes != 0` and `R > request-bytes` (rotation) or
    `R >= 2 * request-bytes` (shift). Gathers that already carry an alignment
    keep it.

    Example (400-byte rows):
    ```mlir
    %r = sluice.gather %t[%i] : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
    ```
    becomes
    ```mlir
    %r = sluice.gather %t[%i] aligned<rotate, 128> : !sluice.table<?x100xf32, host_zero_copy>, tensor<?xi64> -> tensor<?x100xf32>
    ```
  }];
  let options = [
    Option<"strategy", "strategy", "std::string", /*default=*/"\"rotate\"",
           "the thread mapping: rotate (PyTorch-Direct) or shift (DGL)">,
    Option<"requestBytes", "request-bytes", "int64_t", /*default=*/"128",
           "the PCIe request size to align reads to">
  ];
}

def OverlapTransfers : Pass<"sluice-overlap-transfers"> {
  let summary = "gather the next batch while this one computes";
  let description = [{
    Software-pipelines batch loops for the CUDA target. In an `scf.for` whose
    body gathers into a buffer made outside the loop,

    ```mlir
    scf.for %i = %lb to %ub step %s {
      %idx = memref.subview %all[%i] [%n] [1] : ...   // pure, from %i
      sluice.gather_into %t[%idx] into %buf : ...
      "compute"(%buf) : ...
    }
    ```

    the gather for iteration `i + s` is issued asynchronously on a stream of
    its own into a second buffer while iteration `i` computes; the buffers
    are used in turn:

    ```mlir
    %stream = sluice.stream_create : !sluice.stream
    %buf1 = <a second buffer like %buf>
    scf.if (%lb < %ub) {
      sluice.gather_into on %stream %t[idx(%lb)] into %buf
    }
    scf.for %i = %lb to %ub step %s iter_args(%cur = %buf, %next = %buf1) {
      sluice.stream_sync %stream            // batch i has landed
      scf.if (%i + %s < %ub) {
        sluice.gather_into on %stream %t[idx(%i + %s)] into %next
      }
      "compute"(%cur)
      scf.yield %next, %cur
    }
    sluice.stream_destroy %stream
    ```

    (An explicit stream rather than `!gpu.async.token`s: a token carried
    around a loop is lowered by MLIR 22's gpu-to-llvm as an event although it
    holds a stream, and the gpu dialect's canonicalizer removes waits on a
    fresh `gpu.wait async` token.)

    The results are unchanged: each batch's rows land before its compute
    starts, and a buffer is refilled only after the compute that read it has
    returned (compute in the loop body is synchronous). Loops are left alone
    when that could change a result: the buffer is read in the body before
    the gather or anywhere after the loop (freeing it with `memref.dealloc`
    or `gpu.dealloc` is fine: the twin is freed the same way), or the body
    writes the index buffers or the table. A twin of an asynchronous
    `gpu.alloc` is allocated after the original's token, and what waited for
    the original waits for the twin (one wait per stream: a stream waited
    for twice would be released twice). The index
    computation (the pure ops in the body that the gather's indices depend
    on) is cloned for the prologue and for the next iteration. Loops whose
    gather does not fit this shape are left alone. Only depth 2 (two
    buffers) is implemented.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def SampleAhead : Pass<"sluice-sample-ahead"> {
  let summary = "sample the next batch while this one trains";
  let description = [{
    Neighbor sampling runs on the host's cores. In a GPU build the host
    mostly waits for kernels while a batch trains, and the next batch's
    sampling waits for the step to end. In an innermost `scf.for` (a batch
    loop, not the epoch loop around it, whose next iteration is a whole
    inner loop away) whose body samples directly (not under an `scf.if`)
    from operands that the pure ops of the body compute from the induction
    variable and values defined outside the loop,

    ```mlir
    scf.for %i = %lb to %ub step %s iter_args(...) {
      %ids = tensor.extract_slice %order[%i * %n] [%n] [1] : ...  // pure
      %b = sluice.sample %g, %ids, %fanouts seed %seed : !sluice.blocks
      "train"(%b)
    }
    ```

    the pass starts the next iteration's sample right after this one's:

    ```mlir
    scf.for %i = %lb to %ub step %s iter_args(...) {
      %ids = tensor.extract_slice %order[%i * %n] [%n] [1] : ...
      %b = sluice.sample %g, %ids, %fanouts seed %seed : !sluice.blocks
      scf.if (%i + %s < %ub) {
        %next = tensor.extract_slice %order[(%i + %s) * %n] [%n] [1] : ...
        sluice.sample_ahead %g, %next, %fanouts seed <%seed at %i + %s>
      }
      "train"(%b)
    }
    ```

    The results are unchanged: `sluice.sample_ahead` only starts what a
    sample with the same operands at the same location would compute, and
    that sample takes it only if its operands are equal, which the runtime
    checks. A slice that reads an iteration argument (a value of the
    previous iteration) or an op with effects or regions leaves the loop
    alone.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def Bufferize : Pass<"sluice-bufferize", "ModuleOp"> {
  let summary = "tensors to buffers, with deallocation";
  let description = [{
    Runs One-Shot Bufferize over the module (function boundaries included,
    identity layouts at them), with the sluice ops' bufferization: a
    tensor-level `sluice.gather` becomes an allocation and a
    `sluice.gather_into`, `sluice.sort_unique` becomes allocations and a
    `sluice.sort_unique_into` (the unique values are a view of the front of
    their buffer), `sluice.to_device` becomes its operand's buffer. Then the
    ownership-based deallocation pipeline frees what was allocated. A module
    with no tensors at all (a program written at buffer level, which may free
    its own buffers) is left as it is.
  }];
  // What the nested bufferization and deallocation passes create.
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def ExpandTechniques : Pass<"sluice-expand-techniques", "ModuleOp"> {
  let summary = "write MiniCache and MaM ops out as tensor code";
  let description = [{
    Rewrites the ops of the MiniCache and MaM families into the `tensor`,
    `linalg`, `arith` and `math` ops that `sluice-autodiff` differentiates
    and every back end lowers, exactly as their descriptions state.
    `sluice-autodiff` differentiates the MaM ops themselves, and runs first
    in the pipeline; what this pass produces is differentiable too (a
    one-hot scatter back through `sluice.take_along` and the log-softmax),
    so the order is a choice, not a requirement.

    - `sluice.merge_layers`: per token, the magnitudes (`sqrt` of a sum of
      squares over the last axis), the unit directions (a zero vector takes
      the other's), the angle as `2 atan2(|u_a - u_b|, |u_a + u_b|)`, the
      SLERP weights (the normalized lerp where the angle is below 1e-4), and
      the retention mask from each pair's minimum and maximum angle. A `t`
      or `gamma` outside `[0, 1]` stops the program at the op
      (`sluice_rt_check_error`).
    - `sluice.restore_layer`: a `select` between the retained originals and
      the magnitude times the direction.
    - `sluice.conditional_nll` and `sluice.mam_residual`: the log-softmax of
      every variable's classes (`[B, D, K]`), reshaped to `[B, D * K]`, with
      each sample's element picked by `sluice.take_along` at
      `variable * K + value`; after run-time checks that every variable lies
      in `[0, D)`, every value in `[0, K)`, and the batch sizes agree.
    - `sluice.mam_penalty`: `num_vars * sum(r * r) / B + (f - log_z)^2`, an
      empty batch being a run-time error.

    Example:
    ```mlir
    %nll = sluice.conditional_nll %logits[%var, %val]
        : tensor<?x8x2xf32>, tensor<?xi64> -> tensor<?xf32>
    ```
    becomes the checks, a `linalg.reduce` for the maximum and one for the sum
    of exponentials over the classes, a `tensor.reshape` to `[?, 16]`, a
    `linalg.generic` computing the positions, `sluice.take_along` and an
    `arith.negf`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def Autodiff : Pass<"sluice-autodiff", "ModuleOp"> {
  let summary = "expand sluice.grad into the adjoint computation";
  let description = [{
    Reverse-mode automatic differentiation. Each `sluice.grad %loss wrt %p...`
    is replaced by the gradients of `%loss` with respect to each `%p`: the ops
    of its block that lie on a path from some `%p` to `%loss` are visited in
    reverse, and each adds its vector-Jacobian product to the adjoints of its
    operands (sums where a value is used twice). A `wrt` value the loss does
    not depend on gets zeros.

    Rules: `arith` addf, subf, mulf, divf, negf, maximumf / minimumf (the
    chosen side; a tie goes to the right-hand operand, so `relu = max(x, 0)`
    has gradient 0 at 0 as in PyTorch), extf, truncf; `math` exp, log, tanh,
    sqrt, erf, absf, powf; `tensor` splat, cast, extract, extract_slice;
    `linalg` matmul, matvec, vecmat, transpose, broadcast, fill, and reduce
    with an `addf` (sum) or `maximumf` (max: the maximal elements) combiner;
    `sluice.take_along` (a one-hot scatter), `sluice.aggregate_mean` (its
    transpose, `sluice.aggregate_mean_grad`), and MaM's
    `sluice.conditional_nll` and `sluice.mam_residual` (with respect to the
    logits `g[b] * (softmax - onehot(value[b]))` in the row of the sample's
    variable and 0 elsewhere; the marginals `g` and `-g`) and
    `sluice.mam_penalty` (`2 n g r / B` and `2 g (f - log_z)`). Integer and comparison results
    carry no gradient. An op on the path without a rule, or control flow
    between the parameters and the loss, is an error at that op.

    Example:
    ```mlir
    %y = arith.mulf %w, %x : tensor<4xf32>
    ...
    %dw = sluice.grad %loss wrt %w : f32, tensor<4xf32>
    ```
    becomes the adjoint chain ending in `%dw = arith.mulf %g, %x`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ExpandTensorOps : Pass<"sluice-expand-tensor-ops", "ModuleOp"> {
  let summary = "express tensor-level sluice ops as linalg, for any target";
  let description = [{
    Rewrites the tensor-level ops whose meaning is plain arithmetic into
    `linalg.generic`, so that they bufferize and lower with the rest of a
    program's tensor code:

    - `sluice.random_uniform`: each element computes its own splitmix64
      output from `seed` and its row-major position, exactly as the op's
      description states (no state, so any loop order or parallel split
      gives the same tensor);
    - `sluice.argmax`: a reduction over the last dimension carrying the best
      value and its index, with the op's tie (lowest index) and NaN (first
      NaN wins) rules made explicit, so the result does not depend on the
      reduction order;
    - `sluice.take_along`: one element per row, read with `tensor.extract`;
      a label outside `[0, C)` calls `sluice_rt_label_error`, which stops the
      program with the op's source location;
    - `sluice.shuffle`: the Fisher-Yates loop of its description, as an
      `scf.for` of swaps;
    - `sluice.load_dataset` and its fields: a runtime handle
      (`sluice_rt_load_dataset`), and each field read as a buffer filled
      once right after the load (`sluice_rt_dataset_copy`; the feature table
      a `sluice.make_table` of it); `sluice.load_graph` the same way
      (`sluice_rt_load_graph`), with each `sluice.sample` of the graph a
      call returning the blocks' handle (`sluice_rt_sample`; freed at the
      end of the block the sample is in), `sluice.block_layer` a block
      handle, and `sluice.aggregate_mean` / `aggregate_mean_grad` calls that
      fill a fresh buffer from the input's buffer (`f32`, rank 2); with
      `aggregation=loops` (what CUDA uses) instead a `linalg.generic` over the
      result's elements, each a loop over one node's edges read from the
      block's CSR arrays (`sluice_rt_block_copy`: the dst offsets and
      sources forward; for the gradient the transpose, src offsets and the
      dsts in edge order), after `sluice_rt_block_check_rows`, with the
      runtime's arithmetic in the runtime's order, so that both give the
      same bits;
    - `sluice.record_loss`: a `tensor.insert` after a bounds check;
    - `sluice.select_hardest`: `K = floor(delta * N)` (a delta outside
      `(0, 1]` or `K = 0` calls `sluice_rt_select_error`), each batch's rank
      as the count of batches ranking above it (a pairwise `linalg.generic`
      with the op's tie and NaN rules), then an ordered scan that lists the
      batches of rank below `K`.

    Example:
    ```mlir
    %pred = sluice.argmax %logits : tensor<?x10xf32> -> tensor<?xi64>
    ```
    becomes a `linalg.generic` with `iterator_types = ["parallel",
    "reduction"]` and two outputs (the best value, its index).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"aggregation", "aggregation", "std::string",
           /*default=*/"\"runtime\"",
           "how aggregate_mean is computed: 'runtime' (a call on host "
           "memory) or 'loops' (linalg over the block's CSR arrays, which "
           "a GPU kernel can run)">
  ];
}

def CheckpointLoops : Pass<"sluice-checkpoint-loops", "ModuleOp"> {
  let summary = "save and resume the state a training loop carries";
  let description = [{
    Makes a program's training loop resumable (`--checkpoint DIR`,
    `--resume DIR`; `runtime/include/sluice/Runtime/Checkpoint.h`). The
    training loop is the first `scf.for` at the top level of a function
    that carries values (`iter_args`) and contains another `scf.for`: the
    loop over epochs, with batches inside. Its carried values (the
    parameters, the optimizer's state, counters) are its whole state: the
    rest of an iteration depends only on them, on the iteration's index and
    on values computed before the loop.

    - At the start of the loop's function, `sluice_rt_checkpoint_precheck(N)`
      reads a checkpoint given with --resume and checks it against the
      loop's N values, so that a missing or foreign one stops the program
      before any work (select hardest's loop comes after a full pass).
    - Before the loop, `sluice_rt_checkpoint_resume(N, trips)` returns the
      last completed iteration of a checkpoint to resume from (or -1; one
      not below the loop's trip count stops the program); when it is
      not -1, each initial value is replaced by a fresh buffer filled by
      `sluice_rt_checkpoint_load` (a tensor's shape is its initial value's),
      and the loop starts at the iteration after it.
    - At the end of every iteration, `sluice_rt_checkpoint_begin(i)`, one
      `sluice_rt_checkpoint_add` per yielded value (read through
      `bufferization.to_buffer`), and `sluice_rt_checkpoint_commit` save
      them (no-ops without `--checkpoint`).
    - `main` first calls `sluice_rt_checkpoint_available`, so that the
      options are accepted (and listed by `--help`).

    Carried values must be ranked tensors or scalars of `f32`, `f64`,
    `i1`, `i32`, `i64` or `index` (dtype codes 5, 6, 0, 3, 4, 4 of
    `sluice::rt::DType`); a loop carrying anything else is left alone.
    Programs without such a loop are unchanged, and their executables
    reject `--checkpoint`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def FoldTransposeIntoMatmul : Pass<"sluice-fold-transpose-into-matmul",
                                   "ModuleOp"> {
  let summary = "read transposed matmul operands through indexing maps";
  let description = [{
    On tensors, `linalg.matmul` of a `linalg.transpose` (permutation
    `[1, 0]`) becomes a `linalg.matmul` whose `indexing_maps` read the
    transpose's input directly: `(m, n, k) -> (k, m)` for A,
    `(m, n, k) -> (n, k)` for B. Differentiated matrix products are full of
    them (`dA = dC B^T`, `dB = A^T dC`, and `nn.Linear`'s `x W^T`); without
    the fold each becomes a copy of the matrix in memory, and with it the
    BLAS call reads the operand transposed (`sluice-convert-linalg-to-blas`)
    and the loops read it in place. A transpose that nothing else reads
    disappears.

    Example:
    ```mlir
    %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
    %r = linalg.matmul ins(%t, %y : tensor<8x4xf32>, tensor<4x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
    ```
    becomes
    ```mlir
    %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
        ins(%x, %y : tensor<4x8xf32>, tensor<4x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def InterchangeReductionsInward : Pass<"sluice-interchange-reductions-inward",
                                       "ModuleOp"> {
  let summary = "put a linalg op's parallel dimensions outside its reductions";
  let description = [{
    A `linalg` op whose iteration domain has a reduction dimension before a
    parallel one (the column sums of a bias gradient: `sum` over the rows of
    a matrix, iterators `[reduction, parallel]`) lowers to a sequential loop
    over the reduction around a parallel loop: one call of the thread pool,
    or one GPU kernel launch and wait, per row. examples/sage's bias
    gradients made 11,000 such launches per training step. Its dimensions
    are permuted (named ops generalized first) so that the parallel ones
    come first, each group in its own order: one parallel loop whose
    iterations each reduce. Every output element is accumulated in the same
    order as before, so results are the same bits. Ops with no parallel
    dimension, or with their reductions already innermost (matrix products),
    are left alone.

    Example:
    ```mlir
    %sums = linalg.reduce ins(%x : tensor<?x256xf32>) outs(%zeros : tensor<256xf32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    ```
    becomes
    ```mlir
    %sums = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>],
                            iterator_types = ["parallel", "reduction"]}
        ins(%x : tensor<?x256xf32>) outs(%zeros : tensor<256xf32>) {
      ^bb0(%in: f32, %acc: f32):
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
    } -> tensor<256xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def ExpandSortUnique : Pass<"sluice-expand-sort-unique", "ModuleOp"> {
  let summary = "sort and de-duplicate indices with parallel loops (a bitmap)";
  let description = [{
    Gather indices are row numbers below the table's row count, so when the
    largest of `n` indices is below `dense-range * n`, a bitmap indexed by
    value replaces sorting: set the bit of each id (an atomic `or`: ids in one
    64-bit word race), count the bits before each word (each of about
    sqrt(words) chunks adds up its words' popcounts, then the sums of the
    chunks before it, then records its words' ranks), each word writes its
    values to `unique` in bit order from its rank on, and an id's position
    is its word's rank plus the bits below it in the word. Every step is a parallel loop, so on the CPU it runs on the thread
    pool and for CUDA as kernels next to the data, where the runtime's radix
    sort is one host thread reading GPU-written memory. Scratch is a bit and
    1/8 byte per value up to the largest id. The result is the same as
    `sluice_rt_sort_unique`'s: distinct values ascending, each index's
    position among them.

    The largest index is found first (each iteration of a parallel loop
    takes the maximum of 64 ids, then an unsigned atomic maximum, so that a
    negative index counts as huge). When the values are too sparse for a
    bitmap (or an index is negative, which the gather then reports), the op
    is kept for the runtime's sort, in the other branch. Scratch is
    `memref.alloc` (the unified heap in CUDA tensor programs) or, with
    `gpu-scratch`, `gpu.alloc host_shared` for buffer-level CUDA programs,
    whose `memref.alloc` is host memory. With `gpu-scratch` the host never
    touches scratch: the two values it needs (the largest id, the count of
    distinct ones) are written by one-iteration loops and read through
    `gpu.memcpy`, since a host load or store would move a managed page to
    the host and the next kernel's access back (on an H200 that took the
    sort of a million ids from 0.45 to 0.74 ms). All of the bitmap's
    scratch is allocated before its first loop, so that
    `sluice-chain-kernel-launches` can queue the loops' kernels back to back.

    Example:
    ```mlir
    %n = sluice.sort_unique_into %idx into %unique, %inverse
        : memref<?xi64>, memref<?xi64>, memref<?xindex> -> index
    ```
    becomes (abridged)
    ```mlir
    scf.parallel (%r) = (%c0) to (%runs) step (%c1) {
      %m = scf.for %i = %first to %end step %c1 iter_args(%m0 = %c0_i64) -> (i64) { ... arith.maxui ... }
      %old = memref.atomic_rmw maxu %m, %largest[%c0] : (i64, memref<?xi64>) -> i64
      scf.reduce
    }
    %max = memref.load %largest[%c0] : memref<?xi64>
    %dense = arith.cmpi ult, %max, %limit : i64
    %n = scf.if %dense -> (index) {
      // clear, set bits, chunk popcounts, chunk offsets, word ranks,
      // each word's unique values, inverse: seven scf.parallel loops
    } else {
      %sparse = sluice.sort_unique_into %idx into %unique, %inverse ...
      scf.yield %sparse : index
    }
    ```
  }];
  let options = [
    Option<"denseRange", "dense-range", "int64_t", /*default=*/"64",
           "use the bitmap while the largest index is below this many times "
           "the number of indices (1 to 4096)">,
    Option<"gpuScratch", "gpu-scratch", "bool", /*default=*/"false",
           "allocate scratch with gpu.alloc host_shared (buffer-level CUDA)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def CheckHostAllocations : Pass<"sluice-check-host-allocations",
                                "ModuleOp"> {
  let summary = "buffers through sluice_rt_alloc or sluice_rt_unified_alloc, which name a failed allocation";
  let description = [{
    `finalize-memref-to-llvm` allocates a CPU program's buffers with `malloc`
    and uses the pointer unchecked: a tensor larger than memory (a size from
    a flag, a typo in a shape) ended in a segmentation fault. Every
    `llvm.call @malloc` becomes a call of the runtime's
    `sluice_rt_alloc(size, where)`, which returns the same memory (so `free`
    stays as it is) or stops the program with `sluice: error: <where>: out
    of memory: cannot allocate N bytes (G GiB)`, where `where` is the
    allocation's source location (one string per location). A CUDA
    program's `llvm.call @_mlir_memref_to_llvm_alloc` (the unified heap)
    becomes `sluice_rt_unified_alloc(size, where)` the same way.

    Example:
    ```mlir
    %p = llvm.call @malloc(%size) : (i64) -> !llvm.ptr
    // becomes
    %where = llvm.mlir.addressof @__sluice_alloc_where_0 : !llvm.ptr
    %p = llvm.call @sluice_rt_alloc(%size, %where) : (i64, !llvm.ptr) -> !llvm.ptr
    ```
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def ReleaseStackTemporaries : Pass<"sluice-release-stack-temporaries",
                                   "ModuleOp"> {
  let summary = "give back the kernel-argument stack slots of launches in loops";
  let description = [{
    The translation of `gpu.launch_func` to LLVM IR builds the kernel's
    argument array on the stack where the launch is, not in the function's
    entry block. In a loop that is a dynamic `alloca` per iteration that
    nothing frees until the function returns: examples/sage's CUDA build,
    176 launches per training step, overflowed an 8 MiB stack within its
    first epoch. Each launch inside a loop is bracketed by
    `llvm.intr.stacksave` and `llvm.intr.stackrestore`, so the array is given
    back as soon as the kernel is launched (CUDA copies the arguments at the
    launch, so this holds for asynchronous launches too). `memref.copy`
    needs nothing: its lowering brackets its own descriptors the same way.
    Launches outside loops are left alone.

    Example:
    ```mlir
    %done = scf.for %i = %c0 to %n step %c1 iter_args(%t = %start) -> (!gpu.async.token) {
      %next = gpu.launch_func async [%t] @kernels::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buffer : memref<256xf32>)
      scf.yield %next : !gpu.async.token
    }
    ```
    becomes
    ```mlir
    %done = scf.for %i = %c0 to %n step %c1 iter_args(%t = %start) -> (!gpu.async.token) {
      %sp = llvm.intr.stacksave : !llvm.ptr
      %next = gpu.launch_func async [%t] @kernels::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buffer : memref<256xf32>)
      llvm.intr.stackrestore %sp : !llvm.ptr
      scf.yield %next : !gpu.async.token
    }
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // SLUICE_DIALECT_SLUICE_TRANSFORMS_PASSES_TD
