//===- Passes.td - Sluice conversion passes ----------------*- tablegen -*-===//

#ifndef SLUICE_CONVERSION_PASSES_TD
#define SLUICE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSluiceToGPU : Pass<"sluice-convert-to-gpu", "ModuleOp"> {
  let summary = "lower buffer-level sluice ops to gpu.launch kernels";
  let description = [{
    Tables become the memrefs that hold them (`!sluice.table<?x100xf32, P>`
    becomes `memref<?x100xf32>`, also in function signatures), a
    `sluice.make_table` of a zero-copy table page-locks and maps its buffer
    with `gpu.host_register`, and each `sluice.gather_into` becomes a
    `gpu.launch` (`async` with the same dependencies when the gather is) whose
    threads copy the rows:

    - no alignment, or `aligned<rotate, B>`: threads are laid over the
      flattened output elements with a grid-stride loop, so each warp covers
      consecutive output addresses. With rotation, the thread for column `c`
      of output row `i` copies column `c' = c + ((out_i - in_i) rem B) / e`
      wrapped into `[0, C)` (`out_i`, `in_i` the row addresses, `e` the
      element size): the warp's host reads are then congruent to its
      `B`-aligned output chunk, so only the warp at the wrap point splits a
      PCIe request. When the row size is only known at run time, the kernel
      applies the rotation only when `R > B` and `R mod B != 0`.
    - `aligned<shift, B>`: a warp per row (blocks of 32 x 8 threads); with
      `s = (in_i mod B) / e`, lane `t` starts at column `t - s` and strides by
      32, skipping negative columns, so every read starts on a `B`-aligned
      address.

    Stream ops become calls to `sluice_rt_stream_create`, `_sync` and
    `_destroy`; a gather `on` a stream is launched on it. A gather from a
    `host_staged` table is the conventional path instead: a call to
    `sluice_rt_staged_gather`, which gathers the rows on the CPU into a
    page-locked buffer and copies them to the destination.

    Rows whose index lies outside `[0, rows)` are not read. The grid is capped
    at `max-threads` threads (GraphBolt's `max_uva_threads`, default 10240) so
    that a zero-copy gather saturates PCIe with a few SMs and leaves the rest
    of the GPU to training.

    Example:
    ```mlir
    sluice.gather_into %t[%idx] into %out aligned<rotate, 128>
        : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>,
          memref<?x100xf32>
    ```
    becomes a `gpu.launch` over `dim(%idx, 0) * 100` elements whose body
    loads `memref<?x100xf32>` rows at the rotated column.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"maxThreads", "max-threads", "int64_t", /*default=*/"10240",
           "the most threads a gather kernel may occupy">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "threads per block of the element-parallel gather kernels">
  ];
}

def ConvertSluiceToCPU : Pass<"sluice-convert-to-cpu", "ModuleOp"> {
  let summary = "lower buffer-level sluice ops to calls into libsluice_rt";
  let description = [{
    Tables become the memrefs that hold them (also in function signatures);
    every placement is host memory on the CPU, so `sluice.make_table` is the
    buffer itself. Each `sluice.gather_into` becomes a call to the runtime's
    parallel row gather, `sluice_rt_cpu_gather(table, rows, rowBytes,
    indices, count, out, where)`, which prefetches rows ahead and copies them
    on every core, and which stops the program with
    `sluice: error: <where>: gather index I at position P is out of range for a
    table of N rows` on a bad index (`where` is the op's source location).

    Asynchronous gathers have no meaning on the CPU and are rejected; the
    overlap pass only runs for the CUDA target. Indices must be `i64` or
    `index` and the buffers contiguous.

    Example:
    ```mlir
    sluice.gather_into %t[%idx] into %out
        : !sluice.table<?x100xf32, host_zero_copy>, memref<?xi64>,
          memref<?x100xf32>
    ```
    becomes
    ```mlir
    func.call @sluice_rt_cpu_gather(%table, %rows, %c400, %indices, %count,
                                    %out, %where)
        : (index, index, index, index, index, index, index) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ConvertProgramToRuntime : Pass<"sluice-convert-program-to-runtime",
                                   "ModuleOp"> {
  let summary = "lower program parameters and logs to libsluice_rt calls";
  let description = [{
    Makes a compiled program's `sluice.param`s its command-line flags, for
    every target:

    - `func.func @main() -> i32` becomes `main(i32 argc, !llvm.ptr argv)`,
      which first declares each parameter (`sluice_rt_declare_param`: name,
      kind, default, doc) and then parses the command line
      (`sluice_rt_parse_args`: `--help` lists the parameters and exits 0, a
      bad flag exits 2 before any work is done);
    - `sluice.param_value` becomes `sluice_rt_param_i64` or `_f64` (then
      truncated for `f32`, compared with zero for `i1`);
    - `sluice.log "label" %v` becomes `sluice_rt_log_i64` or `_f64`, which
      write `label: value` lines; inside `scf.for` loops it becomes
      `sluice_rt_log_i64_in` / `_f64_in` with the depth and, for each of
      the (up to three) innermost enclosing loops, outermost first, its
      position `(iv - lb) / step` and trip count `ceildiv(ub - lb, step)`,
      which the runtime uses for the progress line and `--metrics`.

    Scalar parameters (`i64`, `f32`, `f64`, `i1`) are read with
    `sluice_rt_param_i64` / `_f64`; `!sluice.str` parameters
    (`sluice_rt_declare_str_param`) become the text's address;
    `tensor<?xi64>` parameters (`[int]`, `sluice_rt_declare_list_param`,
    given as `--fanout 15,10`) become a fresh buffer of the flag's length
    filled by `sluice_rt_param_list_copy`. Any other parameter type is
    reported at its declaration. Modules without these ops are left alone.

    Example:
    ```mlir
    sluice.param @epochs : i64 = 5
    func.func @main() -> i32 { ... %e = sluice.param_value @epochs : i64 ... }
    ```
    becomes
    ```mlir
    func.func @main(%argc: i32, %argv: !llvm.ptr) -> i32 {
      call @sluice_rt_declare_param(%name, %c0_i32, %c1_i32, %c5_i64, %cst, %doc)
      call @sluice_rt_parse_args(%argc, %argv)
      ...
      %e = call @sluice_rt_param_i64(%name) : (index) -> i64
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ConvertLinalgToBlas : Pass<"sluice-convert-linalg-to-blas", "ModuleOp"> {
  let summary = "f32 matrix products on buffers to the runtime's BLAS call";
  let description = [{
    Replaces each `linalg.matmul` on `f32` buffers (after bufferization)
    whose operands have unit inner stride and whose indexing maps are the
    default or read A and/or B transposed (`(m, n, k) -> (k, m)`,
    `(m, n, k) -> (n, k)`, as `sluice-fold-transpose-into-matmul` makes
    them) with a call to
    `sluice_rt_matmul_f32(M, N, K, A, lda, transA, B, ldb, transB, C, ldc)`,
    which computes `C += op(A) op(B)` (exactly `linalg.matmul`'s semantics)
    with OpenBLAS's `cblas_sgemm`, split over the runtime's thread pool.
    Each operand's address (its aligned base plus the layout's offset) and
    leading dimension come from the buffer's strided metadata, so views with
    an offset or a row stride need no copy. Other matmuls (another element type, other maps, a
    strided inner dimension) are left for `convert-linalg-to-loops`.

    Example:
    ```mlir
    linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x256xf32>)
                  outs(%c : memref<?x256xf32>)
    ```
    becomes
    ```mlir
    func.call @sluice_rt_matmul_f32(%m, %n, %k, %pa, %lda, %false, %pb, %ldb, %false, %pc, %ldc)
        : (i64, i64, i64, index, i64, i64, index, i64, i64, index, i64) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
  let options = [
    Option<"callee", "callee", "std::string",
           /*default=*/"\"sluice_rt_matmul_f32\"",
           "the runtime function each matmul becomes">
  ];
}

def ConvertParallelLoopsToRuntime
    : Pass<"sluice-convert-parallel-loops-to-runtime", "ModuleOp"> {
  let summary = "run outermost scf.parallel loops on the runtime's thread pool";
  let description = [{
    Outlines the body of each outermost `scf.parallel` loop (what
    `convert-linalg-to-parallel-loops` makes of elementwise arithmetic,
    broadcasts, reductions' parallel dimensions and fills) into a function
    `@<enclosing>_parallel<N>(%context: !llvm.ptr, %begin: index,
    %end: index)` that runs the loop with one dimension restricted to the
    iterations `[begin, end)`, and replaces the loop with a call to
    `sluice_rt_parallel_for(count, cost, body, context)`, which runs chunks of
    that dimension on the runtime's thread pool (or, for a loop too small to
    repay waking the pool, all of it on the calling thread).

    The split dimension is the first whose trip count is not statically one.
    The values the loop uses from above (its bounds included) are stored in
    a stack-allocated `!llvm.struct` whose fields are their LLVM types (a
    buffer's descriptor, an index as `i64`) and read back in the body; the
    unrealized casts between the two meet and vanish when the module is
    lowered to LLVM. `cost` estimates one iteration's operations: the body's
    operation count times the trip counts of the loops nested in it whose
    bounds are known outside it.

    The iterations of a `scf.parallel` loop are independent by definition, so
    the results are those of the serial loop, bit for bit (reductions stay in
    the serial `scf.for` loops inside the body). Loops with reductions of their
    own (`init` values), loops nested in another `scf.parallel` or in a GPU
    kernel, and loops that use a value of a type the body cannot be handed
    (anything but integers, floats, indices and strided buffers) stay as
    they are and run serially.

    Example:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
      %x = memref.load %a[%i, %j] : memref<?x?xf32>
      ...
    }
    ```
    becomes
    ```mlir
    %context = llvm.alloca %c1 x !llvm.struct<(...)> : (i64) -> !llvm.ptr
    ... llvm.store of each captured value ...
    %body = constant @f_parallel0 : (!llvm.ptr, index, index) -> ()
    call @sluice_rt_parallel_for(%count, %cost, %body, %context)
    func.func private @f_parallel0(%context: !llvm.ptr, %begin: index, %end: index) {
      ... llvm.load of each captured value ...
      scf.parallel (%i, %j) = (%begin, %c0) to (%end, %n) step (%c1, %c1) { ... }
      return
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def ConvertParallelLoopsToGPU
    : Pass<"sluice-convert-parallel-loops-to-gpu", "ModuleOp"> {
  let summary = "run outermost scf.parallel loops as grid-stride GPU kernels";
  let description = [{
    Replaces each outermost `scf.parallel` loop of host code (what
    `convert-linalg-to-parallel-loops` makes of a tensor program's
    elementwise code, fills, matrix products and reductions' parallel
    dimensions) with a `gpu.launch` of `block-size`-thread blocks over the
    loop's flattened iteration space: thread `t` of the grid runs the
    positions `t, t + G, t + 2G, ...` (`G` threads in the grid), each
    position split into one induction variable per dimension with the last
    dimension fastest, so that neighbouring threads touch neighbouring
    elements. The grid has `ceil(n / block-size)` blocks for `n` positions,
    at least one (a launch of none is an error) and at most `max-blocks`.
    Loops and reductions nested in the body run inside each thread.

    A run-time check in the body (an `scf.if` directly in it whose branch
    only takes the addresses of constant strings and calls
    `sluice_rt_label_error` or `sluice_rt_check_error`, as take_along's label
    check does) cannot call the host from a kernel: the call becomes a record
    in the runtime's kernel error slot (`sluice_rt_kernel_error_slot()`, six
    words of managed memory; the first failing thread swaps word 0 from 0 to
    the report's kind, 1 or 2, and writes the call's arguments to words 1-4),
    what follows the check moves into its `else` branch (on the host the
    report would have stopped the program before it: a bad label is not
    read), the strings' addresses are taken in front of the loop, and
    `sluice_rt_check_kernel_errors()` after the loop makes the recorded
    call. Loops whose body calls any other function or allocates stay on
    the host. Loops with
    reductions of their own (`init` values) are an error: the front end does
    not make them. With `marked-only`, only loops carrying the unit
    attribute `sluice.on_gpu` (what `sluice-expand-sort-unique{gpu-scratch}`
    makes) are converted, and every other loop stays on the host: in a
    buffer-level program the compiler does not know which buffers the GPU
    can read.

    Example:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
      memref.store %x, %out[%i, %j] : memref<?x?xf32>
    }
    ```
    becomes
    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %blocks, ...)
               threads(%tx, %ty, %tz) in (%sx = %c256, ...) {
      %first = (%bx * 256 + %tx)
      scf.for %k = %first to %total step (%gx * 256) {
        %j = %k rem %n ; %i = %k div %n
        memref.store %x, %out[%i, %j] : memref<?x?xf32>
      }
      gpu.terminator
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect"
  ];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "threads per block">,
    Option<"maxBlocks", "max-blocks", "int64_t", /*default=*/"65535",
           "the most blocks a kernel's grid has">,
    Option<"markedOnly", "marked-only", "bool", /*default=*/"false",
           "convert only loops marked sluice.on_gpu">
  ];
}

def NameKernelsAfterModules : Pass<"sluice-name-kernels-after-modules",
                                    "ModuleOp"> {
  let summary = "give each outlined kernel its module's unique name";
  let description = [{
    `gpu-kernel-outlining` names every kernel of a function `<function>_kernel`
    and makes the names of the modules that hold them unique
    (`train_kernel`, `train_kernel_0`, ...), so that every kernel of a
    training loop has the same name in the PTX, in the driver's errors and
    in `SLUICE_PROFILE`'s table. The only kernel of each module takes the
    module's name, and the launches that call it follow.

    Example:
    ```mlir
    gpu.launch_func @train_kernel_3::@train_kernel ...
    gpu.module @train_kernel_3 { gpu.func @train_kernel(...) kernel { ... } }
    ```
    becomes
    ```mlir
    gpu.launch_func @train_kernel_3::@train_kernel_3 ...
    gpu.module @train_kernel_3 { gpu.func @train_kernel_3(...) kernel { ... } }
    ```
  }];
}

def ConvertCopiesToLinalg : Pass<"sluice-convert-copies-to-linalg",
                                  "ModuleOp"> {
  let summary = "buffer copies as linalg.copy, so that they become kernels";
  let description = [{
    Bufferization copies buffers with `memref.copy` (a loop-carried value
    that is not updated in place, a value written into part of a larger
    one), and `memref.copy` lowers to a `memcpy` or `memrefCopy` call on
    the host. In a CUDA program those buffers are managed memory the
    kernels last wrote, so a host copy moves their pages to the host and the
    next kernel moves them back: examples/sage copied two 11 MB activations
    that way at every training step. Each `memref.copy` in a function
    becomes `linalg.copy`, which lowers with the rest of linalg to a
    parallel loop and so to a kernel; copies inside kernels, and copies
    between buffers of different element types, are left alone.

    Example:
    ```mlir
    memref.copy %a, %b : memref<?x256xf32> to memref<?x256xf32>
    ```
    becomes
    ```mlir
    linalg.copy ins(%a : memref<?x256xf32>) outs(%b : memref<?x256xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CopyConstantsToHeap : Pass<"sluice-copy-constants-to-heap", "ModuleOp"> {
  let summary = "copy the constant buffers kernels read to allocated memory";
  let description = [{
    A tensor program compiled for CUDA runs its loops as kernels and keeps
    the rest on the host (the training loop, runtime calls such as the
    sampler, logs and checkpoints). Every buffer it allocates lives in CUDA
    managed memory, which both sides share: `finalize-memref-to-llvm` is
    told to call MLIR's generic allocation functions, which libsluice_rt
    implements with `cuMemAllocManaged` and a cache of freed blocks. The
    exception is a constant (`memref.get_global`), which lives in the host's
    data section where a kernel cannot read it: this pass replaces each that
    a `gpu.launch` reads (directly or through a view) with a buffer
    allocated and filled on entry to the function (`memref.alloc`,
    `memref.copy`), freed before each return. Constants only the host reads
    (the messages runtime calls are given) stay where they are.

    Example:
    ```mlir
    func.func @f() {
      ...
      %c = memref.get_global @weights : memref<3xf32>
      gpu.launch ... { ... memref.load %c[%i] ... }
    ```
    becomes
    ```mlir
    func.func @f() {
      %0 = memref.get_global @weights : memref<3xf32>
      %c = memref.alloc() : memref<3xf32>
      memref.copy %0, %c : memref<3xf32> to memref<3xf32>
      ...
      memref.dealloc %c : memref<3xf32>
      return
    ```
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ExpandKernelMath
    : Pass<"sluice-expand-kernel-math", "::mlir::gpu::GPUModuleOp"> {
  let summary = "expand math in kernels so that no CUDA libdevice is needed";
  let description = [{
    `convert-gpu-to-nvvm` turns math ops into calls to CUDA's libdevice
    (`__nv_expf`, ...), which only a CUDA toolkit provides when the kernels
    are built. In a `gpu.module`, this pass expands `math.powf` and
    `math.fpowi` into `exp`/`log`, replaces `f32` `exp`, `log`, `log1p`,
    `log2`, `expm1`, `tanh`, `erf`, `erfc`, `sin`, `cos`, `atan`, `atan2`,
    `asin`, `acos` and `cbrt` by MLIR's polynomial approximations (within a
    few ulp; the ones its CPU code generators use), and turns `absf`, `sqrt`,
    `fma`, `floor`, `ceil`, `copysign`, `roundeven` and `trunc` into calls of
    the LLVM intrinsics NVPTX selects directly (`llvm.call_intrinsic`: the
    NVVM conversion would send the LLVM dialect's own ops to libdevice).
    Kernels of `f32` programs then build on any machine; `f64` functions
    are left to libdevice.

    Example:
    ```mlir
    %y = math.tanh %x : f32
    %a = math.absf %x : f32
    ```
    becomes arithmetic (a clamped rational polynomial) for `%y` and
    ```mlir
    %a = llvm.call_intrinsic "llvm.fabs.f32"(%x) : (f32) -> f32
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ChainKernelLaunches
    : Pass<"sluice-chain-kernel-launches", "ModuleOp"> {
  let summary = "queue consecutive kernel launches on one stream, wait once";
  let description = [{
    A synchronous `gpu.launch` is lowered to: create a stream, launch, wait
    for the kernel, destroy the stream. In a block of host code, this pass
    makes each run of synchronous launches with nothing between them that
    touches memory asynchronous on one stream (`gpu.wait async` starts it,
    each launch depends on the previous one's token) and waits once
    (`gpu.wait [%token]`), right before the first operation that is not a
    launch and may read or write memory: a runtime call (cuBLAS included), a
    load or store, a copy, an operation with regions (a loop), or the
    block's terminator. Operations free of memory effects (index
    arithmetic, sizes), allocations and deallocations do not end a run: a
    buffer freed while a kernel may still read it is handed out again only
    to a later kernel on the same stream or to host code after the wait.
    Blocks inside kernels are left alone, as are launches that are already
    asynchronous. The results are those of the synchronous launches: every
    host operation that could observe a kernel's writes runs after it.

    Example:
    ```mlir
    gpu.launch ... { kernel 1 }
    %n = arith.muli %a, %b : index
    gpu.launch ... { kernel 2 }
    %x = memref.load %buffer[%i] : memref<?xf32>
    ```
    becomes
    ```mlir
    %0 = gpu.wait async
    %1 = gpu.launch async [%0] ... { kernel 1 }
    %n = arith.muli %a, %b : index
    %2 = gpu.launch async [%1] ... { kernel 2 }
    gpu.wait [%2]
    %x = memref.load %buffer[%i] : memref<?xf32>
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def RunKernelsOnHost : Pass<"sluice-run-kernels-on-host", "ModuleOp"> {
  let summary = "run gpu.launch bodies as host loops, to check them anywhere";
  let description = [{
    For checking the CUDA lowering of tensor programs on a machine without a
    GPU (`sluice-opt --sluice-lower-to-cuda="tensor-code=1
    run-kernels-on-host=1"`): replaces each synchronous `gpu.launch` with
    `scf.for` loops over its blocks and, inside, its threads (z, y, x
    outermost first; none for a dimension of constant size one other than
    the blocks'), the body
    cloned with the block and thread ids, grid
    and block sizes mapped to the loops and the launch's operands, and
    erases `gpu.host_register`/`gpu.host_unregister` (host memory needs no
    mapping). The kernel's math becomes what `sluice-expand-kernel-math`
    makes of it in a real kernel (polynomial f32 functions instead of libm).
    The kernels Sluice generates use neither shared memory nor barriers, so
    this computes what the GPU would, up to the rounding of contracted
    multiply-adds. Asynchronous launches and
    bodies of more than one block are errors.

    Example:
    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %blocks, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
      ... %bx ... %tx ...
      gpu.terminator
    }
    ```
    becomes
    ```mlir
    scf.for %b = %c0 to %blocks step %c1 {
      scf.for %t = %c0 to %c256 step %c1 {
        ... the body with %bx = %b, %tx = %t, %by = %bz = %ty = %tz = 0 ...
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // SLUICE_CONVERSION_PASSES_TD
