#!/usr/bin/env bash
# MiniCache: build examples/minicache/minicache.sl and print the merged
# cache's size and error for merging from layers 0, 8, 16 and 24. Extra
# arguments go to the program, e.g.
#   bash examples/minicache/run.sh build --gamma 0.1
set -euo pipefail
build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== sluice build minicache.sl -o minicache"
"$build/bin/sluice" build "$here/minicache.sl" -o "$out/minicache"
echo "== ./minicache $*"
"$out/minicache" "$@" | paste - - -
