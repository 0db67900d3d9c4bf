//===- NpyTest.cpp - .npy reading and writing -----------------------------===//

#include "sluice/Runtime/Npy.h"

#include "MemoryLimit.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace sluice::rt;

namespace {

std::string temporaryPath(const std::string &name) {
  return ::testing::TempDir() + "/sluice-npy-" + std::to_string(getpid()) +
         "-" + name;
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
}

/// A version 1.0 file as NumPy writes it: the header dict padded with spaces
/// so that magic + lengths + header + newline is a multiple of 64 bytes.
std::string npyBytes(const std::string &dict, const std::string &data,
                     char major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY", 6) + char(major) + '\0';
  bytes += char(header.size() & 0xff);
  bytes += char(header.size() >> 8);
  if (major != 1)
    bytes += std::string(2, '\0');
  return bytes + header + data;
}

TEST(NpyTest, ReadsWhatNumPyWrites) {
  float values[6] = {1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, 7.0f};
  std::string path = temporaryPath("numpy.npy");
  writeBytes(path, npyBytes("{'descr': '<f4', 'fortran_order': False, "
                            "'shape': (2, 3), }",
                            std::string(reinterpret_cast<char *>(values),
                                        sizeof(values))));
  NpyArray array;
  std::string error;
  ASSERT_TRUE(readNpy(path, array, error)) << error;
  EXPECT_EQ(array.dtype, DType::Float32);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  ASSERT_EQ(array.data.size(), sizeof(values));
  EXPECT_EQ(std::memcmp(array.data.data(), values, sizeof(values)), 0);
  std::remove(path.c_str());
}

TEST(NpyTest, ReadsVersion2HeadersAndOneDimensionalShapes) {
  int64_t values[3] = {4, -5, 6};
  std::string path = temporaryPath("v2.npy");
  writeBytes(path, npyBytes("{'descr': '<i8', 'fortran_order': False, "
                            "'shape': (3,), }",
                            std::string(reinterpret_cast<char *>(values),
                                        sizeof(values)),
                            2));
  NpyArray array;
  std::string error;
  ASSERT_TRUE(readNpy(path, array, error)) << error;
  EXPECT_EQ(array.shape, std::vector<int64_t>{3});
  EXPECT_EQ(array.as<int64_t>()[1], -5);
  std::remove(path.c_str());
}

TEST(NpyTest, WritesHeadersAsNumPyDoes) {
  NpyArray array;
  array.dtype = DType::Int32;
  array.shape = {3};
  array.data.resize(12);
  std::string path = temporaryPath("written.npy");
  std::string error;
  ASSERT_TRUE(writeNpy(path, array, error)) << error;
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  // The 58-character dict does not fit a 64-byte header, so NumPy pads it to
  // the next multiple of 64: 128 bytes, then the data.
  EXPECT_EQ(bytes.size(), 128u + 12u);
  EXPECT_NE(bytes.find("{'descr': '<i4', 'fortran_order': False, 'shape': "
                       "(3,), }"),
            std::string::npos);
  EXPECT_EQ(bytes[127], '\n');
  std::remove(path.c_str());
}

TEST(NpyTest, RoundTripsEveryDTypeAndRank) {
  struct Case {
    DType dtype;
    std::vector<int64_t> shape;
  };
  std::vector<Case> cases = {
      {DType::Float32, {4, 5}}, {DType::Float64, {2, 3, 4}},
      {DType::Int32, {7}},      {DType::Int64, {}},
      {DType::UInt8, {0, 3}},   {DType::Int8, {2, 2}},
      {DType::Bool, {5}},
  };
  for (const Case &c : cases) {
    NpyArray array;
    array.dtype = c.dtype;
    array.shape = c.shape;
    array.data.resize(array.numElements() * dtypeSize(c.dtype));
    for (size_t i = 0; i < array.data.size(); ++i)
      array.data[i] = c.dtype == DType::Bool ? i % 2 : uint8_t(i * 37 + 1);
    std::string path = temporaryPath("roundtrip.npy");
    std::string error;
    ASSERT_TRUE(writeNpy(path, array, error)) << error;
    NpyArray back;
    ASSERT_TRUE(readNpy(path, back, error)) << error;
    EXPECT_EQ(back.dtype, c.dtype) << dtypeDescr(c.dtype);
    EXPECT_EQ(back.shape, c.shape) << dtypeDescr(c.dtype);
    EXPECT_EQ(back.data, array.data) << dtypeDescr(c.dtype);
    std::remove(path.c_str());
  }
}

struct BadFile {
  const char *name;
  std::string bytes;
  const char *message;
};

void PrintTo(const BadFile &bad, std::ostream *os) { *os << bad.name; }

class NpyErrorTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(NpyErrorTest, NamesTheFileAndTheProblem) {
  const BadFile &bad = GetParam();
  std::string path = temporaryPath(bad.name);
  writeBytes(path, bad.bytes);
  NpyArray array;
  std::string error;
  EXPECT_FALSE(readNpy(path, array, error));
  EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
  EXPECT_NE(error.find(bad.message), std::string::npos) << error;
  std::remove(path.c_str());
}

const std::string f4Header =
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

INSTANTIATE_TEST_SUITE_P(
    Files, NpyErrorTest,
    ::testing::Values(
        BadFile{"magic.npy", "PK\x03\x04 this is a zip file",
                "not a .npy file"},
        BadFile{"empty.npy", "", "not a .npy file"},
        BadFile{"version.npy",
                std::string("\x93NUMPY\x07\x00\x10\x00", 10) + "{}",
                "unsupported .npy format version 7"},
        BadFile{"truncated-header.npy",
                std::string("\x93NUMPY\x01\x00\xff\x00", 10) + "{'descr'",
                "truncated .npy header"},
        BadFile{"complex.npy",
                npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': "
                         "(1,), }",
                         std::string(8, '\0')),
                "unsupported dtype '<c8'"},
        BadFile{"big-endian.npy",
                npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': "
                         "(1,), }",
                         std::string(4, '\0')),
                "big-endian data ('>f4') is not supported"},
        BadFile{"fortran.npy",
                npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': "
                         "(2, 3), }",
                         std::string(24, '\0')),
                "Fortran-order arrays are not supported"},
        BadFile{"short-data.npy", npyBytes(f4Header, std::string(20, '\0')),
                "truncated: the header promises 24 bytes of data but the "
                "file holds 20"},
        BadFile{"huge-shape.npy",
                npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(4611686018427387904, 4611686018427387904), }",
                         ""),
                "malformed .npy header: the shape '(4611686018427387904, "
                "4611686018427387904)' overflows: its size in bytes does "
                "not fit in 64 bits"},
        // 6 x 2305843009213693955 x 4 bytes is 72 modulo 2^64, the size of
        // the data that follows.
        BadFile{"wrapping-shape.npy",
                npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(6, 2305843009213693955), }",
                         std::string(72, '\0')),
                "malformed .npy header: the shape '(6, "
                "2305843009213693955)' overflows"},
        BadFile{"wrapping-to-zero-shape.npy",
                npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(4611686018427387904,), }",
                         ""),
                "malformed .npy header: the shape '(4611686018427387904,)' "
                "overflows"},
        // A zero does not hide the others' overflow (NumPy rejects these
        // shapes too).
        BadFile{"zero-and-huge-shape.npy",
                npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(0, 4611686018427387904, 4), }",
                         ""),
                "overflows"},
        BadFile{"bad-shape.npy",
                npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(2, x), }",
                         std::string(8, '\0')),
                "malformed .npy header: bad shape"},
        BadFile{"no-descr.npy",
                npyBytes("{'fortran_order': False, 'shape': (2,), }", ""),
                "malformed .npy header: no 'descr'"}),
    [](const ::testing::TestParamInfo<BadFile> &info) {
      std::string name = info.param.name;
      for (char &c : name)
        if (!isalnum(static_cast<unsigned char>(c)))
          c = '_';
      return name;
    });

TEST(NpyTest, AZeroInTheShapeMeansNoData) {
  std::string path = temporaryPath("zero-rows.npy");
  writeBytes(path, npyBytes("{'descr': '<f4', 'fortran_order': False, "
                            "'shape': (0, 1000000), }",
                            ""));
  NpyArray array;
  std::string error;
  ASSERT_TRUE(readNpy(path, array, error)) << error;
  EXPECT_EQ(array.shape, (std::vector<int64_t>{0, 1000000}));
  EXPECT_EQ(array.numElements(), 0);
  EXPECT_TRUE(array.data.empty());
  std::remove(path.c_str());
}

TEST(NpyTest, ADirectoryIsNotAFile) {
  std::string path = temporaryPath("directory.npy");
  ASSERT_EQ(mkdir(path.c_str(), 0755), 0);
  NpyArray array;
  std::string error;
  EXPECT_FALSE(readNpy(path, array, error));
  EXPECT_EQ(error, path + ": is a directory, not a file");
  std::vector<uint8_t> bytes;
  EXPECT_FALSE(readFileBytes(path, bytes, error));
  EXPECT_EQ(error, path + ": is a directory, not a file");
  rmdir(path.c_str());
}

/// readFileBytes's error for `path`, in a child that SIGALRM ends after 10
/// seconds (a FIFO must not be waited on): exits with 3.
void readWithin10Seconds(const std::string &path) {
  alarm(10);
  std::vector<uint8_t> bytes;
  std::string error;
  readFileBytes(path, bytes, error);
  std::fprintf(stderr, "%s\n", error.c_str());
  std::exit(3);
}

TEST(NpyTest, OnlyRegularFilesAreRead) {
  // The child reads the parent's files and starts no threads: a fork
  // (a re-run of the test would make files of other names).
  GTEST_FLAG_SET(death_test_style, "fast");
  // /dev/zero, directly or through a link, would be read until memory runs
  // out; a FIFO would be waited on for a writer.
  std::string zero = temporaryPath("zero.npy");
  ASSERT_EQ(symlink("/dev/zero", zero.c_str()), 0);
  NpyArray array;
  std::string error;
  EXPECT_FALSE(readNpy(zero, array, error));
  EXPECT_EQ(error, zero + ": not a regular file");
  std::vector<uint8_t> bytes;
  EXPECT_FALSE(readFileBytes("/dev/zero", bytes, error));
  EXPECT_EQ(error, "/dev/zero: not a regular file");
  std::remove(zero.c_str());
  std::string fifo = temporaryPath("fifo.npy");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_EXIT(readWithin10Seconds(fifo), ::testing::ExitedWithCode(3),
              fifo + ": not a regular file\n");
  std::remove(fifo.c_str());
}

/// readFileBytes of `path` with the address space limited to what the
/// process maps plus 256 MiB: prints the error, exits with 3.
void readWithLittleMemory(const std::string &path) {
  sluice::test::limitAddressSpace(uint64_t(256) << 20);
  std::vector<uint8_t> bytes;
  std::string error;
  readFileBytes(path, bytes, error);
  std::fprintf(stderr, "%s\n", error.c_str());
  std::exit(3);
}

TEST(NpyTest, AFileLargerThanMemoryIsAnError) {
  // The child reads the parent's files and starts no threads: a fork
  // (a re-run of the test would make files of other names).
  GTEST_FLAG_SET(death_test_style, "fast");
  // 4 GiB, sparse: no disk space.
  std::string path = temporaryPath("large.npy");
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, off_t(4) << 30), 0);
  close(fd);
  EXPECT_EXIT(readWithLittleMemory(path), ::testing::ExitedWithCode(3),
              path + ": out of memory reading the file: it holds 4294967296 "
                     "bytes \\(4.0 GiB\\)\n");
  std::remove(path.c_str());
}

TEST(NpyTest, FailedWritesAreErrors) {
  // /dev/full accepts the open and fails every write; the temporary file is
  // the one written, so point it there with a symbolic link.
  std::string path = temporaryPath("full.npy");
  ASSERT_EQ(symlink("/dev/full", (path + ".tmp").c_str()), 0);
  NpyArray array;
  array.dtype = DType::Int32;
  array.shape = {3};
  array.data.resize(12);
  std::string error;
  EXPECT_FALSE(writeNpy(path, array, error));
  EXPECT_EQ(error, path + ".tmp: write failed: No space left on device");
  std::remove((path + ".tmp").c_str());
  std::remove(path.c_str());
}

TEST(NpyTest, MissingFileIsNamed) {
  NpyArray array;
  std::string error;
  EXPECT_FALSE(readNpy("/nonexistent/features.npy", array, error));
  EXPECT_EQ(error, "/nonexistent/features.npy: cannot open: No such file or "
                   "directory");
}

} // namespace
