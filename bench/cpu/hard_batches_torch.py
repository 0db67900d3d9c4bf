"""The PyTorch baseline of target program 2 (test/Language/Programs/
hard-batches.sl with its defaults): the same Gaussian-blobs generator
(numpy, the runtime's algorithm with numpy's RNG), the same MLP
(64-256-256-10, PyTorch's default init), SGD with momentum 0.9 at lr 0.005,
512-sample batches, and loss-ranked batch selection (delta 0.5, 20 epochs of
steps). Prints the wall time and the test accuracy."""
import math
import sys
import time

import numpy as np
import torch

samples, features, classes, hard_share = 20000, 64, 10, 0.2
delta, epochs, batch = 0.5, 20, 512
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)

rng = np.random.default_rng(0)
centres = 3.0 * rng.standard_normal((classes, features))
labels = np.arange(samples) % classes
hard = rng.random(samples) < hard_share
other = (labels + 1 + rng.integers(0, classes - 1, samples)) % classes
x = np.where(hard[:, None],
             0.5 * (centres[labels] + centres[other])
             + 0.5 * rng.standard_normal((samples, features)),
             centres[labels] + rng.standard_normal((samples, features)))
order = rng.permutation(samples)
train, test = order[:samples * 8 // 10], order[samples * 9 // 10:]
X = torch.tensor(x, dtype=torch.float32)
Y = torch.tensor(labels)

start = time.perf_counter()
net = torch.nn.Sequential(torch.nn.Linear(features, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, classes))
opt = torch.optim.SGD(net.parameters(), lr=0.005, momentum=0.9)
batches = [train[i:i + batch] for i in range(0, len(train), batch)]
n = len(batches)
losses = [0.0] * n


def step(b):
    idx = batches[b]
    loss = torch.nn.functional.cross_entropy(net(X[idx]), Y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses[b] = loss.item()


for b in range(n):
    step(b)
budget, k = epochs * n - n, max(math.floor(delta * n), 1)
while budget > 0:
    for b in sorted(sorted(range(n), key=lambda i: (-losses[i], i))[:k]):
        if budget == 0:
            break
        step(b)
        budget -= 1
with torch.no_grad():
    accuracy = (net(X[test]).argmax(1) == Y[test]).float().mean().item()
elapsed = time.perf_counter() - start
print(f"pytorch {elapsed:.2f} {accuracy:.4f}")
