"""Fits the polynomial for 2^f that FloatSoftmax's exponential uses (run by hand, never in CI).

p(f) = 1 + f*(c1 + f*(c2 + ...)) ~ 2^f, minimizing the maximum *relative* error over the reduced interval, with
p(0) = 1 exactly, so that a row's maximum maps to exactly 1 (and a one-element row to exactly 1.0).

Method: Lawson's iteratively reweighted least squares on 20,001 points (converges to the minimax solution of the
linear problem), in float64; the coefficients are then rounded to float32 and the polynomial is evaluated the way the
kernel does (Horner in float32 fused multiply-adds, emulated in float64: a*b of two floats is exact in a double)
over 2^22 evenly spaced points plus the interval's ends, to report the error that the kernel really has.

usage: /usr/bin/python3 tests/tools/softmax_exp2_fit.py [degree] [lo] [hi]   (default: 6 0 1)
"""
import sys
import numpy as np

def fit(degree, lo, hi, iterations=400):
    x = np.linspace(lo, hi, 20001)
    target = np.exp2(x)
    # unknowns c1..c_degree of p(x) = 1 + sum c_k x^k; relative residual (p - 2^x) / 2^x
    a = np.stack([x**k for k in range(1, degree + 1)], axis=1) / target[:, None]
    b = (target - 1) / target
    w = np.full(x.size, 1.0 / x.size)
    for _ in range(iterations):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        r = np.abs(a @ c - b)
        w = w * r
        w /= w.sum()
    return c

def fma32(a, b, c):
    return np.float32(np.float64(a) * np.float64(b) + np.float64(c))

def horner32(coeffs32, f):
    f = f.astype(np.float32)
    p = np.full(f.shape, coeffs32[-1], dtype=np.float32)
    for c in reversed(coeffs32[:-1]):
        p = fma32(p, f, np.float32(c)).astype(np.float32)
    return fma32(p, f, np.float32(1)).astype(np.float32)

def main():
    degree = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    lo = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    hi = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    c = fit(degree, lo, hi)
    c32 = [np.float32(v) for v in c]
    f = np.concatenate([np.linspace(lo, hi, 1 << 22, endpoint=False, dtype=np.float64),
                        [lo, np.nextafter(np.float32(hi), np.float32(lo))]]).astype(np.float32)
    p = horner32(c32, f).astype(np.float64)
    exact = np.exp2(f.astype(np.float64))
    rel = np.abs(p - exact) / exact
    ulp = np.abs(p - exact) / np.spacing(exact.astype(np.float32)).astype(np.float64)
    xr = np.linspace(lo, hi, 20001)
    ideal = np.max(np.abs((1 + sum(c[k] * xr**(k + 1) for k in range(degree))) / np.exp2(xr) - 1))
    print(f"degree {degree} on [{lo}, {hi}]: minimax relative error {ideal:.3e} (float64 coefficients)")
    print(f"float32 Horner: max relative error {rel.max():.3e}, max {ulp.max():.3f} ulp")
    for k, v in enumerate(c32, start=1):
        print(f"C{k} = {float(v)!r}f;  // 0x{np.float32(v).view(np.uint32):08X}")

if __name__ == "__main__":
    main()
