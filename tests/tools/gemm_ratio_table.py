#!/usr/bin/python3
"""Markdown tables from one side-by-side GEMM round (see docs/benchmarks-sgemm.md).

Reads, from the folder given as the only argument:
  peers_gemm.jsonl    the peers' gemm.py (wall clock; C = A @ B shapes)
  peers_shapes.jsonl  gemm_peer_shapes.py (wall clock and per-thread CPU time; includes the transposed forms)
  ours_wall.jsonl     GemmRatio --threads 1,2
  ours_thread.jsonl   GemmRatio --threads 1 --clock thread
"""
import json
import os
import sys

# Our shape name -> the gemm.py shape name for the same product, where gemm.py has it.
GEMM_PY = {
    "mlp_fwd_32x784@784x128": "mlp_small_32x784@784x128",
    "square_1024": "square_1024",
    "square_2048": "square_2048",
    "mlp_big_256x4096@4096x4096": "mlp_big_256x4096@4096x4096",
}
ORDER = ["mlp_fwd_32x784@784x128", "mlp_dW_(784x32)T@32x128", "mlp_dX_32x128@(784x128)T",
         "square_1024", "square_2048", "mlp_big_256x4096@4096x4096"]


def load(path):
    if not os.path.exists(path):
        return []
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            rec = json.loads(line)
            if rec.get("kind") == "result":
                out.append(rec)
    return out


def main():
    d = sys.argv[1]
    ours_wall = {(r["shape"], r["threads"]): r["gflops"]["median"] for r in load(f"{d}/ours_wall.jsonl")}
    ours_cpu = {(r["shape"], r["threads"]): r["gflops"]["median"] for r in load(f"{d}/ours_thread.jsonl")}
    gemm_py = {(r["lib"], r["shape"], r["threads"]): r["gflops"]["median"] for r in load(f"{d}/peers_gemm.jsonl")}
    shapes = {(r["lib"], r["shape"], r["threads"]): r for r in load(f"{d}/peers_shapes.jsonl")}

    def peer_wall(lib, shape, t):
        # gemm.py is the reference harness; the transposed forms exist only in gemm_peer_shapes.py.
        if shape in GEMM_PY and (lib, GEMM_PY[shape], t) in gemm_py:
            return gemm_py[(lib, GEMM_PY[shape], t)]
        rec = shapes.get((lib, shape, t))
        return rec["gflops_wall_median"] if rec else None

    def fmt(x):
        return "–" if x is None else f"{x:.0f}"

    print("Wall clock, median GFLOP/s")
    print()
    print("| shape | threads | ours | torch | numpy | ours / best peer |")
    print("|---|---:|---:|---:|---:|---:|")
    for t in (1, 2):
        for s in ORDER:
            o, tr, nu = ours_wall.get((s, t)), peer_wall("torch", s, t), peer_wall("numpy", s, t)
            best = max([x for x in (tr, nu) if x is not None], default=None)
            ratio = f"{o / best:.2f}" if o and best else "–"
            print(f"| {s} | {t} | {fmt(o)} | {fmt(tr)} | {fmt(nu)} | {ratio} |")
    print()
    print("Calling-thread CPU time, 1 thread, median GFLOP/s")
    print()
    print("| shape | ours | torch | numpy | ours / best peer |")
    print("|---|---:|---:|---:|---:|")
    for s in ORDER:
        o = ours_cpu.get((s, 1))
        tr = shapes.get(("torch", s, 1), {}).get("gflops_thread_cpu_median")
        nu = shapes.get(("numpy", s, 1), {}).get("gflops_thread_cpu_median")
        best = max([x for x in (tr, nu) if x is not None], default=None)
        ratio = f"{o / best:.2f}" if o and best else "–"
        print(f"| {s} | {fmt(o)} | {fmt(tr)} | {fmt(nu)} | {ratio} |")


if __name__ == "__main__":
    main()
