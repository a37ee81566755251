"""Writes, with h5py (not our writer), the files Keras writes for Sequential([LSTM or GRU, Dense]), for our reader to load.

usage: keras_rnn_h5_writer.py KIND LAYOUT UNITS FEATURES OUT
  KIND: lstm | gru (GRU with reset_after=True: bias (2, 3*units))
  LAYOUT: keras2 (tf.keras >= 2.13 save_weights("x.h5")), keras224 (standalone Keras 2.2.4), keras3 (Keras 3 .weights.h5)
Prints one JSON line "VALUES [...]": the arrays written, in the model's weight order (cell kernel, recurrent kernel, bias,
then the Dense kernel and bias), flattened.

The names follow Keras's source, since no Keras is installed here:
- tf.keras 2.13+ (keras/layers/rnn/lstm.py, gru.py): the cell is created with name="lstm_cell" / "gru_cell"; RNN.build
  (keras/layers/rnn/base_rnn.py) builds it inside `backend.name_scope(self.cell.name)`, under the layer's own scope, so the
  variables are "lstm/lstm_cell/kernel:0"; hdf5_format.save_weights_to_hdf5_group writes each layer's group with
  weight_names = [w.name] and one dataset per name (a path, so "lstm/lstm/lstm_cell/kernel:0").
- Keras 2.2.4 (keras/layers/recurrent.py): RNN.build calls self.cell.build with no name scope: "lstm_1/kernel:0".
- Keras 3 (keras/src/saving/saving_lib.py _save_state, H5IOStore): each object's own variables go to "<path>/vars/<i>"
  with attribute name=<object name>, and _walk_saveable descends into attributes, so RNN.cell lands in "layers/lstm/cell".
"""
import json
import sys

import h5py
import numpy as np

kind, layout, units, features, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
gates = 4 if kind == "lstm" else 3
rng = np.random.default_rng(20261206)
bias_shape = (gates * units,) if kind == "lstm" else (2, gates * units)
arrays = [rng.standard_normal(s).astype(np.float32) for s in
          [(features, gates * units), (units, gates * units), bias_shape, (units, 2), (2,)]]
rnn_names = ["kernel", "recurrent_kernel", "bias"]


def str_list(names):
    return np.array([n.encode("utf8") for n in names])


with h5py.File(out, "w") as f:
    if layout in ("keras2", "keras224"):
        rnn, dense = (kind, "dense") if layout == "keras2" else (f"{kind}_1", "dense_1")
        scope = f"{rnn}/{kind}_cell" if layout == "keras2" else rnn
        f.attrs["layer_names"] = str_list([rnn, dense])
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.13.1" if layout == "keras2" else b"2.2.4"
        for layer, names, values in [(rnn, [f"{scope}/{n}:0" for n in rnn_names], arrays[:3]),
                                     (dense, [f"{dense}/kernel:0", f"{dense}/bias:0"], arrays[3:])]:
            g = f.create_group(layer)
            g.attrs["weight_names"] = str_list(names)
            for n, v in zip(names, values):
                g.create_dataset(n, data=v)
    elif layout == "keras3":
        layers = f.create_group("layers")
        rnn = layers.create_group(kind)
        rnn.create_group("vars").attrs["name"] = kind
        cell = rnn.create_group("cell").create_group("vars")
        cell.attrs["name"] = f"{kind}_cell"
        for i, v in enumerate(arrays[:3]):
            cell.create_dataset(str(i), data=v)
        dense = layers.create_group("dense").create_group("vars")
        dense.attrs["name"] = "dense"
        for i, v in enumerate(arrays[3:]):
            dense.create_dataset(str(i), data=v)
        f.create_group("vars").attrs["name"] = "sequential"
    else:
        sys.exit(f"unknown layout {layout}")

print("VALUES " + json.dumps([a.reshape(-1).tolist() for a in arrays]))
