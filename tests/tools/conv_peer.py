#!/usr/bin/python3
"""torch.nn.functional.conv2d timings (forward, input gradient, kernel gradient) on the shapes ConvRatio times for us.

Shapes: the MNIST CNN's two convolutions at batch 128 (1->32 and 32->64, 3x3, valid) and a 3x3, 64->64, 56x56
layer at batch 32 with 'same' padding. PyTorch's tensors are NCHW (its default, as in cnn_torch.py); its CPU
convolutions go through oneDNN. The gradients are aten.convolution_backward, the call autograd makes, with only the
wanted output enabled. Method of the peers' gemm.py: one warm-up sample, then --repeats samples of back-to-back calls
lasting --min-time seconds; median GFLOP/s at 2*N*OH*OW*KH*KW*Cin*Cout FLOP per pass. Prints JSON lines with the
fields of `dotnet Framework.Benchmarks.dll conv`. --clock thread times the calling thread's CPU (time.thread_time; with
one thread PyTorch runs the convolution on the calling thread), as `conv --clock thread` does for us: steadier than the
wall clock on a shared machine, and meaningful on 1 thread only.

Run under the peers' profile:
  cd ../shared/bench/peers && ./peer_env.sh tuned /usr/bin/python3 /path/to/tests/tools/conv_peer.py --threads 1,2
"""
import argparse
import json
import statistics
import time

import torch

from peer_timing import warmed_iterations

# name, batch, height, width, in, out, kernel, padding
SHAPES = [
    ("cnn_conv1_128x28x28x1_to_32", 128, 28, 28, 1, 32, 3, 0),
    ("cnn_conv2_128x26x26x32_to_64", 128, 26, 26, 32, 64, 3, 0),
    ("resnet_32x56x56x64_to_64_same", 32, 56, 56, 64, 64, 3, 1),
]


def passes(n, h, w, cin, cout, k, pad):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, cin, h, w, generator=g)
    wt = torch.randn(cout, cin, k, k, generator=g)
    y = torch.nn.functional.conv2d(x, wt, padding=pad)
    dy = torch.randn(y.shape, generator=g)

    def backward(mask):
        return lambda: torch.ops.aten.convolution_backward(dy, x, wt, None, [1, 1], [pad, pad], [1, 1], False, [0, 0], 1, mask)

    flop = 2.0 * y.numel() * cin * k * k
    return flop, [("forward", lambda: torch.nn.functional.conv2d(x, wt, padding=pad)),
                  ("input_grad", backward([True, False, False])),
                  ("kernel_grad", backward([False, True, False]))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.3)
    ap.add_argument("--clock", choices=["wall", "thread"], default="wall")
    a = ap.parse_args()
    for t in [int(v) for v in a.threads.split(",")]:
        torch.set_num_threads(t)
        for name, *shape in SHAPES:
            flop, calls = passes(*shape)
            for pass_name, call in calls:
                with torch.no_grad():
                    iters = warmed_iterations(call, a.min_time)
                    samples = []
                    clock = time.thread_time if a.clock == "thread" else time.perf_counter
                    for _ in range(a.repeats):
                        t0 = clock()
                        for _ in range(iters):
                            call()
                        samples.append((clock() - t0) / iters)
                med = statistics.median(samples)
                print(json.dumps({"bench": "conv", "lib": "torch", "threads": t, "shape": name, "pass": pass_name,
                                  "ms_median": round(med * 1e3, 3), "gflops_median": round(flop / med / 1e9, 1)}), flush=True)


if __name__ == "__main__":
    main()
