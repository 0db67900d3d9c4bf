"""Checks loop-draws.sl: `uniform` and `normal` in loops use sluice.random_uniform's
generator with the seed mixed with the loop counters (seed * 1000003 + i for
each enclosing counter, outermost first, in wrapping 64-bit arithmetic)."""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import uniform  # noqa: E402

MASK = (1 << 64) - 1
TOP_BIT = 1 << 63


def mixed(seed, counters):
    for i in counters:
        seed = (seed * 1000003 + i) & MASK
    return seed


def normal(seed, count, mean, std, counters):
    u1 = [1.0 - u for u in uniform(mixed(seed, counters), count, 0.0, 1.0)]
    u2 = uniform(mixed(seed ^ TOP_BIT, counters), count, 0.0, 1.0)
    return [mean + std * math.sqrt(-2.0 * math.log(a)) * math.cos(2 * math.pi * b)
            for a, b in zip(u1, u2)]


def main():
    values = {}
    for line in open(sys.argv[1]):
        name, value = line.strip().split(": ")
        values.setdefault(name, []).append(float(value))
    expected = {"fixed": uniform(7, 2, -1.0, 2.0), "u": [], "n": []}
    for e in range(2):
        for i in range(3):
            expected["u"] += uniform(mixed(7, [e, i]), 2, -1.0, 2.0)
            expected["n"] += normal(9, 2, 0.5, 2.0, [e, i])
    failures = 0
    for name, want in expected.items():
        got = values.get(name, [])
        if len(got) != len(want):
            print(f"{name}: {len(got)} values, expected {len(want)}")
            failures += 1
            continue
        for k, (g, w) in enumerate(zip(got, want)):
            if abs(g - w) > 1e-5 * max(1.0, abs(w)):
                print(f"{name}[{k}] = {g}, expected {w}")
                failures += 1
    # Fresh at every iteration: no two iterations drew the same values.
    pairs = {tuple(values["u"][k:k + 2]) for k in range(0, len(values["u"]), 2)}
    if len(pairs) != 6:
        print(f"only {len(pairs)} distinct draws over 6 iterations")
        failures += 1
    if failures:
        sys.exit(f"{failures} mismatches")
    print("ok")


main()
