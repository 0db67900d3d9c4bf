#!/usr/bin/env bash
# Builds and runs the front-end fuzzer (see fuzz/README.md).
#
#   bash fuzz/run.sh [BUILD_DIR] [SECONDS]
#
# BUILD_DIR (default build-fuzz) holds the fuzzer's own CMake build, its
# working corpus (corpus/), what it finds (crashes/) and the last log
# (fuzz.log). The script
#   1. configures and builds the fuzzer with clang-22 (libFuzzer, ASan, UBSan);
#   2. runs every input in test/Language/Fuzz once (the regression inputs);
#   3. seeds the corpus with every .sl file under test/, examples/, stdlib/
#      and fuzz/seeds/, and fuzzes for SECONDS (default 60).
# Exit status: 0 when nothing crashed, 1 on a crash, hang, leak, sanitizer
# report or build failure, 77 (CTest: skipped) when clang-22 with libFuzzer is
# not installed.
#
# Environment: FUZZ_CXX (default clang++-22), FUZZ_MLIR_DIR (default
# /usr/lib/llvm-22/lib/cmake/mlir), FUZZ_JOBS (build parallelism).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(realpath -m "${1:-build-fuzz}")
seconds=${2:-60}
cxx=${FUZZ_CXX:-clang++-22}
mlir_dir=${FUZZ_MLIR_DIR:-/usr/lib/llvm-22/lib/cmake/mlir}
regressions=$root/test/Language/Fuzz

say() { echo "frontend-fuzz: $*"; }
skip() {
  say "skipped: $*"
  exit 77
}
fail() {
  say "FAILED: $*"
  exit 1
}

if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  fail "SECONDS must be a positive integer, not '$seconds'"
fi

# 1. The toolchain: clang-22 whose libFuzzer and sanitizer runtimes link.
command -v "$cxx" >/dev/null 2>&1 ||
  skip "clang-22 with libFuzzer not installed ($cxx not found; apt-get install clang-22 libclang-rt-22-dev, or make setup)"
mkdir -p "$build" || fail "cannot create $build"
probe=$build/probe
printf '%s\n' 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' \
  >"$probe.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe.cpp" -o "$probe" \
  >"$probe.log" 2>&1; then
  cat "$probe.log"
  skip "clang-22 with libFuzzer not installed ($cxx cannot link -fsanitize=fuzzer,address,undefined; apt-get install libclang-rt-22-dev)"
fi
command -v cmake >/dev/null 2>&1 || fail "cmake not found (make setup)"

# 2. Configure (once) and build.
start=$SECONDS
if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  cmake "${generator[@]}" -S "$root/fuzz" -B "$build" \
    -DCMAKE_CXX_COMPILER="$cxx" -DMLIR_DIR="$mlir_dir" >"$build/configure.log" 2>&1 ||
    {
      cat "$build/configure.log"
      rm -f "$build/CMakeCache.txt"
      fail "configuring the fuzzer in $build"
    }
fi
jobs=()
[ -n "${FUZZ_JOBS:-}" ] && jobs=(-j "$FUZZ_JOBS")
cmake --build "$build" "${jobs[@]}" || fail "building the fuzzer in $build"
fuzzer=$build/sluice-frontend-fuzzer
say "fuzzer built in $((SECONDS - start)) s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Prints where a crashing input went and how to make it a regression test.
report_crash() {
  local what=$1 newest
  newest=$(ls -t "$build/crashes" 2>/dev/null | head -n 1)
  say "FAILED: $what"
  if [ -n "$newest" ]; then
    say "the input is saved at $build/crashes/$newest"
    say "reproduce: $fuzzer $build/crashes/$newest"
    say "minimize:  $fuzzer -minimize_crash=1 -runs=100000 $build/crashes/$newest"
    say "after the fix, add it as test/Language/Fuzz/<what-it-does>.sl"
  fi
  exit 1
}

# 3. The regression inputs, each once, and what earlier runs found in this
# build dir (until it is fixed and moved to test/Language/Fuzz).
mkdir -p "$build/crashes"
inputs=()
for f in "$regressions"/*; do
  case "$(basename "$f")" in
  lit.local.cfg | *.md) continue ;;
  esac
  [ -f "$f" ] && inputs+=("$f")
done
found=()
for f in "$build/crashes"/*; do
  [ -f "$f" ] && found+=("$f")
done
if ((${#inputs[@]} + ${#found[@]} > 0)); then
  if ! "$fuzzer" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/regression-" "${inputs[@]}" "${found[@]}" \
    >"$build/regressions.log" 2>&1; then
    grep -vE '^INFO:|^Running: |^Executed ' "$build/regressions.log" | tail -n 60
    culprit=$(grep '^Running: ' "$build/regressions.log" | tail -n 1)
    fail "${culprit#Running: } crashes the front end (log: $build/regressions.log)"
  fi
  say "${#inputs[@]} regression inputs pass"
  ((${#found[@]} > 0)) &&
    say "${#found[@]} inputs in $build/crashes pass now: move them to test/Language/Fuzz (see fuzz/README.md)"
fi

# 4. Seed and fuzz. The corpus persists in the build dir, so later runs start
# from what earlier ones found.
corpus=$build/corpus
mkdir -p "$corpus"
seeds=0
while IFS= read -r -d '' f; do
  cp "$f" "$corpus/seed-$(echo "$f" | sed "s|^$root/||; s|/|_|g")"
  seeds=$((seeds + 1))
done < <(find "$root/test" "$root/examples" "$root/stdlib" "$root/fuzz/seeds" \
  -name '*.sl' -type f -print0 2>/dev/null)
say "fuzzing for $seconds s from $seeds seeds ($(ls "$corpus" | wc -l) inputs in $corpus)"

# libFuzzer's own error exit code is 77, CTest's "skipped": map every failure
# to 1. Large inputs fuzz slowly; the regression step covers the big ones.
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=16384 -dict="$root/fuzz/sluice.dict" -print_final_stats=1 \
  -artifact_prefix="$build/crashes/" "$corpus" >"$build/fuzz.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
# Progress for long runs: libFuzzer's periodic lines, at most one a minute.
last=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  if ((SECONDS - last >= 60)); then
    last=$SECONDS
    line=$(grep -E '^#[0-9]+' "$build/fuzz.log" | tail -n 1)
    [ -n "$line" ] && say "${line:0:120}"
  fi
done
wait "$pid"
status=$?
trap - EXIT
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
  "$build/fuzz.log" | sed 's/^/frontend-fuzz: /'
if ((status != 0)); then
  grep -vE '^#[0-9]+|^"|^###### |^INFO:' "$build/fuzz.log" | tail -n 80
  report_crash "the fuzzer found an input that crashes, hangs or leaks (exit $status; log: $build/fuzz.log)"
fi
say "no crash in $seconds s of fuzzing"
