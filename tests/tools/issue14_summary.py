#!/usr/bin/python3
"""Summary table of tests/tools/run_issue14_bench.sh: reads the JSON lines of its log (ours and the PyTorch peers',
plus peak_fma.c's) and prints, per benchmark and thread count, both times, the ratio ours / PyTorch (below 1: ours is
faster) and ours as a fraction of the machine's FP32 FMA peak (peak_fma's fma_fp32_zmm512 median, same thread count).

Usage: python3 tests/tools/issue14_summary.py LOG
"""
import json
import sys


def records(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    pass


def main():
    peak, conv, cnn, lstm = {}, {}, {}, {}
    for r in records(sys.argv[1]):
        if r.get("bench") == "peak_fma" and r.get("test") == "fma_fp32_zmm512":
            peak[r["threads"]] = r["median"]
        elif r.get("bench") == "conv":
            conv.setdefault((r["shape"], r["pass"], r["threads"]), {})[r["lib"]] = r
        elif r.get("bench") == "cnn":
            cnn.setdefault(r["threads"], {})["ours"] = r["epoch_s_median"]
            cnn[r["threads"]]["gflops"] = r["gflops_nominal_median"]
        elif r.get("bench") == "cnn_torch" and r.get("kind") == "result":
            cnn.setdefault(r["threads"], {})["torch"] = r["epoch_s"]["median"]
        elif r.get("peer") in ("framework", "torch") and "ms_per_step_median" in r:
            lstm.setdefault(r["threads"], {})[r["peer"]] = r

    def frac(gflops, threads):
        return f"{gflops / peak[threads]:.0%}" if threads in peak and gflops else "n/a"

    print("FP32 FMA peak (peak_fma.c, fma_fp32_zmm512 median): "
          + ", ".join(f"{t} thread(s) {v:.1f} GFLOP/s" for t, v in sorted(peak.items())))
    print()
    print("| shape | pass | threads | ours ms | PyTorch ms | ours / PyTorch | ours GFLOP/s | of FMA peak |")
    print("|---|---|---|---|---|---|---|---|")
    for (shape, pas, t), libs in sorted(conv.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        ours, torch = libs.get("framework"), libs.get("torch")
        if not ours:
            continue
        peer = torch if torch and pas != "forward_im2col" else None
        ratio = f"{ours['ms_median'] / peer['ms_median']:.2f}" if peer else ""
        peer_ms = f"{peer['ms_median']:.2f}" if peer else ""
        print(f"| {shape} | {pas} | {t} | {ours['ms_median']:.2f} | {peer_ms} | {ratio} | {ours['gflops_median']} "
              f"| {frac(ours['gflops_median'], t)} |")
    print()
    print("| CNN epoch | threads | ours s | PyTorch s | ours / PyTorch | ours nominal GFLOP/s | of FMA peak |")
    print("|---|---|---|---|---|---|---|")
    for t, v in sorted(cnn.items()):
        ratio = f"{v['ours'] / v['torch']:.2f}" if "ours" in v and "torch" in v else "n/a"
        print(f"| batch 128 | {t} | {v.get('ours', 'n/a')} | {v.get('torch', 'n/a')} | {ratio} | {v.get('gflops', 'n/a')} "
              f"| {frac(v.get('gflops'), t)} |")
    print()
    print("| LSTM(128) step, 32x100x128 | threads | ours ms (CPU ms) | PyTorch ms (CPU ms) | ours / PyTorch wall | CPU |")
    print("|---|---|---|---|---|---|")
    for t, v in sorted(lstm.items()):
        o, p = v.get("framework"), v.get("torch")
        if not o or not p:
            continue
        print(f"| | {t} | {o['ms_per_step_median']:.1f} ({o['cpu_ms_per_step_median']:.1f}) "
              f"| {p['ms_per_step_median']:.1f} ({p['cpu_ms_per_step_median']:.1f}) "
              f"| {o['ms_per_step_median'] / p['ms_per_step_median']:.2f} "
              f"| {o['cpu_ms_per_step_median'] / p['cpu_ms_per_step_median']:.2f} |")


if __name__ == "__main__":
    main()
