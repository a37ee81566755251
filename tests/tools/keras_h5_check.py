"""Independent check (h5py, not our reader) of a Keras file this framework wrote, against a real Keras fixture's layout.

usage: keras_h5_check.py KIND FILE FIXTURES_DIR
  KIND: weights2 (Keras 2 save_weights .h5), model2 (legacy full-model .h5), weights3 (Keras 3 .weights.h5), keras (.keras)
Prints ERROR lines for every difference from what Keras writes (reference: the fixture named below), then one JSON line
"VALUES {...}" with every dataset's dtype, shape and values (flattened), for the calling test to compare with the model.
"""
import io
import json
import sys
import zipfile

import h5py
import numpy as np

errors = []
values = {}
weight_names = {}


def err(msg):
    errors.append(msg)


def kind_of(attr_owner, name):
    t = attr_owner.attrs.get_id(name).get_type()
    return type(t).__name__.replace("Type", "").replace("ID", "")


def collect(group, prefix=""):
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            values[prefix + name] = {"dtype": str(obj.dtype), "shape": list(obj.shape),
                                     "values": np.asarray(data).reshape(-1).tolist()}
            if obj.chunks is not None or obj.compression is not None:
                err(f"{prefix}{name}: chunked or compressed; Keras writes contiguous datasets")
    group.visititems(visit)


def same_attrs(ours, ref, where):
    ours_names, ref_names = set(ours.attrs.keys()), set(ref.attrs.keys())
    if ours_names != ref_names:
        err(f"{where}: attributes {sorted(ours_names)}, Keras writes {sorted(ref_names)}")
    for n in ours_names & ref_names:
        a, b = kind_of(ours, n), kind_of(ref, n)
        if a != b:
            err(f"{where}@{n}: HDF5 type {a}, Keras writes {b}")


def strings(owner, name):
    v = owner.attrs[name]
    if isinstance(v, np.ndarray) and v.dtype.kind == "f":
        return []
    return [x.decode() if isinstance(x, bytes) else str(x) for x in np.atleast_1d(v)]


def check_weights2(f, ref, where):
    same_attrs(f, ref, where or "/")
    for layer in strings(f, "layer_names"):
        if layer not in f:
            err(f"{where}/{layer}: listed in layer_names but missing")
            continue
        if strings(f[layer], "weight_names"):
            same_attrs(f[layer], ref[strings(ref, "layer_names")[0]], f"{where}/{layer}")
        weight_names[f"{where}/{layer}".lstrip("/")] = strings(f[layer], "weight_names")
        for w in strings(f[layer], "weight_names"):
            if not w.startswith(layer + "/"):
                # tf.keras names a variable by the scopes it was created in, the owning layer's first (an LSTM's cell
                # weights included: "lstm/lstm_cell/kernel:0", base_rnn.py builds the cell inside the layer's scope).
                err(f"{where}/{layer}/{w}: a weight name starts with its layer's name in Keras")
            if w not in f[layer]:
                err(f"{where}/{layer}/{w}: listed in weight_names but missing")
            elif f[layer][w].dtype != np.float32:
                err(f"{where}/{layer}/{w}: dtype {f[layer][w].dtype}, Keras writes float32")
    if "top_level_model_weights" in ref and "top_level_model_weights" not in f:
        err(f"{where}/top_level_model_weights: missing")


def check_weights3(f, ref):
    for top in ref.keys():
        if top not in f:
            err(f"/{top}: missing (Keras writes it)")
    same_attrs(f["vars"], ref["vars"], "/vars")
    ref_vars = ref["layers/dense/vars"]

    def check_object(where, group):
        # saving_lib._save_state: every object gets "<path>/vars" (its own variables, numbered), and each child object
        # (an RNN layer's cell) its own group under the attribute's name, with a vars group of its own.
        if "vars" not in group:
            err(f"{where}: no vars group")
            return
        same_attrs(group["vars"], ref_vars, f"{where}/vars")
        keys = sorted(group["vars"].keys(), key=int)
        if keys != [str(i) for i in range(len(keys))]:
            err(f"{where}/vars: datasets {keys}, Keras numbers them 0..n-1")
        for child, obj in group.items():
            if child != "vars":
                if isinstance(obj, h5py.Group):
                    check_object(f"{where}/{child}", obj)
                else:
                    err(f"{where}/{child}: a dataset outside vars")

    for name, layer in f["layers"].items():
        check_object(f"/layers/{name}", layer)
    if "optimizer" in f:
        opt = f["optimizer/vars"]
        same_attrs(opt, ref["optimizer/vars"], "/optimizer/vars")
        if opt["0"].dtype != np.int64 or opt["0"].shape != ():
            err("/optimizer/vars/0: the iteration counter must be an int64 scalar")
        if opt["1"].dtype != np.float32 or opt["1"].shape != ():
            err("/optimizer/vars/1: the learning rate must be a float32 scalar")


def main():
    kind, path, fixtures = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind == "weights2":
        with h5py.File(path, "r") as f, h5py.File(f"{fixtures}/keras2_weights_h5_dense/weights_iteration.h5", "r") as ref:
            check_weights2(f, ref, "")
            collect(f)
    elif kind == "model2":
        with h5py.File(path, "r") as f, h5py.File(f"{fixtures}/keras2_full_model_h5_rmsprop_tfkeras/iris_model.h5", "r") as ref:
            for n in ("backend", "keras_version", "model_config"):
                if n not in f.attrs:
                    err(f"/@{n}: missing")
            config = json.loads(f.attrs["model_config"])
            if config.get("class_name") != "Sequential" or "layers" not in config.get("config", {}):
                err("/@model_config: not a Keras Sequential config")
            if "training_config" in f.attrs:
                training = json.loads(f.attrs["training_config"])
                if "optimizer_config" not in training or "loss" not in training:
                    err("/@training_config: no optimizer_config or loss")
            check_weights2(f["model_weights"], ref["model_weights"], "/model_weights")
            if "optimizer_weights" in f:
                names = strings(f["optimizer_weights"], "weight_names")
                for n in names:
                    if n not in f["optimizer_weights"]:
                        err(f"/optimizer_weights/{n}: listed but missing")
                if names and (not names[0].endswith("/iter:0") or f["optimizer_weights"][names[0]].dtype != np.int64):
                    err("/optimizer_weights: the first weight must be the int64 <Optimizer>/iter:0")
            collect(f)
    elif kind == "weights3":
        with h5py.File(path, "r") as f, h5py.File(f"{fixtures}/keras3_weights_h5/model.weights.h5", "r") as ref:
            check_weights3(f, ref)
            collect(f)
    elif kind == "keras":
        with zipfile.ZipFile(path) as z, zipfile.ZipFile(f"{fixtures}/keras3_keras_archive_small/model.keras") as refzip:
            names = [i.filename for i in z.infolist()]
            ref_names = [i.filename for i in refzip.infolist()]
            if names[:3] != ref_names:
                err(f"members {names}, Keras writes {ref_names} first, in that order")
            for i in z.infolist():
                if i.compress_type != zipfile.ZIP_STORED:
                    err(f"{i.filename}: compressed; Keras stores members")
            config = json.loads(z.read("config.json"))
            if config.get("module") != "keras" or config.get("class_name") != "Sequential":
                err("config.json: not a Keras 3 Sequential (module keras)")
            for layer in config["config"]["layers"]:
                if layer.get("module") != "keras.layers" or "config" not in layer:
                    err(f"config.json: layer {layer.get('class_name')} lacks module keras.layers")
            meta = json.loads(z.read("metadata.json"))
            if "keras_version" not in meta or "date_saved" not in meta:
                err("metadata.json: no keras_version or date_saved")
            with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f, \
                    h5py.File(io.BytesIO(refzip.read("model.weights.h5")), "r") as ref:
                check_weights3(f, ref)
                collect(f)
    else:
        err(f"unknown kind {kind}")
    for e in errors:
        print("ERROR " + e)
    print("NAMES " + json.dumps(weight_names))
    print("VALUES " + json.dumps(values))


main()
