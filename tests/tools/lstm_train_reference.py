#!/usr/bin/python3
"""PyTorch training curve of the small LSTM sequence task that LstmTrainingTests trains here (same data, same initial weights).

Task: N=32 sequences of T=6 steps with F=2 features (deterministic sine values); target
y = 0.3 * sum_t x[t, 0] + 0.5 * sum_t x[t, 0] * x[t, 1]. Model: LSTM(8) -> Dense(1), mean squared error, plain SGD
(lr 0.5, the update w -= lr * g is the same formula in both frameworks), full batch, 60 epochs, no shuffling.
Initial weights are given in Keras's layout (formulas reproduced by the C# test) and mapped to torch's
(weight_ih = kernel^T, weight_hh = recurrent^T, bias_ih = bias, bias_hh = 0; gate orders i, f, g, o = i, f, c, o).
Prints the loss of every 10th epoch (before that epoch's update, as Keras's History records a full-batch epoch)
as a C# array, in float32 like the framework.

    /usr/bin/python3 tests/tools/lstm_train_reference.py
"""
import math
import torch

N, T, F, U, EPOCHS, LR = 32, 6, 2, 8, 60, 0.5


def values(n, phase, scale):
    return torch.tensor([scale * math.sin(0.7 * i + phase) for i in range(n)], dtype=torch.float32)


def main():
    x = torch.tensor([math.sin(0.37 * i + 0.2) for i in range(N * T * F)], dtype=torch.float32).reshape(N, T, F)
    y = (0.3 * x[:, :, 0].sum(1) + 0.5 * (x[:, :, 0] * x[:, :, 1]).sum(1)).reshape(N, 1)
    lstm = torch.nn.LSTM(F, U, batch_first=True)
    dense = torch.nn.Linear(U, 1)
    bias = torch.zeros(4 * U)
    bias[U:2 * U] = 1  # Keras's unit_forget_bias
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(values(F * 4 * U, 0.2, 0.5).reshape(F, 4 * U).t())
        lstm.weight_hh_l0.copy_(values(U * 4 * U, 0.3, 0.3).reshape(U, 4 * U).t())
        lstm.bias_ih_l0.copy_(bias)
        lstm.bias_hh_l0.zero_()
        dense.weight.copy_(values(U, 0.4, 0.4).reshape(U, 1).t())
        dense.bias.zero_()
    lstm.bias_hh_l0.requires_grad_(False)  # Keras has one bias; keep torch's second one at zero
    params = [p for p in list(lstm.parameters()) + list(dense.parameters()) if p.requires_grad]
    opt = torch.optim.SGD(params, lr=LR)
    losses = []
    for _ in range(EPOCHS):
        opt.zero_grad()
        _, (h, _) = lstm(x)
        loss = torch.mean((dense(h[0]) - y) ** 2)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    print("[" + ", ".join(f"{v!r}" for v in losses[::10] + [losses[-1]]) + "]")


if __name__ == "__main__":
    main()
