#!/usr/bin/python3
"""PyTorch's nn.LSTM training step, the peer of `dotnet Framework.Benchmarks.dll lstm` (LstmRatio) and LstmStepBenchmarks.

One step: forward of LSTM(128) over a (32, 100, 128) batch-first input from zero states, loss = sum of the last
hidden state, backward (gradients of the weights; the input needs none), gradients reset between steps. Samples are
back-to-back steps lasting --min-time seconds after a warm-up sample (peer_timing.py); the median of --repeats
samples is printed as milliseconds per step, one JSON line per thread count, with the process CPU time per step
(all threads), which a loaded machine disturbs less than wall time.

Run under the peers' profile:
  cd /work/shared/bench/peers && ./peer_env.sh tuned /usr/bin/python3 /work/wt-rnn/tests/tools/lstm_peer.py --threads 1,2
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_timing import warmed_iterations  # noqa: E402

BATCH, STEPS, FEATURES, UNITS = 32, 100, 128, 128


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-time", type=float, default=2.0)
    args = parser.parse_args()
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
    x = torch.rand(BATCH, STEPS, FEATURES) * 2 - 1

    def step():
        lstm.zero_grad(set_to_none=True)
        _, (h, _) = lstm(x)
        h[-1].sum().backward()

    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        iters = warmed_iterations(step, args.min_time)
        samples, cpu = [], []
        for _ in range(args.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(iters):
                step()
            samples.append((time.perf_counter() - t0) / iters * 1e3)
            cpu.append((time.process_time() - c0) / iters * 1e3)
        print(json.dumps({"peer": "torch", "torch": torch.__version__, "threads": threads, "shape": [BATCH, STEPS, FEATURES, UNITS],
                          "ms_per_step_median": round(statistics.median(samples), 3), "min": round(min(samples), 3),
                          "max": round(max(samples), 3), "iters_per_sample": iters,
                          "cpu_ms_per_step_median": round(statistics.median(cpu), 3)}))


if __name__ == "__main__":
    main()
