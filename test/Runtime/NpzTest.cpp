//===- NpzTest.cpp - .npz archives ----------------------------------------===//

#include "sluice/Runtime/Npy.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace sluice::rt;

namespace {

std::string temporaryPath(const std::string &name) {
  return ::testing::TempDir() + "/sluice-npz-" + std::to_string(getpid()) +
         "-" + name;
}

void put(std::string &out, uint64_t value, int size) {
  for (int i = 0; i < size; ++i)
    out.push_back(char((value >> (8 * i)) & 0xff));
}

NpyArray int32Array(std::vector<int32_t> values) {
  NpyArray array;
  array.dtype = DType::Int32;
  array.shape = {int64_t(values.size())};
  array.data.resize(values.size() * 4);
  std::memcpy(array.data.data(), values.data(), array.data.size());
  return array;
}

std::string rawDeflate(const std::string &data) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  stream.avail_in = data.size();
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = out.size();
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

struct Entry {
  std::string name;
  std::string data; // uncompressed
  uint16_t method = 0;
  bool zip64 = false; // sizes and offset in a ZIP64 extra field
};

/// A zip archive laid out as the format's specification (APPNOTE) says,
/// written here independently of the runtime's writer.
std::string buildZip(const std::vector<Entry> &entries, bool zip64End) {
  std::string zip, directory;
  for (const Entry &entry : entries) {
    std::string stored =
        entry.method == 8 ? rawDeflate(entry.data) : entry.data;
    uLong crc = crc32(0, reinterpret_cast<const Bytef *>(entry.data.data()),
                      entry.data.size());
    uint64_t offset = zip.size();
    put(zip, 0x04034b50, 4);
    put(zip, 20, 2);
    put(zip, 0, 2);
    put(zip, entry.method, 2);
    put(zip, 0, 4);
    put(zip, crc, 4);
    put(zip, stored.size(), 4);
    put(zip, entry.data.size(), 4);
    put(zip, entry.name.size(), 2);
    put(zip, 0, 2);
    zip += entry.name + stored;

    std::string extra;
    if (entry.zip64) {
      put(extra, 0x0001, 2);
      put(extra, 24, 2);
      put(extra, entry.data.size(), 8);
      put(extra, stored.size(), 8);
      put(extra, offset, 8);
    }
    put(directory, 0x02014b50, 4);
    put(directory, 45, 2);
    put(directory, 45, 2);
    put(directory, 0, 2);
    put(directory, entry.method, 2);
    put(directory, 0, 4);
    put(directory, crc, 4);
    put(directory, entry.zip64 ? 0xffffffffu : stored.size(), 4);
    put(directory, entry.zip64 ? 0xffffffffu : entry.data.size(), 4);
    put(directory, entry.name.size(), 2);
    put(directory, extra.size(), 2);
    put(directory, 0, 2);
    put(directory, 0, 2);
    put(directory, 0, 2);
    put(directory, 0, 4);
    put(directory, entry.zip64 ? 0xffffffffu : offset, 4);
    directory += entry.name + extra;
  }
  uint64_t directoryOffset = zip.size();
  zip += directory;
  if (zip64End) {
    uint64_t zip64EndOffset = zip.size();
    put(zip, 0x06064b50, 4);
    put(zip, 44, 8);
    put(zip, 45, 2);
    put(zip, 45, 2);
    put(zip, 0, 4);
    put(zip, 0, 4);
    put(zip, entries.size(), 8);
    put(zip, entries.size(), 8);
    put(zip, directory.size(), 8);
    put(zip, directoryOffset, 8);
    put(zip, 0x07064b50, 4);
    put(zip, 0, 4);
    put(zip, zip64EndOffset, 8);
    put(zip, 1, 4);
  }
  put(zip, 0x06054b50, 4);
  put(zip, 0, 4);
  put(zip, zip64End ? 0xffff : entries.size(), 2);
  put(zip, zip64End ? 0xffff : entries.size(), 2);
  put(zip, zip64End ? 0xffffffffu : directory.size(), 4);
  put(zip, zip64End ? 0xffffffffu : directoryOffset, 4);
  put(zip, 0, 2);
  return zip;
}

std::string writeFile(const std::string &name, const std::string &bytes) {
  std::string path = temporaryPath(name);
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
  return path;
}

TEST(NpzTest, ReadsStoredAndDeflatedMembers) {
  NpyArray labels = int32Array({3, 1, 4, 1, 5});
  NpyArray ids = int32Array({9, 2, 6});
  std::string path = writeFile(
      "mixed.npz", buildZip({{"labels.npy", npyBytes(labels), 0, false},
                             {"ids.npy", npyBytes(ids), 8, false}},
                            false));
  std::vector<std::pair<std::string, NpyArray>> arrays;
  std::string error;
  ASSERT_TRUE(readNpz(path, arrays, error)) << error;
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays[0].first, "labels");
  EXPECT_EQ(arrays[0].second.data, labels.data);
  EXPECT_EQ(arrays[1].first, "ids");
  EXPECT_EQ(arrays[1].second.shape, std::vector<int64_t>{3});
  EXPECT_EQ(arrays[1].second.as<int32_t>()[2], 6);
  std::remove(path.c_str());
}

TEST(NpzTest, ReadsZip64Records) {
  NpyArray values = int32Array({7, 8});
  std::string path = writeFile(
      "zip64.npz", buildZip({{"values.npy", npyBytes(values), 8, true}}, true));
  NpyArray array;
  std::string error;
  ASSERT_TRUE(readNpzMember(path, "values", array, error)) << error;
  EXPECT_EQ(array.data, values.data);
  std::remove(path.c_str());
}

TEST(NpzTest, MissingMemberListsWhatIsThere) {
  std::string path =
      writeFile("members.npz",
                buildZip({{"train.npy", npyBytes(int32Array({1})), 0, false},
                          {"valid.npy", npyBytes(int32Array({2})), 0, false}},
                         false));
  NpyArray array;
  std::string error;
  EXPECT_FALSE(readNpzMember(path, "test", array, error));
  EXPECT_EQ(error,
            path + ": no array 'test' (the archive holds: train, valid)");
  std::remove(path.c_str());
}

TEST(NpzTest, CorruptionIsReported) {
  std::string good =
      buildZip({{"x.npy", npyBytes(int32Array({1, 2, 3})), 0, false}}, false);
  std::vector<std::pair<std::string, NpyArray>> arrays;
  std::string error;

  std::string path = writeFile("notzip.npz", "definitely not a zip archive");
  EXPECT_FALSE(readNpz(path, arrays, error));
  EXPECT_NE(error.find("not a .npz file"), std::string::npos) << error;

  std::string flipped = good;
  flipped[30 + 5 + 128 + 2] ^= 0x40; // a data byte of the member
  path = writeFile("crc.npz", flipped);
  EXPECT_FALSE(readNpz(path, arrays, error));
  EXPECT_NE(error.find("member 'x.npy': CRC-32 mismatch"), std::string::npos)
      << error;

  std::string bzip2 = good;
  bzip2[8] = 12;                               // local header method
  bzip2[bzip2.size() - 22 - 5 - 46 + 10] = 12; // central directory method
  path = writeFile("method.npz", bzip2);
  EXPECT_FALSE(readNpz(path, arrays, error));
  EXPECT_NE(error.find("unsupported compression method 12"), std::string::npos)
      << error;

  path = writeFile("short.npz", good.substr(good.size() - 22 - 5 - 46));
  EXPECT_FALSE(readNpz(path, arrays, error));
  EXPECT_NE(error.find("corrupt zip archive"), std::string::npos) << error;
  std::remove(path.c_str());
}

TEST(NpzTest, ADirectoryIsNotAnArchive) {
  std::string path = temporaryPath("directory.npz");
  ASSERT_EQ(mkdir(path.c_str(), 0755), 0);
  std::vector<std::pair<std::string, NpyArray>> arrays;
  NpyArray array;
  std::string error;
  EXPECT_FALSE(readNpz(path, arrays, error));
  EXPECT_EQ(error, path + ": is a directory, not a file");
  EXPECT_FALSE(readNpzMember(path, "x", array, error));
  EXPECT_EQ(error, path + ": is a directory, not a file");
  rmdir(path.c_str());
}

TEST(NpzTest, ImpossibleUncompressedSizesAreCorrupt) {
  // A deflated member whose ZIP64 extra field claims 2^62 bytes: reported,
  // not allocated.
  std::string zip = buildZip(
      {{"x.npy", npyBytes(int32Array({1, 2, 3})), 8, /*zip64=*/true}}, false);
  size_t directory = 0;
  for (int i = 3; i >= 0; --i)
    directory = directory << 8 | uint8_t(zip[zip.size() - 22 + 16 + i]);
  size_t size = directory + 46 + 5 + 4; // name "x.npy", then the field's tag
  size_t compressed = 0;
  for (int i = 7; i >= 0; --i)
    compressed = compressed << 8 | uint8_t(zip[size + 8 + i]);
  for (int i = 0; i < 8; ++i)
    zip[size + i] = char(((uint64_t(1) << 62) >> (8 * i)) & 0xff);
  std::string path = writeFile("huge-member.npz", zip);
  std::vector<std::pair<std::string, NpyArray>> arrays;
  std::string error;
  EXPECT_FALSE(readNpz(path, arrays, error));
  EXPECT_EQ(error, path +
                       ": member 'x.npy': corrupt zip archive (an "
                       "uncompressed size of 4611686018427387904 bytes from " +
                       std::to_string(compressed) + " compressed bytes)");
  std::remove(path.c_str());
}

/// Archives written by NumPy itself (see Inputs/README.md): stored members,
/// and deflated ones with the ZIP64 local headers NumPy forces.
void expectNumPyArrays(const std::string &file) {
  std::vector<std::pair<std::string, NpyArray>> arrays;
  std::string error;
  ASSERT_TRUE(
      readNpz(std::string(SLUICE_TEST_INPUTS) + "/" + file, arrays, error))
      << error;
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays[0].first, "feats");
  EXPECT_EQ(arrays[0].second.dtype, DType::Float32);
  EXPECT_EQ(arrays[0].second.shape, (std::vector<int64_t>{3, 4}));
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(arrays[0].second.as<float>()[i], i * 0.5f);
  EXPECT_EQ(arrays[1].first, "labels");
  EXPECT_EQ(arrays[1].second.dtype, DType::Int64);
  const int64_t *labels = arrays[1].second.as<int64_t>();
  EXPECT_EQ(labels[0], 5);
  EXPECT_EQ(labels[1], -6);
  EXPECT_EQ(labels[2], 7);
}

TEST(NpzTest, ReadsNumPySavez) { expectNumPyArrays("numpy-savez.npz"); }

TEST(NpzTest, ReadsNumPySavezCompressed) {
  expectNumPyArrays("numpy-savez-compressed.npz");
}

TEST(NpzTest, NpyFromNumPy) {
  NpyArray array;
  std::string error;
  ASSERT_TRUE(readNpy(std::string(SLUICE_TEST_INPUTS) + "/numpy-save.npy",
                      array, error))
      << error;
  EXPECT_EQ(array.shape, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(array.as<float>()[11], 5.5f);
}

TEST(NpzTest, WriterRoundTrips) {
  NpyArray features;
  features.dtype = DType::Float32;
  features.shape = {2, 3};
  features.data.resize(24);
  for (size_t i = 0; i < features.data.size(); ++i)
    features.data[i] = uint8_t(i * 13);
  std::vector<std::pair<std::string, NpyArray>> written = {
      {"features", features}, {"labels", int32Array({0, 1})}};
  std::string path = temporaryPath("roundtrip.npz");
  std::string error;
  ASSERT_TRUE(writeNpz(path, written, error)) << error;
  std::vector<std::pair<std::string, NpyArray>> read;
  ASSERT_TRUE(readNpz(path, read, error)) << error;
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].first, "features");
  EXPECT_EQ(read[0].second.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(read[0].second.data, features.data);
  EXPECT_EQ(read[1].second.data, written[1].second.data);
  std::remove(path.c_str());
}

} // namespace
