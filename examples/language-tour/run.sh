#!/usr/bin/env bash
# The language tour: check, the `sluice` IR of the model call, build, run.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
sluice="$build/bin/sluice"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== sluice check tour.sl (silent when the program is well-typed)"
"$sluice" check "$here/tour.sl"
echo
echo "== the generated sluice IR: seeded initializers and the layer products"
"$sluice" emit "$here/tour.sl" | grep -E "sluice\.random_uniform|linalg\.matmul" | sed 's/^ *//'
echo
echo "== sluice build, then ./tour and ./tour --scale 2 --steps 5"
"$sluice" build "$here/tour.sl" -o "$out/tour"
"$out/tour"
"$out/tour" --scale 2 --steps 5
echo
echo "== ./tour --help"
"$out/tour" --help
