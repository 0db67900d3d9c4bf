#!/usr/bin/env bash
# examples/sage's training on a GPU machine, from the bundle that
# bench/gpu/build.sh makes (run there: bash device-bundle/sage.sh):
# PyTorch on the GPU with the features in pinned host memory, gathered the
# conventional way (CPU gather into a pinned buffer, then a copy), and with
# the features all in GPU memory; against the same training by PyTorch and
# by sluice's executable on the machine's CPU cores. Same exported graph,
# model, fanouts, batches and optimizer for all. Prints seconds per epoch
# (validation included), final accuracy, the ratios, and each run's peak
# resident memory on the host (PyTorch's GPU runs also print their peak GPU
# memory; sluice's CUDA run prints the peak of its managed buffers from a
# one-epoch SLUICE_PROFILE run).
#   GRAPH=builtin:sbm?... EPOCHS=5 bash device-bundle/sage.sh
# And sluice's CUDA executable: its loops as kernels over managed memory,
# the sampler and aggregation on the host (the first shape of that path).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# cuBLAS for sluice's CUDA executables: where the system has none on its
# library path, the copy PyTorch's wheels bring.
if [ -z "${SLUICE_CUBLAS:-}" ] && ! ldconfig -p 2>/dev/null | grep -q libcublas.so; then
  SLUICE_CUBLAS=$(python3 -c 'import glob, os, nvidia.cublas as c; print(sorted(glob.glob(os.path.join(list(c.__path__)[0], "lib", "libcublas.so*")))[-1])' 2>/dev/null) &&
    export SLUICE_CUBLAS
fi
graph_source=${GRAPH:-"builtin:sbm?nodes=200000&features=100&classes=47"}
epochs=${EPOCHS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=${PYTHON:-python3}
now() { date +%s%N; }
# Runs a command with its output into $1 and prints the command's peak
# resident set in MiB (the largest of the children waited for: the command
# is the only one).
peak_mib() {
  $python -c 'import resource, subprocess, sys
status = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
print(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
sys.exit(status)' "$@"
}
declare -A epoch accuracy mib

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; graph: $graph_source; $epochs epochs"
"$here/export_graph" "$graph_source" "$work/graph" || exit 1

# Times one sluice executable (named $1) over the epochs, less its start-up
# (loading the graph, and for CUDA builds the GPU code), bounded by $limit:
# a first run of a new GPU path must not spend the machine's time. Sets
# epoch[$1], accuracy[$1] and mib[$1].
limit=${CUDA_LIMIT:-240}
time_sluice() {
  local name=$1 exe=$2 t0 t1 t2
  # A CUDA build's first run on a machine has the driver compile its PTX
  # as each kernel is first used (seconds, then cached): one untimed epoch
  # first, so that no build is timed with a cold cache.
  [[ $name == *cuda* ]] &&
    timeout "$limit" "$exe" --graph "$work/graph" --epochs 1 >/dev/null 2>&1
  t0=$(now); peak_mib /dev/null timeout "$limit" "$exe" --graph "$work/graph" --epochs 0 >/dev/null; t1=$(now)
  if mib[$name]=$(peak_mib "$work/$name.out" timeout "$limit" "$exe" --graph "$work/graph" --epochs "$epochs" --progress lines); then
    t2=$(now)
    epoch[$name]=$($python -c "print(f'{(($t2 - $t1) - ($t1 - $t0)) / 1e9 / $epochs:.3f}')")
    accuracy[$name]=$(sed -n 's/^accuracy: //p' "$work/$name.out" | tail -1)
    echo "$name: start-up and loading $($python -c "print(f'{($t1 - $t0) / 1e9:.2f}')") s; accuracy per epoch: $(sed -n 's/^accuracy: //p' "$work/$name.out" | tr '\n' ' ')"
  else
    epoch[$name]=""; accuracy[$name]="failed"
    echo "$name FAILED or ran past ${limit} s:"; tail -5 "$work/$name.out"
  fi
}
time_sluice sluice-cpu "$here/sage"
time_sluice sluice-cuda "$here/sage_cuda"
if [ -n "${epoch[sluice-cuda]}" ]; then
  SLUICE_PROFILE=1 timeout "$limit" "$here/sage_cuda" --graph "$work/graph" --epochs 1 2>&1 >/dev/null |
    sed -n 's/^\(unified heap\|sampling ahead\)/sluice-cuda: \1/p'
fi
# Sampling ahead, measured: CUDA builds sample the next batch in the
# background by default; here without.
time_sluice sluice-cuda-no-ahead "$here/sage_cuda_no_ahead"
sluice=${epoch[sluice-cpu]}

for config in "cpu host" "cuda host" "cuda device"; do
  set -- $config
  name="pytorch-$1-$2"
  echo "$name:"
  mib[$name]=$(peak_mib "$work/$name.out" $python "$here/sage_torch.py" "$work/graph" \
    --epochs "$epochs" --device "$1" --features "$2")
  grep -v "Warning\|warn(" "$work/$name.out" | sed 's/^/  /'
  read -r _ epoch[$name] accuracy[$name] < <(grep '^result:' "$work/$name.out") ||
    { epoch[$name]=""; accuracy[$name]="failed"; }
done

echo
row() { printf "%-28s %10s %10s %17s %9s\n" "$@"; }
row "" "s / epoch" "accuracy" "sluice-cpu / this" "host MiB"
for name in sluice-cpu sluice-cuda sluice-cuda-no-ahead \
    pytorch-cpu-host pytorch-cuda-host pytorch-cuda-device; do
  ratio=""
  [ -n "$sluice" ] && [ -n "${epoch[$name]}" ] &&
    ratio=$($python -c "print(f'{$sluice / ${epoch[$name]}:.2f}')")
  row "$name" "${epoch[$name]}" "${accuracy[$name]}" "$ratio" "${mib[$name]:-}"
done
if [ -n "${epoch[sluice-cuda]}" ] && [ -n "${epoch[sluice-cuda-no-ahead]}" ]; then
  echo "sampling ahead: sluice-cuda takes $($python -c "print(f'{${epoch[sluice-cuda]} / ${epoch[sluice-cuda-no-ahead]}:.2f}')")x the epoch of sluice-cuda-no-ahead"
fi
