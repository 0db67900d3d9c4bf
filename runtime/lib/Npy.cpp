//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// The format: the magic "\x93NUMPY", a major and minor version byte, a
// little-endian header length (2 bytes in version 1, 4 in versions 2 and 3),
// then a Python dict literal {'descr': '<f4', 'fortran_order': False,
// 'shape': (3, 4), } padded with spaces to a 64-byte boundary, then the data.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Npy.h"
#include "sluice/Runtime/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace sluice::rt {
namespace {

struct DTypeInfo {
  DType dtype;
  const char *descr;
  int64_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::Bool, "|b1", 1},    {DType::Int8, "|i1", 1},
    {DType::UInt8, "|u1", 1},   {DType::Int32, "<i4", 4},
    {DType::Int64, "<i8", 8},   {DType::Float32, "<f4", 4},
    {DType::Float64, "<f8", 8},
};

const DTypeInfo &info(DType dtype) {
  for (const DTypeInfo &entry : kDTypes)
    if (entry.dtype == dtype)
      return entry;
  return kDTypes[0];
}

/// Finds `'key':` in the header dict and returns the text after it.
bool findKey(const std::string &header, const char *key, size_t &position) {
  std::string quoted = std::string("'") + key + "'";
  position = header.find(quoted);
  if (position == std::string::npos)
    return false;
  position = header.find(':', position + quoted.size());
  if (position == std::string::npos)
    return false;
  ++position;
  while (position < header.size() && header[position] == ' ')
    ++position;
  return true;
}

} // namespace

int64_t dtypeSize(DType dtype) { return info(dtype).size; }
const char *dtypeDescr(DType dtype) { return info(dtype).descr; }

int64_t NpyArray::numElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

bool parseNpy(const uint8_t *bytes, size_t size, const std::string &name,
              NpyArray &array, std::string &error) {
  auto fail = [&](const std::string &message) {
    error = name + ": " + message;
    return false;
  };
  static const uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(bytes, magic, 6) != 0)
    return fail("not a .npy file (no \\x93NUMPY magic)");
  unsigned major = bytes[6];
  size_t headerLength = 0, headerStart = 0;
  if (major == 1) {
    headerLength = bytes[8] | (bytes[9] << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return fail("truncated .npy header");
    headerLength = bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) |
                   (size_t(bytes[11]) << 24);
    headerStart = 12;
  } else {
    return fail("unsupported .npy format version " + std::to_string(major));
  }
  if (headerStart + headerLength > size)
    return fail("truncated .npy header");
  std::string header(reinterpret_cast<const char *>(bytes) + headerStart,
                     headerLength);

  size_t position;
  if (!findKey(header, "descr", position) || header[position] != '\'')
    return fail("malformed .npy header: no 'descr'");
  size_t close = header.find('\'', position + 1);
  if (close == std::string::npos)
    return fail("malformed .npy header: unterminated 'descr'");
  std::string descr = header.substr(position + 1, close - position - 1);
  // Single-byte types may be spelled with either byte-order mark.
  if (descr.size() == 3 && descr[2] == '1' && descr[0] != '>')
    descr[0] = '|';
  const DTypeInfo *dtype = nullptr;
  for (const DTypeInfo &entry : kDTypes)
    if (descr == entry.descr)
      dtype = &entry;
  if (!dtype) {
    if (!descr.empty() && descr[0] == '>')
      return fail("big-endian data ('" + descr +
                  "') is not supported; save it little-endian");
    return fail("unsupported dtype '" + descr +
                "'; expected one of bool, int8, uint8, int32, int64, "
                "float32, float64");
  }

  if (!findKey(header, "fortran_order", position))
    return fail("malformed .npy header: no 'fortran_order'");
  if (header.compare(position, 4, "True") == 0)
    return fail("Fortran-order arrays are not supported; save with "
                "np.ascontiguousarray");

  if (!findKey(header, "shape", position) || header[position] != '(')
    return fail("malformed .npy header: no 'shape'");
  close = header.find(')', position);
  if (close == std::string::npos)
    return fail("malformed .npy header: unterminated 'shape'");
  std::vector<int64_t> shape;
  std::string dims = header.substr(position + 1, close - position - 1);
  std::stringstream stream(dims);
  std::string item;
  while (std::getline(stream, item, ',')) {
    size_t first = item.find_first_not_of(' ');
    if (first == std::string::npos)
      continue;
    char *end = nullptr;
    errno = 0;
    long long dim = std::strtoll(item.c_str() + first, &end, 10);
    if (errno || dim < 0 || (end && *end && *end != ' ' && *end != 'L'))
      return fail("malformed .npy header: bad shape '(" + dims + ")'");
    shape.push_back(dim);
  }

  // Element counts and byte sizes are int64 everywhere: reject shapes whose
  // product (in any order, so zeros do not hide the others) overflows.
  int64_t expected = dtype->size;
  for (int64_t dim : shape)
    if (dim != 0 && __builtin_mul_overflow(expected, dim, &expected))
      return fail("malformed .npy header: the shape '(" + dims +
                  ")' overflows: its size in bytes does not fit in 64 bits");
  for (int64_t dim : shape)
    if (dim == 0)
      expected = 0;
  size_t dataStart = headerStart + headerLength;
  size_t available = size - dataStart;
  if (uint64_t(expected) > available)
    return fail("truncated: the header promises " + std::to_string(expected) +
                " bytes of data but the file holds " +
                std::to_string(available));

  array.dtype = dtype->dtype;
  array.shape = std::move(shape);
  try {
    array.data.assign(bytes + dataStart, bytes + dataStart + size_t(expected));
  } catch (const std::bad_alloc &) {
    return fail("out of memory: the array needs " +
                describeBytes(uint64_t(expected)));
  }
  return true;
}

int openRegularFile(const std::string &path, std::string &error) {
  // stat first: opening a FIFO waits for a writer, and opening a device may
  // do something. Then O_NONBLOCK, in case the path changed in between.
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return -1;
  }
  auto notRegular = [&](const struct stat &what) {
    error = S_ISDIR(what.st_mode) ? path + ": is a directory, not a file"
                                  : path + ": not a regular file";
    return -1;
  };
  if (!S_ISREG(info.st_mode))
    return notRegular(info);
  // POSIX calls, not std::ifstream: reading a directory through a filebuf
  // throws std::ios_base::failure, whatever the stream's exception mask.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return -1;
  }
  if (::fstat(fd, &info) != 0) {
    error = path + ": cannot read: " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return notRegular(info);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

bool readFileBytes(const std::string &path, std::vector<uint8_t> &bytes,
                   std::string &error) {
  int fd = openRegularFile(path, error);
  if (fd < 0)
    return false;
  struct stat info;
  uint64_t size = ::fstat(fd, &info) == 0 ? uint64_t(info.st_size) : 0;
  bytes.clear();
  bool outOfMemory = false;
  try {
    bytes.reserve(size_t(size));
    uint8_t chunk[1 << 16];
    for (;;) {
      ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0) {
        error = path + ": cannot read: " + std::strerror(errno);
        ::close(fd);
        return false;
      }
      if (got == 0)
        break;
      bytes.insert(bytes.end(), chunk, chunk + got);
    }
  } catch (const std::bad_alloc &) {
    outOfMemory = true;
  } catch (const std::length_error &) {
    outOfMemory = true;
  }
  if (outOfMemory) {
    std::vector<uint8_t>().swap(bytes);
    error = path + ": out of memory reading the file: it holds " +
            describeBytes(size);
    ::close(fd);
    return false;
  }
  ::close(fd);
  return true;
}

bool readNpy(const std::string &path, NpyArray &array, std::string &error) {
  std::vector<uint8_t> bytes;
  return readFileBytes(path, bytes, error) &&
         parseNpy(bytes.data(), bytes.size(), path, array, error);
}

std::string npyBytes(const NpyArray &array) {
  std::string header = std::string("{'descr': '") + dtypeDescr(array.dtype) +
                       "', 'fortran_order': False, 'shape': (";
  // As NumPy spells shapes: "()", "(3,)", "(3, 4)".
  for (size_t i = 0; i < array.shape.size(); ++i)
    header += (i ? ", " : "") + std::to_string(array.shape[i]);
  header += array.shape.size() == 1 ? ",), }" : "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY", 6) + char(1) + char(0) +
                      char(header.size() & 0xff) + char(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char *>(array.data.data()),
               array.data.size());
  return bytes;
}

bool writeAtomically(const std::string &path, const std::string &bytes,
                     std::string &error) {
  std::string temporary = path + ".tmp";
  {
    FILE *file = std::fopen(temporary.c_str(), "wb");
    if (!file) {
      error = temporary + ": cannot create: " + std::strerror(errno);
      return false;
    }
    bool written =
        std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size() &&
        std::fflush(file) == 0;
    int writeErrno = errno;
    if (std::fclose(file) != 0 && written) {
      written = false;
      writeErrno = errno;
    }
    if (!written) {
      error = temporary + ": write failed: " + std::strerror(writeErrno);
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = path + ": cannot rename from " + temporary + ": " +
            std::strerror(errno);
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

static bool checkDataSize(const std::string &path, const NpyArray &array,
                          std::string &error) {
  if (int64_t(array.data.size()) ==
      array.numElements() * dtypeSize(array.dtype))
    return true;
  error = path + ": array data holds " + std::to_string(array.data.size()) +
          " bytes, but its shape and dtype need " +
          std::to_string(array.numElements() * dtypeSize(array.dtype));
  return false;
}

bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error) {
  return checkDataSize(path, array, error) &&
         writeAtomically(path, npyBytes(array), error);
}

} // namespace sluice::rt
