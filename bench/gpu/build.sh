#!/usr/bin/env bash
# Builds the GPU checks and benchmark here (no GPU or CUDA needed) into
# device-bundle/, with a run script, for a GPU machine:
#   bash bench/gpu/build.sh [BUILD_DIR]     then, there: bash device-bundle/all.sh
# Everything is compiled by `sluice` itself (--target=cuda: kernels to PTX
# through LLVM's NVPTX back end, host code to an object with the GPU loader);
# the executables link libsluice_rt statically and need only libc, libstdc++
# and the CUDA driver.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
sluice="$build/bin/sluice"
out="$root/device-bundle"
work="$out/obj"
rm -rf "$out"
mkdir -p "$work"

# The end-to-end test program, and the output it must print.
"$sluice" build --target=cuda "$root/test/Execution/CUDA/gather-cuda.mlir" \
  -o "$out/gather_cuda_e2e"
sed -n 's|^// CHECK\(-NEXT\)\?: ||p' "$root/test/Execution/CUDA/gather-cuda.mlir" \
  > "$out/gather_cuda_e2e.expected"

# The pipelined batch loop, with and without the overlap pass.
"$sluice" build --target=cuda "$root/test/Execution/CUDA/overlap-cuda.mlir" \
  -o "$out/overlap_cuda_e2e"
"$sluice" build --target=cuda --no-overlap \
  "$root/test/Execution/CUDA/overlap-cuda.mlir" -o "$out/overlap_cuda_e2e_serial"
sed -n 's|^// CHECK: ||p' "$root/test/Execution/CUDA/overlap-cuda.mlir" \
  > "$out/overlap_cuda_e2e.expected"

# Bad indices on the GPU: the programs must stop with these messages.
for program in gather-out-of-range-cuda overlap-out-of-range-cuda; do
  "$sluice" build --target=cuda "$root/test/Execution/CUDA/$program.mlir" \
    -o "$out/$program"
  sed -n 's|^// CHECK: ||p' "$root/test/Execution/CUDA/$program.mlir" \
    > "$out/$program.expected"
done

# Tensor programs (the language's execution tests) built for CUDA: on the
# GPU machine, each must print what its CPU build prints here, within
# float32 tolerance (run.sh). graphs.sl reads a graph directory written
# here. (The CPU executables themselves, with OpenBLAS linked in, would not
# fit the bundle.)
mkdir -p "$out/tensor"
python3 "$root/test/Execution/Language/Inputs/graphs.py" write "$out/tensor/graph"
for program in autodiff-corners batches embedding gradients graphs \
    hard-batches merge-layers mlp-forward parallel-loops self-consistency \
    shuffle tensor-math train-steps; do
  source="$root/test/Execution/Language/$program.sl"
  args=()
  [ "$program" = graphs ] && args=(--graph "$out/tensor/graph")
  "$sluice" build "$source" -o "$work/$program.cpu"
  "$work/$program.cpu" "${args[@]}" > "$out/tensor/$program.expected"
  "$sluice" build --target=cuda "$source" -o "$out/tensor/$program.cuda"
done
# A sorted gather in a tensor program: the ids sorted by the GPU kernels of
# sluice-expand-sort-unique, the distinct rows read zero-copy, scattered back.
"$sluice" build --sort-gather-indices "$root/test/Execution/gather-tensor-cpu.mlir" \
  -o "$work/sorted-gather.cpu"
"$work/sorted-gather.cpu" > "$out/tensor/sorted-gather.expected"
"$sluice" build --target=cuda --sort-gather-indices \
  "$root/test/Execution/gather-tensor-cpu.mlir" -o "$out/tensor/sorted-gather.cuda"
cp "$root/test/Execution/Language/Inputs/compare.py" "$out/tensor/"

# The benchmark's kernels, capped as by default and uncapped (under other
# names) to measure the cap.
"$sluice" emit --target=cuda --stage=obj "$root/bench/gpu/gather_kernels.mlir" \
  -o "$work/kernels.o"
sed '/@gather_device\|@compute\|@step_\|@train_loop\|@loop_/,/^}/d; s/@gather_zero_copy/@wide_gather_zero_copy/' \
  "$root/bench/gpu/gather_kernels.mlir" > "$work/wide.mlir"
"$sluice" emit --target=cuda --stage=obj --gather-max-threads=1048576 \
  "$work/wide.mlir" -o "$work/wide.o"

# The training loop without the overlap pass, under another name.
sed -n '/^\/\/ A training loop/,$p' "$root/bench/gpu/gather_kernels.mlir" |
  sed 's/@train_loop/@train_loop_serial/; s/@loop_compute_only/@probe_compute_only/; s/@loop_gather_only/@probe_gather_only/' \
  > "$work/serial.mlir"
"$sluice" emit --target=cuda --stage=obj --no-overlap "$work/serial.mlir" \
  -o "$work/serial.o"

# The index sort as kernels (buffer-level CUDA: sluice-expand-sort-unique
# with shared scratch, asked for: the benchmark gives it managed buffers).
"$sluice" emit --target=cuda --stage=obj --dense-sort-range=1024 \
  "$root/bench/cpu/sort_kernels.mlir" -o "$work/sort_cuda.o"

c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/gpu/gather_bench.cpp" \
  "$work/kernels.o" "$work/wide.o" "$work/serial.o" "$work/sort_cuda.o" \
  "$build/runtime/libsluice_rt.a" \
  -static-libstdc++ -static-libgcc -pthread -ldl -lz -o "$out/gather_bench"
cp "$root/bench/gpu/run.sh" "$root/bench/gpu/all.sh" "$out/"

# examples/sage against PyTorch on the GPU (bench/gpu/sage.sh): the graph
# exporter, sluice's CPU executable and the PyTorch script.
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/export_graph.cpp" \
  "$build/runtime/libsluice_rt.a" -static-libstdc++ -static-libgcc -pthread -ldl -lz \
  -o "$out/export_graph"
"$sluice" build "$root/examples/sage/sage.sl" -o "$out/sage"
"$sluice" build --target=cuda "$root/examples/sage/sage.sl" -o "$out/sage_cuda"
# Without sampling ahead, to measure it. (Not a CPU build with it: each CPU
# build carries OpenBLAS, 26 MB, and the bundle must stay under 64 MiB.)
"$sluice" build --target=cuda --no-sample-ahead "$root/examples/sage/sage.sl" \
  -o "$out/sage_cuda_no_ahead"
# The same with its kernels as a fatbin (machine code for sm_90 plus PTX),
# where this machine has the CUDA toolkit: first-run.sh compares loading.
if "$sluice" build --target=cuda --gpu-binary=fatbin "$root/examples/sage/sage.sl" \
    -o "$out/sage_cuda_fatbin" 2>"$work/fatbin.log"; then
  cp "$root/bench/gpu/first-run.sh" "$out/"
else
  echo "no CUDA toolkit here: sage_cuda_fatbin not built ($(head -c 200 "$work/fatbin.log"))"
fi
cp "$root/bench/cpu/sage_torch.py" "$root/bench/gpu/sage.sh" "$out/"

# examples/mam against PyTorch on the GPU (bench/gpu/mam.sh): the CUDA build,
# the PyTorch script and the generator it re-draws the data with.
"$sluice" build --target=cuda "$root/examples/mam/mam.sl" -o "$out/mam_cuda"
cp "$root/bench/cpu/mam_torch.py" "$root/bench/gpu/mam.sh" \
  "$root/test/Execution/Language/Inputs/reference_nn.py" "$out/"

# bench/cpu's gather benchmark, to run on the GPU machine's larger host
# (bash device-bundle/cpu/run.sh --table-mib=4096).
mkdir -p "$out/cpu"
"$sluice" emit --stage=obj "$root/bench/cpu/sort_kernels.mlir" -o "$work/sort_cpu.o"
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/gather_bench.cpp" \
  "$work/sort_cpu.o" "$build/runtime/libsluice_rt.a" -static-libstdc++ -static-libgcc \
  -pthread -ldl -lz -o "$out/cpu/gather_bench"
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/sort_bench.cpp" \
  "$work/sort_cpu.o" "$build/runtime/libsluice_rt.a" -static-libstdc++ -static-libgcc \
  -pthread -ldl -lz -o "$out/cpu/sort_bench"
cp "$root/bench/cpu/index_select.py" "$out/cpu/"

# The runtime's unit tests, to run the driver-facing ones against a real
# driver (bench/gpu/runtime-tests.sh); compressed, as they carry OpenBLAS.
strip -o "$work/sluice-rt-tests" "$build/test/Runtime/sluice-rt-tests"
gzip -9 -c "$work/sluice-rt-tests" > "$out/sluice-rt-tests.gz"
cp "$root/bench/gpu/runtime-tests.sh" "$out/"
cp "$root/bench/cpu/host-run.sh" "$out/cpu/run.sh"
rm -rf "$work"
# Symbols are not needed there; the bundle must stay under 64 MiB, so the
# tensor programs travel as one compressed archive (run.sh unpacks it).
find "$out" -type f -perm -u+x ! -name '*.sh' ! -name '*.py' -exec strip {} +
tar czf "$out/tensor.tgz" -C "$out" tensor && rm -rf "$out/tensor"
bytes=$(du -sb "$out" | cut -f1)
echo "$out: $((bytes / 1048576)) MiB (the device tool carries at most 64 MiB)"
if [ "$bytes" -gt $((64 * 1048576)) ]; then
  echo "error: the bundle is over 64 MiB and would not reach the GPU machine" >&2
  exit 1
fi
echo "built $out; on the GPU machine: bash device-bundle/all.sh (or runtime-tests.sh, run.sh, first-run.sh, sage.sh, mam.sh alone)"
