//===- GraphsTest.cpp - graphs, neighbor sampling and aggregation ---------===//

#include "sluice/Runtime/Graphs.h"
#include "sluice/Runtime/Npy.h"
#include "sluice/Runtime/Parallel.h"

#include "MemoryLimit.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace sluice::rt;

namespace {

/// The in-neighbors of v as a sorted multiset.
std::multiset<int64_t> inNeighbors(const Graph &g, int64_t v) {
  return std::multiset<int64_t>(g.neighbors.begin() + g.offsets[v],
                                g.neighbors.begin() + g.offsets[v + 1]);
}

TEST(GraphsTest, SbmHasTheRequestedShapeAndIsUndirected) {
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=2000&features=12&classes=5&degree=10&"
                      "homophily=0.7&seed=4",
                      g),
            "");
  EXPECT_EQ(g.nodes, 2000);
  EXPECT_EQ(g.features, 12);
  EXPECT_EQ(g.classes, 5);
  EXPECT_EQ(g.x.size(), 2000u * 12);
  ASSERT_EQ(g.offsets.size(), 2001u);
  // N * D / 2 undirected edges, both directions stored.
  EXPECT_EQ(g.neighbors.size(), 2u * (2000 * 10 / 2));
  EXPECT_EQ(g.offsets.back(), int64_t(g.neighbors.size()));
  // Every edge is stored in both directions, as often one way as the other,
  // and no node is its own neighbor.
  std::map<std::pair<int64_t, int64_t>, int> directed;
  for (int64_t v = 0; v < g.nodes; ++v)
    for (int64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e) {
      ASSERT_NE(g.neighbors[e], v);
      ++directed[{g.neighbors[e], v}];
    }
  for (const auto &[edge, count] : directed)
    ASSERT_EQ((directed[{edge.second, edge.first}]), count);
  // The share of same-class edges: H plus the chance (1 - H) / C that a
  // uniform partner has the same class, within a few standard deviations.
  int64_t same = 0;
  for (int64_t v = 0; v < g.nodes; ++v)
    for (int64_t e = g.offsets[v]; e < g.offsets[v + 1]; ++e)
      same += g.labels[g.neighbors[e]] == g.labels[v];
  double share = double(same) / double(g.neighbors.size());
  EXPECT_NEAR(share, 0.7 + 0.3 / 5, 0.03);
  // The splits partition the nodes: 10% / 5% / 85% by default.
  EXPECT_EQ(g.train.size(), 200u);
  EXPECT_EQ(g.valid.size(), 100u);
  EXPECT_EQ(g.test.size(), 1700u);
  std::set<int64_t> all(g.train.begin(), g.train.end());
  all.insert(g.valid.begin(), g.valid.end());
  all.insert(g.test.begin(), g.test.end());
  EXPECT_EQ(all.size(), 2000u);
  EXPECT_EQ(*all.begin(), 0);
  EXPECT_EQ(*all.rbegin(), 1999);
}

TEST(GraphsTest, SbmFeaturesCarryTheClassSignal) {
  // With signal S, a class's mean feature vector is S * centre: nodes of one
  // class agree with each other far more than with another class.
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=4000&features=16&classes=2&signal=1&"
                      "seed=1",
                      g),
            "");
  std::vector<double> mean[2] = {std::vector<double>(16),
                                 std::vector<double>(16)};
  int64_t count[2] = {0, 0};
  for (int64_t v = 0; v < g.nodes; ++v) {
    ++count[g.labels[v]];
    for (int f = 0; f < 16; ++f)
      mean[g.labels[v]][f] += g.x[v * 16 + f];
  }
  double distance = 0;
  for (int f = 0; f < 16; ++f) {
    double d = mean[0][f] / double(count[0]) - mean[1][f] / double(count[1]);
    distance += d * d;
  }
  // E|c0 - c1|^2 = 2 * 16 for unit-normal centres; the noise of the means is
  // far smaller (1 / 2000 per coordinate).
  EXPECT_GT(distance, 4.0);
  // The noise around the class mean has unit variance.
  double spread = 0;
  for (int64_t v = 0; v < g.nodes; ++v) {
    double d = g.x[v * 16] - mean[g.labels[v]][0] / double(count[g.labels[v]]);
    spread += d * d;
  }
  EXPECT_NEAR(spread / double(g.nodes), 1.0, 0.1);
}

TEST(GraphsTest, SbmIsDeterministicForASeed) {
  Graph a, b, c;
  const char *source = "builtin:sbm?nodes=500&features=4&classes=3&seed=7";
  ASSERT_EQ(loadGraph(source, a), "");
  ASSERT_EQ(loadGraph(source, b), "");
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=500&features=4&classes=3&seed=8", c),
            "");
  EXPECT_EQ(a.neighbors, b.neighbors);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.train, b.train);
  EXPECT_NE(a.neighbors, c.neighbors);
  EXPECT_NE(a.x, c.x);
}

TEST(GraphsTest, SbmEdgesSettingOverridesDegree) {
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=100&edges=37&degree=50", g), "");
  EXPECT_EQ(g.neighbors.size(), 74u);
}

TEST(GraphsTest, BadSourcesSayWhatIsWrong) {
  Graph g;
  EXPECT_EQ(loadGraph("builtin:sbm?nodes=1", g),
            "builtin:sbm?nodes=1: 'nodes' must be at least 2, not 1");
  EXPECT_EQ(loadGraph("builtin:sbm?colour=3", g),
            "builtin:sbm?colour=3: unknown setting 'colour' (sbm takes "
            "nodes, features, classes, degree, edges, homophily, signal, "
            "train, valid, seed)");
  EXPECT_EQ(loadGraph("builtin:sbm?homophily=1.5", g),
            "builtin:sbm?homophily=1.5: 'homophily' must be at most 1, not "
            "1.5");
  EXPECT_EQ(loadGraph("builtin:sbm?train=0.7&valid=0.5", g),
            "builtin:sbm?train=0.7&valid=0.5: train + valid shares exceed 1");
  EXPECT_EQ(loadGraph("builtin:sbm?nodes", g),
            "builtin:sbm?nodes: expected name=value in the query, got "
            "'nodes'");
  EXPECT_EQ(loadGraph("builtin:karate", g),
            "unknown builtin graph 'builtin:karate' (known: builtin:sbm)");
  EXPECT_EQ(loadGraph("builtin:sbmx", g),
            "unknown builtin graph 'builtin:sbmx' (known: builtin:sbm)");
  std::string missing = loadGraph("/nonexistent/graph", g);
  EXPECT_NE(missing.find("/nonexistent/graph/indptr.npy"), std::string::npos)
      << missing;
}

/// loadGraph's error for `query` (after "builtin:sbm?"), without the
/// source that starts it.
std::string sbmError(const std::string &query) {
  Graph g;
  std::string source = "builtin:sbm?" + query;
  std::string error = loadGraph(source, g);
  if (error.rfind(source + ": ", 0) != 0)
    return "(does not start with the source) " + error;
  return error.substr(source.size() + 2);
}

TEST(GraphsTest, QueryValuesAreStrictAndTheirRangesStated) {
  const std::string nodes =
      "'nodes' must be an integer from 2 to 268435456, not ";
  for (const char *text :
       {"ten", " 5", "5 ", "+2000", "0x10", "", "1e3", "2.0", "--5", "-"})
    EXPECT_EQ(sbmError(std::string("nodes=") + text), nodes + "'" + text + "'");
  EXPECT_EQ(sbmError("nodes=-5"), "'nodes' must be at least 2, not -5");
  EXPECT_EQ(sbmError("nodes=268435457"),
            "'nodes' must be at most 268435456, not 268435457");
  EXPECT_EQ(sbmError("nodes=99999999999999999999999"),
            "'nodes' must be at most 268435456, not 99999999999999999999999");
  EXPECT_EQ(sbmError("nodes=-99999999999999999999999"),
            "'nodes' must be at least 2, not -99999999999999999999999");
  EXPECT_EQ(sbmError("classes=1"), "'classes' must be at least 2, not 1");
  EXPECT_EQ(sbmError("classes=65537"),
            "'classes' must be at most 65536, not 65537");
  EXPECT_EQ(sbmError("features=0"), "'features' must be at least 1, not 0");
  EXPECT_EQ(sbmError("degree=-1"), "'degree' must be at least 0, not -1");
  // Seeds are 64-bit: a larger one does not saturate.
  EXPECT_EQ(sbmError("seed=99999999999999999999"),
            "'seed' must be at most 18446744073709551615, not "
            "99999999999999999999");
  EXPECT_EQ(sbmError("seed=18446744073709551616"),
            "'seed' must be at most 18446744073709551615, not "
            "18446744073709551616");
  EXPECT_EQ(sbmError("seed=-1"), "'seed' must be at least 0, not -1");
  // Numbers: plain decimal notation, within the range.
  const std::string signal = "'signal' must be a number from 0 to 1000, not ";
  for (const char *text : {"nan", "inf", "-inf", "0x1p3", " 0.5", "0.5 ",
                           "+0.5", "1e", ".", "", "1e+", "0.5.5", "1,5"})
    EXPECT_EQ(sbmError(std::string("signal=") + text),
              signal + "'" + text + "'");
  EXPECT_EQ(sbmError("signal=1e300"),
            "'signal' must be at most 1000, not 1e300");
  EXPECT_EQ(sbmError("signal=1e999"),
            "'signal' must be at most 1000, not 1e999");
  EXPECT_EQ(sbmError("signal=-0.5"), "'signal' must be at least 0, not -0.5");
  EXPECT_EQ(sbmError("train=1.5"), "'train' must be at most 1, not 1.5");
  EXPECT_EQ(sbmError("valid=-1e-9"), "'valid' must be at least 0, not -1e-9");
  // Each setting once.
  EXPECT_EQ(sbmError("nodes=50&nodes=60"), "'nodes' is given twice");
  EXPECT_EQ(sbmError("nodes=50&seed=1&features=2&seed=1"),
            "'seed' is given twice");
}

TEST(GraphsTest, QueryValuesAtTheEndsOfTheirRangesAreAccepted) {
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=2&features=1&classes=2&degree=0&"
                      "homophily=1&signal=1000&train=1&valid=0&"
                      "seed=18446744073709551615",
                      g),
            "");
  EXPECT_EQ(g.nodes, 2);
  EXPECT_EQ(g.neighbors.size(), 0u);
  EXPECT_EQ(g.train.size(), 2u);
  for (float value : g.x)
    EXPECT_TRUE(std::isfinite(value));
  // Other spellings of numbers, and leading zeros.
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=0050&signal=.5&homophily=5E-1&"
                      "train=2.5e-1&valid=-0",
                      g),
            "");
  EXPECT_EQ(g.nodes, 50);
  EXPECT_EQ(g.train.size(), 12u);
  EXPECT_EQ(g.valid.size(), 0u);
  // The largest seed is not the one below it (no saturation).
  Graph a, b;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=50&seed=18446744073709551615", a), "");
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=50&seed=18446744073709551614", b), "");
  EXPECT_NE(a.x, b.x);
}

TEST(GraphsTest, SizesThatWouldOverflowOrExhaustMemoryAreRefused) {
  // The tester's reproducers: each product wrapped in 64 bits (a crash, a
  // std::length_error, a graph of 0 edges).
  EXPECT_EQ(sbmError("nodes=4&features=4611686018427387904"),
            "'features' must be at most 1048576, not 4611686018427387904");
  EXPECT_EQ(sbmError("nodes=16&features=1152921504606846976"),
            "'features' must be at most 1048576, not 1152921504606846976");
  EXPECT_EQ(sbmError("nodes=4&degree=4611686018427387904&features=4"),
            "'degree' must be at most 536870912, not 4611686018427387904");
  EXPECT_EQ(sbmError("nodes=2000&features=8&classes=4&edges=2000000000"),
            "'edges' must be at most 536870912, not 2000000000");
  // 2^28 nodes of the default degree 16: 2^31 edges.
  EXPECT_EQ(sbmError("nodes=268435456"),
            "too many edges: nodes * degree / 2 = 2147483648, more than the "
            "limit of 536870912 (each edge takes 32 bytes while the graph is "
            "generated)");
  EXPECT_EQ(sbmError("nodes=100000&degree=536870912"),
            "too many edges: nodes * degree / 2 = 26843545600000, more than "
            "the limit of 536870912 (each edge takes 32 bytes while the graph "
            "is generated)");
  // 2^28 * 2^20 feature values.
  EXPECT_EQ(sbmError("nodes=268435456&features=1048576&degree=0"),
            "too large: nodes * features = 281474976710656 feature values, "
            "more than the limit of 4294967296");
  // 4 * 2^28 * 16 (features) + 4 * 8 * 16 (centres) + 56 * 2^28 (node
  // arrays) + 32 * 2^29 (edges) bytes.
  uint64_t bytes = 4ull * (1ull << 28) * 16 + 4 * 8 * 16 + 56 * (1ull << 28) +
                   32 * (1ull << 29);
  ASSERT_EQ(bytes, 49392124416ull);
  EXPECT_EQ(sbmError("nodes=268435456&features=16&degree=4"),
            "too large: generating the graph needs 49392124416 bytes (46.0 "
            "GiB), more than the limit of 34359738368 bytes (32.0 GiB)");
  // Many classes of many features: 4 * 65536 * 2^20 bytes of centres, plus
  // 4 * 2 * 2^20 of features and 56 * 2 of node arrays.
  EXPECT_EQ(sbmError("nodes=2&classes=65536&features=1048576&degree=0"),
            "too large: generating the graph needs 274886295664 bytes (256.0 "
            "GiB), more than the limit of 34359738368 bytes (32.0 GiB)");
}

/// Loads `source` with the address space limited to what the process maps
/// plus 512 MiB (the thread pool started before), as sluice_rt_load_graph.
void loadGraphWithLittleMemory(const char *source) {
  numThreads();
  sluice::test::limitAddressSpace(uint64_t(512) << 20);
  sluice_rt_load_graph(reinterpret_cast<intptr_t>(source),
                       reinterpret_cast<intptr_t>("g.sl:1:9"));
  std::exit(0);
}

TEST(GraphsTest, RunningOutOfMemoryIsAnErrorNotACrash) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // 4 * 2e7 * 16 + 4 * 8 * 16 + 56 * 2e7 + 32 * 1e7 bytes: under the limit
  // of 32 GiB, over this process's.
  EXPECT_EXIT(
      loadGraphWithLittleMemory(
          "builtin:sbm?nodes=20000000&features=16&degree=1"),
      ::testing::ExitedWithCode(1),
      "sluice: error: g.sl:1:9: builtin:sbm\\?nodes=20000000&features=16&"
      "degree=1: out of memory generating the graph: it needs 2720000512 "
      "bytes \\(2.5 GiB\\)\n");
}

/// A temporary directory holding a graph in the on-disk layout.
struct GraphDirectory : sluice::test::TempDir {
  GraphDirectory() : TempDir("sluice-graph") {}
  void write(const char *name, DType dtype, std::vector<int64_t> shape,
             const void *data) {
    NpyArray array;
    array.dtype = dtype;
    array.shape = shape;
    array.data.resize(array.numElements() * dtypeSize(dtype));
    std::memcpy(array.data.data(), data, array.data.size());
    std::string error;
    ASSERT_TRUE(writeNpy(path + "/" + name + ".npy", array, error)) << error;
  }
  /// A 3-node path 0 - 1 - 2 with 2 features and classes 0, 1, 0.
  void writeValid() {
    int64_t indptr[] = {0, 1, 3, 4}, indices[] = {1, 0, 2, 1};
    float features[] = {1, 2, 3, 4, 5, 6};
    int64_t labels[] = {0, 1, 0}, train[] = {0, 1}, valid[] = {2};
    int32_t test[] = {2};
    write("indptr", DType::Int64, {4}, indptr);
    write("indices", DType::Int64, {4}, indices);
    write("features", DType::Float32, {3, 2}, features);
    write("labels", DType::Int64, {3}, labels);
    write("train", DType::Int64, {2}, train);
    write("valid", DType::Int64, {1}, valid);
    write("test", DType::Int32, {1}, test);
  }
};

TEST(GraphsTest, LoadsAGraphDirectory) {
  GraphDirectory dir;
  dir.writeValid();
  Graph g;
  ASSERT_EQ(loadGraph(dir.path, g), "");
  EXPECT_EQ(g.nodes, 3);
  EXPECT_EQ(g.features, 2);
  EXPECT_EQ(g.classes, 2);
  EXPECT_EQ(g.offsets, (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(g.neighbors, (std::vector<int64_t>{1, 0, 2, 1}));
  EXPECT_EQ(g.x, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(g.train, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(g.test, (std::vector<int64_t>{2}));
}

/// Loads a valid graph directory with file `name` replaced; returns the
/// error with the directory's path shown as DIR.
std::string errorWithReplaced(const char *name, DType dtype,
                              std::vector<int64_t> shape, const void *data) {
  GraphDirectory dir;
  dir.writeValid();
  dir.write(name, dtype, std::move(shape), data);
  Graph g;
  std::string error = loadGraph(dir.path, g);
  size_t at = error.find(dir.path);
  if (at != std::string::npos)
    error.replace(at, dir.path.size(), "DIR");
  return error;
}

TEST(GraphsTest, BadGraphDirectoriesSayWhichFileAndWhat) {
  int64_t indices[] = {1, 0, 7, 1}, indptr[] = {0, 2, 1, 4}, train[] = {0, 3},
          labels[] = {0, 1};
  double features[] = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(errorWithReplaced("indices", DType::Int64, {4}, indices),
            "DIR/indices.npy: entry 2 is node 7, outside [0, 3)");
  EXPECT_EQ(errorWithReplaced("indptr", DType::Int64, {4}, indptr),
            "DIR/indptr.npy: decreases at entry 2");
  EXPECT_EQ(errorWithReplaced("features", DType::Float64, {3, 2}, features),
            "DIR/features.npy: has dtype <f8, expected <f4");
  EXPECT_EQ(errorWithReplaced("train", DType::Int64, {2}, train),
            "DIR/train.npy: entry 1 is node 3, outside [0, 3)");
  EXPECT_EQ(errorWithReplaced("labels", DType::Int64, {2}, labels),
            "DIR/labels.npy: has 2 entries, expected one per node (3)");
}

TEST(GraphsTest, LabelsMustBeClassesOfASensibleNumber) {
  // G.num_classes is the largest label plus one: labels below 65536 (or the
  // number of nodes, when larger) are classes, larger ones are errors.
  int64_t negative[] = {0, -1, 0}, big[] = {0, 100000000, 0},
          huge[] = {0, 1, int64_t(1) << 62}, largest[] = {0, INT64_MAX, 1},
          limit[] = {65536, 0, 0};
  EXPECT_EQ(errorWithReplaced("labels", DType::Int64, {3}, negative),
            "DIR/labels.npy: entry 1 is negative (-1)");
  EXPECT_EQ(errorWithReplaced("labels", DType::Int64, {3}, big),
            "DIR/labels.npy: entry 1 is 100000000, too large a class: labels "
            "must be below 65536 (the larger of 65536 and the number of "
            "nodes)");
  EXPECT_EQ(errorWithReplaced("labels", DType::Int64, {3}, huge),
            "DIR/labels.npy: entry 2 is 4611686018427387904, too large a "
            "class: labels must be below 65536 (the larger of 65536 and the "
            "number of nodes)");
  EXPECT_EQ(errorWithReplaced("labels", DType::Int64, {3}, largest),
            "DIR/labels.npy: entry 1 is 9223372036854775807, too large a "
            "class: labels must be below 65536 (the larger of 65536 and the "
            "number of nodes)");
  EXPECT_EQ(errorWithReplaced("labels", DType::Int64, {3}, limit),
            "DIR/labels.npy: entry 0 is 65536, too large a class: labels "
            "must be below 65536 (the larger of 65536 and the number of "
            "nodes)");
  int32_t int32Big[] = {0, 2147483647, 0};
  EXPECT_EQ(errorWithReplaced("labels", DType::Int32, {3}, int32Big),
            "DIR/labels.npy: entry 1 is 2147483647, too large a class: labels "
            "must be below 65536 (the larger of 65536 and the number of "
            "nodes)");

  GraphDirectory dir;
  dir.writeValid();
  int64_t most[] = {65535, 0, 3};
  dir.write("labels", DType::Int64, {3}, most);
  Graph g;
  ASSERT_EQ(loadGraph(dir.path, g), "");
  EXPECT_EQ(g.classes, 65536);
}

TEST(GraphsTest, LargeGraphsMayHaveAsManyClassesAsNodes) {
  // 70,000 isolated nodes, one feature each: labels up to 69,999.
  const int64_t nodes = 70000;
  GraphDirectory dir;
  dir.writeValid();
  std::vector<int64_t> indptr(nodes + 1, 0), labels(nodes, 0);
  std::vector<float> features(nodes, 1.0f);
  int64_t none = 0;
  dir.write("indptr", DType::Int64, {nodes + 1}, indptr.data());
  dir.write("indices", DType::Int64, {0}, &none);
  dir.write("features", DType::Float32, {nodes, 1}, features.data());
  labels[123] = nodes - 1;
  dir.write("labels", DType::Int64, {nodes}, labels.data());
  Graph g;
  ASSERT_EQ(loadGraph(dir.path, g), "");
  EXPECT_EQ(g.classes, nodes);
  labels[123] = nodes;
  dir.write("labels", DType::Int64, {nodes}, labels.data());
  EXPECT_EQ(loadGraph(dir.path, g),
            dir.path + "/labels.npy: entry 123 is 70000, too large a class: "
                       "labels must be below 70000 (the larger of 65536 and "
                       "the number of nodes)");
}

TEST(GraphsTest, ADirectoryWhereAFileShouldBeIsNamed) {
  GraphDirectory dir;
  dir.writeValid();
  ASSERT_EQ(std::remove((dir.path + "/labels.npy").c_str()), 0);
  ASSERT_EQ(mkdir((dir.path + "/labels.npy").c_str(), 0755), 0);
  Graph g;
  EXPECT_EQ(loadGraph(dir.path, g),
            dir.path + "/labels.npy: is a directory, not a file");
}

/// loadGraph's error for `dir`, in a child that SIGALRM ends after 10
/// seconds (a FIFO must not be waited on): exits with 3.
void loadGraphWithin10Seconds(const std::string &dir) {
  alarm(10);
  Graph g;
  std::fprintf(stderr, "%s\n", loadGraph(dir, g).c_str());
  std::exit(3);
}

TEST(GraphsTest, OnlyRegularFilesAreRead) {
  // The child reads the parent's files and starts no threads: a fork
  // (a re-run of the test would make files of other names).
  GTEST_FLAG_SET(death_test_style, "fast");
  {
    // /dev/zero would be read until memory runs out.
    GraphDirectory dir;
    dir.writeValid();
    std::string features = dir.path + "/features.npy";
    ASSERT_EQ(std::remove(features.c_str()), 0);
    ASSERT_EQ(symlink("/dev/zero", features.c_str()), 0);
    Graph g;
    EXPECT_EQ(loadGraph(dir.path, g), features + ": not a regular file");
  }
  {
    // A FIFO would be waited on for a writer.
    GraphDirectory dir;
    dir.writeValid();
    std::string indptr = dir.path + "/indptr.npy";
    ASSERT_EQ(std::remove(indptr.c_str()), 0);
    ASSERT_EQ(mkfifo(indptr.c_str(), 0644), 0);
    EXPECT_EXIT(loadGraphWithin10Seconds(dir.path),
                ::testing::ExitedWithCode(3),
                indptr + ": not a regular file\n");
  }
}

TEST(GraphsTest, AnEmptyPathIsNamed) {
  Graph g;
  EXPECT_EQ(loadGraph("", g), "the graph path is empty (graphs are "
                              "builtin:sbm or a directory of .npy files)");
}

/// A star-and-chain graph without repeated edges: node 0 has in-neighbors
/// 1..9, node i (1..9) has in-neighbors 0 and i + 1 (9 has 0 only).
Graph smallGraph() {
  Graph g;
  g.nodes = 11;
  g.features = 1;
  g.classes = 1;
  g.offsets.push_back(0);
  for (int64_t v = 1; v <= 9; ++v)
    g.neighbors.push_back(v);
  g.offsets.push_back(int64_t(g.neighbors.size()));
  for (int64_t v = 1; v <= 9; ++v) {
    g.neighbors.push_back(0);
    if (v < 9)
      g.neighbors.push_back(v + 1);
    g.offsets.push_back(int64_t(g.neighbors.size()));
  }
  g.offsets.push_back(int64_t(g.neighbors.size())); // node 10: isolated
  return g;
}

/// Reconstructs each layer's global src ids from the blocks (the next layer
/// outwards has them as dst ids; layer 0's are `inputs`) and checks every
/// sampled edge against the graph.
void expectEdgesAreReal(const Graph &g, const Blocks &blocks) {
  size_t layers = blocks.layers.size();
  std::vector<std::vector<int64_t>> srcIds(layers);
  srcIds[0] = blocks.inputs;
  for (size_t l = 1; l < layers; ++l) {
    // Layer l's src nodes are layer l - 1's dst nodes, which are the first
    // numDst src nodes of layer l - 1.
    const std::vector<int64_t> &outer = srcIds[l - 1];
    ASSERT_GE(outer.size(), size_t(blocks.layers[l].numSrc));
    srcIds[l].assign(outer.begin(),
                     outer.begin() + blocks.layers[l - 1].numDst);
    ASSERT_EQ(int64_t(srcIds[l].size()), blocks.layers[l].numSrc);
  }
  for (size_t l = 0; l < layers; ++l) {
    const Block &block = blocks.layers[l];
    const std::vector<int64_t> &src = srcIds[l];
    for (int64_t d = 0; d < block.numDst; ++d) {
      std::multiset<int64_t> real = inNeighbors(g, src[d]);
      for (int64_t e = block.offsets[d]; e < block.offsets[d + 1]; ++e) {
        int64_t node = src[block.sources[e]];
        ASSERT_EQ(real.count(node), 1u) << "layer " << l << ": " << node
                                        << " is not a neighbor of " << src[d];
      }
    }
    // src: dst nodes first, then distinct new nodes.
    std::set<int64_t> distinct(src.begin() + block.numDst, src.end());
    EXPECT_EQ(distinct.size(), src.size() - size_t(block.numDst));
    for (int64_t d = 0; d < block.numDst; ++d)
      EXPECT_EQ(distinct.count(src[d]), 0u);
  }
  // The last layer's dst nodes are the seeds.
  EXPECT_EQ(std::vector<int64_t>(srcIds[layers - 1].begin(),
                                 srcIds[layers - 1].begin() +
                                     blocks.layers[layers - 1].numDst),
            blocks.seeds);
}

TEST(GraphsTest, SampledEdgesAreEdgesOfTheGraph) {
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=300&degree=8&seed=2", g), "");
  // Repeated edges are possible in the generator; use its own multiset.
  int64_t seeds[] = {5, 17, 299, 0, 42}, fanouts[] = {4, 3, 2};
  Blocks blocks;
  ASSERT_EQ(sampleBlocks(g, seeds, 5, 1, fanouts, 3, 1, 9, blocks), "");
  // With repeated edges a node may legitimately be drawn twice, so check
  // membership rather than multiplicity here.
  size_t layers = blocks.layers.size();
  std::vector<int64_t> src = blocks.inputs;
  for (size_t l = 0; l < layers; ++l) {
    const Block &block = blocks.layers[l];
    for (int64_t d = 0; d < block.numDst; ++d) {
      std::multiset<int64_t> real = inNeighbors(g, src[d]);
      int64_t degree = int64_t(real.size());
      EXPECT_EQ(block.offsets[d + 1] - block.offsets[d],
                std::min<int64_t>(degree, fanouts[l]));
      for (int64_t e = block.offsets[d]; e < block.offsets[d + 1]; ++e)
        ASSERT_GE(real.count(src[block.sources[e]]), 1u);
    }
    src.resize(block.numDst);
  }
}

TEST(GraphsTest, SamplingASimpleGraphGivesRealDistinctEdges) {
  Graph g = smallGraph();
  int64_t seeds[] = {0, 5, 10, 3}, fanouts[] = {2, 4};
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Blocks blocks;
    ASSERT_EQ(sampleBlocks(g, seeds, 4, 1, fanouts, 2, 1, seed, blocks), "");
    expectEdgesAreReal(g, blocks);
  }
}

TEST(GraphsTest, FanoutMinusOneKeepsEveryNeighborInOrder) {
  Graph g = smallGraph();
  int64_t seeds[] = {0}, fanouts[] = {-1};
  Blocks blocks;
  ASSERT_EQ(sampleBlocks(g, seeds, 1, 1, fanouts, 1, 1, 0, blocks), "");
  EXPECT_EQ(blocks.inputs,
            (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(blocks.layers[0].sources,
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(GraphsTest, SamplingIsUniformWithoutReplacement) {
  // Node 0 has 9 in-neighbors; with fanout 3 each is chosen with
  // probability 1/3. Over 3000 seeds, each count is 1000 +- a few sigma
  // (sigma = sqrt(3000 * 1/3 * 2/3) ~ 26).
  Graph g = smallGraph();
  int64_t seeds[] = {0}, fanouts[] = {3};
  std::vector<int> counts(10);
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    Blocks blocks;
    ASSERT_EQ(sampleBlocks(g, seeds, 1, 1, fanouts, 1, 1, seed, blocks), "");
    std::set<int64_t> chosen;
    for (int64_t local : blocks.layers[0].sources)
      chosen.insert(blocks.inputs[local]);
    ASSERT_EQ(chosen.size(), 3u);
    for (int64_t node : chosen)
      ++counts[node];
  }
  for (int v = 1; v <= 9; ++v)
    EXPECT_NEAR(counts[v], 1000, 130) << "neighbor " << v;
}

TEST(GraphsTest, SamplingIsDeterministicForASeed) {
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=1000&seed=5", g), "");
  int64_t seeds[] = {1, 2, 3, 4, 5, 6, 7, 8}, fanouts[] = {5, 5};
  Blocks a, b, c;
  ASSERT_EQ(sampleBlocks(g, seeds, 8, 1, fanouts, 2, 1, 11, a), "");
  ASSERT_EQ(sampleBlocks(g, seeds, 8, 1, fanouts, 2, 1, 11, b), "");
  ASSERT_EQ(sampleBlocks(g, seeds, 8, 1, fanouts, 2, 1, 12, c), "");
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.layers[0].sources, b.layers[0].sources);
  EXPECT_NE(a.inputs, c.inputs);
}

/// Checks each layer's local ids against their definition, by brute force:
/// the src nodes are the dst nodes, then every other node the layer's edges
/// reach, in the order of its first edge; an edge's source is the first
/// position of its node among them.
void expectSourcesNumberedInFirstEdgeOrder(const Blocks &blocks) {
  std::vector<int64_t> src = blocks.inputs;
  for (const Block &block : blocks.layers) {
    ASSERT_EQ(int64_t(src.size()), block.numSrc);
    std::vector<int64_t> expected(src.begin(), src.begin() + block.numDst);
    std::map<int64_t, int64_t> position;
    for (int64_t i = 0; i < block.numDst; ++i)
      position.emplace(expected[i], i);
    for (int64_t local : block.sources) {
      ASSERT_GE(local, 0);
      ASSERT_LT(local, block.numSrc);
      int64_t node = src[local];
      if (position.emplace(node, int64_t(expected.size())).second)
        expected.push_back(node);
      ASSERT_EQ(local, position[node]) << "node " << node;
    }
    ASSERT_EQ(src, expected);
    src.resize(block.numDst);
  }
}

TEST(GraphsTest, LargeLayersAreNumberedInFirstEdgeOrder) {
  // 2,000 seeds with fanouts 10 and 8: about 20,000 and 160,000 edges, past
  // the size where relabeling may run on the thread pool; a repeated seed
  // too.
  Graph g;
  ASSERT_EQ(loadGraph("builtin:sbm?nodes=30000&degree=20&seed=3", g), "");
  std::vector<int64_t> seeds;
  for (int64_t i = 0; i < 2000; ++i)
    seeds.push_back((i * 7919) % 30000);
  seeds[1999] = seeds[0];
  int64_t fanouts[] = {8, 10};
  // Both ways, on this machine's threads: sequential, and on the pool.
  for (int from : {1 << 30, 2})
    for (uint64_t seed : {1, 2}) {
      setParallelRelabelThreadsForTesting(from);
      Blocks blocks;
      ASSERT_EQ(sampleBlocks(g, seeds.data(), int64_t(seeds.size()), 1, fanouts,
                             2, 1, seed, blocks),
                "");
      ASSERT_GE(blocks.layers[0].sources.size(), 16384u);
      ASSERT_GE(blocks.layers[1].sources.size(), 16384u);
      expectSourcesNumberedInFirstEdgeOrder(blocks);
    }
  setParallelRelabelThreadsForTesting(8);
}

TEST(GraphsTest, StridedSeedsAndFanoutsAreRead) {
  Graph g = smallGraph();
  int64_t seeds[] = {0, 99, 5, 99}, fanouts[] = {-1, 99};
  Blocks blocks;
  ASSERT_EQ(sampleBlocks(g, seeds, 2, 2, fanouts, 1, 2, 0, blocks), "");
  EXPECT_EQ(blocks.seeds, (std::vector<int64_t>{0, 5}));
}

TEST(GraphsTest, BadSeedsAndFanoutsAreErrors) {
  Graph g = smallGraph();
  int64_t seeds[] = {0, 11}, fanouts[] = {2}, bad[] = {-2};
  Blocks blocks;
  EXPECT_EQ(sampleBlocks(g, seeds, 2, 1, fanouts, 1, 1, 0, blocks),
            "seed node 11 at position 1 is outside the graph's 11 nodes");
  EXPECT_EQ(sampleBlocks(g, seeds, 1, 1, bad, 1, 1, 0, blocks),
            "fanout -2 of layer 0 is below -1 (-1 keeps every neighbor)");
  EXPECT_EQ(sampleBlocks(g, seeds, 1, 1, fanouts, 0, 1, 0, blocks),
            "sample needs at least one fanout");
}

/// A random block: numDst dst nodes, numSrc >= numDst src nodes, each dst
/// with 0..5 edges (so some have none).
Block randomBlock(std::mt19937_64 &rng, int64_t numDst, int64_t numSrc) {
  Block block;
  block.numDst = numDst;
  block.numSrc = numSrc;
  block.offsets.push_back(0);
  for (int64_t d = 0; d < numDst; ++d) {
    int64_t edges = int64_t(rng() % 6);
    for (int64_t e = 0; e < edges; ++e)
      block.sources.push_back(int64_t(rng() % uint64_t(numSrc)));
    block.offsets.push_back(int64_t(block.sources.size()));
  }
  return block;
}

TEST(GraphsTest, AggregateMeanMatchesABruteForceFloat64Loop) {
  std::mt19937_64 rng(3);
  for (int64_t cols : {1, 7, 64, 100}) {
    Block block = randomBlock(rng, 300, 700);
    int64_t stride = cols + 3; // rows need not be dense
    std::vector<float> x(block.numSrc * stride);
    std::uniform_real_distribution<float> value(-1, 1);
    for (float &v : x)
      v = value(rng);
    std::vector<float> out(block.numDst * cols, -5.0f);
    aggregateMean(block, x.data(), cols, stride, out.data());
    for (int64_t d = 0; d < block.numDst; ++d) {
      int64_t first = block.offsets[d], last = block.offsets[d + 1];
      for (int64_t c = 0; c < cols; ++c) {
        double sum = 0;
        for (int64_t e = first; e < last; ++e)
          sum += x[block.sources[e] * stride + c];
        double expected = last > first ? sum / double(last - first) : 0.0;
        ASSERT_NEAR(out[d * cols + c], expected, 1e-5)
            << "dst " << d << " col " << c;
      }
    }
  }
}

TEST(GraphsTest, AggregateMeanGradIsTheAdjoint) {
  // <mean(x), g> = <x, mean_grad(g)> for every x and g, and mean_grad
  // matches a brute-force scatter in float64.
  std::mt19937_64 rng(4);
  for (int64_t cols : {1, 5, 33, 256}) {
    Block block = randomBlock(rng, 200, 450);
    std::uniform_real_distribution<float> value(-1, 1);
    std::vector<float> x(block.numSrc * cols), g(block.numDst * cols);
    for (float &v : x)
      v = value(rng);
    for (float &v : g)
      v = value(rng);
    std::vector<float> mean(block.numDst * cols), grad(block.numSrc * cols);
    aggregateMean(block, x.data(), cols, cols, mean.data());
    aggregateMeanGrad(block, g.data(), cols, cols, grad.data());
    double left = 0, right = 0;
    for (size_t i = 0; i < g.size(); ++i)
      left += double(mean[i]) * g[i];
    for (size_t i = 0; i < x.size(); ++i)
      right += double(x[i]) * grad[i];
    EXPECT_NEAR(left, right, 1e-3 * (1 + std::abs(left)));
    std::vector<double> expected(block.numSrc * cols, 0.0);
    for (int64_t d = 0; d < block.numDst; ++d) {
      int64_t first = block.offsets[d], last = block.offsets[d + 1];
      for (int64_t e = first; e < last; ++e)
        for (int64_t c = 0; c < cols; ++c)
          expected[block.sources[e] * cols + c] +=
              double(g[d * cols + c]) / double(last - first);
    }
    for (size_t i = 0; i < expected.size(); ++i)
      ASSERT_NEAR(grad[i], expected[i], 1e-5) << "element " << i;
  }
}

TEST(GraphsTest, TheTransposeListsEachSrcsEdgesInEdgeOrder) {
  // Against a brute-force scan of the edges in (dst, position) order.
  std::mt19937_64 rng(5);
  for (int repeat = 0; repeat < 5; ++repeat) {
    Block block = randomBlock(rng, 120, 300);
    std::vector<int64_t> offsets, dsts;
    transposeBlock(block, offsets, dsts);
    ASSERT_EQ(offsets.size(), size_t(block.numSrc + 1));
    ASSERT_EQ(dsts.size(), block.sources.size());
    EXPECT_EQ(offsets.front(), 0);
    EXPECT_EQ(offsets.back(), int64_t(block.sources.size()));
    for (int64_t s = 0; s < block.numSrc; ++s) {
      std::vector<int64_t> expected;
      for (int64_t d = 0; d < block.numDst; ++d)
        for (int64_t e = block.offsets[d]; e < block.offsets[d + 1]; ++e)
          if (block.sources[e] == s)
            expected.push_back(d);
      std::vector<int64_t> listed(dsts.begin() + offsets[s],
                                  dsts.begin() + offsets[s + 1]);
      ASSERT_EQ(listed, expected) << "src " << s;
    }
    // The C entry points hand out the same arrays.
    intptr_t handle = reinterpret_cast<intptr_t>(&block);
    int64_t edges = sluice_rt_block_size(handle, 2);
    ASSERT_EQ(edges, int64_t(block.sources.size()));
    std::vector<int64_t> copied(block.numDst + 1);
    sluice_rt_block_copy(handle, 0, reinterpret_cast<intptr_t>(copied.data()));
    EXPECT_EQ(copied, block.offsets);
    copied.assign(edges, -1);
    sluice_rt_block_copy(handle, 1, reinterpret_cast<intptr_t>(copied.data()));
    EXPECT_EQ(copied, block.sources);
    copied.assign(block.numSrc + 1, -1);
    sluice_rt_block_copy(handle, 2, reinterpret_cast<intptr_t>(copied.data()));
    EXPECT_EQ(copied, offsets);
    copied.assign(edges, -1);
    sluice_rt_block_copy(handle, 3, reinterpret_cast<intptr_t>(copied.data()));
    EXPECT_EQ(copied, dsts);
  }
}

TEST(GraphsTest, RowChecksStopTheProgramWithThePlace) {
  std::mt19937_64 rng(6);
  Block block = randomBlock(rng, 40, 90);
  intptr_t handle = reinterpret_cast<intptr_t>(&block);
  intptr_t where = reinterpret_cast<intptr_t>("p.sl:3:5");
  sluice_rt_block_check_rows(handle, block.numSrc, 1, where);
  sluice_rt_block_check_rows(handle, block.numDst, 0, where);
  EXPECT_EXIT(sluice_rt_block_check_rows(handle, block.numSrc + 1, 1, where),
              ::testing::ExitedWithCode(1),
              "p.sl:3:5: aggregate_mean: the input has " +
                  std::to_string(block.numSrc + 1) +
                  " rows but the block has " + std::to_string(block.numSrc) +
                  " src nodes");
}

TEST(GraphsTest, CEntryPointsSampleAndAggregate) {
  intptr_t graph = sluice_rt_load_graph(
      reinterpret_cast<intptr_t>("builtin:sbm?nodes=50&features=3&seed=1"),
      reinterpret_cast<intptr_t>("g.sl:1:1"));
  EXPECT_EQ(sluice_rt_graph_size(graph, 0), 50);
  EXPECT_EQ(sluice_rt_graph_size(graph, 1), 3);
  EXPECT_EQ(sluice_rt_graph_size(graph, 6), 50 * 16);
  std::vector<int64_t> train(sluice_rt_graph_size(graph, 3));
  sluice_rt_graph_copy(graph, 2, reinterpret_cast<intptr_t>(train.data()));
  const Graph &g = *reinterpret_cast<const Graph *>(graph);
  EXPECT_EQ(train, g.train);
  // The features move to the program's buffer: the graph keeps no copy.
  std::vector<float> expected = g.x, features(50 * 3);
  sluice_rt_graph_copy(graph, 0, reinterpret_cast<intptr_t>(features.data()));
  EXPECT_EQ(features, expected);
  EXPECT_TRUE(g.x.empty());
  int64_t seeds[] = {3, 4}, fanouts[] = {2};
  intptr_t blocks =
      sluice_rt_sample(graph, reinterpret_cast<intptr_t>(seeds), 2, 1,
                       reinterpret_cast<intptr_t>(fanouts), 1, 1, 0,
                       reinterpret_cast<intptr_t>("g.sl:2:1"));
  EXPECT_EQ(sluice_rt_blocks_size(blocks, 1), 2);
  EXPECT_EQ(sluice_rt_blocks_size(blocks, 2), 1);
  std::vector<int64_t> inputs(sluice_rt_blocks_size(blocks, 0));
  sluice_rt_blocks_copy(blocks, 0, reinterpret_cast<intptr_t>(inputs.data()));
  EXPECT_EQ(inputs, reinterpret_cast<const Blocks *>(blocks)->inputs);
  intptr_t block =
      sluice_rt_block_layer(blocks, 0, reinterpret_cast<intptr_t>("g.sl:3:1"));
  EXPECT_EQ(sluice_rt_block_size(block, 0), int64_t(inputs.size()));
  EXPECT_EQ(sluice_rt_block_size(block, 1), 2);
  std::vector<float> x(inputs.size() * 3, 1.0f), out(2 * 3);
  sluice_rt_aggregate_mean(block, reinterpret_cast<intptr_t>(x.data()),
                           int64_t(inputs.size()), 3, 3,
                           reinterpret_cast<intptr_t>(out.data()),
                           reinterpret_cast<intptr_t>("g.sl:4:1"));
  // Every sampled node's row is ones, so each mean is one.
  EXPECT_EQ(out, std::vector<float>(6, 1.0f));
  sluice_rt_blocks_free(blocks);
}

/// Samples `seed` of a 50-node graph through the C entry points, one layer
/// with `fanout`; `where` is the sample's place.
intptr_t sampleOneLayer(int64_t seed, int64_t fanout, const char *where) {
  intptr_t graph =
      sluice_rt_load_graph(reinterpret_cast<intptr_t>("builtin:sbm?nodes=50"),
                           reinterpret_cast<intptr_t>("g.sl:1:1"));
  int64_t seeds[] = {seed}, fanouts[] = {fanout};
  return sluice_rt_sample(graph, reinterpret_cast<intptr_t>(seeds), 1, 1,
                          reinterpret_cast<intptr_t>(fanouts), 1, 1, 0,
                          reinterpret_cast<intptr_t>(where));
}

void sampleOutsideTheGraph() { sampleOneLayer(50, 2, "g.sl:7:3"); }

void aggregateTheWrongRows() {
  intptr_t blocks = sampleOneLayer(1, -1, "g.sl:2:1");
  intptr_t block =
      sluice_rt_block_layer(blocks, 0, reinterpret_cast<intptr_t>("g.sl:3:1"));
  float x[4] = {}, out[4];
  sluice_rt_aggregate_mean(block, reinterpret_cast<intptr_t>(x), 1, 4, 4,
                           reinterpret_cast<intptr_t>(out),
                           reinterpret_cast<intptr_t>("g.sl:9:5"));
}

void layerOutOfRange() {
  intptr_t blocks = sampleOneLayer(1, -1, "g.sl:2:1");
  sluice_rt_block_layer(blocks, 1, reinterpret_cast<intptr_t>("g.sl:5:2"));
}

TEST(GraphsTest, BadInputStopsTheProgramWithThePlace) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      sluice_rt_load_graph(reinterpret_cast<intptr_t>("builtin:sbm?nodes=x"),
                           reinterpret_cast<intptr_t>("g.sl:1:9")),
      ::testing::ExitedWithCode(1),
      "sluice: error: g.sl:1:9: builtin:sbm\\?nodes=x: 'nodes' must be an "
      "integer from 2 to 268435456, not 'x'");
  EXPECT_EXIT(sampleOutsideTheGraph(), ::testing::ExitedWithCode(1),
              "sluice: error: g.sl:7:3: seed node 50 at position 0 is "
              "outside the graph's 50 nodes");
  EXPECT_EXIT(aggregateTheWrongRows(), ::testing::ExitedWithCode(1),
              "sluice: error: g.sl:9:5: aggregate_mean: the input has 1 rows "
              "but the block has [0-9]+ src nodes");
  EXPECT_EXIT(layerOutOfRange(), ::testing::ExitedWithCode(1),
              "sluice: error: g.sl:5:2: layer 1 is outside the 1 sampled "
              "layers");
}

} // namespace
