"""Reference for graphs.sl: a small graph on disk, and sluice.sample,
sluice.aggregate_mean and the gradient through it, re-implemented in float64
from the ops' descriptions.

Usage: graphs.py write DIR          writes DIR/{indptr,indices,...}.npy
       graphs.py check DIR OUTPUT   checks the program's output
"""
import math
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import central_gradient  # noqa: E402

MASK = (1 << 64) - 1
FANOUT = [2, 3]
SEED = 5


# In-neighbors of each of 12 nodes: node 0 has many, node 11 none.
NEIGHBORS = [[1, 2, 3, 4, 5, 6], [0, 2], [0, 1, 3, 9], [0], [0, 5, 6, 7],
             [0, 4], [0, 4, 7, 8, 10], [4, 6], [6, 9, 10], [2, 8], [6, 8], []]
INDPTR = [sum(len(n) for n in NEIGHBORS[:v]) for v in range(13)]
INDICES = [v for n in NEIGHBORS for v in n]
LABELS = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]
TRAIN, VALID, TEST = [0, 6, 11, 4], [1, 2], [3]


def features():
    """12 x 3 uniform(-1, 1) values, rounded to float32 as stored."""
    rng = random.Random(0)
    return [[struct.unpack("<f", struct.pack("<f", rng.uniform(-1, 1)))[0]
             for _ in range(3)] for _ in range(12)]


def save(path, descr, shape, fmt, values):
    """A version 1.0 .npy file, as numpy.save writes it."""
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join(f"{n}, " for n in shape).rstrip(" ") if len(shape) == 1
        else ", ".join(str(n) for n in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def write(directory):
    os.makedirs(directory, exist_ok=True)
    path = lambda name: os.path.join(directory, name + ".npy")
    save(path("indptr"), "<i8", [13], "q", INDPTR)
    save(path("indices"), "<i4", [len(INDICES)], "i", INDICES)
    save(path("features"), "<f4", [12, 3], "f",
         [v for row in features() for v in row])
    save(path("labels"), "<i8", [12], "q", LABELS)
    save(path("train"), "<i8", [len(TRAIN)], "q", TRAIN)
    save(path("valid"), "<i8", [len(VALID)], "q", VALID)
    save(path("test"), "<i4", [len(TEST)], "i", TEST)


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def finalize(z):
    """splitmix64's output function."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def stream_start(seed, layer, position):
    """Where dst position `position` of layer `layer` starts drawing."""
    return finalize((seed ^ (layer << 56) ^ position) & MASK)


def sample(indptr, indices, seeds, fanouts, seed):
    """sluice.sample: layers input first, each (num_src, num_dst, offsets,
    sources); also the input nodes."""
    layers = [None] * len(fanouts)
    dst = list(seeds)
    for layer in reversed(range(len(fanouts))):
        src, local = list(dst), {}
        for i, d in enumerate(dst):
            local.setdefault(d, i)
        offsets, sources = [0], []
        for position, d in enumerate(dst):
            nbrs = list(indices[indptr[d]:indptr[d + 1]])
            fanout = fanouts[layer]
            if fanout == -1 or len(nbrs) <= fanout:
                chosen = nbrs
            else:
                chosen = []
                state = stream_start(seed, layer, position)
                for k in range(fanout):
                    state, z = splitmix(state)
                    j = k + z % (len(nbrs) - k)
                    nbrs[k], nbrs[j] = nbrs[j], nbrs[k]
                    chosen.append(nbrs[k])
            for u in chosen:
                if u not in local:
                    local[u] = len(src)
                    src.append(u)
                sources.append(local[u])
            offsets.append(len(sources))
        layers[layer] = (len(src), len(dst), offsets, sources)
        dst = src
    return dst, layers


def aggregate(layer, x):
    num_src, num_dst, offsets, sources = layer
    out = []
    for d in range(num_dst):
        edges = sources[offsets[d]:offsets[d + 1]]
        out.append([sum(x[s][c] for s in edges) / len(edges) if edges else 0.0
                    for c in range(len(x[0]))])
    return out


def matmul(a, b):
    return [[sum(a[i][t] * b[t][j] for t in range(len(b)))
             for j in range(len(b[0]))] for i in range(len(a))]


def flat(rows):
    return [v for row in rows for v in row]


def check(directory, output):
    inputs, layers = sample(INDPTR, INDICES, TRAIN, FANOUT, SEED)
    table = features()
    x = [table[v] for v in inputs]
    h = aggregate(layers[0], x)
    h2 = aggregate(layers[1], h)
    expected = [("nodes", 12), ("edges", len(INDICES)), ("classes", 3)]
    expected += [("input", v) for v in inputs]
    for layer in layers:
        expected += [("src", layer[0]), ("dst", layer[1])]
    expected += [("h", v) for v in flat(h)]
    expected += [("root", v) for v in flat(x[:layers[0][1]])]
    expected += [("h2", v) for v in flat(h2)]

    lines = [l.split(": ", 1) for l in open(output).read().splitlines() if l]
    # The gradient probe: k as initialized, then k - (k - g) = g.
    k = [float(v) for label, v in lines if label == "k"]
    if len(k) != 6:
        sys.exit(f"expected 6 'k' lines, got {len(k)}")

    def loss(k):
        m = [k[0:2], k[2:4], k[4:6]]
        return sum(math.tanh(v) for v in flat(aggregate(layers[0],
                                                        matmul(x, m))))

    gradient = central_gradient(loss, k)
    expected += [("k", v) for v in k]
    expected += [("grad", v) for v in gradient]

    if len(lines) != len(expected):
        sys.exit(f"{len(lines)} lines, expected {len(expected)}:\n"
                 + "\n".join(f"{a}: {b}" for a, b in expected))
    for (label, value), (want_label, want) in zip(lines, expected):
        if label != want_label:
            sys.exit(f"label {label!r}, expected {want_label!r}")
        if abs(float(value) - want) > 1e-4 * max(1.0, abs(want)):
            sys.exit(f"{label}: {value}, expected {want}")
    print(f"{len(lines)} values match")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
