#!/bin/sh
# Issue 14's performance benchmarks, ours and the PyTorch peers' side by side in one run, then a summary table
# (tests/tools/issue14_summary.py) with the ratios and ours as a fraction of the FP32 FMA peak measured by the
# peers' peak_fma.c on this machine. Run from the repository root, with ../shared beside it:
#
#   tests/tools/run_issue14_bench.sh [--no-build] [--limit N] [--threads 1,2]
#
# --limit N trains the CNN epoch on the first N images (default: all 60,000, as the issue's target says).
# Each pair runs one right after the other per thread count (conv, CNN, LSTM), so both sides meet the same load as
# far as one machine allows; `uptime` is logged before and after. The log goes to $LOG (default /tmp/issue14_bench.log).
set -eu
build=1 limit=0 threads=1,2
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --limit) limit="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
root=$(pwd)
peers=$(cd ../shared/bench/peers && pwd)
LOG=${LOG:-/tmp/issue14_bench.log}
B=tests/Framework.Benchmarks/bin/Release/net10.0/Framework.Benchmarks.dll
[ "$build" = 1 ] && dotnet build tests/Framework.Benchmarks -c Release >/dev/null
gcc -O2 -mavx512f -mavx512vl -mfma -pthread "$peers/peak_fma.c" -o /tmp/issue14_peak_fma
peer() { (cd "$peers" && ./peer_env.sh tuned /usr/bin/python3 "$@"); }
: > "$LOG"
{
  date -u; uptime; lscpu | grep 'Model name'
  /tmp/issue14_peak_fma 5
  for t in $(echo "$threads" | tr , ' '); do
    dotnet "$B" conv --threads "$t" --repeats 5 --min-time 0.3
    peer "$root/tests/tools/conv_peer.py" --threads "$t" --repeats 5 --min-time 0.3
    dotnet "$B" cnn --threads "$t" --epochs 1 --limit "$limit"
    peer cnn_torch.py --threads "$t" --epochs 1 --limit "$limit"
    dotnet "$B" lstm --threads "$t" --repeats 5 --min-time 1
    peer "$root/tests/tools/lstm_peer.py" --threads "$t" --repeats 5 --min-time 1
  done
  date -u; uptime
} 2>&1 | tee -a "$LOG"
echo
/usr/bin/python3 tests/tools/issue14_summary.py "$LOG"
