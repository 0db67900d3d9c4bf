#!/usr/bin/env bash
# Builds the GPU gather benchmark here (no GPU or CUDA needed) into
# device-bundle/, with a run script, for bench/gpu/run on a GPU machine:
#   bash bench/gpu/build.sh [BUILD_DIR]
# The kernels go through sluice-opt's sluice-convert-to-gpu, then MLIR 22's
# NVVM pipeline to PTX (gpu-module-to-binary{format=isa}), and the host code
# through mlir-translate and llc; the executable links libsluice_rt
# statically and needs only libc, libstdc++ and the CUDA driver.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
llvm=${LLVM_PREFIX:-/usr/lib/llvm-22}
out="$root/device-bundle"
work="$out/obj"
mkdir -p "$work"

pipeline='builtin.module(gpu-kernel-outlining,convert-scf-to-cf,nvvm-attach-target{chip=sm_90 O=3},gpu.module(convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts),expand-strided-metadata,lower-affine,finalize-memref-to-llvm,convert-arith-to-llvm,convert-index-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,gpu-to-llvm,reconcile-unrealized-casts,gpu-module-to-binary{format=isa})'

compile() { # name, extra sluice-convert-to-gpu options, sed renaming
  local name=$1 options=$2 rename=$3
  sed "$rename" "$root/bench/gpu/gather_kernels.mlir" |
    "$build/bin/sluice-opt" "-sluice-convert-to-gpu=$options" -canonicalize -cse |
    "$llvm/bin/mlir-opt" -pass-pipeline="$pipeline" > "$work/$name.mlir"
  "$llvm/bin/mlir-translate" --mlir-to-llvmir "$work/$name.mlir" -o "$work/$name.ll"
  "$llvm/bin/llc" -O3 -filetype=obj -relocation-model=pic "$work/$name.ll" -o "$work/$name.o"
}
compile kernels "" "s/^//"
# The same gathers with an uncapped grid, under other names, to measure the cap.
compile wide "max-threads=1048576" \
  '/@gather_device\|@compute\|@step_/,/^}/d; s/@gather_zero_copy/@wide_gather_zero_copy/'

c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/gpu/gather_bench.cpp" \
  "$work/kernels.o" "$work/wide.o" "$build/runtime/libsluice_rt.a" \
  -static-libstdc++ -static-libgcc -pthread -ldl -o "$out/gather_bench"
cp "$root/bench/gpu/run.sh" "$out/run.sh"
echo "built $out/gather_bench; on the GPU machine: bash device-bundle/run.sh"
