#!/usr/bin/python3
"""PyTorch / NumPy timings of the element-wise ops and reductions that ElementwiseBenchmarks times for us.

1M float32 (rows: 1024 x 1024), each call allocating its output (as `a + b` does), with the method of the peers'
gemm.py: one warm-up sample, then --repeats samples of back-to-back calls lasting --min-time seconds, median
microseconds per call, after every op has run untimed for --warmup seconds (for our side's JIT; kept here so that
both sides are measured alike). The same op list as `dotnet Framework.Benchmarks.dll elementwise`, whose JSON lines have the
same fields, so tests/tools/elementwise_table.py can put them side by side. A 4 MB copy into a preallocated buffer is
timed as the bandwidth yardstick. torch.set_num_threads sets PyTorch's intra-op threads; NumPy's element-wise ops are
single-threaded whatever the thread count, so they are reported for 1 thread only. NumPy has no softmax: its row is
the usual exp(x - max) / sum written with NumPy calls.

Run under the peers' profile, e.g.:
  cd ../shared/bench/peers && ./peer_env.sh tuned /usr/bin/python3 /path/to/elementwise_peer.py --threads 1,2
"""
import argparse
import json
import statistics
import time

import numpy as np
import torch

from peer_timing import warmed_iterations

N = 1 << 20


def torch_ops():
    g = torch.Generator().manual_seed(1)
    a = torch.randn(N, generator=g)
    b = torch.flip(a, [0]).contiguous()
    rows = a.view(N // 1024, 1024)
    dst = torch.empty(N)
    return [
        ("copy", lambda: dst.copy_(a)),
        ("add", lambda: a + b),
        ("multiply", lambda: a * b),
        ("relu", lambda: torch.relu(a)),
        ("exp", lambda: torch.exp(a)),
        ("multiply_scalar", lambda: a * 0.5),
        ("sum", lambda: a.sum()),
        ("sum_rows", lambda: rows.sum(-1)),
        ("sum_columns", lambda: rows.sum(0)),
        ("softmax_rows", lambda: torch.softmax(rows, -1)),
    ]


def numpy_softmax(rows):
    e = np.exp(rows - rows.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def numpy_ops():
    a = np.random.default_rng(1).standard_normal(N, dtype=np.float32)
    b = a[::-1].copy()
    rows = a.reshape(N // 1024, 1024)
    dst = np.empty(N, dtype=np.float32)
    return [
        ("copy", lambda: np.copyto(dst, a)),
        ("add", lambda: a + b),
        ("multiply", lambda: a * b),
        ("relu", lambda: np.maximum(a, 0)),
        ("exp", lambda: np.exp(a)),
        ("multiply_scalar", lambda: a * np.float32(0.5)),
        ("sum", lambda: a.sum()),
        ("sum_rows", lambda: rows.sum(-1)),
        ("sum_columns", lambda: rows.sum(0)),
        ("softmax_rows", lambda: numpy_softmax(rows)),
    ]


def measure(call, repeats, min_time):
    iters = warmed_iterations(call, min_time)
    samples = []
    for _ in range(repeats):
        w0 = time.perf_counter()
        for _ in range(iters):
            call()
        samples.append((time.perf_counter() - w0) / iters)
    return samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.25)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--libs", default="torch,numpy")
    args = ap.parse_args()
    for t in [int(x) for x in args.threads.split(",")]:
        torch.set_num_threads(t)
        for lib in args.libs.split(","):
            if lib == "numpy" and t != 1:
                continue
            ops = torch_ops() if lib == "torch" else numpy_ops()
            for _, call in ops:
                end = time.perf_counter() + args.warmup
                while time.perf_counter() < end:
                    call()
            for name, call in ops:
                samples = measure(call, args.repeats, args.min_time)
                print(json.dumps({
                    "kind": "result", "lib": lib, "threads": t, "op": name,
                    "us_min": round(min(samples) * 1e6, 2),
                    "us_median": round(statistics.median(samples) * 1e6, 2),
                }), flush=True)


if __name__ == "__main__":
    main()
