#!/usr/bin/env bash
# The benchmark-only Python environment: bench/.venv (git-ignored), on
# Debian's python3 with its python3-torch and numpy, plus DGL's CPU wheel
# from PyPI (1.1.3, the last that supports torch 1.13). Only benchmarks use
# it; building and testing Sluice never do. Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/bench/.venv"
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      python3-torch python3-numpy python3-venv >/dev/null
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      python3-torch python3-numpy python3-venv >/dev/null
  fi
fi
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
# numpy < 2: Debian's torch is built against numpy 1.
"$venv/bin/python" -m pip install -q "dgl==1.1.3" "numpy<2" "scipy<1.14" networkx \
  psutil tqdm requests packaging pyyaml
"$venv/bin/python" -c "import sys; sys.path.insert(0, '$root/bench/cpu')
from dgl_shim import dgl, torch
print('dgl', dgl.__version__, 'on torch', torch.__version__)"
