//===- BufferizableOpInterfaceImpl.h - bufferizing sluice ops ---*- C++ -*-===//

#ifndef SLUICE_DIALECT_SLUICE_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define SLUICE_DIALECT_SLUICE_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace sluice {
/// Lets One-Shot Bufferize turn tensor-level sluice ops into their buffer
/// forms: gather -> allocation + gather_into, sort_unique -> allocations +
/// sort_unique_into, to_device -> its operand's buffer.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);
} // namespace sluice
} // namespace mlir

#endif // SLUICE_DIALECT_SLUICE_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
