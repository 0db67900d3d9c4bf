"""Checks two `test_accuracy:` curves of hard_batches runs.

Usage: check-curves.py PLAIN HARD --points P --min-accuracy A

Both must have P points, their first points must be equal (the first pass
is the same in both), and every point must be at least A.
"""
import argparse
import sys

parser = argparse.ArgumentParser()
parser.add_argument("plain")
parser.add_argument("hard")
parser.add_argument("--points", type=int, required=True)
parser.add_argument("--min-accuracy", type=float, required=True)
args = parser.parse_args()


def curve(path):
    return [float(line.split(": ", 1)[1]) for line in open(path)
            if line.startswith("test_accuracy: ")]


plain, hard = curve(args.plain), curve(args.hard)
for name, points in (("delta 1.0", plain), ("delta 0.5", hard)):
    if len(points) != args.points:
        sys.exit(f"{name}: {len(points)} points, expected {args.points}")
    if min(points) < args.min_accuracy:
        sys.exit(f"{name}: accuracy {min(points)} < {args.min_accuracy}")
if plain[0] != hard[0]:
    sys.exit(f"first points differ: {plain[0]} and {hard[0]}")
print("plain", plain, "hard", hard)
