#!/usr/bin/env bash
# Runs the dialect tour: verifies tour.mlir and canonicalizes it, which folds
# every op whose inputs are known.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
opt="$build/bin/sluice-opt"

echo "== dialects registered in sluice-opt"
"$opt" --show-dialects
echo
echo "== $here/tour.mlir after -canonicalize"
"$opt" "$here/tour.mlir" -canonicalize
