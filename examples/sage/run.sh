#!/usr/bin/env bash
# The flagship: build target program 1 (GraphSAGE) and train it on the
# built-in 200,000-node graph. Extra arguments go to the program, e.g.
#   bash examples/sage/run.sh build --epochs 2 --fanout 10,5
set -euo pipefail
build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
sluice="$build/bin/sluice"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== sluice build sage.sl -o sage"
"$sluice" build "$here/sage.sl" -o "$out/sage"
echo
echo "== ./sage --help"
"$out/sage" --help
echo
echo "== ./sage $*"
start=$(date +%s%N)
"$out/sage" "$@"
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
echo
echo "graph generation and training took $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
