"""shuffle.sl's output from sluice.shuffle's description (Fisher-Yates with
splitmix64 seeded by the batch seed, mixed with the epoch as the front end
documents: seed XOR epoch * 0x9E3779B97F4A7C15). Usage: shuffle.py SEED"""
import sys

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def shuffle(values, seed):
    out = list(values)
    state = seed & MASK
    for i in range(len(out) - 1, 0, -1):
        state = (state + GAMMA) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        j = z % (i + 1)
        out[i], out[j] = out[j], out[i]
    return out


seed = int(sys.argv[1])
for epoch in range(2):
    order = shuffle([10, 11, 12, 13, 14, 15], seed ^ ((epoch * GAMMA) & MASK))
    for start in range(0, 6, 4):
        batch = order[start:start + 4]
        for x in batch:
            print(f"x: {x}")
        print(f"size: {len(batch)}")
