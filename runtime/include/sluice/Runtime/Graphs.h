//===- Graphs.h - graphs, neighbor sampling and aggregation -----*- C++ -*-===//
//
// `load_graph(source)`, `sample(G, seeds, fanouts)` and the mean aggregation
// of SageConv, for compiled programs. A graph is a CSR of in-neighbors, an
// f32 feature table, i64 labels and train / valid / test node ids.
//
// Sources:
// - `builtin:sbm?nodes=N&features=F&classes=C&degree=D&edges=E&homophily=H&
//   signal=S&train=T&valid=V&seed=X`: a planted-partition (stochastic block)
//   graph that needs no file. Each node has a uniformly drawn class; its
//   features are `S * centre[class] + N(0, 1)` noise with `centre[c] ~
//   N(0, I)`; each of the E undirected edges (default N * D / 2) joins a
//   uniformly drawn node to a node of the same class with probability H, else
//   to a uniformly drawn node (no self loops; both directions are stored, so
//   the mean in-degree is 2E / N). The splits are a seeded permutation: a
//   share T for training, V for validation, the rest for testing.
// - a directory in the layout of docs/language.md ("Graphs on disk"):
//   `indptr.npy`, `indices.npy`, `features.npy`, `labels.npy`, `train.npy`,
//   `valid.npy`, `test.npy`.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_GRAPHS_H
#define SLUICE_RUNTIME_GRAPHS_H

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::rt {

struct Graph {
  int64_t nodes = 0, features = 0, classes = 0;
  /// In-neighbors of node v: neighbors[offsets[v] .. offsets[v + 1]).
  std::vector<int64_t> offsets, neighbors;
  std::vector<float> x; // nodes x features, row-major
  std::vector<int64_t> labels, train, valid, test;

  /// Sampling scratch: node -> local index + 1 in the layer being built,
  /// valid where `stamp` equals the current layer's generation.
  std::vector<int64_t> local;
  std::vector<uint64_t> stamp;
  uint64_t generation = 0;
  /// Parallel relabeling's scratch: node -> the first edge that reaches it
  /// in the layer being built, as (2^32 - 1 - generation) << 32 | edge, so
  /// that a smaller key is an earlier edge of a later layer.
  std::vector<uint64_t> firstEdge;
};

/// One layer of a sampled mini-batch: dst node d has the sampled in-edges
/// from local src nodes sources[offsets[d] .. offsets[d + 1]). The first
/// numDst src nodes are the dst nodes themselves.
struct Block {
  int64_t numSrc = 0, numDst = 0;
  std::vector<int64_t> offsets, sources;
};

/// Sampling relabels a layer's nodes on the thread pool when it has at least
/// this many threads (default 8); tests lower it to reach that path.
void setParallelRelabelThreadsForTesting(int threads);

/// The blocks of one mini-batch, input first (layer 0 is the outermost hop).
struct Blocks {
  std::vector<Block> layers;
  std::vector<int64_t> inputs; // global ids of layer 0's src nodes
  std::vector<int64_t> seeds;  // global ids of the last layer's dst nodes
};

/// Fills `out` from `source`; returns "" or what is wrong with the source.
std::string loadGraph(const std::string &source, Graph &out);

/// Uniform neighbor sampling with exactly the semantics of `sluice.sample`
/// (docs/dialect/SluiceDialect.md). Returns "" or what is wrong (a seed out
/// of range, a fanout below -1).
std::string sampleBlocks(Graph &graph, const int64_t *seeds, int64_t count,
                         int64_t seedStride, const int64_t *fanouts,
                         int64_t layers, int64_t fanoutStride, uint64_t seed,
                         Blocks &out);

/// What one `sluice.sample` samples: the graph, and copies of its seeds and
/// fanouts (dense), so that a sample can run after the caller's buffers
/// have changed.
struct SampleArguments {
  SampleArguments(Graph *graph, const int64_t *seeds, int64_t count,
                  int64_t seedStride, const int64_t *fanouts, int64_t layers,
                  int64_t fanoutStride, uint64_t seed);
  bool operator==(const SampleArguments &other) const;

  Graph *graph;
  std::vector<int64_t> seeds, fanouts;
  uint64_t seed;
};

/// sampleBlocks on `arguments`, with running out of memory as an error.
std::string sampleOrError(const SampleArguments &arguments, Blocks &out);

/// Sampling ahead (sluice-sample-ahead): starts sampling `arguments` on a
/// background thread under `site` (a `sluice.sample`'s source location),
/// after dropping what was pending there. Sampling has no effects beyond its
/// result, so a sample that is never taken costs only its time.
void startSamplingAhead(const std::string &site, SampleArguments arguments);

/// If `site` has a sample pending with exactly `arguments`, waits for it,
/// moves its blocks into `out` and its error (or "") into `error`, and
/// returns true. Otherwise drops what is pending there (after it finishes)
/// and returns false: the caller samples itself.
bool takeSampledAhead(const std::string &site, const SampleArguments &arguments,
                      Blocks &out, std::string &error);

/// How many samples were taken from the background and how many were
/// started there, since the program started (for tests and the profile).
struct SampleAheadCounts {
  int64_t started = 0, taken = 0;
};
SampleAheadCounts sampleAheadCounts();

/// The transpose of a block's edges: `offsets` (numSrc + 1) and, for each
/// src node in turn, the dst node of each of its edges, in edge order.
void transposeBlock(const Block &block, std::vector<int64_t> &offsets,
                    std::vector<int64_t> &dsts);

/// out[d, :] = mean over the sampled edges (s, d) of x[s, :] (zeros for a
/// dst node without edges); x has block.numSrc rows of `cols` floats,
/// `xStride` floats apart; out is dense, block.numDst x cols.
void aggregateMean(const Block &block, const float *x, int64_t cols,
                   int64_t xStride, float *out);

/// The adjoint: out[s, :] = sum over edges (s, d) of g[d, :] / deg(d); g has
/// block.numDst rows `gStride` floats apart; out is dense, numSrc x cols.
void aggregateMeanGrad(const Block &block, const float *g, int64_t cols,
                       int64_t gStride, float *out);

} // namespace sluice::rt

extern "C" {
/// Loads a graph (stopping the program with `sluice: error: <where>: ...` on
/// a bad source) and returns its handle; it lives as long as the program.
intptr_t sluice_rt_load_graph(intptr_t source, intptr_t where);
/// Sizes: 0 nodes, 1 features, 2 classes, 3 train, 4 valid, 5 test, 6 edges
/// (stored, directed).
int64_t sluice_rt_graph_size(intptr_t graph, int64_t what);
/// Copies a field into `out`: 0 features (f32, nodes x features), 1 labels,
/// 2 train, 3 valid, 4 test (i64).
void sluice_rt_graph_copy(intptr_t graph, int64_t field, intptr_t out);
/// Samples the blocks of `count` seeds (i64, `seedStride` elements apart)
/// with `layers` fanouts; stops the program on bad input. The caller frees
/// the result with sluice_rt_blocks_free.
intptr_t sluice_rt_sample(intptr_t graph, intptr_t seeds, int64_t count,
                          int64_t seedStride, intptr_t fanouts, int64_t layers,
                          int64_t fanoutStride, int64_t seed, intptr_t where);
/// Starts sampling what sluice_rt_sample would for these arguments on a
/// background thread; a sluice_rt_sample at the same `where` with the same
/// arguments then takes the result (and any error) instead of sampling.
void sluice_rt_sample_ahead(intptr_t graph, intptr_t seeds, int64_t count,
                            int64_t seedStride, intptr_t fanouts,
                            int64_t layers, int64_t fanoutStride, int64_t seed,
                            intptr_t where);
/// Sizes: 0 inputs, 1 seeds, 2 layers.
int64_t sluice_rt_blocks_size(intptr_t blocks, int64_t what);
/// Copies 0 inputs or 1 seeds (i64) into `out`.
void sluice_rt_blocks_copy(intptr_t blocks, int64_t field, intptr_t out);
/// Layer `layer` of `blocks`; a layer out of range stops the program.
intptr_t sluice_rt_block_layer(intptr_t blocks, int64_t layer, intptr_t where);
/// Sizes: 0 src nodes, 1 dst nodes, 2 sampled edges.
int64_t sluice_rt_block_size(intptr_t block, int64_t what);
/// Copies a block's edges as CSR arrays (i64) into `out`, for aggregation
/// compiled as loops (a GPU kernel): 0 the dst offsets (num_dst + 1), 1 the
/// src of each edge in dst order (edges); the transpose: 2 the src offsets
/// (num_src + 1), 3 the dst of each edge in src order (edges), listed for
/// each src in the order of field 1 (by dst, then by position).
void sluice_rt_block_copy(intptr_t block, int64_t field, intptr_t out);
/// Stops the program (at `where`) unless an aggregation input has the rows
/// the block needs: its src nodes forward (`forward` 1), its dst nodes for
/// the gradient.
void sluice_rt_block_check_rows(intptr_t block, int64_t rows, int64_t forward,
                                intptr_t where);
void sluice_rt_blocks_free(intptr_t blocks);
/// aggregateMean / aggregateMeanGrad; `rows` is the number of rows of the
/// input, checked against the block (a mismatch stops the program).
void sluice_rt_aggregate_mean(intptr_t block, intptr_t x, int64_t rows,
                              int64_t cols, int64_t stride, intptr_t out,
                              intptr_t where);
void sluice_rt_aggregate_mean_grad(intptr_t block, intptr_t g, int64_t rows,
                                   int64_t cols, int64_t stride, intptr_t out,
                                   intptr_t where);
}

#endif // SLUICE_RUNTIME_GRAPHS_H
