"""h5py peer for `Framework.Benchmarks keras-io`: the same arrays in the same HDF5 layout, written with fsync and read back.

usage: /usr/bin/python3 h5_io_peer.py write REFERENCE OUT
       /usr/bin/python3 h5_io_peer.py read FILE
`write` loads every group, attribute and dataset of REFERENCE (a .weights.h5 our framework wrote) into memory, untimed,
then times what our SaveWeights does: create OUT's temporary file beside it, write the groups, attributes and contiguous
unfiltered datasets, flush, fsync, close, rename over OUT, fsync the directory.
`read` times opening FILE and reading every dataset into a new numpy array, as a load does.
Prints one line: `peer_write SECONDS peak_rss_extra_MB` or `peer_read SECONDS peak_rss_extra_MB` (extra = peak resident
memory during the timed part minus resident memory before it, minus the bytes of the arrays read).
"""
import os
import sys
import time

import h5py
import numpy as np


def rss_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return rss_bytes("VmRSS")


def load_tree(group):
    """(attributes, children) where a child is a numpy array (dataset) or a nested tree (group)."""
    attrs = {k: group.attrs[k] for k in group.attrs}
    children = {}
    for name, obj in group.items():
        children[name] = obj[()] if isinstance(obj, h5py.Dataset) else load_tree(obj)
    return attrs, children


def write_tree(group, tree):
    attrs, children = tree
    for k, v in attrs.items():
        group.attrs[k] = v
    for name, child in children.items():
        if isinstance(child, tuple):
            write_tree(group.create_group(name), child)
        else:
            group.create_dataset(name, data=child)


def write(reference, out):
    with h5py.File(reference, "r") as f:
        tree = load_tree(f)
    start_rss = reset_peak()
    begin = time.perf_counter()
    temp = out + ".peer-tmp"
    with h5py.File(temp, "w") as f:
        write_tree(f, tree)
    # h5py closes its own descriptor; fsync through a new one flushes the same file's pages.
    fd = os.open(temp, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    os.replace(temp, out)
    fd = os.open(os.path.dirname(os.path.abspath(out)), os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    seconds = time.perf_counter() - begin
    print(f"peer_write {seconds:.4f} {(rss_bytes('VmHWM') - start_rss) / 1e6:.0f}")


def read(path):
    start_rss = reset_peak()
    begin = time.perf_counter()
    arrays = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: arrays.append(obj[()]) if isinstance(obj, h5py.Dataset) else None)
    seconds = time.perf_counter() - begin
    total = sum(np.asarray(a).nbytes for a in arrays)
    print(f"peer_read {seconds:.4f} {(rss_bytes('VmHWM') - start_rss - total) / 1e6:.0f}")


if __name__ == "__main__":
    {"write": lambda: write(sys.argv[2], sys.argv[3]), "read": lambda: read(sys.argv[2])}[sys.argv[1]]()
