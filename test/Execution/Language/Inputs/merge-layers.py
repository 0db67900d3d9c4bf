"""Reference for merge-layers.sl: MiniCache's cross-layer merge in float64,
from docs/language.md (`merge_layers`): pairs of layers from `from` on, per
pair and per K/V, per token the SLERP of the two directions at t (the
normalized lerp below 1e-4 rad), magnitudes kept, and the tokens whose angle
is above min + gamma * (max - min) over the pair's tokens retained; the size
as stored.

Usage: merge-layers.py OUTPUT FROM T GAMMA
"""
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import uniform  # noqa: E402

L, KV, T, D = 7, 2, 5, 4
ROWS = [0, 1, 2, 3, 3, 5, 6]


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def cache():
    flat = [f32(v) for v in uniform(3, L * KV * T * D, -1.0, 1.0)]
    drawn = [[[flat[((l * KV + k) * T + i) * D:((l * KV + k) * T + i + 1) * D]
               for i in range(T)] for k in range(KV)] for l in range(L)]
    return [drawn[r] for r in ROWS]


def norm(v):
    return math.sqrt(sum(x * x for x in v))


def merge_pair(a, b, t, gamma):
    """Restored vectors of one pair's K or V states (T vectors each), and
    how many tokens are retained."""
    omegas, restored = [], []
    for x, y in zip(a, b):
        ma, mb = norm(x), norm(y)
        ua = [v / ma for v in x] if ma > 0 else None
        ub = [v / mb for v in y] if mb > 0 else None
        ua, ub = ua or ub or [0.0] * D, ub or ua or [0.0] * D
        # arccos(ua . ub), computed as the program does (exact for equal
        # directions).
        omega = 2 * math.atan2(norm([p - q for p, q in zip(ua, ub)]),
                               norm([p + q for p, q in zip(ua, ub)]))
        if omega < 1e-4:
            e = [(1 - t) * p + t * q for p, q in zip(ua, ub)]
            n = norm(e)
            e = [v / n for v in e] if n > 0 else e
        else:
            s = math.sin(omega)
            wa, wb = math.sin((1 - t) * omega) / s, math.sin(t * omega) / s
            e = [wa * p + wb * q for p, q in zip(ua, ub)]
        omegas.append(omega)
        restored.append(([ma * v for v in e], [mb * v for v in e]))
    d = [o / math.pi for o in omegas]
    cut = min(d) + gamma * (max(d) - min(d))
    keep = [di > cut for di in d]
    out_a = [x if k else r[0] for x, k, r in zip(a, keep, restored)]
    out_b = [y if k else r[1] for y, k, r in zip(b, keep, restored)]
    return out_a, out_b, sum(keep), keep


def main():
    output, first = sys.argv[1], int(sys.argv[2])
    t, gamma = f32(float(sys.argv[3])), f32(float(sys.argv[4]))
    values = {}
    for line in open(output):
        name, value = line.strip().split(": ")
        values.setdefault(name, []).append(float(value))
    kv = cache()
    restored = [[[list(v) for v in kv[l][k]] for k in range(KV)]
                for l in range(L)]
    pairs = (L - first) // 2
    retained = 0
    exact_pair_kept = None
    for p in range(pairs):
        la, lb = first + 2 * p, first + 2 * p + 1
        for k in range(KV):
            out_a, out_b, kept, keep = merge_pair(kv[la][k], kv[lb][k], t, gamma)
            restored[la][k], restored[lb][k] = out_a, out_b
            retained += kept
            if (la, lb) == (3, 4):
                exact_pair_kept = (exact_pair_kept or 0) + kept
    failures = 0
    flat = [v for l in restored for k in l for i in k for v in i]
    got = values["r"]
    if len(got) != len(flat):
        sys.exit(f"{len(got)} restored values, expected {len(flat)}")
    for n, (g, w) in enumerate(zip(got, flat)):
        if abs(g - w) > 2e-5 + 1e-5 * abs(w):
            print(f"restored[{n}] = {g}, expected {w}")
            failures += 1
    kept_layers = L - 2 * pairs
    size = (kept_layers * KV * T * D * 4 + pairs * KV * (T * D * 4 + 2 * T * 4)
            + retained * (8 + 2 * D * 4))
    if values["bytes"][0] != size:
        print(f"bytes = {values['bytes'][0]}, expected {size} "
              f"({pairs} pairs, {retained} tokens retained)")
        failures += 1
    if values["full"][0] != L * KV * T * D * 4:
        print(f"full = {values['full'][0]}")
        failures += 1
    # A pair of equal layers merges without loss and retains nothing.
    if exact_pair_kept not in (None, 0):
        print(f"the equal layers 3 and 4 retained {exact_pair_kept} tokens")
        failures += 1
    if failures:
        sys.exit(f"{failures} mismatches")
    print(f"ok: {pairs} pairs, {retained} tokens retained, {size} bytes")


main()
