#!/usr/bin/env python3
"""Reference values for tests/Framework.Tests/Layers/EmbeddingTests.cs (run by hand, never in CI):

    /usr/bin/python3 tests/tools/embedding_reference.py

torch.nn.functional.embedding looks up rows of a (6, 3) table for int64 indices of shape (2, 4), with repeated
indices so that the backward pass must add their gradients; the objective is sum(r * output) with a fixed r.
Keras's Embedding and PyTorch's share the table layout (input_dim, output_dim), so no permutation is needed.
Prints C# array initialisers to paste into the test.
"""

import torch

torch.manual_seed(7)
table = torch.round(torch.randn(6, 3, dtype=torch.float64) * 1000) / 1000
indices = torch.tensor([[1, 5, 1, 0], [3, 3, 3, 2]], dtype=torch.int64)
r = torch.round(torch.randn(2, 4, 3, dtype=torch.float64) * 1000) / 1000

weight = table.float().clone().requires_grad_(True)
output = torch.nn.functional.embedding(indices, weight)
(output.double() * r).sum().backward()


def fmt(t):
    return "[" + ", ".join(f"{float(x):.9g}f" for x in t.detach().flatten()) + "]"


print(f"Table = {fmt(table)};")
print(f"Indices = [{', '.join(str(int(i)) for i in indices.flatten())}];")
print(f"Upstream = {fmt(r)};")
print(f"ExpectedOutput = {fmt(output)};")
print(f"ExpectedTableGradient = {fmt(weight.grad)};")
