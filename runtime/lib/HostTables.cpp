//===- HostTables.cpp - page-locked, device-mapped host tables ------------===//

#include "sluice/Runtime/HostTables.h"
#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Runtime.h"
#include "sluice/Runtime/UnifiedMemory.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <sys/mman.h>

namespace sluice::rt {
namespace {

std::string describeRange(const void *ptr, uint64_t bytes) {
  char text[64];
  std::snprintf(text, sizeof(text), "%p (%llu bytes)", ptr,
                static_cast<unsigned long long>(bytes));
  return text;
}

std::string describePointer(const void *ptr) {
  char text[32];
  std::snprintf(text, sizeof(text), "%p", ptr);
  return text;
}

struct Registration {
  uint64_t bytes;
  void *device;
  bool pinned;  // false for empty tables, which need no driver call
  bool advised; // managed memory, kept on the host by cuMemAdvise
};

class Registry {
public:
  void *add(void *ptr, uint64_t bytes, std::string &error) {
    if (!ptr) {
      error = "cannot register a host table at a null pointer";
      return nullptr;
    }
    std::lock_guard<std::mutex> lock(mutex);
    auto start = reinterpret_cast<uintptr_t>(ptr);
    auto next = tables.upper_bound(start);
    if (next != tables.begin()) {
      auto previous = std::prev(next);
      uintptr_t end = previous->first + previous->second.bytes;
      if (previous->first == start && previous->second.bytes == bytes) {
        error = "host table " + describeRange(ptr, bytes) +
                " is already registered; register it once and reuse it";
        return nullptr;
      }
      if (start < end || (previous->first == start)) {
        bool inside = start + bytes <= end;
        error = "cannot register host table " + describeRange(ptr, bytes) +
                (inside ? ": it is a view into" : ": it overlaps") +
                " the host table registered at " +
                describeRange(reinterpret_cast<void *>(previous->first),
                              previous->second.bytes) +
                (inside ? "; gather from that table instead" : "");
        return nullptr;
      }
    }
    if (next != tables.end() && start + bytes > next->first) {
      error = "cannot register host table " + describeRange(ptr, bytes) +
              ": it overlaps the host table registered at " +
              describeRange(reinterpret_cast<void *>(next->first),
                            next->second.bytes);
      return nullptr;
    }

    Registration entry{bytes, ptr, false, false};
    if (bytes > 0) {
      std::string whyNot;
      const CudaDriver *driver = tryCudaDriver(&whyNot);
      if (!driver) {
        error = "cannot register host table " + describeRange(ptr, bytes) +
                ": " + whyNot;
        return nullptr;
      }
      if (isUnifiedHeapRange(ptr, bytes)) {
        // A CUDA tensor program's buffers are managed memory, which cannot
        // be page-locked: it stays in host memory (preferred location: the
        // CPU) and the GPU maps it (accessed by), so that kernels read it
        // over PCIe without migrating it, as from a pinned table.
        CUresult result =
            memAdvise(*driver, ptr, bytes, CU_MEM_ADVISE_SET_PREFERRED_LOCATION,
                      CU_DEVICE_CPU);
        if (result == CUDA_SUCCESS)
          result = memAdvise(*driver, ptr, bytes, CU_MEM_ADVISE_SET_ACCESSED_BY,
                             currentCudaDevice());
        if (result != CUDA_SUCCESS) {
          error = "cuMemAdvise of host table " + describeRange(ptr, bytes) +
                  " failed: " + describeCudaResult(result);
          return nullptr;
        }
        entry.device = ptr;
        entry.advised = true;
        tables.emplace(start, entry);
        released.erase(start);
        return entry.device;
      }
      CUresult result = driver->cuMemHostRegister(
          ptr, bytes,
          CU_MEMHOSTREGISTER_PORTABLE | CU_MEMHOSTREGISTER_DEVICEMAP);
      if (result != CUDA_SUCCESS) {
        error = "cuMemHostRegister of host table " + describeRange(ptr, bytes) +
                " failed: " + describeCudaResult(result);
        return nullptr;
      }
      CUdeviceptr device = 0;
      result = driver->cuMemHostGetDevicePointer(&device, ptr, 0);
      if (result != CUDA_SUCCESS) {
        driver->cuMemHostUnregister(ptr);
        error = "cuMemHostGetDevicePointer of host table " +
                describeRange(ptr, bytes) +
                " failed: " + describeCudaResult(result);
        return nullptr;
      }
      entry.device = reinterpret_cast<void *>(device);
      entry.pinned = true;
    }
    tables.emplace(start, entry);
    released.erase(start);
    return entry.device;
  }

  bool remove(void *ptr, std::string &error) {
    std::lock_guard<std::mutex> lock(mutex);
    auto start = reinterpret_cast<uintptr_t>(ptr);
    auto found = tables.find(start);
    if (found == tables.end()) {
      error = released.count(start)
                  ? "host table at " + describePointer(ptr) +
                        " was already unregistered"
                  : "cannot unregister " + describePointer(ptr) +
                        ": it is not the start of a registered host table";
      return false;
    }
    if (found->second.advised) {
      // Back to the defaults, for whatever the heap hands the block to next.
      const CudaDriver &driver = *tryCudaDriver();
      uint64_t bytes = found->second.bytes;
      CUresult result =
          memAdvise(driver, ptr, bytes, CU_MEM_ADVISE_UNSET_ACCESSED_BY,
                    currentCudaDevice());
      if (result == CUDA_SUCCESS)
        result =
            memAdvise(driver, ptr, bytes,
                      CU_MEM_ADVISE_UNSET_PREFERRED_LOCATION, CU_DEVICE_CPU);
      if (result != CUDA_SUCCESS) {
        error = "cuMemAdvise of host table " +
                describeRange(ptr, found->second.bytes) +
                " failed: " + describeCudaResult(result);
        return false;
      }
    }
    if (found->second.pinned) {
      CUresult result = tryCudaDriver()->cuMemHostUnregister(ptr);
      if (result != CUDA_SUCCESS) {
        error = "cuMemHostUnregister of host table " +
                describeRange(ptr, found->second.bytes) +
                " failed: " + describeCudaResult(result);
        return false;
      }
    }
    tables.erase(found);
    released.insert(start);
    return true;
  }

  size_t size() {
    std::lock_guard<std::mutex> lock(mutex);
    return tables.size();
  }

  uint64_t sizeOf(void *ptr) {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = tables.find(reinterpret_cast<uintptr_t>(ptr));
    return found == tables.end() ? 0 : found->second.bytes;
  }

  ~Registry() {
    // Unregister what the program left registered, but only if a driver was
    // ever initialised: a CPU-only run must not load one at exit.
    if (!cudaDriverInitialized())
      return;
    for (auto &[start, entry] : tables)
      if (entry.pinned)
        tryCudaDriver()->cuMemHostUnregister(reinterpret_cast<void *>(start));
  }

private:
  std::mutex mutex;
  std::map<uintptr_t, Registration> tables;
  std::set<uintptr_t> released;
};

Registry &registry() {
  static Registry instance;
  return instance;
}

} // namespace

void *registerHostTable(void *ptr, uint64_t bytes, std::string &error) {
  return registry().add(ptr, bytes, error);
}

bool unregisterHostTable(void *ptr, std::string &error) {
  return registry().remove(ptr, error);
}

constexpr uint64_t kHugePage = 2ull << 20;

uint64_t roundUpToHugePages(uint64_t bytes) {
  return (std::max<uint64_t>(bytes, 1) + kHugePage - 1) / kHugePage * kHugePage;
}

void *mapTableMemory(uint64_t bytes, std::string &error) {
  uint64_t size = roundUpToHugePages(bytes);
  // Over-allocate by one huge page, then trim to a 2 MiB aligned block.
  void *raw = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) {
    error = "cannot allocate a host table of " + std::to_string(bytes) +
            " bytes: " + std::strerror(errno);
    return nullptr;
  }
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > start)
    munmap(raw, aligned - start);
  uintptr_t end = start + size + kHugePage;
  if (end > aligned + size)
    munmap(reinterpret_cast<void *>(aligned + size), end - (aligned + size));
  void *table = reinterpret_cast<void *>(aligned);
  // Only advice: without transparent huge pages the table still works.
  madvise(table, size, MADV_HUGEPAGE);
  return table;
}

void unmapTableMemory(void *ptr, uint64_t bytes) {
  munmap(ptr, roundUpToHugePages(bytes));
}

void *allocateHostTable(uint64_t bytes, std::string &error) {
  void *table = mapTableMemory(bytes, error);
  if (!table)
    return nullptr;
  uint64_t size = roundUpToHugePages(bytes);
  if (!registerHostTable(table, size, error)) {
    unmapTableMemory(table, size);
    return nullptr;
  }
  return table;
}

bool freeHostTable(void *ptr, std::string &error) {
  uint64_t size = 0;
  {
    // The registration knows the mapped size.
    size = registry().sizeOf(ptr);
  }
  if (!unregisterHostTable(ptr, error))
    return false;
  unmapTableMemory(ptr, size);
  return true;
}

size_t numRegisteredHostTables() { return registry().size(); }

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" void *sluice_rt_register_host_table(void *ptr, uint64_t bytes) {
  clearError();
  std::string error;
  void *device = registerHostTable(ptr, bytes, error);
  if (!device)
    reportError(error);
  return device;
}

extern "C" void *sluice_rt_alloc_host_table(uint64_t bytes) {
  clearError();
  std::string error;
  void *table = allocateHostTable(bytes, error);
  if (!table)
    reportError(error);
  return table;
}

extern "C" int32_t sluice_rt_free_host_table(void *ptr) {
  clearError();
  std::string error;
  if (freeHostTable(ptr, error))
    return 0;
  reportError(error);
  return -1;
}

extern "C" int32_t sluice_rt_unregister_host_table(void *ptr) {
  clearError();
  std::string error;
  if (unregisterHostTable(ptr, error))
    return 0;
  reportError(error);
  return -1;
}
