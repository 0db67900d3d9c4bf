//===- Npz.cpp - NumPy .npz archives --------------------------------------===//
//
// A .npz file is a zip archive of .npy members: stored by np.savez, deflated
// by np.savez_compressed, with ZIP64 records for large members (NumPy forces
// them). The reader walks the central directory, so it needs nothing but the
// archive's end; the writer produces what np.savez does (stored, CRC-32).
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Npy.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sluice::rt {
namespace {

uint64_t readLittle(const uint8_t *bytes, int size) {
  uint64_t value = 0;
  for (int i = size - 1; i >= 0; --i)
    value = (value << 8) | bytes[i];
  return value;
}

void appendLittle(std::string &out, uint64_t value, int size) {
  for (int i = 0; i < size; ++i)
    out.push_back(char((value >> (8 * i)) & 0xff));
}

struct Member {
  std::string name;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint64_t compressedSize = 0;
  uint64_t size = 0;
  uint64_t localOffset = 0;
};

/// Lists the archive's members from its central directory.
bool listMembers(const std::vector<uint8_t> &zip, const std::string &path,
                 std::vector<Member> &members, std::string &error) {
  auto fail = [&](const std::string &message) {
    error = path + ": " + message;
    return false;
  };
  if (zip.size() < 22)
    return fail("not a .npz file (too short for a zip archive)");
  // The end-of-central-directory record, possibly followed by a comment.
  size_t end = std::string::npos;
  size_t lowest = zip.size() > 22 + 65535 ? zip.size() - 22 - 65535 : 0;
  for (size_t at = zip.size() - 22 + 1; at-- > lowest;)
    if (readLittle(&zip[at], 4) == 0x06054b50) {
      end = at;
      break;
    }
  if (end == std::string::npos)
    return fail("not a .npz file (no zip end-of-central-directory record)");
  uint64_t entries = readLittle(&zip[end + 10], 2);
  uint64_t directorySize = readLittle(&zip[end + 12], 4);
  uint64_t directoryOffset = readLittle(&zip[end + 16], 4);
  // ZIP64: the locator sits right before the end record.
  if (end >= 20 && readLittle(&zip[end - 20], 4) == 0x07064b50) {
    uint64_t zip64End = readLittle(&zip[end - 20 + 8], 8);
    if (zip64End + 56 > zip.size() ||
        readLittle(&zip[zip64End], 4) != 0x06064b50)
      return fail("corrupt zip archive (bad ZIP64 end record)");
    entries = readLittle(&zip[zip64End + 32], 8);
    directorySize = readLittle(&zip[zip64End + 40], 8);
    directoryOffset = readLittle(&zip[zip64End + 48], 8);
  }
  if (directoryOffset + directorySize > zip.size())
    return fail("corrupt zip archive (central directory past the end)");

  size_t at = directoryOffset;
  for (uint64_t i = 0; i < entries; ++i) {
    if (at + 46 > zip.size() || readLittle(&zip[at], 4) != 0x02014b50)
      return fail("corrupt zip archive (bad central directory entry " +
                  std::to_string(i) + ")");
    Member member;
    member.method = readLittle(&zip[at + 10], 2);
    member.crc = readLittle(&zip[at + 16], 4);
    member.compressedSize = readLittle(&zip[at + 20], 4);
    member.size = readLittle(&zip[at + 24], 4);
    size_t nameLength = readLittle(&zip[at + 28], 2);
    size_t extraLength = readLittle(&zip[at + 30], 2);
    size_t commentLength = readLittle(&zip[at + 32], 2);
    member.localOffset = readLittle(&zip[at + 42], 4);
    if (at + 46 + nameLength + extraLength + commentLength > zip.size())
      return fail("corrupt zip archive (truncated central directory)");
    member.name.assign(reinterpret_cast<const char *>(&zip[at + 46]),
                       nameLength);
    // ZIP64 extra field: 64-bit values for the fields saturated above.
    size_t extra = at + 46 + nameLength, extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      uint64_t id = readLittle(&zip[extra], 2);
      uint64_t length = readLittle(&zip[extra + 2], 2);
      size_t field = extra + 4;
      if (id == 0x0001) {
        for (uint64_t *value :
             {&member.size, &member.compressedSize, &member.localOffset})
          if (*value == 0xffffffffu && field + 8 <= extra + 4 + length) {
            *value = readLittle(&zip[field], 8);
            field += 8;
          }
      }
      extra += 4 + length;
    }
    members.push_back(member);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return true;
}

/// The member's uncompressed bytes, checked against its CRC-32.
bool extract(const std::vector<uint8_t> &zip, const std::string &path,
             const Member &member, std::vector<uint8_t> &bytes,
             std::string &error) {
  auto fail = [&](const std::string &message) {
    error = path + ": member '" + member.name + "': " + message;
    return false;
  };
  size_t local = member.localOffset;
  if (local + 30 > zip.size() || readLittle(&zip[local], 4) != 0x04034b50)
    return fail("corrupt zip archive (bad local header)");
  size_t data = local + 30 + readLittle(&zip[local + 26], 2) +
                readLittle(&zip[local + 28], 2);
  if (data + member.compressedSize > zip.size())
    return fail("truncated: the archive ends inside the member");
  const uint8_t *compressed = &zip[data];
  if (member.method == 0) {
    if (member.compressedSize != member.size)
      return fail("corrupt zip archive (stored member sizes differ)");
    bytes.resize(member.size);
    std::memcpy(bytes.data(), compressed, member.size);
  } else if (member.method == 8) {
    // Deflate expands at most 1032 to 1: a larger size is corrupt, and
    // would otherwise be allocated before the data is looked at.
    if (member.size / 1032 > member.compressedSize + 1)
      return fail("corrupt zip archive (an uncompressed size of " +
                  std::to_string(member.size) + " bytes from " +
                  std::to_string(member.compressedSize) + " compressed bytes)");
    bytes.resize(member.size);
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
      return fail("cannot start decompression");
    // zlib counts in 32-bit chunks: feed and drain in slices.
    uint64_t consumed = 0, produced = 0;
    int status = Z_OK;
    while (status == Z_OK) {
      uint64_t in =
          std::min<uint64_t>(member.compressedSize - consumed, 1u << 30);
      uint64_t out = std::min<uint64_t>(member.size - produced, 1u << 30);
      stream.next_in = const_cast<Bytef *>(compressed + consumed);
      stream.avail_in = uInt(in);
      stream.next_out = bytes.data() + produced;
      stream.avail_out = uInt(out);
      status = inflate(&stream, Z_NO_FLUSH);
      consumed += in - stream.avail_in;
      produced += out - stream.avail_out;
      if (status == Z_BUF_ERROR && (in == 0 || out == 0))
        break;
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END || produced != member.size)
      return fail("corrupt deflate data");
  } else {
    return fail("unsupported compression method " +
                std::to_string(member.method) +
                " (np.savez and np.savez_compressed use 0 and 8)");
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint64_t offset = 0; offset < member.size; offset += 1u << 30)
    crc = crc32(crc, bytes.data() + offset,
                uInt(std::min<uint64_t>(member.size - offset, 1u << 30)));
  if (crc != member.crc)
    return fail("CRC-32 mismatch: the member is corrupt");
  return true;
}

std::string arrayName(const std::string &member) {
  return member.size() > 4 && member.compare(member.size() - 4, 4, ".npy") == 0
             ? member.substr(0, member.size() - 4)
             : member;
}

bool parseMember(const std::vector<uint8_t> &zip, const std::string &path,
                 const Member &member, NpyArray &array, std::string &error) {
  std::vector<uint8_t> bytes;
  return extract(zip, path, member, bytes, error) &&
         parseNpy(bytes.data(), bytes.size(), path + ":" + member.name, array,
                  error);
}

} // namespace

bool readNpz(const std::string &path,
             std::vector<std::pair<std::string, NpyArray>> &arrays,
             std::string &error) {
  std::vector<uint8_t> zip;
  std::vector<Member> members;
  if (!readFileBytes(path, zip, error) ||
      !listMembers(zip, path, members, error))
    return false;
  for (const Member &member : members) {
    NpyArray array;
    if (!parseMember(zip, path, member, array, error))
      return false;
    arrays.emplace_back(arrayName(member.name), std::move(array));
  }
  return true;
}

bool readNpzMember(const std::string &path, const std::string &name,
                   NpyArray &array, std::string &error) {
  std::vector<uint8_t> zip;
  std::vector<Member> members;
  if (!readFileBytes(path, zip, error) ||
      !listMembers(zip, path, members, error))
    return false;
  std::string available;
  for (const Member &member : members) {
    if (arrayName(member.name) == name)
      return parseMember(zip, path, member, array, error);
    available += (available.empty() ? "" : ", ") + arrayName(member.name);
  }
  error = path + ": no array '" + name + "' (the archive holds: " +
          (available.empty() ? "nothing" : available) + ")";
  return false;
}

bool writeNpz(const std::string &path,
              const std::vector<std::pair<std::string, NpyArray>> &arrays,
              std::string &error) {
  std::string zip, directory;
  for (const auto &[name, array] : arrays) {
    std::string data = npyBytes(array);
    std::string member = name + ".npy";
    if (data.size() >= 0xffffffffu || zip.size() >= 0xffffffffu) {
      error = path + ": member '" + member +
              "' is too large for a non-ZIP64 archive";
      return false;
    }
    uLong crc = crc32(0L, reinterpret_cast<const Bytef *>(data.data()),
                      uInt(data.size()));
    uint64_t offset = zip.size();
    auto header = [&](std::string &out, bool central) {
      appendLittle(out, central ? 0x02014b50 : 0x04034b50, 4);
      if (central)
        appendLittle(out, 20, 2); // made by: 2.0
      appendLittle(out, 20, 2);   // needed: 2.0
      appendLittle(out, 0, 2);    // flags
      appendLittle(out, 0, 2);    // stored
      appendLittle(out, 0, 2);    // time
      appendLittle(out, 0x21, 2); // date: 1980-01-01
      appendLittle(out, crc, 4);
      appendLittle(out, data.size(), 4);
      appendLittle(out, data.size(), 4);
      appendLittle(out, member.size(), 2);
      appendLittle(out, 0, 2); // extra
      if (central) {
        appendLittle(out, 0, 2); // comment
        appendLittle(out, 0, 2); // disk
        appendLittle(out, 0, 2); // internal attributes
        appendLittle(out, 0, 4); // external attributes
        appendLittle(out, offset, 4);
      }
      out += member;
    };
    header(zip, /*central=*/false);
    zip += data;
    header(directory, /*central=*/true);
  }
  uint64_t directoryOffset = zip.size();
  zip += directory;
  appendLittle(zip, 0x06054b50, 4);
  appendLittle(zip, 0, 2);
  appendLittle(zip, 0, 2);
  appendLittle(zip, arrays.size(), 2);
  appendLittle(zip, arrays.size(), 2);
  appendLittle(zip, directory.size(), 4);
  appendLittle(zip, directoryOffset, 4);
  appendLittle(zip, 0, 2);

  return writeAtomically(path, zip, error);
}

} // namespace sluice::rt
