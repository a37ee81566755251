"""Summarises run_issue15_bench.sh's outputs (one file per command in DIR) as a Markdown table with ratios.

usage: python3 tests/tools/issue15_bench_table.py DIR
Times are seconds per epoch (MLP, CNN), steps per second (big MLP) or milliseconds per step (LSTM); each ratio is the
row's time over the fastest time of the row (1.00 = fastest), or the fastest throughput over the row's for the big MLP.
"""
import json
import os
import re
import sys

d = sys.argv[1]


def text(name):
    p = os.path.join(d, name + ".txt")
    return open(p).read() if os.path.exists(p) else ""


def jsons(name):
    out = []
    for line in text(name).splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def by_threads(records, key, pick=lambda r: True):
    return {r["threads"]: r for r in records if key(r) is not None and pick(r)}


def median(v):
    return v["median"] if isinstance(v, dict) else v


rows = []  # (workload, threads, {column: value}, unit, higher_is_better)
for t in (1, 2):
    cols = {}
    m = re.search(r"epoch_s batch=32: median ([\d.]+)", text(f"mlp_cpu_t{t}"))
    if m: cols["ours managed"] = float(m.group(1))
    m = re.search(r"epoch_s batch=32: median ([\d.]+)", text(f"mlp_torch_t{t}"))
    if m: cols["ours libtorch"] = float(m.group(1))
    for r in jsons("mlp_torchsharp"):
        if r.get("threads") == t: cols["TorchSharp"] = r["epoch_s"]["median"]
    for r in jsons("mlp_pytorch"):
        if r.get("kind") == "result" and r.get("threads") == t: cols["PyTorch"] = median(r["epoch_s"])
    rows.append(("MLP epoch (s)", t, cols, False))
    m = re.search(r"ours/TorchSharp wall ([\d.]+) cpu ([\d.]+)", text(f"mlp_ab_t{t}"))
    if m: rows.append((f"MLP libtorch/TorchSharp, one process: wall {m.group(1)}, CPU {m.group(2)}", t, {}, False))
cols = {}
m = re.search(r"steps/s median: ours ([\d.]+), TorchSharp ([\d.]+)", text("big_torch"))
if m: cols["ours libtorch"], cols["TorchSharp"] = float(m.group(1)), float(m.group(2))
m = re.search(r"steps/s median: ours ([\d.]+)", text("big_cpu"))
if m: cols["ours managed"] = float(m.group(1))
for r in jsons("big_pytorch"):
    if r.get("kind") == "result" and r.get("threads") == 2: cols["PyTorch"] = median(r["steps_per_s"])
rows.append(("big MLP (steps/s)", 2, cols, True))
for t in (1, 2):
    cols = {}
    for name, col in (("cnn_cpu", "ours managed"), ("cnn_torch", "ours libtorch")):
        for r in jsons(name):
            if r.get("threads") == t: cols[col] = r["epoch_s_median"]
    for r in jsons("cnn_pytorch"):
        if r.get("kind") == "result" and r.get("threads") == t: cols["PyTorch"] = median(r["epoch_s"])
    rows.append(("CNN epoch (s)", t, cols, False))
for t in (1, 2):
    cols = {}
    for name, col in (("lstm_cpu", "ours managed"), ("lstm_torch", "ours libtorch"), ("lstm_pytorch", "PyTorch")):
        for r in jsons(name):
            if r.get("threads") == t: cols[col] = r["ms_per_step_median"]
    rows.append(("LSTM step (ms)", t, cols, False))

names = ["ours managed", "ours libtorch", "TorchSharp", "PyTorch"]
print("| workload | threads | " + " | ".join(names) + " | fastest |")
print("|---|---|" + "---|" * (len(names) + 1))
for workload, t, cols, higher in rows:
    if not cols:
        print(f"| {workload} | {t} |" + " |" * (len(names) + 1))
        continue
    best = max(cols.values()) if higher else min(cols.values())
    cells = []
    for n in names:
        v = cols.get(n)
        if v is None:
            cells.append("")
        else:
            ratio = best / v if higher else v / best
            cells.append(f"{v:.3f} ({ratio:.2f}×)")
    fastest = [n for n in names if cols.get(n) == best][0]
    print(f"| {workload} | {t} | " + " | ".join(cells) + f" | {fastest} |")
print("\n(×: the row's time over the fastest, or the fastest throughput over the row's; 1.00× is the fastest.)")
