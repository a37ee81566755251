#!/usr/bin/env python3
"""Reference trajectories for tests/Framework.Tests/Optimizers (run by hand, never in CI):

    /usr/bin/python3 tests/tools/optimizer_reference.py > tests/Framework.Tests/Optimizers/OptimizerReferenceData.cs

Each scenario minimises the quadratic 0.5 * k * (w - c)^2 for two variables (shapes (4,) and (2, 3)), so the
gradient g = (w - c) * k is formed in float32 exactly as the C# test forms it, and the trajectory feeds back
through the gradient.  The updates are the published Keras 3 formulas (keras/src/optimizers/{sgd,adam,adamw,
rmsprop,adadelta,adagrad,adamax,nadam}.py and schedules/learning_rate_schedule.py) written out in NumPy float32, one rounded operation at a
time, in Keras's order, with Keras 3's constant formation: Python-double constants such as 1 - beta_1 are rounded
once to float32; Adam's alpha uses correctly rounded float32 powers of float32 betas (see powf).  Gradient clipping follows Keras's
clip_by_norm / clip_by_global_norm, with the norms accumulated in float64 (as the C# implementation does).
Schedules are evaluated in float64 and the rate rounded to float32 once per step (as the C# implementation does).

PyTorch (Debian's python3-torch) is used only as an independent cross-check where its formula equals Keras's:
plain SGD, SGD with momentum and Nesterov SGD (Keras's velocity is -lr times PyTorch's buffer; with a constant
rate the weights agree to float32 rounding).  Adam (epsilon outside the bias correction) and RMSprop (epsilon
inside the square root) differ from PyTorch by design, so they have no PyTorch check.  The other four are
checked against PyTorch with the options under which the two formulas coincide, and differ otherwise:
  Adadelta  same formula (epsilon inside both roots); only PyTorch's defaults differ (lr 1.0, rho 0.9, eps 1e-6).
  Adagrad   PyTorch adds eps to sqrt(accumulator) and starts it at 0; checked with eps = 0 and the same start.
  Adamax    PyTorch takes max(beta_2 * u, |g| + eps) where Keras adds eps to u afterwards; checked with eps = 0.
  Nadam     PyTorch's schedule is 0.96 ** (t * momentum_decay) with momentum_decay = 0.004 by default (tf.keras's
            OptimizerV2 Nadam uses the same 0.004); Keras 3 uses 0.96 ** t, so checked with momentum_decay = 1.  PyTorch
            1.13's single-tensor NAdam multiplies mu_t twice into mu_product_next (fixed in later releases), so
            the check uses its foreach implementation, which does not.
"""

import math
import sys

import numpy as np

f32 = np.float32
STEPS = 8

W0 = [np.array([0.5, -1.25, 2.0, 0.1], f32), np.array([[0.3, -0.7, 1.1], [-2.0, 0.05, 0.9]], f32)]
C = [np.array([1.0, 0.5, -0.5, 0.0], f32), np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], f32)]
K = [np.array([1.0, 3.0, 0.5, 10.0], f32), np.array([[2.0, 0.25, 1.5], [0.75, 4.0, 1.0]], f32)]


def exponential_decay(initial, decay_steps, rate, staircase):
    def at(step):
        p = step / decay_steps
        return initial * math.pow(rate, math.floor(p) if staircase else p)
    return at


def piecewise(boundaries, values):
    def at(step):
        i = 0
        while i < len(boundaries) and step > boundaries[i]:
            i += 1
        return values[i]
    return at


def cosine(initial, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
    def decay(step, frm):
        c = 0.5 * (1 + math.cos(math.pi * (step / decay_steps)))
        return frm * ((1 - alpha) * c + alpha)

    def at(step):
        if warmup_target is None:
            return decay(min(step, decay_steps), initial)
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return (warmup_target - initial) * (step / warmup_steps) + initial
        return decay(step - warmup_steps, warmup_target)
    return at


def clip(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    if clipnorm is not None:
        out = []
        for g in grads:
            norm = math.sqrt(float(np.sum(g.astype(np.float64) ** 2)))
            out.append(g * f32(clipnorm) / f32(max(norm, clipnorm)))
        grads = out
    if global_clipnorm is not None:
        l2 = math.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads))
        c = float(f32(global_clipnorm))
        scale = f32(c * min(1 / float(f32(l2)), 1 / c))
        grads = [g * scale for g in grads]
    if clipvalue is not None:
        grads = [np.clip(g, f32(-clipvalue), f32(clipvalue)) for g in grads]
    return grads


def powf(base, exponent):
    """float32 base ** exponent, correctly rounded, as glibc powf, torch.pow and .NET MathF.Pow give it.

    np.power on float32 is not used: on AVX-512 machines NumPy computes it with SVML, which is not correctly
    rounded (np.power(float32(0.9), float32(4)) gives 0.6561 where the correctly rounded result is 0.6560999).
    The float64 power of the float32 base, rounded once, is correctly rounded for these small integer exponents.
    """
    return f32(math.pow(float(f32(base)), float(exponent)))


def sgd_step(w, g, s, lr, t, momentum=0.0, nesterov=False):
    if momentum == 0:
        return w - g * lr
    mu = f32(momentum)
    u = s.setdefault("momentum", np.zeros_like(w))
    u[...] = u * mu - g * lr
    return w + (u * mu - g * lr) if nesterov else w + u


def adam_step(w, g, s, lr, t, beta1=0.9, beta2=0.999, epsilon=1e-7, amsgrad=False, weight_decay=0.0):
    if weight_decay:
        w = w - w * f32(weight_decay) * lr
    b1p, b2p = powf(beta1, t), powf(beta2, t)
    alpha = f32(lr * np.sqrt(f32(1) - b2p) / (f32(1) - b1p))
    m = s.setdefault("m", np.zeros_like(w))
    v = s.setdefault("v", np.zeros_like(w))
    m[...] = m + (g - m) * f32(1.0 - beta1)
    v[...] = v + (g * g - v) * f32(1.0 - beta2)
    if amsgrad:
        vh = s.setdefault("vhat", np.zeros_like(w))
        vh[...] = np.maximum(vh, v)
        v = vh
    return w - m * alpha / (np.sqrt(v) + f32(epsilon))


def rmsprop_step(w, g, s, lr, t, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    r = s.setdefault("rms", np.zeros_like(w))
    r[...] = r * f32(rho) + g * g * f32(1.0 - rho)
    if centered:
        a = s.setdefault("mg", np.zeros_like(w))
        a[...] = a * f32(rho) + g * f32(1.0 - rho)
        denominator = r - a * a + f32(epsilon)
    else:
        denominator = r + f32(epsilon)
    increment = g * lr / np.sqrt(denominator)
    if momentum > 0:
        p = s.setdefault("momentum", np.zeros_like(w))
        p[...] = p * f32(momentum) + increment
        increment = p
    return w - increment


def adadelta_step(w, g, s, lr, t, rho=0.95, epsilon=1e-7):
    a = s.setdefault("accum_grad", np.zeros_like(w))
    d = s.setdefault("accum_var", np.zeros_like(w))
    rho, one_minus_rho, eps = f32(rho), f32(1.0 - rho), f32(epsilon)
    a[...] = a * rho + one_minus_rho * (g * g)
    delta = -((np.sqrt(d + eps) * g) / np.sqrt(a + eps))
    d[...] = d * rho + one_minus_rho * (delta * delta)
    return w + lr * delta


def adagrad_step(w, g, s, lr, t, initial=0.1, epsilon=1e-7):
    a = s.setdefault("accumulator", np.full_like(w, f32(initial)))
    a[...] = a + g * g
    return w - (lr * g) / np.sqrt(a + f32(epsilon))


def adamax_step(w, g, s, lr, t, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = s.setdefault("m", np.zeros_like(w))
    u = s.setdefault("v", np.zeros_like(w))
    m[...] = m + (g - m) * f32(1.0 - beta1)
    u[...] = np.maximum(u * f32(beta2), np.abs(g))
    return w - (lr * m) / ((f32(1) - powf(beta1, t)) * (u + f32(epsilon)))


def nadam_schedule(beta1, t):
    """Keras 3's momentum schedule u_t = beta_1 * (1 - 0.5 * 0.96 ** t), in float32."""
    return f32(beta1) * (f32(1) - f32(0.5) * powf(0.96, t))


def nadam_product(beta1, t):
    """The u_product variable after step t: advanced once per step as (u_product * beta_1) * (1 - 0.5 * 0.96 ** t)."""
    product = f32(1)
    for i in range(1, t + 1):
        product = product * f32(beta1) * (f32(1) - f32(0.5) * powf(0.96, i))
    return product


def nadam_step(w, g, s, lr, t, beta1=0.9, beta2=0.999, epsilon=1e-7):
    u, u_next = nadam_schedule(beta1, t), nadam_schedule(beta1, t + 1)
    product = nadam_product(beta1, t)
    product_next = product * u_next
    m = s.setdefault("m", np.zeros_like(w))
    v = s.setdefault("v", np.zeros_like(w))
    m[...] = m + (g - m) * f32(1.0 - beta1)
    v[...] = v + (g * g - v) * f32(1.0 - beta2)
    m_hat = (u_next * m) / (f32(1) - product_next) + ((f32(1) - u) * g) / (f32(1) - product)
    v_hat = v / (f32(1) - powf(beta2, t))
    return w - (m_hat * lr) / (np.sqrt(v_hat) + f32(epsilon))


def run(step_fn, lr, clipping=None, **options):
    ws = [w.copy() for w in W0]
    states = [{} for _ in ws]
    after = []
    for t in range(1, STEPS + 1):
        rate = f32(lr(t - 1) if callable(lr) else lr)
        grads = clip([(w - c) * k for w, c, k in zip(ws, C, K)], **(clipping or {}))
        ws = [step_fn(w, g, s, rate, t, **options).astype(f32) for w, g, s in zip(ws, grads, states)]
        after.append([w.copy() for w in ws])
    return after[0], after[-1]


SCENARIOS = {
    "sgd": (sgd_step, 0.1, None, {}),
    "sgd_momentum": (sgd_step, 0.1, None, {"momentum": 0.9}),
    "sgd_nesterov": (sgd_step, 0.1, None, {"momentum": 0.9, "nesterov": True}),
    "sgd_global_clipnorm": (sgd_step, 0.1, {"global_clipnorm": 1.0}, {"momentum": 0.5}),
    "sgd_exponential_staircase": (sgd_step, exponential_decay(0.1, 3, 0.5, True), None, {}),
    "sgd_exponential": (sgd_step, exponential_decay(0.1, 3, 0.5, False), None, {"momentum": 0.5}),
    "sgd_cosine_warmup": (sgd_step, cosine(0.0, 6, 0.1, 0.1, 3), None, {}),
    "adam": (adam_step, 0.01, None, {}),
    "adam_amsgrad": (adam_step, 0.01, None, {"amsgrad": True, "beta1": 0.8, "beta2": 0.95}),
    "adam_clipnorm": (adam_step, 0.01, {"clipnorm": 1.0}, {}),
    "adam_clipvalue": (adam_step, 0.01, {"clipvalue": 0.5}, {}),
    "adam_piecewise": (adam_step, piecewise([2, 5], [0.1, 0.05, 0.01]), None, {}),
    "adam_cosine": (adam_step, cosine(0.05, 6, 0.2), None, {"epsilon": 1e-3}),
    "adamw": (adam_step, 0.01, None, {"weight_decay": 0.1}),
    "adamw_amsgrad": (adam_step, 0.01, None, {"weight_decay": 0.004, "amsgrad": True}),
    "rmsprop": (rmsprop_step, 0.01, None, {}),
    "rmsprop_momentum": (rmsprop_step, 0.01, None, {"momentum": 0.5, "rho": 0.8}),
    "rmsprop_centered": (rmsprop_step, 0.01, None, {"centered": True}),
    "rmsprop_centered_momentum": (rmsprop_step, 0.01, None, {"centered": True, "momentum": 0.9, "epsilon": 1e-4}),
    "adadelta": (adadelta_step, 1.0, None, {}),
    "adadelta_large_epsilon": (adadelta_step, 0.5, None, {"rho": 0.8, "epsilon": 1e-2}),
    "adadelta_clipvalue": (adadelta_step, 1.0, {"clipvalue": 0.5}, {"epsilon": 1e-3}),
    "adagrad": (adagrad_step, 0.1, None, {}),
    "adagrad_zero_start": (adagrad_step, 0.05, None, {"initial": 0.0, "epsilon": 1e-3}),
    "adamax": (adamax_step, 0.01, None, {}),
    "adamax_betas": (adamax_step, 0.02, None, {"beta1": 0.8, "beta2": 0.95, "epsilon": 1e-3}),
    "nadam": (nadam_step, 0.01, None, {}),
    "nadam_betas": (nadam_step, 0.02, None, {"beta1": 0.8, "beta2": 0.95, "epsilon": 1e-4}),
    "nadam_piecewise": (nadam_step, piecewise([2, 5], [0.1, 0.05, 0.01]), None, {}),
}

SCHEDULES = {
    "exponential": exponential_decay(0.1, 3, 0.5, False),
    "exponential_staircase": exponential_decay(0.1, 3, 0.5, True),
    "piecewise": piecewise([2, 5], [0.1, 0.05, 0.01]),
    "cosine": cosine(0.05, 6, 0.2),
    "cosine_warmup": cosine(0.0, 6, 0.1, 0.1, 3),
}


def torch_cross_check():
    """Plain, momentum and Nesterov SGD replayed with torch.optim.SGD must agree with the Keras formulas."""
    try:
        import torch
    except ImportError:
        print("// torch not available: SGD cross-check skipped", file=sys.stderr)
        return
    for name, momentum, nesterov in [("sgd", 0.0, False), ("sgd_momentum", 0.9, False), ("sgd_nesterov", 0.9, True)]:
        params = [torch.tensor(w.copy()) for w in W0]
        opt = torch.optim.SGD(params, lr=0.1, momentum=momentum, nesterov=nesterov)
        for _ in range(STEPS):
            for p, c, k in zip(params, C, K):
                p.grad = (p.detach() - torch.tensor(c)) * torch.tensor(k)
            opt.step()
        keras_final = run(*SCENARIOS[name][:3], **SCENARIOS[name][3])[1]
        diff = max(float(np.max(np.abs(p.detach().numpy() - w) / (1 + np.abs(w)))) for p, w in zip(params, keras_final))
        print(f"// torch cross-check {name}: max relative difference {diff:.2e}", file=sys.stderr)
        assert diff < 1e-5, f"{name}: PyTorch and the Keras formula disagree by {diff}"


def torch_formula_cross_check():
    """Adadelta, Adagrad, Adamax and Nadam against torch.optim with the options that make the formulas coincide."""
    try:
        import torch
    except ImportError:
        print("// torch not available: adaptive-optimizer cross-check skipped", file=sys.stderr)
        return
    cases = [
        ("adadelta", lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.95, eps=1e-7), adadelta_step, 1.0, {}),
        ("adadelta_large_epsilon", lambda p: torch.optim.Adadelta(p, lr=0.5, rho=0.8, eps=1e-2), adadelta_step, 0.5,
         {"rho": 0.8, "epsilon": 1e-2}),
        ("adagrad eps=0", lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=0.0), adagrad_step, 0.1,
         {"epsilon": 0.0}),
        ("adamax eps=0", lambda p: torch.optim.Adamax(p, lr=0.02, betas=(0.8, 0.95), eps=0.0), adamax_step, 0.02,
         {"beta1": 0.8, "beta2": 0.95, "epsilon": 0.0}),
        ("nadam", lambda p: torch.optim.NAdam(p, lr=0.01, eps=1e-7, momentum_decay=1.0, foreach=True), nadam_step, 0.01, {}),
        ("nadam_betas", lambda p: torch.optim.NAdam(p, lr=0.02, betas=(0.8, 0.95), eps=1e-4, momentum_decay=1.0, foreach=True), nadam_step,
         0.02, {"beta1": 0.8, "beta2": 0.95, "epsilon": 1e-4}),
    ]
    for name, make, step_fn, lr, options in cases:
        params = [torch.tensor(w.copy()) for w in W0]
        opt = make(params)
        for _ in range(STEPS):
            for p, c, k in zip(params, C, K):
                p.grad = (p.detach() - torch.tensor(c)) * torch.tensor(k)
            opt.step()
        keras_final = run(step_fn, lr, None, **options)[1]
        moved = max(float(np.max(np.abs(w - w0))) for w, w0 in zip(keras_final, W0))
        diff = max(float(np.max(np.abs(p.detach().numpy() - w) / (1 + np.abs(w)))) for p, w in zip(params, keras_final))
        print(f"// torch cross-check {name}: max relative difference {diff:.2e} (largest move {moved:.2e})", file=sys.stderr)
        assert diff < 1e-5 and diff < 1e-3 * moved, f"{name}: PyTorch and the Keras formula disagree by {diff}"


def fmt(values):
    return "[" + ", ".join(f"{float(x):.9g}f" for x in np.asarray(values).ravel()) + "]"


def main():
    torch_cross_check()
    torch_formula_cross_check()
    out = ["// <auto-generated>Written by tests/tools/optimizer_reference.py; do not edit by hand.</auto-generated>",
           "namespace Framework.Tests.Optimizers;", "",
           "/// <summary>Keras-formula reference values (NumPy float32); see tests/tools/optimizer_reference.py.</summary>",
           "internal static class OptimizerReferenceData", "{",
           f"    public const int Steps = {STEPS};", "",
           f"    public static readonly float[][] InitialWeights = [{fmt(W0[0])}, {fmt(W0[1])}];",
           f"    public static readonly float[][] Targets = [{fmt(C[0])}, {fmt(C[1])}];",
           f"    public static readonly float[][] Curvatures = [{fmt(K[0])}, {fmt(K[1])}];", "",
           "    /// <summary>Both variables after the first step and after the last step.</summary>",
           "    public static readonly Dictionary<string, (float[][] First, float[][] Last)> Trajectories = new()", "    {"]
    for name, (fn, lr, clipping, options) in SCENARIOS.items():
        first, last = run(fn, lr, clipping, **options)
        out.append(f"        [\"{name}\"] = ([{fmt(first[0])}, {fmt(first[1])}], [{fmt(last[0])}, {fmt(last[1])}]),")
    out += ["    };", "", "    /// <summary>Schedule values at steps 0..11, in float64.</summary>",
            "    public static readonly Dictionary<string, double[]> ScheduleValues = new()", "    {"]
    for name, at in SCHEDULES.items():
        out.append(f"        [\"{name}\"] = [" + ", ".join(repr(float(at(s))) for s in range(12)) + "],")
    out += ["    };", "}"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
