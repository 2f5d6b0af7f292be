"""High-precision NumPy references for the actfn tests, and ULP comparison.

Forward and backward references are computed in a working type W wider than
the tested type T: float64 for float32 tests, np.longdouble (x87 extended on
x86-64, quad on AArch64) for float64 tests. Branch conditions that the
library evaluates in T (softplus's beta*x > threshold) are evaluated in T
here too, so both pick the same branch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Dict, Tuple

import numpy as np

SELU_LAMBDA = 1.0507009873554804934
SELU_ALPHA = 1.6732632423543772848
GELU_TANH_C = math.sqrt(2.0 / math.pi)
GELU_TANH_K = 0.044715


def work_type(dtype) -> type:
    return np.float64 if np.dtype(dtype) == np.float32 else np.longdouble


def sig(t):
    return 1 / (1 + np.exp(-t))


def _erfc(t):
    # math.erfc works in double; the float64 tests give gelu extra slack for it.
    return np.vectorize(lambda v: math.erfc(float(v)), otypes=[np.float64])(t).astype(t.dtype)


def _phi_cdf(x):
    return _erfc(-x / np.sqrt(x.dtype.type(2))) / 2


def _phi_pdf(x):
    return np.exp(-x * x / 2) / np.sqrt(2 * x.dtype.type(math.pi))


def _softplus_branch(x, T, beta, threshold):
    """The linear branch mask, with beta*x rounded to T as the library does."""
    return (T(beta) * x.astype(T)) > T(threshold)


def _gelu_tanh_parts(x):
    u = GELU_TANH_C * (x + GELU_TANH_K * x ** 3)
    s = sig(2 * u)
    return u, s


@dataclass
class UnaryCase:
    """One elementwise op: its references in W and its SPEC §4 budget."""
    fwd: Callable
    bwd: Callable                 # (in, dy, x) -> dx, in = x or y
    from_y: bool = False          # backward takes the forward output
    fwd_ulp: float = 4
    bwd_ulp: float = 8
    exact: bool = False           # piecewise-linear: correctly rounded
    allowance: Callable = None    # |t * df/dt| for the inner-argument allowance A
    params: Dict[str, float] = field(default_factory=dict)


def unary_case(op: str, T, work=None, **params) -> UnaryCase:
    """The reference of elementwise op ``op`` for dtype T and ``params``,
    computed in ``work`` (default: the wide type of T; the exact ops are
    checked with work=T, where IEEE arithmetic rounds correctly)."""
    p = {k: float(T(v)) for k, v in params.items()}  # the values the C call receives
    W = work or work_type(T)
    P = {k: W(v) for k, v in p.items()}
    if op == "sigmoid":
        return UnaryCase(sig, lambda y, dy, x: dy * y * (1 - y), from_y=True)
    if op == "tanh":
        return UnaryCase(np.tanh, lambda y, dy, x: dy * (1 - y) * (1 + y), from_y=True)
    if op == "relu":
        return UnaryCase(lambda x: np.where(x > 0, x, 0), lambda x, dy, _: np.where(x > 0, dy, 0), exact=True)
    if op == "relu6":
        return UnaryCase(lambda x: np.minimum(np.maximum(x, 0), 6),
                         lambda x, dy, _: np.where((x > 0) & (x < 6), dy, 0), exact=True)
    if op == "hardtanh":
        lo, hi = P["min_val"], P["max_val"]
        return UnaryCase(lambda x: np.minimum(np.maximum(x, lo), hi),
                         lambda x, dy, _: np.where((x > lo) & (x < hi), dy, 0), exact=True)
    if op == "leaky_relu":
        a = P["alpha"]
        return UnaryCase(lambda x: np.where(x > 0, x, a * x), lambda x, dy, _: np.where(x > 0, dy, a * dy),
                         exact=True)
    if op == "elu":
        a = P["alpha"]
        return UnaryCase(lambda x: np.where(x > 0, x, a * np.expm1(x)),
                         lambda x, dy, _: np.where(x > 0, dy, dy * a * np.exp(x)))
    if op == "selu":
        lam, al = W(SELU_LAMBDA), W(SELU_ALPHA)
        return UnaryCase(lambda x: lam * np.where(x > 0, x, al * np.expm1(x)),
                         lambda x, dy, _: lam * np.where(x > 0, dy, dy * al * np.exp(x)))
    if op == "silu":
        return UnaryCase(lambda x: x * sig(x), lambda x, dy, _: dy * sig(x) * (1 + x * sig(-x)))
    if op == "swish":
        b = P["beta"]
        return UnaryCase(lambda x: x * sig(b * x),
                         lambda x, dy, _: dy * (sig(b * x) + b * x * sig(b * x) * sig(-b * x)),
                         allowance=lambda x: np.abs(b * x * x * sig(b * x) * sig(-b * x)))
    if op == "hardsigmoid":
        return UnaryCase(lambda x: np.minimum(np.maximum(x + 3, 0), 6) / 6,
                         lambda x, dy, _: np.where((x > -3) & (x < 3), dy / 6, 0), fwd_ulp=2, bwd_ulp=2)
    if op == "hardswish":
        return UnaryCase(lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6,
                         lambda x, dy, _: np.where(x <= -3, 0, np.where(x < 3, dy * (x / 3 + W(0.5)), dy)),
                         fwd_ulp=2, bwd_ulp=2)
    if op == "softplus":
        b, thr = P["beta"], p["threshold"]
        lin = lambda x: _softplus_branch(x, T, p["beta"], thr)
        return UnaryCase(lambda x: np.where(lin(x), x, np.log1p(np.exp(b * x)) / b),
                         lambda x, dy, _: np.where(lin(x), dy, dy * sig(b * x)),
                         allowance=None if p["beta"] == 1 else lambda x: np.abs(b * x * sig(b * x) / b))
    if op == "logsigmoid":
        return UnaryCase(lambda x: np.where(x < 0, x - np.log1p(np.exp(x)), -np.log1p(np.exp(-x))),
                         lambda x, dy, _: dy * sig(-x))
    if op == "mish":
        def mish_bwd(x, dy, _):
            sp = np.log1p(np.exp(x))
            return dy * (np.tanh(sp) + x * sig(x) / np.cosh(sp) ** 2)
        return UnaryCase(lambda x: x * np.tanh(np.log1p(np.exp(x))), mish_bwd)
    if op == "gelu":
        slack = 0 if T == np.float32 else 4  # math.erfc is a double-precision reference
        return UnaryCase(lambda x: x * _phi_cdf(x), lambda x, dy, _: dy * (_phi_cdf(x) + x * _phi_pdf(x)),
                         fwd_ulp=4 + slack, bwd_ulp=8 + slack, allowance=lambda x: x * x * _phi_pdf(x))
    if op == "gelu_tanh":
        def gt_fwd(x):
            return x * _gelu_tanh_parts(x)[1]

        def gt_bwd(x, dy, _):
            u, s = _gelu_tanh_parts(x)
            du = GELU_TANH_C * (1 + 3 * GELU_TANH_K * x * x)
            return dy * (s + x * 2 * s * sig(-2 * u) * du)

        def gt_allow(x):
            u, s = _gelu_tanh_parts(x)
            return np.abs(u * 2 * x * s * sig(-2 * u))
        return UnaryCase(gt_fwd, gt_bwd, allowance=gt_allow)
    raise KeyError(op)


def ulps_allowed(ref, T, ulps, extra_abs=0.0):
    """Allowed absolute error: ``ulps`` ULPs of ref in T, plus the smallest
    normal of T (SPEC §4's floor for subnormal results) and ``extra_abs``."""
    fi = np.finfo(T)
    mag = np.abs(ref).astype(T)
    ulp = np.spacing(np.where(np.isfinite(mag), mag, 0).astype(T)).astype(ref.dtype)  # inf: checked apart
    return ulps * ulp + ref.dtype.type(fi.tiny) + extra_abs


def assert_close(got, ref, T, ulps, extra_abs=0.0, what=""):
    """got (dtype T) matches ref (in W) within the allowance; NaN and inf exactly."""
    assert got.dtype == np.dtype(T), what
    ref = np.asarray(ref)
    got_w = got.astype(ref.dtype)
    nan_ref, nan_got = np.isnan(ref), np.isnan(got_w)
    assert np.array_equal(nan_ref, nan_got), f"{what}: NaN positions differ at {np.flatnonzero(nan_ref != nan_got)[:5]}"
    ref_t = ref.astype(T)
    inf = np.isinf(ref_t) & ~nan_ref
    assert np.array_equal(got[inf], ref_t[inf]), f"{what}: infinite results differ"
    fin = ~inf & ~nan_ref
    err = np.abs(got_w[fin] - ref[fin])
    allowed = np.broadcast_to(ulps_allowed(ref, T, ulps, extra_abs), ref.shape)[fin]
    bad = np.flatnonzero(~(err <= allowed))
    if bad.size:
        i = bad[np.argmax((err / allowed)[bad])]
        raise AssertionError(f"{what}: {bad.size} of {err.size} results out of budget; worst: got {got_w[fin][i]!r}"
                             f" want {ref[fin][i]!r} (error {err[i]:.3g}, allowed {allowed[i]:.3g})")


def derivative(fprime: Callable, x):
    """A central-difference estimate of d fprime / dx in W (for the gradient
    floor of SPEC §4: eps*|dy|*(1 + |t * d f'/dt|))."""
    h = np.maximum(np.abs(x), 1) * x.dtype.type(1e-5)
    return (fprime(x + h) - fprime(x - h)) / (2 * h)


def softmax_ref(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax_ref(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    t = x - m
    return t - np.log(np.sum(np.exp(t), axis=axis, keepdims=True))


def rows_allowance(x, axis, log: bool, T) -> Tuple[float, np.ndarray]:
    """(ULP count, absolute allowance) of SPEC §4 for softmax/log_softmax of
    x (in W) along ``axis``: 4 + log2(cols) ULP plus A, and for log_softmax
    also that many eps absolute."""
    cols = x.shape[axis]
    eps = x.dtype.type(np.finfo(T).eps)
    ulps = 4 + math.log2(max(cols, 1))
    t = x - np.max(x, axis=axis, keepdims=True)
    p = softmax_ref(x, axis)
    sum_tp = np.sum(np.abs(t) * p, axis=axis, keepdims=True)
    if log:
        return ulps, 2 * eps * (np.abs(t) + sum_tp) + ulps * eps
    return ulps, 2 * eps * p * (np.abs(t) + sum_tp)


# ---- 16-bit storage types (SPEC §9) ---------------------------------------------

def ordered(values) -> np.ndarray:
    """The IEEE bit patterns of a float16/float32/float64 array, or of
    bfloat16 bit patterns (a uint16 array), as signed integers in the
    order of the values: consecutive representable numbers differ by 1,
    and -0 and +0 are both 0."""
    values = np.asarray(values)
    width = values.dtype.itemsize * 8
    bits = values.view(f"u{values.dtype.itemsize}").astype(np.int64) if width < 64 else values.view(np.int64)
    sign = np.int64(1) << (width - 1)
    if width < 64:
        return np.where(bits & sign, -(bits & (sign - 1)), bits)
    return np.where(bits < 0, -(bits & np.int64(0x7FFFFFFFFFFFFFFF)), bits)


def steps_apart(a, b) -> np.ndarray:
    """How many representable numbers of their (one) type apart a and b are."""
    return np.abs(ordered(a) - ordered(b))
