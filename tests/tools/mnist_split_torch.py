#!/usr/bin/python3
"""Reference: the README's MNIST model in PyTorch on the same split (first 8,000 of t10k to train, last 2,000 to
validate), 5 epochs, batch 32, Adam(1e-3, eps=1e-7), Keras init (glorot-uniform kernels, zero biases).
Prints the validation accuracy after each epoch for several seeds, to compare with examples/Mnist.
Run by hand: /usr/bin/python3 tests/tools/mnist_split_torch.py ../shared/data/mnist"""
import gzip, sys
import numpy as np
import torch
import torch.nn as nn

d = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mnist"
x = np.frombuffer(gzip.open(f"{d}/t10k-images-idx3-ubyte.gz").read()[16:], np.uint8).reshape(-1, 784).astype(np.float32) / 255
y = np.frombuffer(gzip.open(f"{d}/t10k-labels-idx1-ubyte.gz").read()[8:], np.uint8).astype(np.int64)
xt, yt, xv, yv = map(torch.from_numpy, (x[:8000], y[:8000], x[8000:], y[8000:]))
for seed in range(1, 6):
    torch.manual_seed(seed)
    m = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    for layer in (m[0], m[3]):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7)
    accs = []
    for epoch in range(5):
        m.train()
        perm = torch.randperm(8000)
        for i in range(0, 8000, 32):
            idx = perm[i:i + 32]
            opt.zero_grad()
            nn.functional.cross_entropy(m(xt[idx]), yt[idx]).backward()
            opt.step()
        m.eval()
        with torch.no_grad():
            accs.append(round((m(xv).argmax(1) == yv).float().mean().item(), 4))
    print(f"seed {seed}: val_accuracy per epoch {accs}")
