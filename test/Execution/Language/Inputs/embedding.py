"""Checks embedding.sl's output: normal() as Box-Muller over the splitmix64
streams of sluice.random_uniform (float64 here), the sample statistics of
20,000 draws, and the gradient of sum((tanh(E[ids]) @ columns) * rows) with
respect to the table E by central finite differences."""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import MASK, central_gradient, uniform  # noqa: E402

lines = [l.split(": ", 1) for l in open(sys.argv[1]).read().splitlines() if l]
values = {}
for label, value in lines:
    values.setdefault(label, []).append(float(value))


def normal(seed, count, mean, std):
    u1 = [1.0 - u for u in uniform(seed, count, 0.0, 1.0)]
    u2 = uniform((seed ^ (1 << 63)) & MASK, count, 0.0, 1.0)
    return [mean + std * math.sqrt(-2.0 * math.log(a)) * math.cos(2 * math.pi * b)
            for a, b in zip(u1, u2)]


failures = []


def expect(label, got, want, tolerance):
    if len(got) != len(want):
        failures.append(f"{label}: {len(got)} values, expected {len(want)}")
        return
    for i, (g, w) in enumerate(zip(got, want)):
        if abs(g - w) > tolerance * max(1.0, abs(w)):
            failures.append(f"{label}[{i}]: {g}, expected {w}")


expect("z", values["z"], normal(7, 12, 0.5, 2.0), 1e-4)
expect("mean", values["mean"], [0.0], 0.03)       # sigma / sqrt(n) = 0.007
expect("std", values["std"], [1.0], 0.03)

ids = [1, 4, 1, 0]
columns = [1.0, -2.0, 0.5]
rows = [1.0, 0.25, 2.0, -0.5]
table = values["w"]


def loss(flat):
    return sum(rows[i] * sum(math.tanh(flat[r * 3 + c]) * columns[c]
                             for c in range(3))
               for i, r in enumerate(ids))


gradient = central_gradient(loss, table)
expect("grad", values["grad"], gradient, 1e-4)
for row in (2, 3, 5):  # never looked up
    if any(values["grad"][row * 3 + c] != 0.0 for c in range(3)):
        failures.append(f"row {row} was not looked up but has a gradient")
if failures:
    sys.exit("\n".join(failures))
print(f"{len(lines)} values match")
