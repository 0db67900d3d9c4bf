"""PyTorch's index_select on the same problem as gather_bench.cpp: 1,048,576
uniformly random rows from a table of the same size, every core, median of
the same number of runs; prints GB/s of gathered rows per row size."""
import argparse
import os
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--table-mib", type=int, default=1024)
parser.add_argument("--indices", type=int, default=1 << 20)
parser.add_argument("--reps", type=int, default=5)
args = parser.parse_args()

torch.set_num_threads(os.cpu_count())
generator = torch.Generator().manual_seed(1)
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
print(f"{'row B':>8} {'index_select':>12}")
for row_bytes in (64, 128, 256, 400, 512, 1024, 4096):
    columns = row_bytes // 4
    rows = (args.table_mib << 20) // row_bytes
    table = torch.ones(rows, columns, dtype=torch.float32)
    index = torch.randint(0, rows, (args.indices,), generator=generator)
    out = torch.empty(args.indices, columns, dtype=torch.float32)
    torch.index_select(table, 0, index, out=out)  # warm-up
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        torch.index_select(table, 0, index, out=out)
        times.append(time.perf_counter() - start)
    times.sort()
    seconds = times[len(times) // 2]
    print(f"{row_bytes:>8} {args.indices * row_bytes / seconds / 1e9:>12.2f}")
    del table, index, out
