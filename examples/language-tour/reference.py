"""The language tour's results computed in float64 Python, independently of
the compiler (test/Examples/language-tour.test compares them).
Usage: reference.py SCALE STEPS"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test",
                                "Execution", "Language", "Inputs"))
from reference_nn import (accuracy, argmax, cross_entropy, emit, mlp,  # noqa
                          softmax)

scale, steps = float(sys.argv[1]), int(sys.argv[2])
u = [0.3, -1.2, 0.8, 2.0, -0.5, 1.1]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj * scale for vj in v] for ui in u]
labels = [0, 1, 2, 1, 0, 2]
logits, _ = mlp(0, 4, 16, 3, x)
values = [("loss", cross_entropy(logits, labels)),
          ("accuracy", accuracy(logits, labels))]
for i in range(steps):
    p = [softmax([v * (i + 1) for v in row]) for row in logits]
    values.append(("confidence", sum(r[argmax(r)] for r in p) / len(p)))
emit(values)
