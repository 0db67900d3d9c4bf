#!/usr/bin/env bash
# Runs the GPU gather benchmark built by bench/gpu/build.sh (on a GPU machine).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current --format=csv 2>/dev/null || true
lscpu 2>/dev/null | grep -E "Model name|^CPU\(s\)" || true
echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"
"$here/gather_bench" "$@" 2>&1 | tee "${OUT:-/tmp}/gather_bench.txt"
exit "${PIPESTATUS[0]}"
