"""The sample sizing shared by the peer timing scripts (gemm.py's method): one call, one timed call, then enough
back-to-back calls for min_time seconds, run once untimed as a warm-up sample."""
import time


def warmed_iterations(call, min_time):
    """Calls per sample so that a sample lasts about min_time seconds; runs one warm-up sample first."""
    call()
    t0 = time.perf_counter()
    call()
    iters = max(1, int(min_time / max(time.perf_counter() - t0, 1e-7)))
    for _ in range(iters):
        call()
    return iters
