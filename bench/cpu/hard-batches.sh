#!/usr/bin/env bash
# Target program 2 (loss-ranked batches on 20,000 blobs, 20 epochs of steps)
# compiled by sluice for the CPU, against the same training in PyTorch on
# the same machine. Prints wall time (including data generation for
# sluice; training only for PyTorch) and test accuracy.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$build/bin/sluice" build "$root/test/Language/Programs/hard-batches.sl" -o "$out/p2"
start=$(date +%s.%N)
accuracy=$("$out/p2" | sed 's/accuracy: //')
end=$(date +%s.%N)
sluice_time=$(python3 -c "print(f'{$end - $start:.2f}')")
# Debian's python3-torch (bench/cpu/run.sh installs it when missing).
read -r _ torch_time torch_accuracy < <(/usr/bin/python3 "$here/hard_batches_torch.py" "$(nproc)")
printf "%-10s %10s %10s\n" "" "seconds" "accuracy"
printf "%-10s %10s %10s\n" "sluice" "$sluice_time" "$accuracy"
printf "%-10s %10s %10s\n" "pytorch" "$torch_time" "$torch_accuracy"
python3 -c "print(f'sluice / pytorch time: {$sluice_time / $torch_time:.2f}x')"
