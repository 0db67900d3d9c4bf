"""float64 reference for parallel-loops.sl: N rows of 300 uniform draws,
y = tanh(2x) + b, its row softmax and argmax, and x @ w."""
import math
import sys

from reference_nn import uniform

n = int(sys.argv[1])
x = uniform(7, n * 300, -1.0, 1.0)
b = uniform(8, 300, -0.5, 0.5)
y = [[math.tanh(2.0 * x[i * 300 + j]) + b[j] for j in range(300)]
     for i in range(n)]


def softmax(row):
    top = max(row)
    e = [math.exp(v - top) for v in row]
    total = sum(e)
    return [v / total for v in e]


s = [softmax(row) for row in y]
w = uniform(9, 300 * 8, -1.0, 1.0)
m = [[sum(x[i * 300 + k] * w[k * 8 + j] for k in range(300)) for j in range(8)]
     for i in range(n)]
print(f"y_3_5: {y[3][5]!r}")
print(f"y_last: {y[n - 1][299]!r}")
print(f"relu_sum: {sum(max(v, 0.0) for row in y for v in row)!r}")
print(f"s_17_42: {s[17][42]!r}")
print(f"s_row: {sum(map(sum, s)) / n!r}")
print(f"picks: {sum(row.index(max(row)) for row in y)}")
print(f"m_123_4: {m[123][4]!r}")
print(f"m_sum: {sum(map(sum, m))!r}")
