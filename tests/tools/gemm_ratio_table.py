#!/usr/bin/python3
"""Markdown tables from side-by-side GEMM rounds (see docs/benchmarks-sgemm.md).

Usage: gemm_ratio_table.py ROUND_DIR [ROUND_DIR ...]. With several rounds, each cell is the best median over the
rounds that measured it, taken separately for every library: on a shared machine the best round is the one
closest to a quiet machine, for each side. Reads, from each folder (missing files are skipped):
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


def best(dirs, name, key, value):
    """Best value per key over all rounds."""
    out = {}
    for d in dirs:
        for r in load(f"{d}/{name}"):
            k, v = key(r), value(r)
            if v is not None and (k not in out or v > out[k]):
                out[k] = v
    return out


def main():
    dirs = sys.argv[1:]
    ours_key = lambda r: (r["shape"], r["threads"])  # noqa: E731
    median = lambda r: r["gflops"]["median"]  # noqa: E731
    ours_wall = best(dirs, "ours_wall.jsonl", ours_key, median)
    ours_cpu = best(dirs, "ours_thread.jsonl", ours_key, median)
    ours_proc = best(dirs, "ours_process.jsonl", ours_key, median)
    peer_key = lambda r: (r["lib"], r["shape"], r["threads"])  # noqa: E731
    gemm_py = best(dirs, "peers_gemm.jsonl", peer_key, median)
    fields = ["gflops_wall_median", "gflops_thread_cpu_median", "gflops_process_cpu_per_thread_median"]
    per_field = {f: best(dirs, "peers_shapes.jsonl", peer_key, lambda r, f=f: r.get(f)) for f in fields}
    shapes = {}
    for f, table_ in per_field.items():
        for k, v in table_.items():
            shapes.setdefault(k, {})[f] = v

    def peer_wall(lib, shape, t):
        # gemm.py and gemm_peer_shapes.py time C = A @ B the same way; the transposed forms exist only in the latter.
        found = [shapes.get((lib, shape, t), {}).get("gflops_wall_median")]
        if shape in GEMM_PY:
            found.append(gemm_py.get((lib, GEMM_PY[shape], t)))
        return max([x for x in found if x is not None], default=None)

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
