"""The PyTorch baseline of examples/mam (MaM by maximum likelihood): the same
2,048 samples (re-drawn from sluice's uniform generator, so the data and its
entropy are identical), the same networks (nn.Mlp(8, 64, out): three
Linear layers with ReLU, PyTorch's default init, which draws from the same
U(-1/sqrt(fan_in), 1/sqrt(fan_in)) as sluice's), Adam at the same learning
rate, and the same estimators: stage 1 trains the conditional network with
one random order step per sample (8 * mean of -log p_phi(x_j | x_prev)),
stage 2 the marginal network with 8 * mean(r^2) + f(empty)^2, the
conditional network frozen. Orders come from torch's generator, not
sluice's. Prints the training wall time and what the example prints last.

Usage: mam_torch.py THREADS [STEPS] [DEVICE]   (DEVICE: cpu or cuda)
"""
import os
import sys
import time

import numpy as np
import torch

# The generator: beside this script in the GPU bundle, else in the tests.
here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, "..", "..", "test", "Execution",
                                   "Language", "Inputs")]
from reference_nn import uniform  # noqa: E402

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
device = torch.device(sys.argv[3] if len(sys.argv) > 3 else "cpu")
torch.set_num_threads(threads)
torch.manual_seed(0)
D, K, B, lr = 8, 2, 2048, 0.003

f32 = np.float32
pa = np.array(uniform(1, D, 0.05, 0.35), dtype=f32)
pb = np.array(uniform(2, D, 0.65, 0.95), dtype=f32)
coin = np.array(uniform(3, B, 0.0, 1.0), dtype=f32).reshape(B, 1)
u = np.array(uniform(4, B * D, 0.0, 1.0), dtype=f32).reshape(B, D)
first = (coin < f32(0.5)).astype(f32)
x_np = (u < first * pa + (f32(1) - first) * pb).astype(f32) + f32(1)
two = x_np - 1
la = (two * np.log(pa) + (1 - two) * np.log(1 - pa)).sum(1)
lb = (two * np.log(pb) + (1 - two) * np.log(1 - pb)).sum(1)
top = np.maximum(la, lb)
exact = torch.tensor(top + np.log(0.5 * np.exp(la - top) + 0.5 * np.exp(lb - top)),
                     device=device)
x = torch.tensor(x_np, device=device)
print(f"entropy: {-exact.mean().item():.6g}")


def mlp(outputs):
    return torch.nn.Sequential(torch.nn.Linear(D, 64), torch.nn.ReLU(),
                               torch.nn.Linear(64, 64), torch.nn.ReLU(),
                               torch.nn.Linear(64, outputs)).to(device)


def orders():
    """x_prev, x_cur, the added variable and its class, for one uniform
    order step per sample (docs/language.md, self_consistency)."""
    added = torch.randint(0, D, (B,), device=device)
    cut = torch.rand(B, 1, device=device)
    keys = torch.rand(B, D, device=device)
    is_added = torch.nn.functional.one_hot(added, D).bool()
    prev = (keys < cut) & ~is_added
    x_prev = torch.where(prev, x, torch.zeros_like(x))
    x_cur = torch.where(prev | is_added, x, torch.zeros_like(x))
    value = x[torch.arange(B, device=device), added].long() - 1
    return x_prev, x_cur, added, value


def log_prob(cond, x_prev, added, value):
    logits = cond(x_prev).view(B, D, K).log_softmax(-1)
    return logits[torch.arange(B, device=device), added, value]


start = time.perf_counter()
cond = mlp(D * K)
copt = torch.optim.Adam(cond.parameters(), lr)
for step in range(steps):
    x_prev, _, added, value = orders()
    nll = -D * log_prob(cond, x_prev, added, value).mean()
    copt.zero_grad()
    nll.backward()
    copt.step()
for p in cond.parameters():
    p.requires_grad_(False)

marg = mlp(1)
mopt = torch.optim.Adam(marg.parameters(), lr)
unknown = torch.zeros(1, D, device=device)
for step in range(steps):
    x_prev, x_cur, added, value = orders()
    r = (marg(x_cur) - marg(x_prev)).squeeze(1) - log_prob(cond, x_prev, added, value)
    z = marg(unknown)[0, 0]
    penalty = D * (r * r).mean() + z * z
    mopt.zero_grad()
    penalty.backward()
    mopt.step()
if device.type == "cuda":
    torch.cuda.synchronize()
seconds = time.perf_counter() - start

with torch.no_grad():
    learned = marg(x).squeeze(1)
    print(f"penalty: {penalty.item():.6g}")
    print(f"marginal_nll: {-learned.mean().item():.6g}")
    print(f"mean_abs_error: {(learned - exact).abs().mean().item():.6g}")
    print(f"log_z: {marg(unknown)[0, 0].item():.6g}")
print(f"seconds: {seconds:.2f}")
