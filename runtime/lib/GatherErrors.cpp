//===- GatherErrors.cpp - reporting bad indices found by GPU gathers ------===//
//
// A GPU gather kernel that meets an index outside its table skips the row and
// records the problem in a small page-locked, device-mapped slot; the host
// checks the slot after every point where it waits for gathers, and stops
// the program with the same message a CPU gather gives.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Runtime.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unistd.h>

using namespace sluice::rt;

namespace {

/// [0]: position + 1 of a bad index (0: none), [1]: the index, [2]: the
/// table's rows, [3]: the gather's NUL-terminated source location.
volatile int64_t *errorSlot = nullptr;
void *errorSlotDevice = nullptr;
std::once_flag slotAllocated;

std::string errorMessage() {
  int64_t position = errorSlot[0] - 1;
  const char *where = reinterpret_cast<const char *>(errorSlot[3]);
  return (where ? std::string(where) + ": " : std::string()) + "gather index " +
         std::to_string(errorSlot[1]) + " at position " +
         std::to_string(position) + " is out of range for a table of " +
         std::to_string(errorSlot[2]) + " rows";
}

/// Gathers whose completion the program never waits for on the host (those
/// with !gpu.async.token results) are checked when it exits: a bad index
/// still ends the program with the error and status 1.
void checkAtExit() {
  if (!errorSlot || errorSlot[0] == 0)
    return;
  std::fprintf(stderr, "sluice: error: %s\n", errorMessage().c_str());
  std::fflush(stderr);
  _exit(1); // exit() may not be called again from an exit handler
}

} // namespace

extern "C" intptr_t sluice_rt_gather_error_slot() {
  std::call_once(slotAllocated, [] {
    const CudaDriver *driver = tryCudaDriver();
    void *host = nullptr;
    CUdeviceptr device = 0;
    if (!driver) {
      // No GPU: gather kernels run as host loops (sluice-run-kernels-on-
      // host), or the first kernel stops the program naming the driver.
      static int64_t hostSlot[4];
      host = hostSlot;
      device = reinterpret_cast<CUdeviceptr>(host);
    } else {
      checkCuda(driver->cuMemHostAlloc(&host, 4 * sizeof(int64_t),
                                       CU_MEMHOSTALLOC_PORTABLE |
                                           CU_MEMHOSTALLOC_DEVICEMAP),
                "cuMemHostAlloc (gather error slot)");
      checkCuda(driver->cuMemHostGetDevicePointer(&device, host, 0),
                "cuMemHostGetDevicePointer (gather error slot)");
    }
    errorSlot = static_cast<volatile int64_t *>(host);
    for (int i = 0; i < 4; ++i)
      errorSlot[i] = 0;
    errorSlotDevice = reinterpret_cast<void *>(device);
    std::atexit(checkAtExit);
  });
  return reinterpret_cast<intptr_t>(errorSlotDevice);
}

extern "C" void sluice_rt_check_gather_errors() {
  if (!errorSlot || errorSlot[0] == 0)
    return;
  int64_t position = errorSlot[0] - 1;
  const char *where = reinterpret_cast<const char *>(errorSlot[3]);
  fatalError((where ? std::string(where) + ": " : std::string()) +
             "gather index " + std::to_string(errorSlot[1]) + " at position " +
             std::to_string(position) + " is out of range for a table of " +
             std::to_string(errorSlot[2]) + " rows");
}
