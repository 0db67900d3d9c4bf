//===- Graphs.cpp - graphs, neighbor sampling and aggregation -------------===//

#include "sluice/Runtime/Graphs.h"

#include "BuiltinSources.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Npy.h"
#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>

namespace sluice::rt {
namespace {

/// A generator for item `index` of stream `stream` under `seed`: the same
/// numbers whatever the number of threads that draws them.
SplitMix streamFor(uint64_t seed, uint64_t stream, uint64_t index) {
  SplitMix mix{seed ^ (stream * 0xD1B54A32D192ED03ull)};
  mix.state ^= mix.next() + index * 0x9E3779B97F4A7C15ull;
  return mix;
}

/// The start of the stream that dst position `position` of layer `layer`
/// draws from (sluice.sample's definition): splitmix64's output function of
/// seed ^ (layer << 56) ^ position.
uint64_t sampleStreamStart(uint64_t seed, int64_t layer, int64_t position) {
  uint64_t z = seed ^ (uint64_t(layer) << 56) ^ uint64_t(position);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Node ids in a seeded random order, cut into train / valid / test.
void splitNodes(Graph &g, double trainShare, double validShare, uint64_t seed) {
  std::vector<int64_t> order(g.nodes);
  for (int64_t i = 0; i < g.nodes; ++i)
    order[i] = i;
  SplitMix rng{seed ^ 0x5EED5EED5EED5EEDull};
  for (int64_t i = g.nodes - 1; i > 0; --i)
    std::swap(order[i], order[rng.next() % uint64_t(i + 1)]);
  int64_t train = int64_t(trainShare * double(g.nodes));
  int64_t valid = int64_t(validShare * double(g.nodes));
  g.train.assign(order.begin(), order.begin() + train);
  g.valid.assign(order.begin() + train, order.begin() + train + valid);
  g.test.assign(order.begin() + train + valid, order.end());
}

/// Edges of builtin:sbm, at most: 2^29, 16 GiB while the graph is generated
/// (each edge is drawn as two ids, then stored in both directions: 32 bytes),
/// 8.7 times ogbn-products' 61.9M edges.
constexpr int64_t kMaxSbmEdges = int64_t(1) << 29;

/// Feature values of builtin:sbm, at most (16 GiB of f32).
constexpr int64_t kMaxSbmFeatureValues = int64_t(1) << 32;

/// The bytes makeSbm allocates for a graph of these sizes, at its peak: the
/// features and class centres (f32), five int64 arrays of a node each
/// (labels, nodes by class, offsets, the split's order and its parts), and
/// the edges (drawn ends, then neighbors: 32 bytes each). False when the
/// sum does not fit in 64 bits.
bool sbmBytes(int64_t nodes, int64_t features, int64_t classes, int64_t edges,
              uint64_t &bytes) {
  uint64_t x, centres, perNode, perEdge;
  return !__builtin_mul_overflow(uint64_t(nodes), uint64_t(features), &x) &&
         !__builtin_mul_overflow(x, uint64_t(4), &x) &&
         !__builtin_mul_overflow(uint64_t(classes), uint64_t(features),
                                 &centres) &&
         !__builtin_mul_overflow(centres, uint64_t(4), &centres) &&
         !__builtin_mul_overflow(uint64_t(nodes), uint64_t(56), &perNode) &&
         !__builtin_mul_overflow(uint64_t(edges), uint64_t(32), &perEdge) &&
         !__builtin_add_overflow(x, centres, &bytes) &&
         !__builtin_add_overflow(bytes, perNode, &bytes) &&
         !__builtin_add_overflow(bytes, perEdge, &bytes);
}

/// builtin:sbm: returns "" or the problem. Sets `needed` to the bytes it
/// will allocate before it allocates them.
std::string makeSbm(const std::string &query, Graph &g, uint64_t &needed) {
  int64_t nodes = 10000, features = 32, classes = 8, degree = 16, edges = -1;
  uint64_t useed = 0;
  double homophily = 0.8, signal = 0.1, trainShare = 0.1, validShare = 0.05;
  QuerySettings settings("sbm");
  settings.integer("nodes", nodes, 2, int64_t(1) << 28);
  settings.integer("features", features, 1, int64_t(1) << 20);
  settings.integer("classes", classes, 2, 65536);
  settings.integer("degree", degree, 0, kMaxSbmEdges);
  settings.integer("edges", edges, 0, kMaxSbmEdges);
  settings.real("homophily", homophily, 0, 1);
  // Features are f32: signal * N(0, 1) centres stay far inside its range.
  settings.real("signal", signal, 0, 1000);
  settings.real("train", trainShare, 0, 1);
  settings.real("valid", validShare, 0, 1);
  settings.seed("seed", useed);
  std::string error = settings.parse(query);
  if (!error.empty())
    return error;
  if (trainShare + validShare > 1)
    return "train + valid shares exceed 1";
  if (edges < 0) {
    int64_t ends;
    bool overflow = __builtin_mul_overflow(nodes, degree, &ends);
    if (overflow || ends / 2 > kMaxSbmEdges)
      return "too many edges: nodes * degree / 2 " +
             (overflow ? std::string("overflows")
                       : "= " + std::to_string(ends / 2)) +
             ", more than the limit of " + std::to_string(kMaxSbmEdges) +
             " (each edge takes 32 bytes while the graph is generated)";
    edges = ends / 2;
  }
  int64_t values;
  bool overflow = __builtin_mul_overflow(nodes, features, &values);
  if (overflow || values > kMaxSbmFeatureValues)
    return "too large: nodes * features " +
           (overflow ? std::string("overflows")
                     : "= " + std::to_string(values)) +
           " feature values, more than the limit of " +
           std::to_string(kMaxSbmFeatureValues);
  bool fits = sbmBytes(nodes, features, classes, edges, needed);
  if (!fits || needed > kMaxGeneratedBytes)
    return "too large: generating the graph needs " +
           (fits ? describeBytes(needed)
                 : std::string("more than 2^64 bytes")) +
           ", more than the limit of " + describeBytes(kMaxGeneratedBytes);
  g.nodes = nodes;
  g.features = features;
  g.classes = classes;

  SplitMix rng{useed};
  std::vector<float> centres(classes * features);
  for (float &c : centres)
    c = float(rng.normal());
  g.labels.resize(nodes);
  for (int64_t &label : g.labels)
    label = int64_t(rng.next() % uint64_t(classes));

  // Features: each row from its own stream, so threads do not change them.
  g.x.resize(nodes * features);
  parallelFor(nodes, 1024, [&](int64_t begin, int64_t end) {
    for (int64_t v = begin; v < end; ++v) {
      SplitMix row = streamFor(useed, 1, uint64_t(v));
      const float *centre = &centres[g.labels[v] * features];
      float *out = &g.x[v * features];
      for (int64_t f = 0; f < features; ++f)
        out[f] = float(signal * centre[f] + row.normal());
    }
  });

  // Nodes by class, to draw same-class partners.
  std::vector<int64_t> classStart(classes + 1, 0), byClass(nodes);
  for (int64_t label : g.labels)
    ++classStart[label + 1];
  for (int64_t c = 0; c < classes; ++c)
    classStart[c + 1] += classStart[c];
  {
    std::vector<int64_t> fill(classStart.begin(), classStart.end() - 1);
    for (int64_t v = 0; v < nodes; ++v)
      byClass[fill[g.labels[v]]++] = v;
  }

  // Undirected edges, each from its own stream; both directions stored.
  std::vector<int64_t> ends(2 * edges);
  parallelFor(edges, 1 << 16, [&](int64_t begin, int64_t end) {
    for (int64_t e = begin; e < end; ++e) {
      SplitMix draw = streamFor(useed, 2, uint64_t(e));
      int64_t u = int64_t(draw.next() % uint64_t(nodes)), v;
      int64_t c = g.labels[u];
      int64_t size = classStart[c + 1] - classStart[c];
      if (draw.uniform() < homophily && size > 1)
        v = byClass[classStart[c] + int64_t(draw.next() % uint64_t(size))];
      else
        v = int64_t(draw.next() % uint64_t(nodes));
      if (v == u)
        v = (u + 1 + int64_t(draw.next() % uint64_t(nodes - 1))) % nodes;
      ends[2 * e] = u;
      ends[2 * e + 1] = v;
    }
  });
  g.offsets.assign(nodes + 1, 0);
  for (int64_t e = 0; e < 2 * edges; ++e)
    ++g.offsets[ends[e] + 1];
  for (int64_t v = 0; v < nodes; ++v)
    g.offsets[v + 1] += g.offsets[v];
  g.neighbors.resize(2 * edges);
  {
    std::vector<int64_t> fill(g.offsets.begin(), g.offsets.end() - 1);
    for (int64_t e = 0; e < edges; ++e) {
      int64_t u = ends[2 * e], v = ends[2 * e + 1];
      g.neighbors[fill[v]++] = u; // u is an in-neighbor of v
      g.neighbors[fill[u]++] = v; // and v of u
    }
  }
  splitNodes(g, trainShare, validShare, useed);
  return "";
}

/// Reads `dir/name.npy` into `array`, checking its dtype and rank.
std::string readPart(const std::string &dir, const char *name, NpyArray &array,
                     std::initializer_list<DType> dtypes, size_t rank) {
  std::string error;
  std::string path = dir + "/" + name + ".npy";
  if (!readNpy(path, array, error))
    return error;
  if (std::find(dtypes.begin(), dtypes.end(), array.dtype) == dtypes.end())
    return path + ": has dtype " + dtypeDescr(array.dtype) + ", expected " +
           dtypeDescr(*dtypes.begin()) +
           (dtypes.size() > 1
                ? std::string(" or ") + dtypeDescr(*(dtypes.begin() + 1))
                : std::string());
  if (array.shape.size() != rank)
    return path + ": has " + std::to_string(array.shape.size()) +
           " dimensions, expected " + std::to_string(rank);
  return "";
}

std::vector<int64_t> asInt64(const NpyArray &array) {
  std::vector<int64_t> values(array.numElements());
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = array.dtype == DType::Int32 ? array.as<int32_t>()[i]
                                            : array.as<int64_t>()[i];
  return values;
}

/// Labels of graphs on disk stay below the larger of this and the number of
/// nodes (G.num_classes is the largest plus one).
constexpr int64_t kMaxClassesOrNodes = 65536;

std::string loadDirectory(const std::string &dir, Graph &g) {
  NpyArray indptr, indices, features, labels;
  std::string error;
  if (!(error =
            readPart(dir, "indptr", indptr, {DType::Int64, DType::Int32}, 1))
           .empty() ||
      !(error =
            readPart(dir, "indices", indices, {DType::Int64, DType::Int32}, 1))
           .empty() ||
      !(error = readPart(dir, "features", features, {DType::Float32}, 2))
           .empty() ||
      !(error =
            readPart(dir, "labels", labels, {DType::Int64, DType::Int32}, 1))
           .empty())
    return error;
  g.nodes = features.shape[0];
  g.features = features.shape[1];
  g.offsets = asInt64(indptr);
  g.neighbors = asInt64(indices);
  g.labels = asInt64(labels);
  if (int64_t(g.offsets.size()) != g.nodes + 1)
    return dir + "/indptr.npy: has " + std::to_string(g.offsets.size()) +
           " entries, expected nodes + 1 = " + std::to_string(g.nodes + 1) +
           " (features.npy has " + std::to_string(g.nodes) + " rows)";
  if (g.offsets[0] != 0 || g.offsets[g.nodes] != int64_t(g.neighbors.size()))
    return dir +
           "/indptr.npy: must start at 0 and end at the length of "
           "indices.npy (" +
           std::to_string(g.neighbors.size()) + ")";
  for (int64_t v = 0; v < g.nodes; ++v)
    if (g.offsets[v + 1] < g.offsets[v])
      return dir + "/indptr.npy: decreases at entry " + std::to_string(v + 1);
  for (size_t e = 0; e < g.neighbors.size(); ++e)
    if (g.neighbors[e] < 0 || g.neighbors[e] >= g.nodes)
      return dir + "/indices.npy: entry " + std::to_string(e) + " is node " +
             std::to_string(g.neighbors[e]) + ", outside [0, " +
             std::to_string(g.nodes) + ")";
  if (int64_t(g.labels.size()) != g.nodes)
    return dir + "/labels.npy: has " + std::to_string(g.labels.size()) +
           " entries, expected one per node (" + std::to_string(g.nodes) + ")";
  // G.num_classes is the largest label plus one, and sizes the program's
  // tables (a classifier's weights, one-hot rows): a label must be at most
  // kMaxClassesOrNodes - 1, or below the number of nodes where that is more.
  g.classes = 0;
  int64_t classLimit = std::max(g.nodes, kMaxClassesOrNodes);
  for (int64_t v = 0; v < g.nodes; ++v) {
    if (g.labels[v] < 0)
      return dir + "/labels.npy: entry " + std::to_string(v) +
             " is negative (" + std::to_string(g.labels[v]) + ")";
    if (g.labels[v] >= classLimit)
      return dir + "/labels.npy: entry " + std::to_string(v) + " is " +
             std::to_string(g.labels[v]) +
             ", too large a class: labels must be below " +
             std::to_string(classLimit) + " (the larger of " +
             std::to_string(kMaxClassesOrNodes) + " and the number of nodes)";
    g.classes = std::max(g.classes, g.labels[v] + 1);
  }
  g.x.resize(features.numElements());
  std::memcpy(g.x.data(), features.data.data(), g.x.size() * sizeof(float));
  const char *splits[] = {"train", "valid", "test"};
  std::vector<int64_t> *targets[] = {&g.train, &g.valid, &g.test};
  for (int i = 0; i < 3; ++i) {
    NpyArray ids;
    if (!(error =
              readPart(dir, splits[i], ids, {DType::Int64, DType::Int32}, 1))
             .empty())
      return error;
    *targets[i] = asInt64(ids);
    for (size_t k = 0; k < targets[i]->size(); ++k)
      if ((*targets[i])[k] < 0 || (*targets[i])[k] >= g.nodes)
        return dir + "/" + splits[i] + ".npy: entry " + std::to_string(k) +
               " is node " + std::to_string((*targets[i])[k]) +
               ", outside [0, " + std::to_string(g.nodes) + ")";
  }
  return "";
}

/// Edges of a layer below which relabeling stays on one thread.
constexpr size_t kParallelRelabelEdges = 16384;

/// Threads from which relabeling runs on the pool: its four passes do about
/// four times the sequential loop's work, and on the 2-core VM it took 6.5
/// against 5.6 ms per sample call of examples/sage (docs/performance.md).
int parallelRelabelThreads = 8;

/// Local ids for a layer's src nodes: `src` holds the dst nodes (local ids
/// 0, 1, ...) and gets every other node of `chosen` appended in the order
/// of its first edge; sources[e] is the local id of chosen[e]. The parallel
/// form finds each node's first edge with an atomic minimum, then numbers
/// first edges by a prefix sum: the same ids as the sequential loop.
void relabel(Graph &graph, uint64_t generation,
             const std::vector<int64_t> &chosen, std::vector<int64_t> &src,
             std::vector<int64_t> &sources) {
  int64_t numDst = int64_t(src.size());
  size_t edges = chosen.size();
  sources.resize(edges);
  // A node listed twice among the dst nodes (repeated seeds) keeps its
  // first position.
  for (int64_t i = 0; i < numDst; ++i)
    if (graph.stamp[src[i]] != generation) {
      graph.stamp[src[i]] = generation;
      graph.local[src[i]] = i;
    }
  if (edges < kParallelRelabelEdges || numThreads() < parallelRelabelThreads ||
      numThreads() == 1 || edges >= (size_t(1) << 32) ||
      generation >= (uint64_t(1) << 32) - 1) {
    for (size_t e = 0; e < edges; ++e) {
      int64_t node = chosen[e];
      if (graph.stamp[node] != generation) {
        graph.stamp[node] = generation;
        graph.local[node] = int64_t(src.size());
        src.push_back(node);
      }
      sources[e] = graph.local[node];
    }
    return;
  }
  if (graph.firstEdge.size() != size_t(graph.nodes))
    graph.firstEdge.assign(graph.nodes, ~uint64_t(0));
  uint64_t layerKey = ((uint64_t(1) << 32) - 1 - generation) << 32;
  uint64_t *firstEdge = graph.firstEdge.data();
  const uint64_t *stamp = graph.stamp.data();
  int64_t grain = 4096;
  parallelFor(int64_t(edges), grain, [&](int64_t begin, int64_t end) {
    for (int64_t e = begin; e < end; ++e) {
      int64_t node = chosen[e];
      if (stamp[node] == generation)
        continue; // a dst node
      uint64_t key = layerKey | uint64_t(e);
      uint64_t seen = __atomic_load_n(&firstEdge[node], __ATOMIC_RELAXED);
      while (key < seen &&
             !__atomic_compare_exchange_n(&firstEdge[node], &seen, key,
                                          /*weak=*/true, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED)) {
      }
    }
  });
  // Numbering: how many first edges each chunk holds, then each chunk's
  // offset, then the ids.
  int64_t chunks =
      std::min<int64_t>(int64_t(edges) / grain + 1, int64_t(numThreads()) * 8);
  int64_t chunkEdges = (int64_t(edges) + chunks - 1) / chunks;
  auto isFirst = [&](int64_t e) {
    int64_t node = chosen[e];
    return stamp[node] != generation &&
           firstEdge[node] == (layerKey | uint64_t(e));
  };
  std::vector<int64_t> firsts(chunks + 1, 0);
  parallelFor(chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      int64_t count = 0;
      for (int64_t e = c * chunkEdges;
           e < std::min<int64_t>((c + 1) * chunkEdges, edges); ++e)
        count += isFirst(e);
      firsts[c + 1] = count;
    }
  });
  for (int64_t c = 0; c < chunks; ++c)
    firsts[c + 1] += firsts[c];
  src.resize(numDst + firsts[chunks]);
  parallelFor(chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      int64_t next = numDst + firsts[c];
      for (int64_t e = c * chunkEdges;
           e < std::min<int64_t>((c + 1) * chunkEdges, edges); ++e)
        if (isFirst(e)) {
          src[next] = chosen[e];
          graph.local[chosen[e]] = next++;
        }
    }
  });
  parallelFor(int64_t(edges), grain, [&](int64_t begin, int64_t end) {
    for (int64_t e = begin; e < end; ++e)
      sources[e] = graph.local[chosen[e]];
  });
}

} // namespace

void setParallelRelabelThreadsForTesting(int threads) {
  parallelRelabelThreads = threads;
}

namespace {

/// loadGraph without its out-of-memory handling.
std::string loadGraphOrThrow(const std::string &source, Graph &out,
                             uint64_t &needed) {
  const std::string prefix = "builtin:sbm";
  if (source.rfind(prefix, 0) == 0) {
    std::string rest = source.substr(prefix.size());
    if (!rest.empty() && rest[0] != '?')
      return "unknown builtin graph '" + source + "' (known: builtin:sbm)";
    std::string error =
        makeSbm(rest.empty() ? "" : rest.substr(1), out, needed);
    return error.empty() ? "" : source + ": " + error;
  }
  if (source.rfind("builtin:", 0) == 0)
    return "unknown builtin graph '" + source + "' (known: builtin:sbm)";
  if (source.empty())
    return "the graph path is empty (graphs are builtin:sbm or a directory "
           "of .npy files)";
  return loadDirectory(source, out);
}

} // namespace

std::string loadGraph(const std::string &source, Graph &out) {
  uint64_t needed = 0;
  try {
    return loadGraphOrThrow(source, out, needed);
  } catch (const std::bad_alloc &) {
  } catch (const std::length_error &) {
  }
  out = Graph(); // what was allocated, freed
  return outOfMemoryLoading(source, "graph", needed,
                            {"indptr.npy", "indices.npy", "features.npy",
                             "labels.npy", "train.npy", "valid.npy",
                             "test.npy"});
}

namespace {
/// Sampling writes the graph's scratch (`local`, `stamp`, `generation`), so
/// a sample running ahead on a background thread and one on the program's
/// thread take turns.
std::mutex samplingMutex;
} // namespace

std::string sampleBlocks(Graph &graph, const int64_t *seeds, int64_t count,
                         int64_t seedStride, const int64_t *fanouts,
                         int64_t layers, int64_t fanoutStride, uint64_t seed,
                         Blocks &out) {
  std::lock_guard<std::mutex> lock(samplingMutex);
  if (layers < 1)
    return "sample needs at least one fanout";
  for (int64_t l = 0; l < layers; ++l)
    if (fanouts[l * fanoutStride] < -1)
      return "fanout " + std::to_string(fanouts[l * fanoutStride]) +
             " of layer " + std::to_string(l) +
             " is below -1 (-1 keeps every neighbor)";
  std::vector<int64_t> dst(count);
  for (int64_t i = 0; i < count; ++i) {
    dst[i] = seeds[i * seedStride];
    if (dst[i] < 0 || dst[i] >= graph.nodes)
      return "seed node " + std::to_string(dst[i]) + " at position " +
             std::to_string(i) + " is outside the graph's " +
             std::to_string(graph.nodes) + " nodes";
  }
  if (graph.local.size() != size_t(graph.nodes)) {
    graph.local.assign(graph.nodes, 0);
    graph.stamp.assign(graph.nodes, 0);
  }
  out.seeds = dst;
  out.layers.assign(layers, Block());
  std::vector<int64_t> chosen;
  for (int64_t l = layers - 1; l >= 0; --l) {
    int64_t fanout = fanouts[l * fanoutStride];
    Block &block = out.layers[l];
    int64_t numDst = int64_t(dst.size());
    // How many edges each dst node keeps, and where they go.
    block.numDst = numDst;
    block.offsets.assign(numDst + 1, 0);
    for (int64_t i = 0; i < numDst; ++i) {
      int64_t degree = graph.offsets[dst[i] + 1] - graph.offsets[dst[i]];
      block.offsets[i + 1] =
          block.offsets[i] +
          (fanout == -1 || degree <= fanout ? degree : fanout);
    }
    // The draws, in parallel: each dst node has its own stream, so the
    // choice does not depend on the number of threads.
    chosen.resize(block.offsets[numDst]);
    parallelFor(numDst, 64, [&](int64_t begin, int64_t end) {
      std::vector<int64_t> scratch;
      for (int64_t i = begin; i < end; ++i) {
        int64_t d = dst[i];
        const int64_t *first = graph.neighbors.data() + graph.offsets[d];
        int64_t degree = graph.offsets[d + 1] - graph.offsets[d];
        int64_t *into = chosen.data() + block.offsets[i];
        if (fanout == -1 || degree <= fanout) {
          std::copy(first, first + degree, into);
          continue;
        }
        // A partial Fisher-Yates: the first `fanout` of a random order.
        SplitMix rng{sampleStreamStart(seed, l, i)};
        scratch.assign(first, first + degree);
        for (int64_t k = 0; k < fanout; ++k) {
          int64_t j = k + int64_t(rng.next() % uint64_t(degree - k));
          std::swap(scratch[k], scratch[j]);
          into[k] = scratch[k];
        }
      }
    });
    // Local ids, in order: the dst nodes, then new nodes as they appear.
    uint64_t generation = ++graph.generation;
    std::vector<int64_t> src = dst;
    relabel(graph, generation, chosen, src, block.sources);
    block.numSrc = int64_t(src.size());
    dst = std::move(src);
  }
  out.inputs = std::move(dst);
  return "";
}

void aggregateMean(const Block &block, const float *x, int64_t cols,
                   int64_t xStride, float *out) {
  parallelFor(block.numDst, 256, [&](int64_t begin, int64_t end) {
    for (int64_t d = begin; d < end; ++d) {
      float *__restrict row = out + d * cols;
      std::fill(row, row + cols, 0.0f);
      int64_t first = block.offsets[d], last = block.offsets[d + 1];
      for (int64_t e = first; e < last; ++e) {
        const float *__restrict from = x + block.sources[e] * xStride;
        for (int64_t c = 0; c < cols; ++c)
          row[c] += from[c];
      }
      if (last > first) {
        float scale = 1.0f / float(last - first);
        for (int64_t c = 0; c < cols; ++c)
          row[c] *= scale;
      }
    }
  });
}

void transposeBlock(const Block &block, std::vector<int64_t> &offsets,
                    std::vector<int64_t> &dsts) {
  // A counting sort of the edges by src, stable in edge order.
  offsets.assign(block.numSrc + 1, 0);
  for (int64_t source : block.sources)
    ++offsets[source + 1];
  for (int64_t s = 0; s < block.numSrc; ++s)
    offsets[s + 1] += offsets[s];
  dsts.resize(block.sources.size());
  std::vector<int64_t> next(offsets.begin(), offsets.end() - 1);
  for (int64_t d = 0; d < block.numDst; ++d)
    for (int64_t e = block.offsets[d]; e < block.offsets[d + 1]; ++e)
      dsts[next[block.sources[e]]++] = d;
}

void aggregateMeanGrad(const Block &block, const float *g, int64_t cols,
                       int64_t gStride, float *out) {
  std::fill(out, out + block.numSrc * cols, 0.0f);
  // Edges scatter into shared src rows, so threads split the columns.
  int64_t chunk =
      std::max<int64_t>(16, (cols + numThreads() - 1) / int64_t(numThreads()));
  int64_t chunks = (cols + chunk - 1) / chunk;
  parallelFor(chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t part = begin; part < end; ++part) {
      int64_t c0 = part * chunk, c1 = std::min(cols, c0 + chunk);
      for (int64_t d = 0; d < block.numDst; ++d) {
        int64_t first = block.offsets[d], last = block.offsets[d + 1];
        if (last == first)
          continue;
        float scale = 1.0f / float(last - first);
        const float *__restrict from = g + d * gStride;
        for (int64_t e = first; e < last; ++e) {
          float *__restrict row = out + block.sources[e] * cols;
          for (int64_t c = c0; c < c1; ++c)
            row[c] += scale * from[c];
        }
      }
    }
  });
}

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" intptr_t sluice_rt_load_graph(intptr_t source, intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  auto graph = std::make_unique<Graph>();
  std::string error = loadGraph(reinterpret_cast<const char *>(source), *graph);
  if (!error.empty())
    fatalErrorAt(where, error);
  return reinterpret_cast<intptr_t>(graph.release());
}

extern "C" int64_t sluice_rt_graph_size(intptr_t handle, int64_t what) {
  const Graph &g = *reinterpret_cast<const Graph *>(handle);
  switch (what) {
  case 0:
    return g.nodes;
  case 1:
    return g.features;
  case 2:
    return g.classes;
  case 3:
    return int64_t(g.train.size());
  case 4:
    return int64_t(g.valid.size());
  case 5:
    return int64_t(g.test.size());
  case 6:
    return int64_t(g.neighbors.size());
  default:
    return 0;
  }
}

extern "C" void sluice_rt_graph_copy(intptr_t handle, int64_t field,
                                     intptr_t out) {
  sluice::rt::ProfileScope profile(__func__);
  Graph &g = *reinterpret_cast<Graph *>(handle);
  void *to = reinterpret_cast<void *>(out);
  const std::vector<int64_t> *ids[] = {&g.labels, &g.train, &g.valid, &g.test};
  if (field == 0) {
    // The program's table is the one copy from now on: the sampler and the
    // aggregations never read features, so the graph's copy goes (at
    // ogbn-products' size it is 1 GB). Compiled code copies each field once.
    if (g.x.size() != size_t(g.nodes * g.features))
      fatalErrorAt(reinterpret_cast<intptr_t>("load_graph"),
                   "the features were already handed to the program");
    std::memcpy(to, g.x.data(), g.x.size() * sizeof(float));
    std::vector<float>().swap(g.x);
  } else if (field >= 1 && field <= 4) {
    std::memcpy(to, ids[field - 1]->data(),
                ids[field - 1]->size() * sizeof(int64_t));
  }
}

extern "C" intptr_t sluice_rt_sample(intptr_t graph, intptr_t seeds,
                                     int64_t count, int64_t seedStride,
                                     intptr_t fanouts, int64_t layers,
                                     int64_t fanoutStride, int64_t seed,
                                     intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  auto blocks = std::make_unique<Blocks>();
  std::string error;
  SampleArguments arguments(reinterpret_cast<Graph *>(graph),
                            reinterpret_cast<const int64_t *>(seeds), count,
                            seedStride,
                            reinterpret_cast<const int64_t *>(fanouts), layers,
                            fanoutStride, uint64_t(seed));
  if (!takeSampledAhead(reinterpret_cast<const char *>(where), arguments,
                        *blocks, error))
    error = sampleOrError(arguments, *blocks);
  if (!error.empty())
    fatalErrorAt(where, error);
  return reinterpret_cast<intptr_t>(blocks.release());
}

extern "C" int64_t sluice_rt_blocks_size(intptr_t handle, int64_t what) {
  const Blocks &b = *reinterpret_cast<const Blocks *>(handle);
  return what == 0   ? int64_t(b.inputs.size())
         : what == 1 ? int64_t(b.seeds.size())
                     : int64_t(b.layers.size());
}

extern "C" void sluice_rt_blocks_copy(intptr_t handle, int64_t field,
                                      intptr_t out) {
  sluice::rt::ProfileScope profile(__func__);
  const Blocks &b = *reinterpret_cast<const Blocks *>(handle);
  const std::vector<int64_t> &ids = field == 0 ? b.inputs : b.seeds;
  std::memcpy(reinterpret_cast<void *>(out), ids.data(),
              ids.size() * sizeof(int64_t));
}

extern "C" intptr_t sluice_rt_block_layer(intptr_t handle, int64_t layer,
                                          intptr_t where) {
  Blocks &b = *reinterpret_cast<Blocks *>(handle);
  if (layer < 0 || layer >= int64_t(b.layers.size()))
    fatalErrorAt(where, "layer " + std::to_string(layer) + " is outside the " +
                            std::to_string(b.layers.size()) +
                            " sampled layers");
  return reinterpret_cast<intptr_t>(&b.layers[layer]);
}

extern "C" int64_t sluice_rt_block_size(intptr_t handle, int64_t what) {
  const Block &b = *reinterpret_cast<const Block *>(handle);
  return what == 0   ? b.numSrc
         : what == 1 ? b.numDst
                     : int64_t(b.sources.size());
}

extern "C" void sluice_rt_block_copy(intptr_t handle, int64_t field,
                                     intptr_t out) {
  sluice::rt::ProfileScope profile(__func__);
  const Block &b = *reinterpret_cast<const Block *>(handle);
  auto copy = [&](const std::vector<int64_t> &values) {
    std::memcpy(reinterpret_cast<void *>(out), values.data(),
                values.size() * sizeof(int64_t));
  };
  if (field == 0)
    return copy(b.offsets);
  if (field == 1)
    return copy(b.sources);
  std::vector<int64_t> offsets, dsts;
  transposeBlock(b, offsets, dsts);
  copy(field == 2 ? offsets : dsts);
}

extern "C" void sluice_rt_blocks_free(intptr_t handle) {
  delete reinterpret_cast<Blocks *>(handle);
}

/// The block behind `handle`, after checking that the input has the rows
/// the direction needs (src rows forward, dst rows for the gradient).
static const Block &checkedBlock(intptr_t handle, int64_t rows, bool forward,
                                 intptr_t where) {
  const Block &b = *reinterpret_cast<const Block *>(handle);
  int64_t want = forward ? b.numSrc : b.numDst;
  if (rows != want)
    fatalErrorAt(where, std::string(forward ? "aggregate_mean"
                                            : "aggregate_mean gradient") +
                            ": the input has " + std::to_string(rows) +
                            " rows but the block has " + std::to_string(want) +
                            (forward ? " src nodes" : " dst nodes"));
  return b;
}

extern "C" void sluice_rt_block_check_rows(intptr_t handle, int64_t rows,
                                           int64_t forward, intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  checkedBlock(handle, rows, forward != 0, where);
}

extern "C" void sluice_rt_aggregate_mean(intptr_t handle, intptr_t x,
                                         int64_t rows, int64_t cols,
                                         int64_t stride, intptr_t out,
                                         intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  aggregateMean(checkedBlock(handle, rows, true, where),
                reinterpret_cast<const float *>(x), cols, stride,
                reinterpret_cast<float *>(out));
}

extern "C" void sluice_rt_aggregate_mean_grad(intptr_t handle, intptr_t g,
                                              int64_t rows, int64_t cols,
                                              int64_t stride, intptr_t out,
                                              intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  aggregateMeanGrad(checkedBlock(handle, rows, false, where),
                    reinterpret_cast<const float *>(g), cols, stride,
                    reinterpret_cast<float *>(out));
}
