# -*- Python -*-
# lit configuration for the Sluice compiler tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Sluice"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".sl"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sluice_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

llvm_config.add_tool_substitutions(
    ["sluice-opt"], [config.sluice_tools_dir, config.llvm_tools_dir]
)
