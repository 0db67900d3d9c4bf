"""Compares `label: value` lines of a program's output with a reference.

Usage: compare.py ACTUAL REFERENCE [RELATIVE_TOLERANCE]
Labels must match line by line; values within the tolerance (default 1e-5,
float32 arithmetic against a float64 reference). A line without a label
(no ": ") must match exactly. Exits 1 naming the first difference.
"""
import sys


def read(path):
    with open(path) as f:
        lines = [line.rstrip("\n").rstrip() for line in f if line.strip()]
    return [line.split(": ", 1) if ": " in line else [line, None]
            for line in lines]


actual, reference = read(sys.argv[1]), read(sys.argv[2])
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-5
if len(actual) != len(reference):
    sys.exit(f"{len(actual)} lines, expected {len(reference)}")
for (label, value), (want_label, want) in zip(actual, reference):
    if label != want_label:
        sys.exit(f"label {label!r}, expected {want_label!r}")
    if want is None or value is None:
        if value != want:
            sys.exit(f"line {label!r}: a value where none was expected, or none where one was")
        continue
    a, b = float(value), float(want)
    if abs(a - b) > tolerance * max(1.0, abs(b)):
        sys.exit(f"{label}: {a}, expected {b}")
print(f"{len(actual)} values match")
