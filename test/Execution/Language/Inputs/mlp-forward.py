"""float64 reference for mlp-forward.sl: the splitmix64 initializer of
sluice.random_uniform (as its op description defines it) and the layers of
stdlib/nn.sl, written independently of the compiler."""
import math

MASK = (1 << 64) - 1


def splitmix(seed, k):
    z = (seed + (k + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def uniform(seed, count, low, high):
    out = []
    for k in range(count):
        u = (splitmix(seed, k) >> 11) * 2.0 ** -53
        # float32 rounding of the f64 value, as the op does.
        out.append(low + (high - low) * u)
    return out


def linear(seed, inputs, outputs):
    # The bound is computed in f32 by the program (1 / sqrt(f32(fan_in))).
    bound = 1.0 / math.sqrt(inputs)
    flat = uniform(seed, outputs * inputs, -bound, bound)
    weight = [flat[o * inputs:(o + 1) * inputs] for o in range(outputs)]
    bias = uniform(seed + 1, outputs, -bound, bound)
    return weight, bias


def apply(layer, x):
    weight, bias = layer
    return [[sum(w * v for w, v in zip(row, xi)) + b
             for row, b in zip(weight, bias)] for xi in x]


relu = lambda m: [[max(v, 0.0) for v in row] for row in m]
# Seeds in program order: each Linear's weight, then its bias.
l1, l2, l3 = linear(0, 4, 8), linear(2, 8, 8), linear(4, 8, 3)
u = [0.3, -1.2, 0.8, 2.0, -0.5]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj for vj in v] for ui in u]
logits = apply(l3, relu(apply(l2, relu(apply(l1, x)))))
labels = [0, 1, 2, 1, 0]


def log_softmax(row):
    top = max(row)
    s = sum(math.exp(v - top) for v in row)
    return [v - top - math.log(s) for v in row]


loss = -sum(log_softmax(r)[y] for r, y in zip(logits, labels)) / len(labels)
hits = [max(range(3), key=lambda c: (r[c], -c)) == y for r, y in zip(logits, labels)]
for label, value in [
    ("l00", logits[0][0]),
    ("l42", logits[4][2]),
    ("loss", loss),
    ("acc", sum(hits) / len(hits)),
    ("w", sum(sum(row) for row in l1[0])),
]:
    print(f"{label}: {value!r}")
