#!/usr/bin/env python3
"""Reference values for tests/Framework.Tests/Training/LossTests.cs, from the Keras formulas in plain float64 math.

Run by hand (python3 tests/tools/loss_reference.py); the printed numbers are embedded in the tests. Keras's
definitions: losses are averaged over the last axis, then over the batch (sum_over_batch_size); probabilities are
clipped to [1e-7, 1 - 1e-7] when from_logits is False; categorical inputs are first renormalised to sum to 1.
"""
import math

EPS = 1e-7


def log_softmax(row):
    m = max(row)
    s = sum(math.exp(v - m) for v in row)
    return [v - m - math.log(s) for v in row]


def clip(p):
    return min(max(p, EPS), 1 - EPS)


logits = [[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]]
labels = [0, 2]
print("sparse_ce_logits", sum(-log_softmax(r)[l] for r, l in zip(logits, labels)) / 2)
probs = [[0.7, 0.2, 0.1], [0.0, 0.25, 0.75]]
print("sparse_ce_probs", sum(-math.log(clip(r[l] / sum(r))) for r, l in zip(probs, labels)) / 2)
onehot = [[0, 1, 0], [0, 0, 1]]
print("categorical_ce_logits", sum(-sum(t * lp for t, lp in zip(tr, log_softmax(r))) for tr, r in zip(onehot, logits)) / 2)
smooth = [[t * 0.9 + 0.1 / 3 for t in tr] for tr in onehot]
print("categorical_ce_logits_smooth0.1", sum(-sum(t * lp for t, lp in zip(tr, log_softmax(r))) for tr, r in zip(smooth, logits)) / 2)
bt = [[1, 0], [0, 1]]
bp = [[0.9, 0.2], [0.4, 1.0]]
print("binary_ce_probs", sum(sum(-(t * math.log(clip(p)) + (1 - t) * math.log(1 - clip(p))) for t, p in zip(tr, pr)) / 2 for tr, pr in zip(bt, bp)) / 2)
bl = [[2.0, -1.0], [0.5, -3.0]]
sig = lambda x: 1 / (1 + math.exp(-x))
print("binary_ce_logits", sum(sum(-(t * math.log(sig(x)) + (1 - t) * math.log(1 - sig(x))) for t, x in zip(tr, xr)) / 2 for tr, xr in zip(bt, bl)) / 2)
yt = [[1.0, 2.0], [3.0, -1.0]]
yp = [[1.5, 0.0], [3.0, 2.0]]
print("mse", sum(sum((a - b) ** 2 for a, b in zip(r, q)) / 2 for r, q in zip(yt, yp)) / 2)
print("mae", sum(sum(abs(a - b) for a, b in zip(r, q)) / 2 for r, q in zip(yt, yp)) / 2)
huber = lambda e, d=1.0: 0.5 * e * e if abs(e) <= d else d * abs(e) - 0.5 * d * d
print("huber", sum(sum(huber(a - b) for a, b in zip(r, q)) / 2 for r, q in zip(yt, yp)) / 2)
