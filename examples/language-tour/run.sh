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
echo "== the generated sluice IR: seeded initializers, and how many matrix"
echo "   products the forward pass and the derived backward pass take"
"$sluice" emit "$here/tour.sl" | grep -E "sluice\.random_uniform" | sed 's/^ *//'
"$sluice" emit "$here/tour.sl" | grep -c "linalg\.matmul" | sed 's/$/ linalg.matmul ops/'
echo
echo "== sluice build, then ./tour (20 Adam steps) and ./tour --steps 5 --scale 2"
"$sluice" build "$here/tour.sl" -o "$out/tour"
"$out/tour"
"$out/tour" --steps 5 --scale 2
echo
echo "== ./tour --help"
"$out/tour" --help
