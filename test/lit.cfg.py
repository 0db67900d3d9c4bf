# -*- Python -*-
# lit configuration for the Sluice compiler tests.

import ctypes
import ctypes.util
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

def _loads(library):
    try:
        ctypes.CDLL(library)
        return True
    except OSError:
        return False


config.name = "Sluice"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".sl", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sluice_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

from lit.llvm.subst import ToolSubst

# `sluice` is also a stage name (--stage=sluice): substitute the tool only
# where it is not preceded by '='.
llvm_config.add_tool_substitutions(
    ["sluice-opt", ToolSubst("sluice", pre=r".-^/\<=")],
    [config.sluice_tools_dir, config.llvm_tools_dir],
)

# The build directory, for scripts that take it (examples/*/run.sh).
config.substitutions.append(("%sluice_build", config.sluice_obj_root))

# Compiled test programs find libsluice_rt next to the tools; keep their
# `sluice run` cache inside the build tree.
config.environment["SLUICE_CACHE_DIR"] = os.path.join(
    config.sluice_obj_root, "test", "run-cache"
)

# ptxas, where a CUDA toolkit is installed, assembles generated PTX.
ptxas = shutil.which("ptxas") or (
    "/usr/local/cuda/bin/ptxas" if os.access("/usr/local/cuda/bin/ptxas", os.X_OK) else None
)
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

# Tests of the no-driver error path only mean something without a driver.
if ctypes.util.find_library("cuda") and _loads("libcuda.so.1"):
    config.available_features.add("cuda-driver")

# Fashion-MNIST from Debian's dataset-fashion-mnist (scripts/setup.sh
# installs it), for the examples that train on real data.
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")
