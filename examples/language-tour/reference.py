"""The language tour's results computed in float64 Python, independently of
the compiler: the same initialization, the loss's gradient by central finite
differences, and torch.optim.Adam's rule (test/Examples/language-tour.test
compares them). Usage: reference.py SCALE STEPS LR"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test",
                                "Execution", "Language", "Inputs"))
from reference_nn import (accuracy, adam, argmax, central_gradient,  # noqa
                          cross_entropy, emit, mlp_apply, mlp_parameters,
                          softmax)

scale, steps, lr = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
u = [0.3, -1.2, 0.8, 2.0, -0.5, 1.1]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj * scale for vj in v] for ui in u]
labels = [0, 1, 2, 1, 0, 2]
SIZES = (4, 8, 3)  # nn.Mlp(4, 8, 3)


def loss(flat):
    return cross_entropy(mlp_apply(flat, *SIZES, x), labels)


p = mlp_parameters(0, *SIZES)
m, s = [0.0] * len(p), [0.0] * len(p)
values = []
for t in range(1, steps + 1):
    values.append(("loss", loss(p)))
    p, m, s = adam(p, central_gradient(loss, p), m, s, t, lr)
final = mlp_apply(p, *SIZES, x)
probabilities = [softmax(r) for r in final]
values.append(("accuracy", accuracy(final, labels)))
values.append(("confidence",
               sum(r[argmax(r)] for r in probabilities) / len(probabilities)))
emit(values)
