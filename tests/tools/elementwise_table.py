#!/usr/bin/python3
"""Markdown table from the JSON lines of `Framework.Benchmarks.dll elementwise` and tests/tools/elementwise_peer.py.

  /usr/bin/python3 tests/tools/elementwise_table.py ours.jsonl peers.jsonl

Per op and thread count: median microseconds per call for each library, ours against the fastest peer (peer time
divided by ours: above 1 means we are faster), and our bandwidth as a share of our own single-threaded 4 MB copy
timed in the same thread-count group (bytes read + written per op; the issue's target is at least 80%).
"""
import json
import sys

MB_MOVED = {
    "copy": 8, "add": 12, "multiply": 12, "relu": 8, "exp": 8, "multiply_scalar": 8,
    "sum": 4, "sum_rows": 4, "sum_columns": 4, "softmax_rows": 8,
}


def main(paths):
    times = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                r = json.loads(line)
                if r.get("kind") == "result" and "op" in r:
                    times[(r["lib"], r["threads"], r["op"])] = r["us_median"]
    threads = sorted({t for (lib, t, _) in times if lib == "framework"})
    print("| op | threads | ours µs | torch µs | numpy µs | ours vs best peer | ours: share of the copy's bandwidth |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in threads:
        # Our copy runs on one thread in every group; each group is compared with its own, timed minutes apart at most.
        ours_copy = times.get(("framework", t, "copy"))
        for op in MB_MOVED:
            ours = times.get(("framework", t, op))
            if ours is None:
                continue
            torch_us = times.get(("torch", t, op))
            numpy_us = times.get(("numpy", t, op))
            peers = [p for p in (torch_us, numpy_us) if p is not None]
            # Our copy is the single-threaded yardstick at every thread count; torch's copy_ uses its threads.
            versus = f"{min(peers) / ours:.2f}×" if peers and not (op == "copy" and t > 1) else "–"
            share = f"{(MB_MOVED[op] / ours) / (8 / ours_copy):.0%}" if ours_copy and op != "copy" else "–"
            cell = lambda v: f"{v:.1f}" if v is not None else "–"  # noqa: E731
            label = "copy (ours: 1 thread)" if op == "copy" and t > 1 else op
            print(f"| {label} | {t} | {cell(ours)} | {cell(torch_us)} | {cell(numpy_us)} | {versus} | {share} |")


if __name__ == "__main__":
    main(sys.argv[1:])
