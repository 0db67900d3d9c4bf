#!/usr/bin/env bash
# Target program 4 (examples/mam: MaM by maximum likelihood, 2 x STEPS Adam
# steps) compiled by sluice for the CPU, against the same training in
# PyTorch on the same machine (bench/cpu/mam_torch.py; Debian's
# python3-torch, which bench/cpu/setup-baselines.sh installs). PyTorch runs
# with every core and with one thread, and the faster counts. Prints wall
# time and the example's closing numbers for each.
# Usage: bench/cpu/mam.sh [BUILD_DIR] [STEPS]
set -euo pipefail
build=${1:-build}
steps=${2:-2000}
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$build/bin/sluice" build "$root/examples/mam/mam.sl" -o "$out/mam"
start=$(date +%s.%N)
# Logs at step 0 and at the last step, whose penalty is the one compared.
"$out/mam" --steps "$steps" --every $((steps > 1 ? steps - 1 : 1)) > "$out/sluice.txt"
end=$(date +%s.%N)
echo "seconds: $(python3 -c "print(f'{$end - $start:.2f}')")" >> "$out/sluice.txt"
cores=$(nproc)
/usr/bin/python3 "$here/mam_torch.py" "$cores" "$steps" > "$out/torch-all.txt"
/usr/bin/python3 "$here/mam_torch.py" 1 "$steps" > "$out/torch-one.txt"
python3 - "$out" "$cores" "$steps" <<'PY'
import sys
out, cores, steps = sys.argv[1], sys.argv[2], sys.argv[3]
def read(name):
    values = {}
    for line in open(f"{out}/{name}.txt"):
        key, _, value = line.partition(":")
        values[key.strip()] = float(value)  # the last of each wins
    return values
rows = [("sluice", read("sluice")),
        (f"pytorch {cores}t", read("torch-all")),
        ("pytorch 1t", read("torch-one"))]
print(f"examples/mam, {steps} steps per stage; entropy of the data "
      f"{rows[0][1]['entropy']:.4f}")
print(f"{'':12} {'seconds':>8} {'marginal_nll':>13} {'mean_abs_error':>15} "
      f"{'log_z':>9} {'penalty':>9}")
for name, v in rows:
    print(f"{name:12} {v['seconds']:8.2f} {v['marginal_nll']:13.4f} "
          f"{v['mean_abs_error']:15.4f} {v['log_z']:9.4f} {v['penalty']:9.4f}")
best = min(rows[1][1]["seconds"], rows[2][1]["seconds"])
print(f"pytorch (faster setting) / sluice time: {best / rows[0][1]['seconds']:.2f}x")
PY
