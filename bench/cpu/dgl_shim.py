"""Imports DGL over Debian's python3-torch.

Debian builds torch from the 1.13.0 sources but calls it "1.13.0a0", which
DGL 1.1's version check ("DGL requires PyTorch >= 1.13.0") rejects as a
pre-release; the API is 1.13.0's, so the version string is corrected before
DGL reads it. Benchmarks only.
"""
import torch

if torch.__version__.startswith("1.13.0a"):
    torch.__version__ = "1.13.0"

import dgl  # noqa: E402

__all__ = ["dgl", "torch"]
