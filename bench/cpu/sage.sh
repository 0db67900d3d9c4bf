#!/usr/bin/env bash
# examples/sage (target program 1: GraphSAGE, fanouts 15 and 10, batches of
# 1024, Adam) compiled by sluice, against the same training in DGL (its own
# NeighborSampler and SAGEConv) and in plain PyTorch (vectorized sampling),
# on exactly the same graph (exported once to .npy files), on this machine,
# every core for each. Prints seconds per epoch (validation included; for
# the baselines also split into sampling, gathering and compute), the final
# validation accuracy of each, each run's peak resident memory (loading the
# graph included), and the ratios.
#   bash bench/cpu/sage.sh [BUILD_DIR]
#   GRAPH=builtin:sbm?... EPOCHS=5 bash bench/cpu/sage.sh
# DGL comes from bench/.venv (bash bench/cpu/setup-baselines.sh); without it
# the DGL row is skipped with a note.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
graph_source=${GRAPH:-"builtin:sbm?nodes=200000&features=100&classes=47"}
epochs=${EPOCHS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s%N; }
# Runs a command with its output into $1 and prints the command's peak
# resident set in MiB (the largest of the children waited for: the command
# is the only one).
peak_mib() {
  python3 -c 'import resource, subprocess, sys
status = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], "w"))
print(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
sys.exit(status)' "$@"
}
seconds() { python3 -c "print(f'{($2 - $1) / 1e9:.3f}')"; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "date: $(date -u +%Y-%m-%d), commit $(git -C "$root" rev-parse --short HEAD)"
echo "graph: $graph_source, $epochs epochs"
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/export_graph.cpp" \
  "$build/runtime/libsluice_rt.a" -pthread -ldl -lz -o "$work/export_graph"
"$work/export_graph" "$graph_source" "$work/graph"
"$build/bin/sluice" build "$root/examples/sage/sage.sl" -o "$work/sage"

# sluice: the run with E epochs less the run with none (loading the graph).
# Both through peak_mib, whose start-up then cancels out.
t0=$(now); peak_mib /dev/null "$work/sage" --graph "$work/graph" --epochs 0 >/dev/null; t1=$(now)
sluice_mib=$(peak_mib "$work/sluice.out" "$work/sage" --graph "$work/graph" --epochs "$epochs"); t2=$(now)
sluice_epoch=$(python3 -c "print(f'{(($t2 - $t1) - ($t1 - $t0)) / 1e9 / $epochs:.3f}')")
sluice_accuracy=$(sed -n 's/^accuracy: //p' "$work/sluice.out" | tail -1)
echo "sluice: load $(seconds "$t0" "$t1") s; accuracy per epoch: $(sed -n 's/^accuracy: //p' "$work/sluice.out" | tr '\n' ' ')"

echo "pytorch:"
torch_mib=$(peak_mib "$work/torch.out" /usr/bin/python3 "$root/bench/cpu/sage_torch.py" \
  "$work/graph" --epochs "$epochs" --threads "$(nproc)")
sed 's/^/  /' "$work/torch.out"
read -r _ torch_epoch torch_accuracy < <(grep '^result:' "$work/torch.out")

dgl_epoch=""
if [ -x "$root/bench/.venv/bin/python" ]; then
  echo "dgl:"
  dgl_mib=$(peak_mib "$work/dgl.out" "$root/bench/.venv/bin/python" "$root/bench/cpu/sage_dgl.py" \
    "$work/graph" --epochs "$epochs" --threads "$(nproc)" 2>/dev/null)
  sed 's/^/  /' "$work/dgl.out"
  read -r _ dgl_epoch dgl_accuracy < <(grep '^result:' "$work/dgl.out")
else
  echo "dgl: not set up (bash bench/cpu/setup-baselines.sh installs it); skipped"
fi

echo
row() { printf "%-8s %12s %10s %18s %10s %16s\n" "$@"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
row "" "s / epoch" "accuracy" "sluice / this" "peak MiB" "sluice MiB/this"
row "sluice" "$sluice_epoch" "$sluice_accuracy" "1.00" "$sluice_mib" "1.00"
row "pytorch" "$torch_epoch" "$torch_accuracy" "$(ratio "$sluice_epoch" "$torch_epoch")" \
  "$torch_mib" "$(ratio "$sluice_mib" "$torch_mib")"
if [ -n "$dgl_epoch" ]; then
  row "dgl" "$dgl_epoch" "$dgl_accuracy" "$(ratio "$sluice_epoch" "$dgl_epoch")" \
    "$dgl_mib" "$(ratio "$sluice_mib" "$dgl_mib")"
fi
