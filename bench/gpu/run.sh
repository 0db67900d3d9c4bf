#!/usr/bin/env bash
# Runs the GPU checks and benchmark built by bench/gpu/build.sh, on a GPU
# machine. Exits non-zero if any check fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# cuBLAS for sluice's CUDA executables: where the system has none on its
# library path, the copy PyTorch's wheels bring.
if [ -z "${SLUICE_CUBLAS:-}" ] && ! ldconfig -p 2>/dev/null | grep -q libcublas.so; then
  SLUICE_CUBLAS=$(python3 -c 'import glob, os, nvidia.cublas as c; print(sorted(glob.glob(os.path.join(list(c.__path__)[0], "lib", "libcublas.so*")))[-1])' 2>/dev/null) &&
    export SLUICE_CUBLAS
fi
log="${OUT:-/tmp}/gather_bench.txt"
# The tensor programs travel compressed (the device tool carries 64 MiB).
if [ -f "$here/tensor.tgz" ] && [ ! -d "$here/tensor" ]; then
  tar xzf "$here/tensor.tgz" -C "$here" || exit 1
fi
{
  nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current --format=csv 2>/dev/null
  lscpu 2>/dev/null | grep -E "Model name|^CPU\(s\)"
  echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"
} | tee "$log"

status=0
# The compiled end-to-end program must print exactly the expected lines.
if "$here/gather_cuda_e2e" | sed 's/ *$//' > "$here/e2e.out" &&
    diff -u "$here/gather_cuda_e2e.expected" "$here/e2e.out" > "$here/e2e.diff"; then
  echo "end-to-end: sluice build --target=cuda program: $(wc -l < "$here/e2e.out") gathers equal the host reference" | tee -a "$log"
else
  echo "end-to-end: FAILED" | tee -a "$log"
  cat "$here/e2e.diff" "$here/e2e.out" | tee -a "$log"
  status=1
fi

for program in overlap_cuda_e2e overlap_cuda_e2e_serial; do
  if "$here/$program" | sed 's/ *$//' > "$here/$program.out" &&
      diff -u "$here/overlap_cuda_e2e.expected" "$here/$program.out" > "$here/$program.diff"; then
    echo "end-to-end: $program: $(cat "$here/$program.out") (batches, rows, mismatches)" | tee -a "$log"
  else
    echo "end-to-end: $program FAILED" | tee -a "$log"
    cat "$here/$program.diff" | tee -a "$log"
    status=1
  fi
done

for program in gather-out-of-range-cuda overlap-out-of-range-cuda; do
  "$here/$program" > /dev/null 2> "$here/$program.err"
  code=$?
  if [ "$code" -eq 1 ] && grep -qF "$(cat "$here/$program.expected")" "$here/$program.err"; then
    echo "end-to-end: $program: exit 1, $(cat "$here/$program.err")" | tee -a "$log"
  else
    echo "end-to-end: $program FAILED (exit $code): $(cat "$here/$program.err")" | tee -a "$log"
    status=1
  fi
done

# Tensor programs: the CUDA executable prints what the CPU one prints
# (labels equal, values within 1e-4 relative: the kernels' polynomial math
# and the GPU's float arithmetic differ from libm's in the last bits).
for cuda in "$here"/tensor/*.cuda; do
  program=$(basename "$cuda" .cuda)
  args=()
  [ "$program" = graphs ] && args=(--graph "$here/tensor/graph")
  start=$(date +%s%N)
  timeout 60 "$here/tensor/$program.cuda" "${args[@]}" > "$here/tensor/$program.cuda.out" 2>&1
  code=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  result=""
  if [ "$code" -eq 0 ] && result=$(python3 "$here/tensor/compare.py" \
      "$here/tensor/$program.cuda.out" "$here/tensor/$program.expected" 1e-4); then
    echo "tensor program $program on the GPU: $result ($ms ms)" | tee -a "$log"
  else
    echo "tensor program $program on the GPU: FAILED (exit $code): $result" | tee -a "$log"
    head -20 "$here/tensor/$program.cuda.out" | tee -a "$log"
    # Again, waiting for every kernel, so that a failing one is named.
    echo "  with SLUICE_CUDA_SYNC=1:" | tee -a "$log"
    SLUICE_CUDA_SYNC=1 timeout 60 "$cuda" "${args[@]}" 2>&1 | tail -3 | sed 's/^/  /' | tee -a "$log"
    status=1
  fi
done

# A bad label found by a kernel (the loss's label check, deferred through
# the runtime's kernel error slot): the CPU build's message and status.
bad=$(timeout 60 "$here/tensor/mlp-forward.cuda" --bad 1 2>&1 >/dev/null)
code=$?
if [ "$code" -eq 1 ] && grep -q "label 7 is outside \[0, 3)" <<<"$bad"; then
  echo "a bad label found on the GPU: reported (${bad##*: label})" | tee -a "$log"
else
  echo "a bad label found on the GPU: FAILED (exit $code): $bad" | tee -a "$log"
  status=1
fi

"$here/gather_bench" "$@" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
exit $status
