#!/usr/bin/env bash
# bench/cpu from the device bundle (bench/gpu/build.sh copies this script
# there as cpu/run.sh), on a bigger host: the CPU gather against memcpy and
# PyTorch's index_select, every core; then the index sort, and the gather's
# prefetch distance and store kind swept (GatherTuning's defaults were set
# on the 2-core VM).
here=$(cd "$(dirname "$0")" && pwd)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, L3 $(lscpu | sed -n 's/^L3 cache: *//p')"
"$here/gather_bench" "$@" | tee "$here/sluice.txt"
python3 "$here/index_select.py" "$@" 2>/dev/null | tee "$here/torch.txt"
echo "sluice (fastest of 4K, huge pages, sorted path) / index_select:"
paste <(awk '$1 ~ /^[0-9]+$/ {best = ($4 > $5 ? $4 : $5); print $1, (best > $6 ? best : $6)}' "$here/sluice.txt") \
      <(awk '$1 ~ /^[0-9]+$/ {print $2}' "$here/torch.txt") |
  awk '{printf "%8d %8.2f\n", $1, $2 / $3}'
echo
"$here/sort_bench"
echo
"$here/gather_bench" --sweep "$@"
