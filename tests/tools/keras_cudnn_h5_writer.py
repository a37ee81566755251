"""Writes, with h5py, a Keras 2 weights .h5 of Sequential([CuDNNLSTM or CuDNNGRU, Dense]) in cuDNN's weight layout.

usage: keras_cudnn_h5_writer.py KIND UNITS FEATURES OUT      KIND: lstm | gru
Prints "VALUES [...]": the weights in Keras's LSTM / GRU(reset_after=True) layout that loading must produce (kernel,
recurrent kernel, bias, Dense kernel, Dense bias), flattened.

The cuDNN arrays are made from the Keras ones with keras's own conversion in the other direction
(keras/saving/legacy/hdf5_format.py, _convert_rnn_weights, from_cudnn=False): per gate block the input kernel becomes
kernel.T.reshape(kernel.shape, order="C") and the recurrent kernel its transpose; the LSTM bias becomes
np.tile(0.5 * bias, 2) (CuDNNLSTM's input and recurrent biases, 8*units), the GRU bias is flattened (6*units). The script
then applies keras's from_cudnn=True conversion and checks it gives the Keras arrays back, so the file is one Keras reads.
Names as tf.keras 1.x/2.x wrote them for the layer class CuDNNLSTM ("cu_dnnlstm/kernel:0").
"""
import json
import sys

import h5py
import numpy as np

kind, units, features, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
gates = 4 if kind == "lstm" else 3
rng = np.random.default_rng(1206)
bias_shape = (gates * units,) if kind == "lstm" else (2, gates * units)
keras = [rng.standard_normal(s).astype(np.float32) for s in
         [(features, gates * units), (units, gates * units), bias_shape, (units, 2), (2,)]]


def transform_kernels(kernels, func):
    return np.hstack([func(k) for k in np.hsplit(kernels, gates)])


def transpose_input(from_cudnn):
    order = "F" if from_cudnn else "C"
    return lambda kernel: kernel.T.reshape(kernel.shape, order=order)


cudnn = [transform_kernels(keras[0], transpose_input(False)), transform_kernels(keras[1], lambda k: k.T),
         np.tile(0.5 * keras[2], 2) if kind == "lstm" else keras[2].reshape(-1)]
back = [transform_kernels(cudnn[0], transpose_input(True)), transform_kernels(cudnn[1], lambda k: k.T),
        np.sum(np.split(cudnn[2], 2, axis=0), axis=0) if kind == "lstm" else cudnn[2].reshape((2, -1))]
for a, b in zip(back, keras[:3]):
    assert np.array_equal(a, b), "keras's conversion does not give the arrays back"
if kind == "lstm":
    assert not np.array_equal(cudnn[0], keras[0]), "the layouts must differ for the test to mean anything"

layer = "cu_dnnlstm" if kind == "lstm" else "cu_dnngru"
with h5py.File(out, "w") as f:
    f.attrs["layer_names"] = np.array([layer.encode(), b"dense"])
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.1.6-tf"
    for name, names, values in [(layer, [f"{layer}/{n}:0" for n in ("kernel", "recurrent_kernel", "bias")], cudnn),
                                ("dense", ["dense/kernel:0", "dense/bias:0"], keras[3:])]:
        g = f.create_group(name)
        g.attrs["weight_names"] = np.array([n.encode() for n in names])
        for n, v in zip(names, values):
            g.create_dataset(n, data=v.astype(np.float32))

print("VALUES " + json.dumps([a.reshape(-1).tolist() for a in keras]))
