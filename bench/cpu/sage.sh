#!/usr/bin/env bash
# examples/sage (target program 1: GraphSAGE, fanouts 15 and 10, batches of
# 1024, Adam) compiled by sluice, against the same training in DGL (its own
# NeighborSampler and SAGEConv) and in plain PyTorch (vectorized sampling),
# on exactly the same graph (exported once to .npy files), on this machine,
# every core for each. Prints seconds per epoch (validation included; for
# the baselines also split into sampling, gathering and compute), the final
# validation accuracy of each, and the ratios.
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
seconds() { python3 -c "print(f'{($2 - $1) / 1e9:.3f}')"; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "date: $(date -u +%Y-%m-%d), commit $(git -C "$root" rev-parse --short HEAD)"
echo "graph: $graph_source, $epochs epochs"
c++ -O2 -std=c++17 -I "$root/runtime/include" "$root/bench/cpu/export_graph.cpp" \
  "$build/runtime/libsluice_rt.a" -pthread -ldl -lz -o "$work/export_graph"
"$work/export_graph" "$graph_source" "$work/graph"
"$build/bin/sluice" build "$root/examples/sage/sage.sl" -o "$work/sage"

# sluice: the run with E epochs less the run with none (loading the graph).
t0=$(now); "$work/sage" --graph "$work/graph" --epochs 0 >/dev/null; t1=$(now)
"$work/sage" --graph "$work/graph" --epochs "$epochs" >"$work/sluice.out"; t2=$(now)
sluice_epoch=$(python3 -c "print(f'{(($t2 - $t1) - ($t1 - $t0)) / 1e9 / $epochs:.3f}')")
sluice_accuracy=$(sed -n 's/^accuracy: //p' "$work/sluice.out" | tail -1)
echo "sluice: load $(seconds "$t0" "$t1") s; accuracy per epoch: $(sed -n 's/^accuracy: //p' "$work/sluice.out" | tr '\n' ' ')"

echo "pytorch:"
/usr/bin/python3 "$root/bench/cpu/sage_torch.py" "$work/graph" --epochs "$epochs" \
  --threads "$(nproc)" | tee "$work/torch.out" | sed 's/^/  /'
read -r _ torch_epoch torch_accuracy < <(grep '^result:' "$work/torch.out")

dgl_epoch=""
if [ -x "$root/bench/.venv/bin/python" ]; then
  echo "dgl:"
  "$root/bench/.venv/bin/python" "$root/bench/cpu/sage_dgl.py" "$work/graph" \
    --epochs "$epochs" --threads "$(nproc)" 2>/dev/null | tee "$work/dgl.out" | sed 's/^/  /'
  read -r _ dgl_epoch dgl_accuracy < <(grep '^result:' "$work/dgl.out")
else
  echo "dgl: not set up (bash bench/cpu/setup-baselines.sh installs it); skipped"
fi

echo
printf "%-8s %12s %10s %18s\n" "" "s / epoch" "accuracy" "sluice / this"
printf "%-8s %12s %10s %18s\n" "sluice" "$sluice_epoch" "$sluice_accuracy" "1.00"
printf "%-8s %12s %10s %18s\n" "pytorch" "$torch_epoch" "$torch_accuracy" \
  "$(python3 -c "print(f'{$sluice_epoch / $torch_epoch:.2f}')")"
if [ -n "$dgl_epoch" ]; then
  printf "%-8s %12s %10s %18s\n" "dgl" "$dgl_epoch" "$dgl_accuracy" \
    "$(python3 -c "print(f'{$sluice_epoch / $dgl_epoch:.2f}')")"
fi
