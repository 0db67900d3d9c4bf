//===- HostTablesTest.cpp - zero-copy host table registration -------------===//

#include "sluice/Runtime/HostTables.h"
#include "FakeCudaDriver.h"
#include "sluice/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace sluice::rt;
using namespace sluice::rt::testing;

namespace {

class HostTablesTest : public ::testing::Test {
protected:
  void SetUp() override {
    fakeCalls() = FakeCalls();
    setCudaDriverForTesting(&driver);
  }
  void TearDown() override {
    EXPECT_EQ(numRegisteredHostTables(), 0u) << "a test leaked a registration";
    setCudaDriverForTesting(nullptr);
  }
  CudaDriver driver = makeFakeCudaDriver();
  alignas(4096) char block[8192];
};

TEST_F(HostTablesTest, RegistersMappedAndUnregistersExactlyOnce) {
  std::string error;
  void *device = registerHostTable(block, 4096, error);
  ASSERT_NE(device, nullptr) << error;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(device),
            reinterpret_cast<uintptr_t>(block) + kFakeDeviceOffset);
  ASSERT_EQ(fakeCalls().registered.size(), 1u);
  EXPECT_EQ(fakeCalls().registered[0].second, 4096u);
  EXPECT_TRUE(fakeCalls().registerFlags[0] & CU_MEMHOSTREGISTER_DEVICEMAP);
  EXPECT_EQ(numRegisteredHostTables(), 1u);

  EXPECT_TRUE(unregisterHostTable(block, error)) << error;
  EXPECT_FALSE(unregisterHostTable(block, error));
  EXPECT_NE(error.find("was already unregistered"), std::string::npos) << error;
  EXPECT_EQ(fakeCalls().unregistered.size(), 1u);
}

TEST_F(HostTablesTest, RefusesTheSameTableTwice) {
  std::string error;
  ASSERT_NE(registerHostTable(block, 4096, error), nullptr);
  EXPECT_EQ(registerHostTable(block, 4096, error), nullptr);
  EXPECT_NE(error.find("is already registered"), std::string::npos) << error;
  EXPECT_EQ(fakeCalls().registered.size(), 1u);
  unregisterHostTable(block, error);
}

TEST_F(HostTablesTest, RefusesViewsIntoARegisteredTable) {
  std::string error;
  ASSERT_NE(registerHostTable(block, 4096, error), nullptr);
  EXPECT_EQ(registerHostTable(block + 128, 256, error), nullptr);
  EXPECT_NE(error.find("it is a view into the host table registered at"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("(4096 bytes)"), std::string::npos) << error;
  // The same start with a different size is a view too.
  EXPECT_EQ(registerHostTable(block, 1024, error), nullptr);
  EXPECT_NE(error.find("view into"), std::string::npos) << error;
  unregisterHostTable(block, error);
}

TEST_F(HostTablesTest, RefusesOverlaps) {
  std::string error;
  ASSERT_NE(registerHostTable(block + 1024, 2048, error), nullptr);
  // Starts inside, ends outside.
  EXPECT_EQ(registerHostTable(block + 2048, 4096, error), nullptr);
  EXPECT_NE(error.find("it overlaps the host table"), std::string::npos)
      << error;
  // Starts before, ends inside.
  EXPECT_EQ(registerHostTable(block, 2048, error), nullptr);
  EXPECT_NE(error.find("it overlaps the host table"), std::string::npos)
      << error;
  // Adjacent is fine.
  ASSERT_NE(registerHostTable(block, 1024, error), nullptr) << error;
  ASSERT_NE(registerHostTable(block + 3072, 1024, error), nullptr) << error;
  EXPECT_EQ(numRegisteredHostTables(), 3u);
  for (char *start : {block, block + 1024, block + 3072})
    EXPECT_TRUE(unregisterHostTable(start, error)) << error;
}

TEST_F(HostTablesTest, UnregisteringAnUnknownPointerIsAnError) {
  std::string error;
  EXPECT_FALSE(unregisterHostTable(block, error));
  EXPECT_NE(error.find("is not the start of a registered host table"),
            std::string::npos)
      << error;
  ASSERT_NE(registerHostTable(block, 4096, error), nullptr);
  EXPECT_FALSE(unregisterHostTable(block + 64, error));
  EXPECT_NE(error.find("is not the start"), std::string::npos) << error;
  EXPECT_TRUE(unregisterHostTable(block, error));
}

TEST_F(HostTablesTest, DriverFailureIsReportedWithTheErrorName) {
  fakeCalls().nextRegisterResult = 2;
  std::string error;
  EXPECT_EQ(registerHostTable(block, 4096, error), nullptr);
  EXPECT_NE(error.find("cuMemHostRegister of host table"), std::string::npos)
      << error;
  EXPECT_NE(error.find("CUDA_ERROR_OUT_OF_MEMORY (out of memory)"),
            std::string::npos)
      << error;
  EXPECT_EQ(numRegisteredHostTables(), 0u);
}

TEST_F(HostTablesTest, EmptyTablesNeedNoDriverCall) {
  std::string error;
  EXPECT_EQ(registerHostTable(block, 0, error), block) << error;
  EXPECT_TRUE(fakeCalls().registered.empty());
  EXPECT_TRUE(unregisterHostTable(block, error)) << error;
  EXPECT_TRUE(fakeCalls().unregistered.empty());
}

TEST_F(HostTablesTest, NullPointerIsRefused) {
  std::string error;
  EXPECT_EQ(registerHostTable(nullptr, 64, error), nullptr);
  EXPECT_NE(error.find("null pointer"), std::string::npos) << error;
}

TEST_F(HostTablesTest, CInterfaceReportsTheLastError) {
  ASSERT_NE(sluice_rt_register_host_table(block, 4096), nullptr);
  EXPECT_STREQ(sluice_rt_last_error(), "");
  EXPECT_EQ(sluice_rt_register_host_table(block, 4096), nullptr);
  EXPECT_NE(std::string(sluice_rt_last_error()).find("already registered"),
            std::string::npos);
  EXPECT_EQ(sluice_rt_unregister_host_table(block), 0);
  EXPECT_EQ(sluice_rt_unregister_host_table(block), -1);
}

TEST(HostTablesNoDriverTest, RegistrationWithoutDriverIsExplained) {
  setCudaDriverForTesting(nullptr);
  if (tryCudaDriver())
    GTEST_SKIP() << "this machine has a CUDA driver";
  alignas(64) static char table[256];
  std::string error;
  EXPECT_EQ(registerHostTable(table, sizeof(table), error), nullptr);
  EXPECT_NE(error.find("cannot register host table"), std::string::npos)
      << error;
  EXPECT_NE(error.find("no CUDA driver"), std::string::npos) << error;
}

} // namespace

namespace {

TEST_F(HostTablesTest, AllocatedTablesAreHugePageAlignedAndRegistered) {
  std::string error;
  const uint64_t bytes = 3 * 1024 * 1024 + 5; // not a multiple of 2 MiB
  void *table = allocateHostTable(bytes, error);
  ASSERT_NE(table, nullptr) << error;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(table) % (2u << 20), 0u);
  ASSERT_EQ(fakeCalls().registered.size(), 1u);
  EXPECT_EQ(fakeCalls().registered[0].first, table);
  EXPECT_EQ(fakeCalls().registered[0].second, 4u << 20); // whole huge pages
  // Writable over the whole requested size.
  std::memset(table, 0x5A, bytes);
  EXPECT_EQ(static_cast<unsigned char *>(table)[bytes - 1], 0x5A);
  EXPECT_TRUE(freeHostTable(table, error)) << error;
  EXPECT_EQ(fakeCalls().unregistered, std::vector<void *>{table});
  EXPECT_FALSE(freeHostTable(table, error));
  EXPECT_NE(error.find("already unregistered"), std::string::npos) << error;
}

TEST_F(HostTablesTest, CInterfaceAllocatesAndFreesTablesOnce) {
  void *table = sluice_rt_alloc_host_table(1 << 20);
  ASSERT_NE(table, nullptr) << sluice_rt_last_error();
  EXPECT_EQ(numRegisteredHostTables(), 1u);
  EXPECT_EQ(sluice_rt_free_host_table(table), 0);
  EXPECT_EQ(fakeCalls().unregistered, std::vector<void *>{table});
  EXPECT_EQ(numRegisteredHostTables(), 0u);
  // A second free is refused, with the reason kept for the caller.
  EXPECT_NE(sluice_rt_free_host_table(table), 0);
  EXPECT_NE(std::string(sluice_rt_last_error()).find("already unregistered"),
            std::string::npos)
      << sluice_rt_last_error();
}

TEST_F(HostTablesTest, AllocationFailureOfRegistrationFreesTheMemory) {
  fakeCalls().nextRegisterResult = 2;
  EXPECT_EQ(sluice_rt_alloc_host_table(1 << 20), nullptr);
  EXPECT_NE(
      std::string(sluice_rt_last_error()).find("CUDA_ERROR_OUT_OF_MEMORY"),
      std::string::npos);
  EXPECT_EQ(numRegisteredHostTables(), 0u);
}

} // namespace

namespace {

TEST(TableMemoryTest, MappedTablesAreZeroedAlignedAndWritable) {
  std::string error;
  const uint64_t bytes = 5 * 1024 * 1024 + 3;
  auto *table = static_cast<unsigned char *>(mapTableMemory(bytes, error));
  ASSERT_NE(table, nullptr) << error;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(table) % (2u << 20), 0u);
  EXPECT_EQ(table[0], 0);
  EXPECT_EQ(table[bytes - 1], 0);
  std::memset(table, 0x7F, bytes);
  EXPECT_EQ(table[bytes / 2], 0x7F);
  unmapTableMemory(table, bytes);
}

} // namespace
