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


def mlp_parameters(seed, inputs, hidden, outputs):
    """nn.Mlp's parameters as one flat list: each layer's weight (row-major)
    then its bias."""
    flat = []
    for layer in (linear(seed, inputs, hidden), linear(seed + 2, hidden, hidden),
                  linear(seed + 4, hidden, outputs)):
        weight, bias = layer
        flat += [w for row in weight for w in row] + list(bias)
    return flat


def mlp_layers(flat, inputs, hidden, outputs):
    """The inverse of mlp_parameters: [(weight, bias)] per layer."""
    layers, at = [], 0
    for rows, cols in ((hidden, inputs), (hidden, hidden), (outputs, hidden)):
        weight = [flat[at + r * cols:at + (r + 1) * cols] for r in range(rows)]
        at += rows * cols
        layers.append((weight, flat[at:at + rows]))
        at += rows
    return layers


def mlp_apply(flat, inputs, hidden, outputs, x):
    l1, l2, l3 = mlp_layers(flat, inputs, hidden, outputs)
    return apply(l3, relu(apply(l2, relu(apply(l1, x)))))


def central_gradient(f, point, h=1e-6):
    """The gradient of f at point by central finite differences."""
    g = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        g.append((f(up) - f(down)) / (2 * h))
    return g


def adam(point, g, m, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One torch.optim.Adam step; returns the new (point, m, s)."""
    m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
    s = [beta2 * si + (1 - beta2) * gi * gi for si, gi in zip(s, g)]
    point = [w - lr * (mi / (1 - beta1 ** t)) /
             (math.sqrt(si / (1 - beta2 ** t)) + eps)
             for w, mi, si in zip(point, m, s)]
    return point, m, s


def emit(values):
    for label, value in values:
        print(f"{label}: {value!r}")
