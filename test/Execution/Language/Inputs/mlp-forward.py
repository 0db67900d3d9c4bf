"""float64 reference for mlp-forward.sl (see reference_nn.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import accuracy, cross_entropy, emit, mlp  # noqa: E402

u = [0.3, -1.2, 0.8, 2.0, -0.5]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj for vj in v] for ui in u]
labels = [0, 1, 2, 1, 0]
logits, l1 = mlp(0, 4, 8, 3, x)
emit([
    ("l00", logits[0][0]),
    ("l42", logits[4][2]),
    ("loss", cross_entropy(logits, labels)),
    ("acc", accuracy(logits, labels)),
    ("w", sum(sum(row) for row in l1[0])),
])
