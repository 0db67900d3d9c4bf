"""The language tour's results computed in float64 Python, independently of
the compiler: the same initialization, the loss's gradient by central finite
differences, and torch.optim.Adam's rule (test/Examples/language-tour.test
compares them). Usage: reference.py SCALE STEPS LR"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test",
                                "Execution", "Language", "Inputs"))
from reference_nn import (accuracy, apply, argmax, cross_entropy, emit,  # noqa
                          linear, relu, softmax)

scale, steps, lr = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
u = [0.3, -1.2, 0.8, 2.0, -0.5, 1.1]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj * scale for vj in v] for ui in u]
labels = [0, 1, 2, 1, 0, 2]
SHAPES = [(8, 4), (8, 8), (3, 8)]  # nn.Mlp(4, 8, 3)


def flatten(layers):
    flat = []
    for weight, bias in layers:
        flat += [w for row in weight for w in row] + list(bias)
    return flat


def unflatten(flat):
    layers, at = [], 0
    for rows, cols in SHAPES:
        weight = [flat[at + r * cols:at + (r + 1) * cols] for r in range(rows)]
        at += rows * cols
        layers.append((weight, flat[at:at + rows]))
        at += rows
    return layers


def logits_of(flat):
    l1, l2, l3 = unflatten(flat)
    return apply(l3, relu(apply(l2, relu(apply(l1, x)))))


def loss(flat):
    return cross_entropy(logits_of(flat), labels)


def gradient(flat, h=1e-6):
    g = []
    for i in range(len(flat)):
        up, down = list(flat), list(flat)
        up[i] += h
        down[i] -= h
        g.append((loss(up) - loss(down)) / (2 * h))
    return g


p = flatten([linear(0, 4, 8), linear(2, 8, 8), linear(4, 8, 3)])
m, s = [0.0] * len(p), [0.0] * len(p)
values = []
for t in range(1, steps + 1):
    values.append(("loss", loss(p)))
    g = gradient(p)
    m = [0.9 * mi + 0.1 * gi for mi, gi in zip(m, g)]
    s = [0.999 * si + 0.001 * gi * gi for si, gi in zip(s, g)]
    p = [w - lr * (mi / (1 - 0.9 ** t)) / (math.sqrt(si / (1 - 0.999 ** t)) + 1e-8)
         for w, mi, si in zip(p, m, s)]
final = logits_of(p)
probabilities = [softmax(r) for r in final]
values.append(("accuracy", accuracy(final, labels)))
values.append(("confidence",
               sum(r[argmax(r)] for r in probabilities) / len(probabilities)))
emit(values)
