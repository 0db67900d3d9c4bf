"""Checks the `loss:` and `accuracy:` lines of a training run.

Usage: check-training.py OUTPUT --steps N --evaluations E --min-accuracy A

Exits 1 naming the problem unless there are N finite losses and E
accuracies, the mean loss of the last quarter of the steps is below that of
the first quarter, and the last accuracy is at least A.
"""
import argparse
import math
import sys

parser = argparse.ArgumentParser()
parser.add_argument("output")
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--evaluations", type=int, required=True)
parser.add_argument("--min-accuracy", type=float, required=True)
args = parser.parse_args()

losses, accuracies = [], []
for line in open(args.output):
    label, _, value = line.strip().partition(": ")
    if label == "loss":
        losses.append(float(value))
    elif label == "accuracy":
        accuracies.append(float(value))
if len(losses) != args.steps:
    sys.exit(f"{len(losses)} losses, expected {args.steps}")
if len(accuracies) != args.evaluations:
    sys.exit(f"{len(accuracies)} accuracies, expected {args.evaluations}")
if not all(math.isfinite(v) for v in losses):
    sys.exit("a loss is not finite")
quarter = max(1, len(losses) // 4)
first = sum(losses[:quarter]) / quarter
last = sum(losses[-quarter:]) / quarter
if len(losses) > 1 and not last < first:
    sys.exit(f"the loss did not fall: {first} -> {last}")
if accuracies[-1] < args.min_accuracy:
    sys.exit(f"final accuracy {accuracies[-1]} < {args.min_accuracy}")
print(f"loss {first:.4f} -> {last:.4f}, accuracy {accuracies[-1]}")
