//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_NPY_H
#define SLUICE_RUNTIME_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::rt {

enum class DType { Bool, Int8, UInt8, Int32, Int64, Float32, Float64 };

/// Bytes per element, and the NumPy spelling ("<f4").
int64_t dtypeSize(DType dtype);
const char *dtypeDescr(DType dtype);

/// A C-order array of one of the dtypes above, in native (little-endian)
/// byte order.
struct NpyArray {
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  int64_t numElements() const;
  template <typename T> T *as() { return reinterpret_cast<T *>(data.data()); }
  template <typename T> const T *as() const {
    return reinterpret_cast<const T *>(data.data());
  }
};

/// Reads a .npy file (format versions 1, 2 and 3). On failure returns false
/// with `error` naming the file and the problem: not a .npy file, an
/// unsupported dtype or byte order, Fortran order, a malformed header, or
/// data shorter than the header promises.
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// Parses .npy bytes already in memory; `name` is used in messages.
bool parseNpy(const uint8_t *bytes, size_t size, const std::string &name,
              NpyArray &array, std::string &error);

/// Writes a version 1.0 .npy file, atomically (to a temporary name in the
/// same directory, then renamed over `path`).
bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error);

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_NPY_H
