#!/usr/bin/env bash
# The runtime's unit tests that touch the CUDA driver (the fake driver's
# too), run against this machine's real driver and GPU, where the tests that
# need one run instead of skipping. Each test runs in its own process, as
# ctest runs them (they share process-wide runtime state).
#   bash device-bundle/runtime-tests.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gunzip -c "$here/sluice-rt-tests.gz" > "$work/sluice-rt-tests"
chmod +x "$work/sluice-rt-tests"
suites='Cublas*:CudaDriverTest.*:FakeDriverTest.*:CudaDeviceTest.*:HostTables*:TableMemoryTest.*:KernelErrorsTest.*:Unified*'
passed=0 skipped=0 failed=()
suite=""
while IFS= read -r line; do
  case "$line" in
    " "*) trimmed=${line#"${line%%[! ]*}"}; name="$suite${trimmed%% *}" ;;
    *.) suite=$line; continue ;;
    *) continue ;;
  esac
  out=$("$work/sluice-rt-tests" --gtest_filter="$name" 2>&1)
  if [ $? -ne 0 ] || ! echo "$out" | grep -q "Running 1 test"; then
    failed+=("$name")
    echo "$out" | grep -E "Failure|Expected|Which is|error" | head -5
  elif echo "$out" | grep -q "\[  SKIPPED \]"; then
    skipped=$((skipped + 1))
  else
    passed=$((passed + 1))
  fi
done < <("$work/sluice-rt-tests" --gtest_list_tests --gtest_filter="$suites")
echo "runtime tests with the driver: $passed passed, $skipped skipped, ${#failed[@]} failed ${failed[*]}"
[ ${#failed[@]} -eq 0 ]
