"""float64 reference for train-steps.sl: the same model and data, gradients
by central finite differences (not by the compiler's rules), and the update
rules of torch.optim.SGD (momentum) and torch.optim.Adam."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference_nn import (adam, central_gradient, cross_entropy,  # noqa: E402
                          emit, mlp_apply, mlp_layers, mlp_parameters)

u = [0.3, -1.2, 0.8, 2.0, -0.5]
v = [1.0, 0.5, -0.25, 2.0]
x = [[ui * vj for vj in v] for ui in u]
labels = [0, 1, 2, 1, 0]
steps = 3
SIZES = (4, 8, 3)  # nn.Mlp(4, 8, 3)


def loss(flat):
    return cross_entropy(mlp_apply(flat, *SIZES, x), labels)


# SGD with momentum 0.9 (buffer starts at zero, as optim.sl and PyTorch).
p = mlp_parameters(0, *SIZES)
buf = [0.0] * len(p)
for _ in range(steps):
    g = central_gradient(loss, p)
    buf = [0.9 * b + gi for b, gi in zip(buf, g)]
    p = [w - 0.1 * b for w, b in zip(p, buf)]
sgd = [("sgd_loss", loss(p)), ("sgd_w00", p[0]),
       ("sgd_b3", sum(mlp_layers(p, *SIZES)[2][1]))]

# Adam, lr 0.01, betas (0.9, 0.999), eps 1e-8; the second model's seeds
# follow the first's.
p = mlp_parameters(6, *SIZES)
m, s = [0.0] * len(p), [0.0] * len(p)
for t in range(1, steps + 1):
    p, m, s = adam(p, central_gradient(loss, p), m, s, t, lr=0.01)
adam_values = [("adam_loss", loss(p)), ("adam_w00", p[0]),
               ("adam_w2", sum(sum(row) for row in mlp_layers(p, *SIZES)[1][0]))]
emit(sgd + adam_values)
