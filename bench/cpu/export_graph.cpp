//===- export_graph.cpp - write a graph source as a .npy directory --------===//
//
// Usage: export_graph SOURCE DIR
// Loads SOURCE as `load_graph` does (e.g. builtin:sbm?nodes=200000&...) and
// writes it in the on-disk layout of docs/language.md ("Graphs on disk"), so
// that the baselines of bench/cpu/sage.sh train on exactly the same graph.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Graphs.h"
#include "sluice/Runtime/Npy.h"

#include <cstdio>
#include <cstring>
#include <sys/stat.h>

using namespace sluice::rt;

static bool save(const std::string &path, DType dtype,
                 std::vector<int64_t> shape, const void *data) {
  NpyArray array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  array.data.resize(array.numElements() * dtypeSize(dtype));
  std::memcpy(array.data.data(), data, array.data.size());
  std::string error;
  if (!writeNpy(path, array, error)) {
    std::fprintf(stderr, "export_graph: %s\n", error.c_str());
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: export_graph SOURCE DIR\n");
    return 2;
  }
  Graph g;
  std::string error = loadGraph(argv[1], g);
  if (!error.empty()) {
    std::fprintf(stderr, "export_graph: %s: %s\n", argv[1], error.c_str());
    return 1;
  }
  std::string dir = argv[2];
  mkdir(dir.c_str(), 0755);
  auto ids = [](const std::vector<int64_t> &v) {
    return std::vector<int64_t>{int64_t(v.size())};
  };
  bool ok =
      save(dir + "/indptr.npy", DType::Int64, ids(g.offsets),
           g.offsets.data()) &&
      save(dir + "/indices.npy", DType::Int64, ids(g.neighbors),
           g.neighbors.data()) &&
      save(dir + "/features.npy", DType::Float32, {g.nodes, g.features},
           g.x.data()) &&
      save(dir + "/labels.npy", DType::Int64, ids(g.labels), g.labels.data()) &&
      save(dir + "/train.npy", DType::Int64, ids(g.train), g.train.data()) &&
      save(dir + "/valid.npy", DType::Int64, ids(g.valid), g.valid.data()) &&
      save(dir + "/test.npy", DType::Int64, ids(g.test), g.test.data());
  if (!ok)
    return 1;
  std::printf("%s: %lld nodes, %lld stored edges, %lld features, %lld "
              "classes\n",
              dir.c_str(), (long long)g.nodes, (long long)g.neighbors.size(),
              (long long)g.features, (long long)g.classes);
  return 0;
}
