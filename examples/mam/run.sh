#!/usr/bin/env bash
# Marginalization models: build examples/mam/mam.sl and train it (both
# stages), then print how close the learned log-probabilities are to the
# exact ones. Extra arguments go to the program, e.g.
#   bash examples/mam/run.sh build --steps 500
set -euo pipefail
build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== sluice build mam.sl -o mam"
"$build/bin/sluice" build "$here/mam.sl" -o "$out/mam"
echo "== ./mam $*"
"$out/mam" "$@"
