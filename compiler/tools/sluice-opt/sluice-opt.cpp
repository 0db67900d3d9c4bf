//===- sluice-opt.cpp - The sluice optimizer driver -----------------------===//
//
// mlir-opt for Sluice: parses, verifies, transforms and prints IR that mixes
// the sluice dialect with the upstream dialects Sluice lowers through. Every
// pass and pipeline is tested through this tool.
//
//===----------------------------------------------------------------------===//

#include "sluice/Compiler/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  sluice::registerSluicePipelinePasses();
  sluice::registerSluicePipelines();

  mlir::DialectRegistry registry;
  sluice::registerSluiceDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Sluice optimizer driver\n", registry));
}
