"""float64 reference for train-steps.sl: the same model and data, gradients
by central finite differences (not by the compiler's rules), and the update
rules of torch.optim.SGD (momentum) and torch.optim.Adam."""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import cross_entropy, emit, linear, mlp  # noqa: E402

u = [0.3, -1.2, 0.8, 2.0, -0.5]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj for vj in v] for ui in u]
labels = [0, 1, 2, 1, 0]
steps = 3


def initial(seed):
    # nn.Mlp(4, 8, 3): three Linears, seeds seed .. seed + 5.
    layers = [linear(seed, 4, 8), linear(seed + 2, 8, 8), linear(seed + 4, 8, 3)]
    flat = []
    for weight, bias in layers:
        flat += [w for row in weight for w in row] + list(bias)
    return flat


SHAPES = [(8, 4), (8, 8), (3, 8)]


def unflatten(flat):
    layers, at = [], 0
    for rows, cols in SHAPES:
        weight = [flat[at + r * cols:at + (r + 1) * cols] for r in range(rows)]
        at += rows * cols
        bias = flat[at:at + rows]
        at += rows
        layers.append((weight, bias))
    return layers


def loss(flat):
    from reference_nn import apply, relu
    l1, l2, l3 = unflatten(flat)
    logits = apply(l3, relu(apply(l2, relu(apply(l1, x)))))
    return cross_entropy(logits, labels)


def gradient(flat, h=1e-6):
    g = []
    for i in range(len(flat)):
        up, down = list(flat), list(flat)
        up[i] += h
        down[i] -= h
        g.append((loss(up) - loss(down)) / (2 * h))
    return g


def weight00(flat):
    return flat[0]


# SGD with momentum 0.9 (buffer starts at zero, as optim.sl and PyTorch).
p = initial(0)
buf = [0.0] * len(p)
for _ in range(steps):
    g = gradient(p)
    buf = [0.9 * b + gi for b, gi in zip(buf, g)]
    p = [w - 0.1 * b for w, b in zip(p, buf)]
sgd = [("sgd_loss", loss(p)), ("sgd_w00", weight00(p)),
       ("sgd_b3", sum(unflatten(p)[2][1]))]

# Adam, lr 0.01, betas (0.9, 0.999), eps 1e-8; the second model's seeds
# follow the first's.
p = initial(6)
m = [0.0] * len(p)
s = [0.0] * len(p)
for t in range(1, steps + 1):
    g = gradient(p)
    m = [0.9 * mi + 0.1 * gi for mi, gi in zip(m, g)]
    s = [0.999 * si + 0.001 * gi * gi for si, gi in zip(s, g)]
    p = [w - 0.01 * (mi / (1 - 0.9 ** t)) / (math.sqrt(si / (1 - 0.999 ** t)) + 1e-8)
         for w, mi, si in zip(p, m, s)]
adam = [("adam_loss", loss(p)), ("adam_w00", weight00(p)),
        ("adam_w2", sum(sum(row) for row in unflatten(p)[1][0]))]
emit(sgd + adam)
