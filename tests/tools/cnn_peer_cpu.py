#!/usr/bin/python3
"""The CNN peer (../shared/bench/peers/cnn_torch.py) with its epoch timer on the process's CPU clock.

On a shared machine the wall clock of one epoch mostly measures the other processes; with one thread the process's
CPU time is the steadier comparison (with two, PyTorch's OpenMP threads count their spin-waiting too). Same model,
data, arguments and JSON lines as cnn_torch.py; its "epoch_s" fields then hold CPU seconds. Our side:
`dotnet Framework.Benchmarks.dll cnn --clock process`.

Run from the peers' folder, under their profile:
  cd ../shared/bench/peers && ./peer_env.sh tuned /usr/bin/python3 /path/to/tests/tools/cnn_peer_cpu.py --threads 1 --epochs 1
"""
import os
import sys
import time
import types

sys.path.insert(0, os.getcwd())
import cnn_torch  # noqa: E402  (found in the peers' folder, the working directory)

cnn_torch.time = types.SimpleNamespace(perf_counter=time.process_time)

if __name__ == "__main__":
    cnn_torch.main()
