#!/usr/bin/python3
"""Markdown tables from one side-by-side GEMM round (see docs/benchmarks-sgemm.md).

Reads, from the folder given as the only argument:
  peers_gemm.jsonl    the peers' gemm.py (wall clock; C = A @ B shapes)
  peers_shapes.jsonl  gemm_peer_shapes.py (wall clock and per-thread CPU time; includes the transposed forms)
  ours_wall.jsonl     GemmRatio --threads 1,2
  ours_thread.jsonl   GemmRatio --threads 1 --clock thread
  ours_process.jsonl  GemmRatio --threads 1,2 --clock process (optional)
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
    ours_proc = {(r["shape"], r["threads"]): r["gflops"]["median"] for r in load(f"{d}/ours_process.jsonl")}
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

    def table(title, rows):
        """rows: (shape, threads or None, ours, torch, numpy)."""
        with_threads = rows and rows[0][1] is not None
        print(title)
        print()
        print("| shape |" + (" threads |" if with_threads else "") + " ours | torch | numpy | ours / best peer |")
        print("|---|" + ("---:|" if with_threads else "") + "---:|---:|---:|---:|")
        for shape, t, o, tr, nu in rows:
            best = max([x for x in (tr, nu) if x is not None], default=None)
            ratio = f"{o / best:.2f}" if o and best else "–"
            cells = [shape] + ([str(t)] if with_threads else []) + [fmt(o), fmt(tr), fmt(nu), ratio]
            print("| " + " | ".join(cells) + " |")
        print()

    def peer_cpu(lib, shape, t, key):
        return shapes.get((lib, shape, t), {}).get(key)

    table("Wall clock, median GFLOP/s",
          [(s, t, ours_wall.get((s, t)), peer_wall("torch", s, t), peer_wall("numpy", s, t)) for t in (1, 2) for s in ORDER])
    key = "gflops_thread_cpu_median"
    table("Calling-thread CPU time, 1 thread, median GFLOP/s",
          [(s, None, ours_cpu.get((s, 1)), peer_cpu("torch", s, 1, key), peer_cpu("numpy", s, 1, key)) for s in ORDER])
    if ours_proc:
        key = "gflops_process_cpu_per_thread_median"
        table("Process CPU time / threads (estimate of quiet-machine throughput), median GFLOP/s",
              [(s, t, ours_proc.get((s, t)), peer_cpu("torch", s, t, key), peer_cpu("numpy", s, t, key))
               for t in (1, 2) for s in ORDER])

if __name__ == "__main__":
    main()
