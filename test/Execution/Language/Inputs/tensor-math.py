"""float64 reference for tensor-math.sl, written from the program's
semantics (not from its output). Usage: tensor-math.py SCALE N"""
import math
import sys

scale, n = float(sys.argv[1]), int(sys.argv[2])
u = [0.1, 0.7, -0.4]
v = [0.5, -1.0, 2.0, 0.25]
h = [[scale * u[i] + v[j] for j in range(4)] for i in range(3)]
m = [[sum(h[i][k] * 0.5 for k in range(4)) for _ in range(2)] for i in range(3)]


def softmax(row):
    top = max(row)
    e = [math.exp(x - top) for x in row]
    return [x / sum(e) for x in e]


def gelu(x):
    return 0.5 * x * (1 + math.erf(x / math.sqrt(2)))


fh = [x for row in h for x in row]
fm = [x for row in m for x in row]
values = [
    ("h12", h[1][2]),
    ("m01", m[0][1]),
    ("total", sum(fm)),
    ("t10", m[0][1]),
    ("s13", softmax(h[1])[3]),
    ("ls20", math.log(softmax(h[2])[0])),
    ("g", sum(gelu(x) for x in fh)),
    ("th", sum(math.tanh(x) for x in fh) / len(fh)),
    ("sg", sum(1 / (1 + math.exp(-x)) for x in fm)),
    ("ex", sum(math.exp(x) for x in fh)),
    ("lg", sum(math.log(x + 2.0) for x in fh)),
    ("rl", sum(max(x, 0.0) for x in fh)),
    ("ab", sum(abs(x) for x in fh)),
    ("mv", sum(sum(h[i][j] * v[j] for j in range(4)) for i in range(3))),
    ("vm", sum(sum(u[i] * h[i][j] for i in range(3)) for j in range(4))),
    ("cb", sum(2.0 * x for x in fh)),
    ("cv", 3 * sum(v)),
    ("nrm", math.sqrt(n * 9.0)),
    ("mx", max(scale, 0.75) + min(scale, 0.75) + scale ** 3),
    ("cnt", n),
    ("acc", sum(i for i in range(n) if i % 2 == 0)),
]
for label, value in values:
    print(f"{label}: {value!r}")
