#!/usr/bin/env bash
# The gather pipeline example: what the compiler decides, then the program.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
sluice="$build/bin/sluice"

echo "== what the high-level passes decided (sluice emit --stage=lowered):"
"$sluice" emit --stage=lowered "$here/pipeline.mlir" | grep -E "sluice\.(make_table|sort_unique|gather) " | sed 's/^ *//'
echo
echo "== and with --sort-gather-indices:"
"$sluice" emit --stage=lowered --sort-gather-indices "$here/pipeline.mlir" | grep -E "sluice\.(sort_unique|gather) " | sed 's/^ *//'
echo
echo "== sluice run (CPU): <rows gathered> <table rows> <mismatches>"
"$sluice" run "$here/pipeline.mlir"
echo
echo "== the same gather compiled for CUDA: PTX lines of the rotated zero-copy kernel"
"$sluice" emit --target=cuda --stage=ptx "$here/../../test/Driver/Inputs/gather.mlir" | grep -cE "ld.global.v4|rem.s64" | sed 's/$/ vector loads and rotation remainders/'
