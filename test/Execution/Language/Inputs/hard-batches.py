"""Which batch each step of hard-batches.sl trains, simulated from the
definition of loss-ranked batch selection. Usage: hard-batches.py DELTA E"""
import math
import sys

delta, epochs = float(sys.argv[1]), int(sys.argv[2])
base = [0.1, 0.9, 0.5, 0.3, 0.7]
n = len(base)
losses = [0.0] * n
step = 0


def train(b):
    global step
    step += 1
    losses[b] = base[b] * step
    print(f"batch: {b}")


for b in range(n):
    train(b)
budget = epochs * n - n
k = max(math.floor(delta * n), 1)
while budget > 0:
    # The k largest losses (ties: lower index first), in index order.
    ranked = sorted(range(n), key=lambda i: (-losses[i], i))[:k]
    for b in sorted(ranked):
        if budget == 0:
            break
        train(b)
        budget -= 1
