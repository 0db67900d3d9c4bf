#!/usr/bin/env bash
# Target program 2 on Fashion-MNIST: the same MLP, data and initialization
# trained with delta 1.0 (plain training) and delta 0.5 (loss-ranked
# batches), then both test-accuracy curves side by side. Extra arguments go
# to both runs, e.g.  bash examples/hard_batches/run.sh build --epochs 3
set -euo pipefail
build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  echo "Fashion-MNIST is not installed: bash scripts/setup.sh installs" \
       "dataset-fashion-mnist (or pass --data DIR with the IDX files)" >&2
fi
"$build/bin/sluice" build "$here/hard_batches.sl" -o "$out/hard_batches"
for delta in 1.0 0.5; do
  echo "== ./hard_batches --delta $delta $*"
  start=$(date +%s%N)
  "$out/hard_batches" --delta "$delta" "$@" | tee "$out/delta-$delta.txt"
  echo "($(( ($(date +%s%N) - start) / 1000000 )) ms)"
done
echo
echo "test accuracy after each epoch's budget of steps:"
printf "%6s %12s %12s\n" "epoch" "delta 1.0" "delta 0.5"
paste <(sed -n 's/^test_accuracy: //p' "$out/delta-1.0.txt") \
      <(sed -n 's/^test_accuracy: //p' "$out/delta-0.5.txt") |
  awk '{ printf "%6d %12s %12s\n", NR, $1, $2 }'
