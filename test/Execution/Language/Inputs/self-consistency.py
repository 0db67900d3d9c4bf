"""Reference for self-consistency.sl: MaM's marginal self-consistency
residual, re-implemented in float64 from docs/language.md (`self_consistency`,
with its generator of random orders), and its loss's gradients by central
differences.

Usage: self-consistency.py OUTPUT SEED
"""
import math
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import central_gradient  # noqa: E402

MASK = (1 << 64) - 1
B, D, K = 6, 5, 3


def draw(seed, stream, k):
    """Element k of a stream of uniform draws in [0, 1) (docs/language.md)."""
    z = ((seed ^ (stream * 0xD1B54A32D192ED03)) & MASK)
    z = (z + (k + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z ^= z >> 31
    return (z >> 11) * 2.0 ** -53


def orders(seed, rows, variables):
    """Per sample: the added variable j and the variables observed before."""
    result = []
    for b in range(rows):
        j = min(int(draw(seed, 1, b) * variables), variables - 1)
        cut = draw(seed, 2, b)
        before = {i for i in range(variables)
                  if i != j and draw(seed, 3, b * variables + i) < cut}
        result.append((j, before))
    return result


def log_softmax(row):
    top = max(row)
    total = sum(math.exp(v - top) for v in row)
    return [v - top - math.log(total) for v in row]


def conditional_terms(x, v, drawn):
    """log p_phi(x_j | x_prev) of each sample."""
    terms = []
    for b, (j, before) in enumerate(drawn):
        prev = [x[b][i] if i in before else 0.0 for i in range(D)]
        logits = [math.tanh(sum(prev[i] * v[i][o] for i in range(D)))
                  for o in range(D * K)]
        terms.append(log_softmax(logits[j * K:(j + 1) * K])[int(x[b][j]) - 1])
    return terms


def residuals(x, w, v, drawn):
    r = []
    for b, (j, before) in enumerate(drawn):
        prev = [x[b][i] if i in before else 0.0 for i in range(D)]
        cur = [x[b][i] if i in before or i == j else 0.0 for i in range(D)]
        f_cur = sum(c * wi for c, wi in zip(cur, w))
        f_prev = sum(p * wi for p, wi in zip(prev, w))
        logits = [math.tanh(sum(prev[i] * v[i][o] for i in range(D)))
                  for o in range(D * K)]
        block = log_softmax(logits[j * K:(j + 1) * K])
        r.append(f_cur - f_prev - block[int(x[b][j]) - 1])
    return r


def close(a, b, rel, absolute):
    return abs(a - b) <= absolute + rel * abs(b)


def check_orders_are_uniform():
    """The drawn (observed set, added variable) pairs have the distribution
    of (sigma(<d), sigma(d)) for a uniform order sigma and a uniform d:
    probability 1 / (D^2 C(D-1, |S|)) for each pair, here for D = 3."""
    variables, n = 3, 60000
    counts = Counter((j, frozenset(s)) for j, s in orders(99, n, variables))
    failures = 0
    for j in range(variables):
        others = [i for i in range(variables) if i != j]
        subsets = [frozenset()] + [frozenset([i]) for i in others] + \
            [frozenset(others)]
        for s in subsets:
            p = 1.0 / (variables ** 2 * math.comb(variables - 1, len(s)))
            seen = counts[(j, s)] / n
            # Five standard deviations of a binomial frequency.
            if abs(seen - p) > 5 * math.sqrt(p * (1 - p) / n):
                print(f"order frequency of j={j}, S={sorted(s)}: {seen:.4f}, "
                      f"expected {p:.4f}")
                failures += 1
    return failures


def main():
    lines = open(sys.argv[1]).read().split("\n")
    seed = int(sys.argv[2]) & MASK
    values = {}
    for line in lines:
        if ": " in line:
            name, value = line.split(": ", 1)
            values.setdefault(name, []).append(float(value))
    flat = values["x"]
    x = [flat[b * D:(b + 1) * D] for b in range(B)]
    w = values["w"]
    v = [values["v"][i * D * K:(i + 1) * D * K] for i in range(D)]
    drawn = orders(seed, B, D)
    failures = 0
    want = residuals(x, w, v, drawn)
    for b, (got, expected) in enumerate(zip(values["r"], want)):
        if not close(got, expected, 1e-4, 1e-5):
            print(f"r[{b}] = {got}, expected {expected}")
            failures += 1
    for b, (got, term) in enumerate(zip(values["nll"],
                                        conditional_terms(x, v, drawn))):
        if not close(got, -term, 1e-4, 1e-5):
            print(f"nll[{b}] = {got}, expected {-term}")
            failures += 1
    loss = sum(r * r for r in want) / B
    if not close(values["loss"][0], loss, 1e-4, 1e-5):
        print(f"loss = {values['loss'][0]}, expected {loss}")
        failures += 1
    # The observed sets are not all empty or all full, so the check sees
    # both networks at work.
    sizes = {len(before) for _, before in drawn}
    if len(sizes) < 2:
        print(f"every sample observes {sizes} variables before the added one")
        failures += 1

    def loss_of(point):
        pw = point[:D]
        pv = [point[D + i * D * K:D + (i + 1) * D * K] for i in range(D)]
        r = residuals(x, pw, pv, drawn)
        return sum(ri * ri for ri in r) / B

    gradient = central_gradient(loss_of, w + values["v"])
    for i, (got, expected) in enumerate(zip(values["gw"] + values["gv"],
                                            gradient)):
        if not close(got, expected, 1e-3, 1e-5):
            print(f"gradient {i} = {got}, expected {expected}")
            failures += 1
    if any(g != 0 for g in values["gv"]) is False:
        print("the conditional network's gradient is all zero")
        failures += 1
    failures += check_orders_are_uniform()
    if failures:
        sys.exit(f"{failures} mismatches")
    print(f"ok: {B} residuals, {B} conditional terms, the loss and "
          f"{len(gradient)} gradients")


main()
