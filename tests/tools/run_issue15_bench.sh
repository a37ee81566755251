#!/usr/bin/env bash
# Issue 15's benchmarks side by side: the managed backend (cpu), our libtorch backend (torch), pure TorchSharp and
# PyTorch 1.13, on the MLP, the big MLP, the CNN and the LSTM; then one summary table with ratios.
#   tests/tools/run_issue15_bench.sh [OUTDIR]      (from the repository root; QUICK=1 for a smoke run of minutes)
# Raw outputs stay in OUTDIR (default /tmp/issue15-bench-<UTC time>), one file per command, each headed by the load.
# Run it on a quiet machine: every command runs alone, one after the other.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
peers=$(cd "$root/../shared/bench/peers" && pwd)
out=${1:-/tmp/issue15-bench-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
q() { if [ "${QUICK:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi; }
cd "$root"
dotnet build tests/Framework.Benchmarks -c Release -nologo -v q >"$out/build.log" 2>&1 || { echo "build failed: $out/build.log"; exit 1; }
B=tests/Framework.Benchmarks/bin/Release/net10.0/Framework.Benchmarks.dll
run() {  # run NAME COMMAND...
  local name=$1; shift
  echo "== $(date -u +%T) $name: $*  (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/run.log"
  { echo "# $* ; load $(cut -d' ' -f1-3 /proc/loadavg)"; "$@" 2>&1; } >"$out/$name.txt"
}
EP=$(q 3 1); LIMIT=$(q 0 2560); ROUNDS=$(q 3 1)
# MLP (784-128-10, batch 32, Adam): ours on libtorch against pure TorchSharp in one process (epochs alternate), then each alone.
run mlp_ab_t1 dotnet $B mlp-ab --threads 1 --rounds "$ROUNDS"
run mlp_ab_t2 dotnet $B mlp-ab --threads 2 --rounds "$ROUNDS"
run mlp_cpu_t1 dotnet $B mlp --threads 1 --epochs "$EP"
run mlp_cpu_t2 dotnet $B mlp --threads 2 --epochs "$EP"
run mlp_torch_t1 dotnet $B mlp --backend torch --threads 1 --epochs "$EP"
run mlp_torch_t2 dotnet $B mlp --backend torch --threads 2 --epochs "$EP"
run mlp_torchsharp "$peers/torchsharp/run.sh" --threads 1,2 --epochs "$EP"
run mlp_pytorch "$peers/peer_env.sh" tuned /usr/bin/python3 "$peers/mlp_torch.py" --threads 1,2 --variants slice --epochs "$EP" --repeats 1
# Big MLP (4096-4096-4096-10, batch 256, Adam), 2 threads: ours (each backend) against pure TorchSharp in one process.
run big_torch dotnet $B big-mlp --threads 2 --backend torch --steps "$(q 6 1)" --rounds "$(q 3 1)"
run big_cpu dotnet $B big-mlp --threads 2 --backend cpu --steps "$(q 6 1)" --rounds "$(q 3 1)"
run big_pytorch "$peers/peer_env.sh" tuned /usr/bin/python3 "$peers/big_mlp_torch.py" --threads 2 --foreach false --steps "$(q 10 1)" --repeats "$(q 3 1)"
# CNN (examples/Mnist's, Adadelta, batch 128).
run cnn_cpu dotnet $B cnn --threads 1,2 --epochs "$(q 2 1)" --limit "$LIMIT"
run cnn_torch dotnet $B cnn --backend torch --threads 1,2 --epochs "$(q 2 1)" --limit "$LIMIT"
run cnn_pytorch "$peers/peer_env.sh" tuned /usr/bin/python3 "$peers/cnn_torch.py" --threads 1,2 --epochs "$(q 2 1)" --limit "$LIMIT"
# LSTM layer step (batch 32, 100 steps, 128 features, 128 units), forward and backward.
run lstm_cpu dotnet $B lstm --threads 1,2 --repeats "$(q 5 1)"
run lstm_torch dotnet $B lstm --backend torch --threads 1,2 --repeats "$(q 5 1)"
run lstm_pytorch "$peers/peer_env.sh" tuned /usr/bin/python3 "$root/tests/tools/lstm_peer.py" --threads 1,2 --repeats "$(q 5 1)" --min-time 1
python3 "$root/tests/tools/issue15_bench_table.py" "$out" | tee "$out/summary.md"
