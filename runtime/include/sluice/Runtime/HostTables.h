//===- HostTables.h - page-locked, device-mapped host tables ----*- C++ -*-===//

#ifndef SLUICE_RUNTIME_HOSTTABLES_H
#define SLUICE_RUNTIME_HOSTTABLES_H

#include <cstdint>
#include <string>

namespace sluice::rt {

/// Registers `bytes` bytes at `ptr` as a zero-copy host table: page-locked
/// and mapped into the device address space. The runtime owns the
/// registration: it is undone exactly once, by unregisterHostTable or at exit.
/// Returns the device address of `ptr`, or null with `error` naming why (no
/// driver, already registered, a view into or an overlap with a registered
/// table, a CUDA error).
void *registerHostTable(void *ptr, uint64_t bytes, std::string &error);

/// Undoes registerHostTable. False with `error` when `ptr` is not the start
/// of a registered table (never registered, or unregistered already).
bool unregisterHostTable(void *ptr, std::string &error);

/// Maps `bytes` bytes (rounded up to whole 2 MiB pages) of zeroed host
/// memory, 2 MiB aligned and advised for transparent huge pages: random row
/// reads then miss the TLB far less often, on the CPU as on the GPU. Returns
/// null with `error` on failure. Release with unmapTableMemory.
void *mapTableMemory(uint64_t bytes, std::string &error);
void unmapTableMemory(void *ptr, uint64_t bytes);

/// Allocates `bytes` bytes of host memory for a zero-copy table and registers
/// it: 2 MiB aligned and advised for transparent huge pages, so that random
/// row reads by the GPU need far fewer address translations than with 4 KiB
/// pages. Returns the host address (null with `error` on failure); release it
/// with freeHostTable.
void *allocateHostTable(uint64_t bytes, std::string &error);

/// Unregisters and frees a table from allocateHostTable.
bool freeHostTable(void *ptr, std::string &error);

/// The number of tables registered now.
size_t numRegisteredHostTables();

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_HOSTTABLES_H
