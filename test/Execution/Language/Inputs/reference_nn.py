"""float64 references of what compiled Sluice programs compute: the
splitmix64 initializer of sluice.random_uniform (as its op description
defines it) and the layers and losses of stdlib/nn.sl, written independently
of the compiler for the execution tests."""
import math

MASK = (1 << 64) - 1


def splitmix(seed, k):
    """Output k + 1 of splitmix64 seeded with `seed`."""
    z = (seed + (k + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def uniform(seed, count, low, high):
    return [low + (high - low) * ((splitmix(seed, k) >> 11) * 2.0 ** -53)
            for k in range(count)]


def linear(seed, inputs, outputs):
    """nn.Linear(inputs, outputs) whose weight has seed `seed` and bias
    seed + 1: both U(-1/sqrt(inputs), 1/sqrt(inputs))."""
    bound = 1.0 / math.sqrt(inputs)
    flat = uniform(seed, outputs * inputs, -bound, bound)
    weight = [flat[o * inputs:(o + 1) * inputs] for o in range(outputs)]
    bias = uniform(seed + 1, outputs, -bound, bound)
    return weight, bias


def apply(layer, x):
    weight, bias = layer
    return [[sum(w * v for w, v in zip(row, xi)) + b
             for row, b in zip(weight, bias)] for xi in x]


def relu(m):
    return [[max(v, 0.0) for v in row] for row in m]


def mlp(seed, inputs, hidden, outputs, x):
    """nn.Mlp: three Linear layers with ReLU between, seeds in order."""
    l1 = linear(seed, inputs, hidden)
    l2 = linear(seed + 2, hidden, hidden)
    l3 = linear(seed + 4, hidden, outputs)
    return apply(l3, relu(apply(l2, relu(apply(l1, x))))), l1


def softmax(row):
    top = max(row)
    e = [math.exp(v - top) for v in row]
    return [v / sum(e) for v in e]


def log_softmax(row):
    top = max(row)
    s = sum(math.exp(v - top) for v in row)
    return [v - top - math.log(s) for v in row]


def argmax(row):
    """The lowest index of the largest value."""
    return max(range(len(row)), key=lambda c: (row[c], -c))


def cross_entropy(logits, labels):
    return -sum(log_softmax(r)[y] for r, y in zip(logits, labels)) / len(labels)


def accuracy(logits, labels):
    return sum(argmax(r) == y for r, y in zip(logits, labels)) / len(labels)


def emit(values):
    for label, value in values:
        print(f"{label}: {value!r}")
