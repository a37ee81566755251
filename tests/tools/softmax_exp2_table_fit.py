"""Fits the table-driven 2^f of FloatSoftmax's exponential (run by hand, never in CI).

2^t = 2^floor(t) * T[j] * 2^r with t = floor(t) + j/16 + r, j in 0..15, r in [0, 1/16):
T[j] = 2^(j/16) rounded to float32 (T[0] = 1 exactly), and 2^r ~ 1 + r*(c1 + r*(c2 + r*c3)), the minimax fit of the
relative error on [0, 1/16) with the constant fixed at 1, by softmax_exp2_fit.fit (Lawson's iteration), rounded to
float32. The kernel evaluates T[j] * p(r) as fma(T[j] * r, c1 + r*(c2 + r*c3), T[j]), so the polynomial's rounding
errors only touch the small term; this script emulates those float32 operations (fused multiply-adds in float64: a
product of two floats is exact in a double) over 2^22 evenly spaced r per table entry plus the ends, and reports the
combined error of table and polynomial.

usage: /usr/bin/python3 tests/tools/softmax_exp2_table_fit.py
"""
import os
import sys
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from softmax_exp2_fit import fit, fma32  # noqa: E402

def main():
    c = [np.float32(v) for v in fit(3, 0.0, 1.0 / 16)]
    table = [np.float32(2.0 ** (j / 16)) for j in range(16)]
    r = np.concatenate([np.linspace(0, 1 / 16, 1 << 22, endpoint=False), [np.nextafter(np.float32(1 / 16), np.float32(0))]]).astype(np.float32)
    q = fma32(c[2], r, c[1]).astype(np.float32)
    q = fma32(q, r, c[0]).astype(np.float32)
    worst_rel, worst_ulp = 0.0, 0.0
    for j, tj in enumerate(table):
        tr = (tj * r).astype(np.float32)
        y = fma32(tr, q, tj).astype(np.float64)
        exact = np.exp2(j / 16 + r.astype(np.float64))
        worst_rel = max(worst_rel, float(np.max(np.abs(y - exact) / exact)))
        worst_ulp = max(worst_ulp, float(np.max(np.abs(y - exact) / np.spacing(exact.astype(np.float32)).astype(np.float64))))
    print(f"table and degree-3 polynomial in float32: max relative error {worst_rel:.3e}, max {worst_ulp:.3f} ulp")
    for k, v in enumerate(c, start=1):
        print(f"C{k} = {float(v)!r}f;  // 0x{v.view(np.uint32):08X}")
    print(", ".join(f"{float(t)!r}f" for t in table))

if __name__ == "__main__":
    main()
