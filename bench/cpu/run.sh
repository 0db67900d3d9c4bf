#!/usr/bin/env bash
# CPU gather benchmark: Sluice's runtime gather against memcpy of the same
# bytes and PyTorch's index_select, in one run on this machine.
#   bash bench/cpu/run.sh [BUILD_DIR] [--table-mib=N] [--indices=N] [--reps=N]
# then the index sort: sluice's compiled sort against the runtime's (sort_bench),
# then the gather's prefetch distance and store kind swept (--sweep).
# PyTorch comes from Debian's python3-torch (installed if missing); without
# it the PyTorch column is skipped with a note.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
shift || true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The index sort, compiled by sluice (sort_kernels.mlir): the gather
# benchmark's sorted path, and sort_bench against the runtime's sort.
"$build/bin/sluice" emit --stage=obj "$root/bench/cpu/sort_kernels.mlir" -o "$work/sort_kernels.o"
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/gather_bench.cpp" \
  "$work/sort_kernels.o" "$build/runtime/libsluice_rt.a" -pthread -ldl -lz \
  -o "$work/gather_bench"
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/sort_bench.cpp" \
  "$work/sort_kernels.o" "$build/runtime/libsluice_rt.a" -pthread -ldl -lz \
  -o "$work/sort_bench"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, L3 $(lscpu | sed -n 's/^L3 cache: *//p')"
echo "date: $(date -u +%Y-%m-%d)"
"$work/gather_bench" "$@" | tee "$work/sluice.txt"

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch >/dev/null 2>&1 || true
  fi
fi
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  /usr/bin/python3 "$root/bench/cpu/index_select.py" "$@" | tee "$work/torch.txt"
  echo
  echo "sluice (fastest of 4K, huge pages, sorted path) / index_select:"
  # Both tables list the same row sizes in the same order.
  paste <(awk '$1 ~ /^[0-9]+$/ {best = ($4 > $5 ? $4 : $5); print $1, (best > $6 ? best : $6)}' "$work/sluice.txt") \
        <(awk '$1 ~ /^[0-9]+$/ {print $2}' "$work/torch.txt") |
    awk '{printf "%8d %8.2f\n", $1, $2 / $3}'
else
  echo "PyTorch (Debian's python3-torch) is not available: index_select skipped"
fi
echo
"$work/sort_bench"
echo
"$work/gather_bench" --sweep "$@"
