#!/usr/bin/env bash
# What a CUDA executable's first run on a machine spends loading its GPU
# code: examples/sage built with PTX kernels (the default; the driver
# compiles them, then caches the result) against the same built with
# --gpu-binary=fatbin (machine code for sm_90 inside). CUDA_CACHE_DISABLE=1
# makes every run a first run; with the cache on, the timed run follows one
# that filled it. Prints SLUICE_PROFILE's module-loading row and the wall
# time of one epoch for each.
#   bash device-bundle/first-run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/export_graph" "builtin:sbm?nodes=200000&features=100&classes=47" "$work/graph" >/dev/null || exit 1
for program in sage_cuda sage_cuda_fatbin; do
  for cache in disabled enabled; do
    disable=1; [ "$cache" = enabled ] && disable=0
    # With the cache on, an untimed run first fills it: an epoch, since the
    # driver compiles a kernel's PTX when the kernel is first used (a run
    # of no epochs filled nothing on an H200, docs/performance.md).
    [ "$cache" = enabled ] && CUDA_CACHE_DISABLE=0 "$here/$program" --graph "$work/graph" \
      --epochs 1 >/dev/null 2>&1
    start=$(date +%s%N)
    CUDA_CACHE_DISABLE=$disable SLUICE_PROFILE=1 "$here/$program" --graph "$work/graph" \
      --epochs 1 --progress lines >"$work/out" 2>&1 || { echo "$program failed:"; tail -5 "$work/out"; exit 1; }
    end=$(date +%s%N)
    printf '%-18s driver cache %-8s total %6.2f s   %s\n' "$program" "$cache" \
      "$(( (end - start) / 1000000 ))e-3" "$(grep -m1 'loading GPU code' "$work/out" | tr -s ' ')"
  done
done
