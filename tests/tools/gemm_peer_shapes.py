#!/usr/bin/python3
"""torch.matmul / numpy.matmul timings for the MLP's backward-pass shapes and the large shapes.

The peers' gemm.py covers only C = A @ B. Backprop also needs dW = X^T @ dY (784x32 @ 32x128, X stored 32x784)
and dX = dY @ W^T (32x128 @ 128x784, W stored 784x128). This script times those three, plus the
squares 1024/2048 and 256x4096@4096x4096, with torch.matmul and numpy.matmul on transposed views (no copies), with gemm.py's method: one warm-up sample, then --repeats samples of back-to-back
calls lasting --min-time seconds, output preallocated. It reports wall-clock GFLOP/s and, because the machine is
shared, two CPU-time rates: the calling thread's CPU time (time.thread_time, meaningful at 1 thread only) and the
process CPU time divided by the thread count (time.process_time; counts spin-waiting too).

Run under the peers' profile, e.g.:
  cd /work/shared/bench/peers && ./peer_env.sh tuned /usr/bin/python3 /path/to/gemm_peer_shapes.py --threads 1,2
"""
import argparse
import ctypes
import json
import statistics
import time

import numpy as np
import torch

from peer_timing import warmed_iterations

SHAPES = [
    # name, m, n, k, transA, transB  (C is m x n)
    ("mlp_fwd_32x784@784x128", 32, 128, 784, False, False),
    ("mlp_dW_(784x32)T@32x128", 784, 128, 32, True, False),
    ("mlp_dX_32x128@(784x128)T", 32, 784, 128, False, True),
    ("square_1024", 1024, 1024, 1024, False, False),
    ("square_2048", 2048, 2048, 2048, False, False),
    ("mlp_big_256x4096@4096x4096", 256, 4096, 4096, False, False),
]


def set_threads(n):
    torch.set_num_threads(n)
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            ctypes.CDLL(name).openblas_set_num_threads(n)
            break
        except (OSError, AttributeError):
            pass


def bench(lib, m, n, k, ta, tb, repeats, min_time):
    if lib == "torch":
        g = torch.Generator().manual_seed(0)
        a = torch.randn(k, m, generator=g).t() if ta else torch.randn(m, k, generator=g)
        b = torch.randn(n, k, generator=g).t() if tb else torch.randn(k, n, generator=g)
        c = torch.empty(m, n)
        call = lambda: torch.matmul(a, b, out=c)  # noqa: E731
    else:
        rng = np.random.default_rng(0)
        a = rng.standard_normal((k, m), dtype=np.float32).T if ta else rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((n, k), dtype=np.float32).T if tb else rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
        call = lambda: np.matmul(a, b, out=c)  # noqa: E731
    flops = 2.0 * m * n * k
    iters = warmed_iterations(call, min_time)
    wall, cpu, proc = [], [], []
    for _ in range(repeats):
        w0, c0, p0 = time.perf_counter(), time.thread_time(), time.process_time()
        for _ in range(iters):
            call()
        wall.append((time.perf_counter() - w0) / iters)
        cpu.append((time.thread_time() - c0) / iters)
        proc.append((time.process_time() - p0) / iters)
    return flops, wall, cpu, proc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.25)
    ap.add_argument("--libs", default="torch,numpy")
    ap.add_argument("--shapes", default="", help="substring filter on the shape name")
    args = ap.parse_args()
    for t in [int(x) for x in args.threads.split(",")]:
        set_threads(t)
        for lib in args.libs.split(","):
            for name, m, n, k, ta, tb in SHAPES:
                if args.shapes not in name:
                    continue
                flops, wall, cpu, proc = bench(lib, m, n, k, ta, tb, args.repeats, args.min_time)
                print(json.dumps({
                    "kind": "result", "lib": lib, "threads": t, "shape": name,
                    "gflops_wall_median": round(flops / statistics.median(wall) / 1e9, 2),
                    "call_us_wall_median": round(statistics.median(wall) * 1e6, 2),
                    "gflops_thread_cpu_median": round(flops / statistics.median(cpu) / 1e9, 2),
                    # Process CPU seconds shared out over the threads: the rate if every thread had a core to itself.
                    "gflops_process_cpu_per_thread_median": round(flops / (statistics.median(proc) / t) / 1e9, 2),
                }), flush=True)


if __name__ == "__main__":
    main()
