"""GraphSAGE as examples/sage trains it, in plain PyTorch, written as a
competent user would: the graph as CSR tensors, neighbor sampling vectorized
per layer (no Python loop per node), mean aggregation with index_add_.

Usage: sage_torch.py GRAPH_DIR [--threads N] [--epochs 5] [--batch 1024]
                     [--fanout 15,10] [--lr 0.003]
                     [--device cpu|cuda] [--features host|device]

On `--device cuda` the model trains on the GPU and sampling stays on the
CPU; the features either stay in pinned host memory and each batch's rows
are gathered on the CPU into a pinned buffer and copied (`--features host`,
the conventional way), or live in GPU memory and are gathered there
(`--features device`). Gather times then include the copy.
Prints one line per epoch (times in seconds: sampling, gathering, compute,
validation) and a final line `result: EPOCH_SECONDS ACCURACY`.
"""
import argparse
import os
import time

import ast
import torch

try:
    import numpy as np
except ImportError:  # GPU machines may have torch without numpy
    np = None

parser = argparse.ArgumentParser()
parser.add_argument("graph")
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--batch", type=int, default=1024)
parser.add_argument("--fanout", default="15,10")
parser.add_argument("--lr", type=float, default=0.003)
parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
parser.add_argument("--features", default="host", choices=["host", "device"])
args = parser.parse_args()
device = torch.device(args.device)
torch.set_num_threads(args.threads)
torch.manual_seed(0)
fanouts = [int(f) for f in args.fanout.split(",")]

def load(name):
    """A C-order little-endian .npy file (int64, int32 or float32)."""
    path = os.path.join(args.graph, name + ".npy")
    if np is not None:
        return torch.from_numpy(np.load(path))
    with open(path, "rb") as f:
        data = f.read()
    major = data[6]
    size_bytes = 2 if major == 1 else 4
    length = int.from_bytes(data[8:8 + size_bytes], "little")
    start = 8 + size_bytes
    header = ast.literal_eval(data[start:start + length].decode("latin1"))
    dtype = {"<i8": torch.int64, "<i4": torch.int32,
             "<f4": torch.float32}[header["descr"]]
    flat = torch.frombuffer(bytearray(data[start + length:]), dtype=dtype)
    return flat.reshape(header["shape"]).to(
        torch.int64 if dtype == torch.int32 else dtype)
indptr, indices = load("indptr"), load("indices")
features, labels = load("features"), load("labels")
train, valid = load("train"), load("valid")
nodes, classes = features.shape[0], int(labels.max()) + 1
on_gpu = args.device == "cuda"
if on_gpu and args.features == "device":
    features_device = features.to(device)
elif on_gpu:
    features = features.pin_memory()
    staging = torch.empty((0, features.shape[1])).pin_memory()
labels_device = labels.to(device)


def load_features(inputs):
    """The rows of `inputs`, where the model runs."""
    global staging
    if not on_gpu:
        return features[inputs]
    if args.features == "device":
        return features_device[inputs.to(device, non_blocking=True)]
    if staging.shape[0] < len(inputs):
        staging = torch.empty((len(inputs), features.shape[1])).pin_memory()
    rows = staging[:len(inputs)]
    torch.index_select(features, 0, inputs, out=rows)
    return rows.to(device, non_blocking=True)


def to_device(blocks):
    return [(n, s.to(device, non_blocking=True), d.to(device, non_blocking=True))
            for n, s, d in blocks]
local = torch.full((nodes,), -1, dtype=torch.int64)  # relabeling scratch


def sample_layer(dst, fanout, generator):
    """In-neighbors of `dst`: all of them where there are at most `fanout`,
    else `fanout` chosen uniformly without replacement (random keys sorted
    within each node's segment). Returns the src nodes (dst first) and the
    edges as (local src, local dst)."""
    start, end = indptr[dst], indptr[dst + 1]
    degree = end - start
    total = int(degree.sum())
    segment = torch.repeat_interleave(torch.arange(len(dst)), degree)
    first = torch.cumsum(degree, 0) - degree
    position = torch.arange(total) - first[segment]
    neighbor = indices[start[segment] + position]
    if fanout >= 0:
        keys = segment.to(torch.float64) + torch.rand(total,
                                                      generator=generator,
                                                      dtype=torch.float64)
        order = torch.argsort(keys)
        neighbor, segment = neighbor[order], segment[order]
        keep = position < fanout  # rank within the segment after sorting
        neighbor, segment = neighbor[keep], segment[keep]
    local[dst] = torch.arange(len(dst))
    new = torch.unique(neighbor[local[neighbor] < 0])
    local[new] = len(dst) + torch.arange(len(new))
    src = torch.cat([dst, new])
    edges_src = local[neighbor]
    local[src] = -1
    return src, edges_src, segment


def sample(seeds, generator):
    blocks, dst = [], seeds
    for fanout in reversed(fanouts):
        src, edge_src, edge_dst = sample_layer(dst, fanout, generator)
        blocks.insert(0, (len(dst), edge_src, edge_dst))
        dst = src
    return dst, blocks


def aggregate_mean(block, x):
    num_dst, edge_src, edge_dst = block
    total = torch.zeros(num_dst, x.shape[1], device=x.device).index_add_(
        0, edge_dst, x[edge_src])
    degree = torch.bincount(edge_dst, minlength=num_dst).clamp(min=1)
    return total / degree.unsqueeze(1)


class SageConv(torch.nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.root = torch.nn.Linear(inputs, outputs)
        self.neigh = torch.nn.Linear(inputs, outputs)

    def forward(self, block, x):
        return self.root(x[:block[0]]) + self.neigh(aggregate_mean(block, x))


class Sage(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = SageConv(features.shape[1], 256)
        self.l2 = SageConv(256, classes)

    def forward(self, blocks, x):
        return self.l2(blocks[1], torch.relu(self.l1(blocks[0], x)))


net = Sage().to(device)
opt = torch.optim.Adam(net.parameters(), lr=args.lr)
generator = torch.Generator().manual_seed(0)
epoch_times = []
for epoch in range(args.epochs):
    times = {"sample": 0.0, "gather": 0.0, "compute": 0.0}
    begin = time.perf_counter()
    order = train[torch.randperm(len(train), generator=generator)]
    for i in range(0, len(order), args.batch):
        seeds = order[i:i + args.batch]
        t0 = time.perf_counter()
        inputs, blocks = sample(seeds, generator)
        blocks = to_device(blocks) if on_gpu else blocks
        t1 = time.perf_counter()
        x = load_features(inputs)
        if on_gpu:
            torch.cuda.synchronize()
        t2 = time.perf_counter()
        loss = torch.nn.functional.cross_entropy(
            net(blocks, x), labels_device[seeds.to(device)])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if on_gpu:
            torch.cuda.synchronize()
        t3 = time.perf_counter()
        times["sample"] += t1 - t0
        times["gather"] += t2 - t1
        times["compute"] += t3 - t2
    t4 = time.perf_counter()
    with torch.no_grad():
        inputs, blocks = sample(valid, generator)
        blocks = to_device(blocks) if on_gpu else blocks
        predicted = net(blocks, load_features(inputs)).argmax(1)
        accuracy = float((predicted == labels_device[valid.to(device)])
                         .float().mean())
    end = time.perf_counter()
    epoch_times.append(end - begin)
    print(f"epoch {epoch}: {end - begin:.2f} s (sample {times['sample']:.2f},"
          f" gather {times['gather']:.2f}, compute {times['compute']:.2f},"
          f" validation {end - t4:.2f}), loss {float(loss):.4f},"
          f" accuracy {accuracy:.4f}", flush=True)
if on_gpu:
    print(f"gpu memory: peak {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB"
          f" allocated, {torch.cuda.max_memory_reserved() / 2**20:.0f} MiB"
          " reserved", flush=True)
print(f"result: {sum(epoch_times) / len(epoch_times):.3f} {accuracy:.4f}")
