#!/usr/bin/env bash
# Everything bench/gpu/build.sh prepared, in one call on a GPU machine (a
# lent machine's time is short): the runtime's driver-facing unit tests,
# the checks, the gather and sorted-path tables, the first-run load of PTX
# against fatbin kernels, and examples/sage and examples/mam against
# PyTorch. Each part has a time
# limit, so one that hangs cannot take the others' time. Exits non-zero if
# a check fails.
#   bash device-bundle/all.sh            (about 9 minutes on an H200)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
status=0
part() {
  local limit=$1 name=$2
  shift 2
  echo "=== $name (limit ${limit}s)"
  timeout "$limit" "$@" || { echo "=== $name: exit $?"; status=1; }
}
# The limits sum to 580 s: the device tool stops a command at 600 s.
part 20 "runtime unit tests against the driver" bash "$here/runtime-tests.sh"
part 240 "checks and gather benchmark" bash "$here/run.sh" --table-gib=1 --reps=3
[ -x "$here/sage_cuda_fatbin" ] && part 70 "first run: PTX against fatbin" bash "$here/first-run.sh"
EPOCHS=${EPOCHS:-3} CUDA_LIMIT=${CUDA_LIMIT:-90} part 190 "examples/sage against PyTorch" bash "$here/sage.sh"
part 60 "examples/mam against PyTorch" bash "$here/mam.sh" "${MAM_STEPS:-500}"
exit $status
