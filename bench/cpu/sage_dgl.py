"""GraphSAGE as examples/sage trains it, in DGL with its own neighbor
sampler (dgl.dataloading.NeighborSampler) and SAGEConv(aggregator 'mean').

Usage: sage_dgl.py GRAPH_DIR [--threads N] [--epochs 5] [--batch 1024]
                   [--fanout 15,10] [--lr 0.003]
Prints one line per epoch (times in seconds: sampling, gathering, compute,
validation) and a final line `result: EPOCH_SECONDS ACCURACY`.
"""
import argparse
import os
import time

import numpy as np

from dgl_shim import dgl, torch

parser = argparse.ArgumentParser()
parser.add_argument("graph")
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--batch", type=int, default=1024)
parser.add_argument("--fanout", default="15,10")
parser.add_argument("--lr", type=float, default=0.003)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
fanouts = [int(f) for f in args.fanout.split(",")]

load = lambda name: torch.from_numpy(np.load(os.path.join(args.graph,
                                                          name + ".npy")))
indptr, indices = load("indptr"), load("indices")
features, labels = load("features"), load("labels")
train, valid = load("train"), load("valid")
classes = int(labels.max()) + 1
# In-neighbor CSR is CSC of the src -> dst adjacency.
graph = dgl.graph(("csc", (indptr, indices, torch.tensor([], dtype=torch.int64))),
                  num_nodes=features.shape[0])
sampler = dgl.dataloading.NeighborSampler(fanouts)


class Sage(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = dgl.nn.SAGEConv(features.shape[1], 256, "mean")
        self.l2 = dgl.nn.SAGEConv(256, classes, "mean")

    def forward(self, blocks, x):
        return self.l2(blocks[1], torch.relu(self.l1(blocks[0], x)))


net = Sage()
opt = torch.optim.Adam(net.parameters(), lr=args.lr)
epoch_times = []
for epoch in range(args.epochs):
    times = {"sample": 0.0, "gather": 0.0, "compute": 0.0}
    begin = time.perf_counter()
    order = train[torch.randperm(len(train))]
    for i in range(0, len(order), args.batch):
        seeds = order[i:i + args.batch]
        t0 = time.perf_counter()
        inputs, outputs, blocks = sampler.sample_blocks(graph, seeds)
        t1 = time.perf_counter()
        x = features[inputs]
        t2 = time.perf_counter()
        loss = torch.nn.functional.cross_entropy(net(blocks, x),
                                                 labels[outputs])
        opt.zero_grad()
        loss.backward()
        opt.step()
        t3 = time.perf_counter()
        times["sample"] += t1 - t0
        times["gather"] += t2 - t1
        times["compute"] += t3 - t2
    t4 = time.perf_counter()
    with torch.no_grad():
        inputs, outputs, blocks = sampler.sample_blocks(graph, valid)
        predicted = net(blocks, features[inputs]).argmax(1)
        accuracy = float((predicted == labels[outputs]).float().mean())
    end = time.perf_counter()
    epoch_times.append(end - begin)
    print(f"epoch {epoch}: {end - begin:.2f} s (sample {times['sample']:.2f},"
          f" gather {times['gather']:.2f}, compute {times['compute']:.2f},"
          f" validation {end - t4:.2f}), loss {float(loss):.4f},"
          f" accuracy {accuracy:.4f}", flush=True)
print(f"result: {sum(epoch_times) / len(epoch_times):.3f} {accuracy:.4f}")
