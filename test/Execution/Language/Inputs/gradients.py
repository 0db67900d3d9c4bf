"""float64 reference for gradients.sl: central finite differences of each
probe's function at the probe's initial k (the splitmix64 initializer)."""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import central_gradient, emit, softmax, uniform  # noqa: E402

x = [0.5, -1.5, 2.0]


def gelu(v):
    return 0.5 * v * (1 + math.erf(v / math.sqrt(2)))


def sigmoid(v):
    return 1 / (1 + math.exp(-v))


probes = [
    ("tanh", lambda k: sum(math.tanh(a * b) for a, b in zip(k, x))),
    ("sqrt", lambda k: sum(math.sqrt(a * a + 1) for a in k)),
    ("gelu", lambda k: sum(gelu(a) for a in k)),
    ("abs", lambda k: sum(abs(a) * b for a, b in zip(k, x))),
    ("pow", lambda k: sum((a * a + 1) ** 1.5 for a in k)),
    ("sigmoid", lambda k: sum(sigmoid(a) * b for a, b in zip(k, x))),
    ("min", lambda k: sum(min(a, 0.2) * b for a, b in zip(k, x))),
    # (m * k) @ x with m all ones, 2 rows.
    ("matvec", lambda k: 2 * sum(a * b for a, b in zip(k, x))),
    # (k * k) @ c with c all ones, 2 columns.
    ("vecmat", lambda k: 2 * sum(a * a for a in k)),
    # row 1 of m * k * [1, 2, 3], times x.
    ("slice", lambda k: sum(a * s * b for a, s, b in zip(k, [1, 2, 3], x))),
    ("softmax", lambda k: sum(p * b for p, b in zip(softmax(k), x))),
    ("logdiv", lambda k: sum(math.log(a * a + 1) + b / (a * a + 1)
                             for a, b in zip(k, x))),
    ("f64", lambda k: sum(a * a * 3 for a in k)),
    ("elements", lambda k: k[1] * k[2] - sum(math.exp(a) for a in k) / 3),
    # concat(k, k * x), weighted.
    ("concat", lambda k: sum(math.tanh(v) * w for v, w in zip(
        k + [a * b for a, b in zip(k, x)], [1.0, -1.0, 0.5, 2.0, -0.5, 0.25]))),
    # reshape(concat(k, k * k), [2, 3]) @ [1, -2, 0.5], summed.
    ("reshape", lambda k: sum(math.tanh(v) * w for v, w in zip(
        k + [a * a for a in k], [1.0, -2.0, 0.5] * 2))),
    # [k0, 2 k1, k2 k0, 3], tanh, weighted by [1, -1, 0.5, 2].
    ("list", lambda k: sum(math.tanh(v) * w for v, w in zip(
        [k[0], 2 * k[1], k[2] * k[0], 3.0], [1.0, -1.0, 0.5, 2.0]))),
]




values = []
for seed, (name, f) in enumerate(probes):
    k = uniform(seed, 3, -1.0, 1.0)
    g = central_gradient(f, k)
    values.append((name, g[0] + 10 * g[1] + 100 * g[2]))
emit(values)
