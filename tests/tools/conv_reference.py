#!/usr/bin/python3
"""Reference outputs and gradients of the convolution, pooling and BatchNormalization layers, from PyTorch (float64).

Run with Debian's Python (it has torch):
  /usr/bin/python3 tests/tools/conv_reference.py > tests/Framework.Tests/Layers/ConvolutionReferenceData.cs
Inputs are made by a formula both sides evaluate exactly: value(i, seed, scale) = ((37 i + 11 seed) mod 101 - 50) / 50 * scale,
rounded to float32 (distinct within any small window, so max pooling has no ties). Each case is channels-last as in
Keras; the script permutes NHWC -> NCHW and Keras kernels (kh, kw, in, out) -> PyTorch's (out, in, kh, kw), and
applies TensorFlow's 'same' padding (the extra element after) with F.pad, since PyTorch pads symmetrically. The loss
is sum(y * r) with r from the same formula, so the gradients of x, kernel and bias are those of that loss.
"""
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def value(shape, seed, scale=1.0):
    n = int(np.prod(shape))
    v = ((np.arange(n) * 37 + 11 * seed) % 101 - 50) / 50.0 * scale
    return torch.tensor(v.astype(np.float32).astype(np.float64).reshape(shape), requires_grad=True)


def same_pads(length, window, stride, dilation):
    span = (window - 1) * dilation + 1
    out = -(-length // stride)
    total = max((out - 1) * stride + span - length, 0)
    return total // 2, total - total // 2


def conv2d(x, k, b, strides, padding, dilation):
    xt = x.permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = same_pads(x.shape[1], k.shape[0], strides[0], dilation[0])
        left, right = same_pads(x.shape[2], k.shape[1], strides[1], dilation[1])
        xt = F.pad(xt, (left, right, top, bottom))
    y = F.conv2d(xt, k.permute(3, 2, 0, 1), b, stride=strides, dilation=dilation)
    return y.permute(0, 2, 3, 1)


def conv1d(x, k, b, stride, padding, dilation):
    xt = x.permute(0, 2, 1)
    if padding == "same":
        xt = F.pad(xt, same_pads(x.shape[1], k.shape[0], stride, dilation))
    elif padding == "causal":
        xt = F.pad(xt, ((k.shape[0] - 1) * dilation, 0))
    return F.conv1d(xt, k.permute(2, 1, 0), b, stride=stride, dilation=dilation).permute(0, 2, 1)


def pool2d(x, kind, size, strides, padding):
    xt = x.permute(0, 3, 1, 2)
    pads = (0, 0, 0, 0)
    if padding == "same":
        top, bottom = same_pads(x.shape[1], size[0], strides[0], 1)
        left, right = same_pads(x.shape[2], size[1], strides[1], 1)
        pads = (left, right, top, bottom)
    if kind == "max":
        y = F.max_pool2d(F.pad(xt, pads, value=-float("inf")), size, strides)
    else:
        # Keras divides by the number of elements inside the input: sum of x over the count of ones.
        area = size[0] * size[1]
        total = F.avg_pool2d(F.pad(xt, pads), size, strides) * area
        count = F.avg_pool2d(F.pad(torch.ones_like(xt), pads), size, strides) * area
        y = total / count
    return y.permute(0, 2, 3, 1)


def pool1d(x, kind, size, stride, padding):
    return pool2d(x.unsqueeze(1), kind, (1, size), (1, stride), padding).squeeze(1)


CASES = []


def case(name, x_shape, fn, weights=()):
    x = value(x_shape, 1)
    ws = [value(shape, 2 + i, scale) for i, (shape, scale) in enumerate(weights)]
    y = fn(x, *ws)
    r = value(tuple(y.shape), 9)
    (y * r).sum().backward()
    entries = [("y", y), ("dx", x.grad)] + [(f"d{i}", w.grad) for i, w in enumerate(ws)]
    CASES.append((name, [(k, v.detach().numpy().ravel()) for k, v in entries], tuple(y.shape)))


case("conv2d_valid", (2, 5, 5, 3), lambda x, k, b: conv2d(x, k, b, (1, 1), "valid", (1, 1)), [((3, 3, 3, 4), 0.5), ((4,), 0.2)])
case("conv2d_same_strided", (2, 5, 6, 2), lambda x, k, b: conv2d(x, k, b, (2, 2), "same", (1, 1)), [((4, 3, 2, 3), 0.5), ((3,), 0.2)])
case("conv2d_same_dilated", (1, 6, 7, 2), lambda x, k, b: conv2d(x, k, b, (1, 1), "same", (2, 2)), [((2, 3, 2, 2), 0.5), ((2,), 0.2)])
case("conv2d_relu", (2, 4, 4, 2), lambda x, k, b: torch.relu(conv2d(x, k, b, (1, 1), "valid", (1, 1))), [((2, 2, 2, 3), 0.5), ((3,), 0.2)])
case("conv1d_same_strided", (2, 7, 2), lambda x, k, b: conv1d(x, k, b, 2, "same", 1), [((3, 2, 3), 0.5), ((3,), 0.2)])
case("conv1d_causal_dilated", (2, 6, 3), lambda x, k, b: conv1d(x, k, b, 1, "causal", 2), [((2, 3, 2), 0.5), ((2,), 0.2)])
case("max_pooling2d_valid", (2, 4, 5, 3), lambda x: pool2d(x, "max", (2, 2), (2, 2), "valid"))
case("max_pooling2d_same", (2, 5, 5, 2), lambda x: pool2d(x, "max", (3, 3), (2, 2), "same"))
case("average_pooling2d_same", (2, 5, 5, 2), lambda x: pool2d(x, "avg", (2, 2), (2, 2), "same"))
case("average_pooling2d_valid_strided", (1, 5, 6, 2), lambda x: pool2d(x, "avg", (3, 2), (1, 2), "valid"))
case("max_pooling1d_same", (2, 5, 3), lambda x: pool1d(x, "max", 2, 2, "same"))
case("global_average_pooling2d", (2, 3, 4, 3), lambda x: x.mean((1, 2)))
case("global_max_pooling2d", (2, 3, 4, 3), lambda x: x.amax((1, 2)))


def batch_norm_training(x, gamma, beta):
    # Keras: batch statistics over N, H, W with the biased variance, epsilon 1e-3.
    xt = x.permute(0, 3, 1, 2)
    y = F.batch_norm(xt, None, None, gamma, beta, training=True, eps=1e-3)
    return y.permute(0, 2, 3, 1)


case("batch_normalization_4d", (4, 3, 3, 2), batch_norm_training, [((2,), 1.0), ((2,), 0.5)])
bn_x = value((4, 3, 3, 2), 1).detach()
mean, var = bn_x.mean((0, 1, 2)), bn_x.var((0, 1, 2), unbiased=False)
moving = [("moving_mean", (0.99 * torch.zeros(2) + 0.01 * mean).numpy()), ("moving_variance", (0.99 * torch.ones(2) + 0.01 * var).numpy())]


def fmt(values):
    items = [f"{v:.17g}" for v in values]
    lines, line = [], "            "
    for item in items:
        if len(line) + len(item) + 2 > 150:
            lines.append(line.rstrip())
            line = "            "
        line += item + ", "
    lines.append(line.rstrip())
    return "\n".join(lines)


print("// <auto-generated> by tests/tools/conv_reference.py (PyTorch " + torch.__version__ + ", float64); do not edit. </auto-generated>")
print("namespace Framework.Tests.Layers;")
print("")
print("/// <summary>PyTorch's outputs and gradients of sum(y * r) for the convolution, pooling and BatchNormalization cases.</summary>")
print("internal static class ConvolutionReferenceData")
print("{")
print("    public static readonly Dictionary<string, double[]> Values = new()")
print("    {")
for name, entries, _ in CASES:
    for key, values in entries:
        print(f"        [\"{name}.{key}\"] =\n        [\n{fmt(values)}\n        ],")
for key, values in moving:
    print(f"        [\"batch_normalization_4d.{key}\"] = [{', '.join(f'{v:.17g}' for v in values)}],")
print("    };")
print("}")
