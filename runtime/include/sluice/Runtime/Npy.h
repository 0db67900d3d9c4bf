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
/// unsupported dtype or byte order, Fortran order, a malformed header (a
/// shape whose size overflows 64 bits included), data shorter than the
/// header promises, or a directory where the file should be.
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// Opens `path` for reading after checking that it is a regular file (after
/// following symbolic links; a FIFO or a device such as /dev/zero would be
/// read without end, or wait). Returns the descriptor, or -1 with `error`:
/// `<path>: cannot open: <reason>`, `<path>: is a directory, not a file`,
/// `<path>: not a regular file`.
int openRegularFile(const std::string &path, std::string &error);

/// Reads the whole of `path` into `bytes`. On failure returns false with
/// `error` naming the file: it cannot be opened, it is a directory or not a
/// regular file, a read failed, or there is no memory for it
/// (`<path>: out of memory reading the file: it holds N bytes`). Never
/// throws.
bool readFileBytes(const std::string &path, std::vector<uint8_t> &bytes,
                   std::string &error);

/// Parses .npy bytes already in memory; `name` is used in messages.
bool parseNpy(const uint8_t *bytes, size_t size, const std::string &name,
              NpyArray &array, std::string &error);

/// Writes a version 1.0 .npy file, atomically (to a temporary name in the
/// same directory, then renamed over `path`).
bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error);

/// Reads every member of a .npz archive (NumPy's np.savez, stored, and
/// np.savez_compressed, deflated; ZIP64 included) into `arrays`, keyed by
/// member name without ".npy". On failure returns false with `error` naming
/// the file, the member and the problem (not a zip archive, an unsupported
/// compression method, a CRC mismatch, a truncated member, a bad .npy).
bool readNpz(const std::string &path,
             std::vector<std::pair<std::string, NpyArray>> &arrays,
             std::string &error);

/// Reads one member (`name` without ".npy") of a .npz archive; a missing
/// member is an error that lists the archive's members.
bool readNpzMember(const std::string &path, const std::string &name,
                   NpyArray &array, std::string &error);

/// Writes arrays as an uncompressed .npz archive (what np.savez writes),
/// atomically (temporary file, then rename).
bool writeNpz(const std::string &path,
              const std::vector<std::pair<std::string, NpyArray>> &arrays,
              std::string &error);

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so that readers never see a partial file.
bool writeAtomically(const std::string &path, const std::string &bytes,
                     std::string &error);

/// The bytes of a version 1.0 .npy file for `array`.
std::string npyBytes(const NpyArray &array);

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_NPY_H
