#!/usr/bin/env bash
# Target program 4 (examples/mam, MaM by maximum likelihood) on the GPU:
# sluice's CUDA build against the same training in PyTorch on the same GPU
# (mam_torch.py cuda), both from the same data. Prints the training time
# and the closing numbers of each, and the ratio.
#   bash device-bundle/mam.sh [STEPS]      (default 2000 per stage)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
steps=${1:-2000}
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
every=$((steps > 1 ? steps - 1 : 1))
start=$(date +%s.%N)
"$here/mam_cuda" --steps "$steps" --every "$every" > "$work/sluice.txt"
end=$(date +%s.%N)
echo "seconds: $($python -c "print(f'{$end - $start:.2f}')")" >> "$work/sluice.txt"
# MAM_DEVICE=cpu tries the script where there is no GPU.
$python "$here/mam_torch.py" "$(nproc)" "$steps" "${MAM_DEVICE:-cuda}" > "$work/torch.txt"
$python - "$work" "$steps" <<'PY'
import sys
work, steps = sys.argv[1], sys.argv[2]
def read(name):
    values = {}
    for line in open(f"{work}/{name}.txt"):
        key, _, value = line.partition(":")
        values[key.strip()] = float(value)
    return values
rows = [("sluice-cuda", read("sluice")), ("pytorch-cuda", read("torch"))]
print(f"examples/mam on the GPU, {steps} steps per stage; entropy "
      f"{rows[0][1]['entropy']:.4f}")
print(f"{'':13} {'seconds':>8} {'marginal_nll':>13} {'mean_abs_error':>15} "
      f"{'log_z':>9} {'penalty':>9}")
for name, v in rows:
    print(f"{name:13} {v['seconds']:8.2f} {v['marginal_nll']:13.4f} "
          f"{v['mean_abs_error']:15.4f} {v['log_z']:9.4f} {v['penalty']:9.4f}")
print(f"pytorch-cuda / sluice-cuda time: "
      f"{rows[1][1]['seconds'] / rows[0][1]['seconds']:.2f}x "
      f"(sluice: the whole executable, start-up included)")
PY
