#!/usr/bin/python3
"""Peer timing for Predict: torch `model(x)` on the 10,000 Fashion-MNIST test images with the reference MLP
(784 -> 128 relu -> dropout -> 10) in eval mode under no_grad, one call over all images (and batches of 32).
Run through the peers' environment so torch uses OpenBLAS:
  cd ../shared/bench/peers && ./peer_env.sh tuned /usr/bin/python3 $REPO/tests/tools/predict_torch.py --threads 1
Prints the median/min/max milliseconds of 5 repeats."""
import argparse, gzip, statistics, time
import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.set_num_threads(a.threads)
x = np.frombuffer(gzip.open(f"{a.data}/t10k-images-idx3-ubyte.gz").read()[16:], np.uint8).reshape(-1, 784).astype(np.float32) / 255
x = torch.from_numpy(x.copy())
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10)).eval()
for batch in (10000, 32):
    times = []
    with torch.no_grad():
        for r in range(6):
            t = time.perf_counter()
            for i in range(0, 10000, batch):
                m(x[i:i + batch])
            if r: times.append((time.perf_counter() - t) * 1e3)
    print(f"torch predict_ms n=10000 batch={batch} threads={a.threads}: median {statistics.median(times):.3f} min {min(times):.3f} max {max(times):.3f}")
