"""bfloat16 and float16 (SPEC §9) through the package: every op, forward and
backward, on the _bf16 and _f16 kernels of every supported ISA, against
the float64 references of reference.py rounded to the type (half_reference.py:
the correctly rounded result or one step away, plus the float32 budget's
absolute floor; the piecewise-linear ops exactly). The elementwise ops run
on every one of the 65536 bit patterns. Also the special values (NaN,
±inf, overflow on rounding, subnormals), reproducible mode and threads.

The NumPy rules for the two types (dtypes, dtype=, out=, scalars, bad
input), the bfloat16 helpers and PyTorch are in test_half_api.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import actfn
from actfn import _lib
from half_reference import EPS32, HALVES, Half, check, each_isa, isa_set
from reference import derivative, log_softmax_ref, rows_allowance, softmax_ref, unary_case
from test_elementwise import BACKWARD_AT_NAN, CASES, FORWARD_AT_INF, SLOPE_AT_INF, case_id, full_params

UNARY = [op for op, _ in _lib.UNARY_OPS]
GATES = {op: (act, gate) for op, act, gate in _lib.GLU_OPS}


@pytest.fixture(params=HALVES, ids=lambda h: h.name)
def half(request) -> Half:
    return request.param


def ref_case(op, params):
    """The op's reference as the 16-bit kernels compute it: float32
    parameters and branch conditions, evaluated in float64."""
    return unary_case(op, np.float32, work=np.float64, **full_params(op, params))


def forward_extra(case, xw):
    """The float32 budget's absolute part of a forward: the inner-argument allowance A."""
    return 0.0 if case.allowance is None else 2 * EPS32 * case.allowance(xw)


def backward_floor(case, xw, dyw):
    """The float32 budget's absolute part of a backward: eps32*|dy|*(1 + |t f''/f'|), doubled as
    test_elementwise doubles it."""
    steep = 0
    if case.allowance is not None:
        ones = np.ones(xw.shape)
        steep = np.abs(xw * derivative(lambda v: case.bwd(v, ones, v), xw))
    return 2 * EPS32 * np.abs(dyw) * (1 + steep)


def finite_patterns(half: Half) -> np.ndarray:
    x = half.patterns()
    return x[~half.is_nan(x) & np.isfinite(half.values(x))]


# ---- elementwise: every bit pattern -------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_forward_on_every_pattern(case, half):
    op, params = case
    x = finite_patterns(half)
    xw = half.values(x)
    rc = ref_case(op, params)
    with np.errstate(all="ignore"):
        ref = rc.fwd(xw)
        extra = forward_extra(rc, xw)
    for isa in each_isa():
        got = half.call(getattr(actfn, op), x, **params)
        assert got.shape == x.shape
        check(got, ref, half, extra, exact=rc.exact, what=f"{op} {half.name} forward on {isa}")


def backward_inputs(half: Half, op: str, rng):
    """(in, dy): every finite pattern as x — as y for sigmoid and tanh, every
    pattern in their range [0, 1] and [-1, 1] — and random dy."""
    x = finite_patterns(half)
    if op in ("sigmoid", "tanh"):
        v = half.values(x)
        x = x[(v >= (0 if op == "sigmoid" else -1)) & (v <= 1)]
    dy = half.round(rng.standard_normal(x.size) * 2)
    return x, dy


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_backward_on_every_pattern(case, half, rng):
    op, params = case
    x, dy = backward_inputs(half, op, rng)
    xw, dyw = half.values(x), half.values(dy)
    rc = ref_case(op, params)
    with np.errstate(all="ignore"):
        ref = rc.bwd(xw, dyw, xw)
        floor = 0 if rc.exact else backward_floor(rc, xw, dyw)
    for isa in each_isa():
        got = half.call(getattr(actfn, op + "_backward"), x, dy, **params)
        check(got, ref, half, floor, exact=rc.exact, what=f"{op} {half.name} backward on {isa}")


# ---- special values ----------------------------------------------------------------

def nan_patterns(half: Half) -> np.ndarray:
    """Quiet and signalling NaNs of both signs, with small and large payloads."""
    e, q = half.exp_mask, half.quiet_bit
    bits = [e | q, e | 1, e | q | 5, 0x8000 | e | q, 0x8000 | e | 1, e | (0x7FFF ^ e)]
    return np.array(bits, np.uint16).view(half.storage)


@pytest.mark.parametrize("op", UNARY)
def test_nan_in_quiet_nan_out(op, half):
    x = np.concatenate([nan_patterns(half), half.round([1.0])])
    for isa in each_isa():
        y = half.call(getattr(actfn, op), x)
        assert half.is_nan(y[:-1]).all() and not half.is_nan(y[-1:]).any(), f"{op} on {isa}: {half.bits(y)}"
        assert (half.bits(y[:-1]) & half.quiet_bit).all(), f"{op} on {isa}: not quiet: {half.bits(y)}"


@pytest.mark.parametrize("op", UNARY)
def test_infinities(op, half):
    x = half.round([np.inf, -np.inf])
    for isa in each_isa():
        check(half.call(getattr(actfn, op), x), FORWARD_AT_INF[op], half, what=f"{op} at ±inf on {isa}")
        if op in SLOPE_AT_INF:
            dy = half.round([1.5, 1.5])
            want = np.array(SLOPE_AT_INF[op], np.float64) * 1.5
            if op == "leaky_relu":
                want[1] = float(np.float32(0.01)) * 1.5
            check(half.call(getattr(actfn, op + "_backward"), x, dy), want, half,
                  what=f"{op}_backward at ±inf on {isa}")


@pytest.mark.parametrize("op", sorted(SLOPE_AT_INF))
def test_backward_at_nan(op, half):
    dx = half.call(getattr(actfn, op + "_backward"), nan_patterns(half)[:2], half.round([2.0, 2.0]))
    if op in BACKWARD_AT_NAN:
        check(dx, np.full(2, float(np.float32(BACKWARD_AT_NAN[op])) * 2), half, what=f"{op}_backward(NaN)")
    else:
        assert half.is_nan(dx).all(), f"{op}_backward(NaN) = {half.values(dx)}"


def test_overflow_on_rounding_gives_inf(half):
    """A result beyond the largest finite value by half a unit or more is ±inf
    (ties to even: the midpoint itself is inf); just below the midpoint it
    is the largest finite value."""
    big = half.values(np.array([half.max_finite], np.uint16).view(half.storage))[0]
    gap = half.ulp(np.array([half.max_finite], np.uint16).view(half.storage))[0]
    midpoint = big + gap / 2  # 65520 for float16, (2 - 2**-8) * 2**127 for bfloat16
    # leaky_relu is exact: alpha * x rounds once; x a power of two, alpha the float32 that lands on the midpoint.
    x = 2.0 ** (12 if half.name == "f16" else 120)
    alpha = midpoint / x
    assert float(np.float32(alpha)) == alpha
    below = float(np.nextafter(np.float32(alpha), np.float32(0)))
    for isa in each_isa():
        y = half.call(actfn.leaky_relu, half.round([-x, -x]), alpha=alpha)
        assert half.values(y)[0] == -np.inf, f"leaky_relu at the midpoint on {isa}: {half.values(y)}"
        y = half.call(actfn.leaky_relu, half.round([-x]), alpha=below)
        assert half.values(y)[0] == -big, f"below the midpoint on {isa}: {half.values(y)}"
        # selu of the largest finite value: lambda * max rounds to inf; hardtanh never overflows.
        top = np.array([half.max_finite, 0x8000 | half.max_finite], np.uint16).view(half.storage)
        np.testing.assert_array_equal(half.values(half.call(actfn.selu, top))[:1], [np.inf])
        np.testing.assert_array_equal(half.values(half.call(actfn.hardtanh, top, -np.inf, np.inf)), [big, -big])
        # a backward overflows too: leaky_relu_backward's alpha * dy
        dx = half.call(actfn.leaky_relu_backward, half.round([-1.0]), half.round([-x]), alpha=alpha)
        assert half.values(dx)[0] == -np.inf


def test_float16_subnormals_in_and_out():
    """binary16's subnormals (2**-24 ... 2**-14) are ordinary numbers both ways."""
    half = HALVES[0]
    sub = np.arange(1, 1024, dtype=np.uint16).view(np.float16)  # every positive subnormal
    x = np.concatenate([sub, -sub])
    xv = x.astype(np.float64)
    for isa in each_isa():
        np.testing.assert_array_equal(actfn.relu(x).view(np.uint16), np.where(xv > 0, x, np.float16(0)).view(np.uint16))
        # alpha * x rounds once, ties to even: 2**-24 * 0.5 is a tie between 0 and 2**-24, so 0
        y = actfn.leaky_relu(x, alpha=0.5)
        check(y, np.where(xv > 0, xv, 0.5 * xv), half, exact=True, what=f"leaky_relu on subnormals ({isa})")
        assert actfn.leaky_relu(np.array([-2.0 ** -24], np.float16), alpha=0.5).view(np.uint16)[0] == 0x8000
        assert actfn.leaky_relu(np.array([-3 * 2.0 ** -24], np.float16), alpha=0.5)[0] == -2 * 2.0 ** -24
        # silu(x) = x/2 + x**2/4 + ...: subnormal results from subnormal inputs
        y = actfn.silu(x)
        assert (np.abs(y[y != 0]) < 2.0 ** -14).all()
        check(y, xv / (1 + np.exp(-xv)), half, what=f"silu on subnormals ({isa})")
        check(actfn.relu_backward(x, x), np.where(xv > 0, xv, 0), half, exact=True, what="relu_backward")


def test_bfloat16_subnormals_in_and_out():
    half = HALVES[1]
    sub = np.arange(1, 128, dtype=np.uint16)  # every positive bfloat16 subnormal (2**-133 ... 2**-126)
    x = np.concatenate([sub, sub | np.uint16(0x8000)])
    xv = half.values(x)
    for isa in each_isa():
        check(actfn.relu(x, dtype="bfloat16"), np.maximum(xv, 0), half, exact=True, what=f"relu ({isa})")
        check(actfn.leaky_relu(x, 0.25, dtype="bfloat16"), np.where(xv > 0, xv, float(np.float32(0.25)) * xv),
              half, exact=True, what=f"leaky_relu ({isa})")
        check(actfn.tanh(x, dtype="bfloat16"), np.tanh(xv), half, what=f"tanh ({isa})")


# ---- softmax, log_softmax, prelu, maxout --------------------------------------------

SHAPE_AXES = [((7,), 0), ((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((4, 1, 33), -1), ((2, 300), -1)]


def half_normal(half: Half, shape, rng, scale=1.0):
    return half.round(rng.standard_normal(shape) * scale).reshape(shape)


@pytest.mark.parametrize("shape_axis", SHAPE_AXES, ids=lambda sa: f"{sa[0]}-axis{sa[1]}")
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_softmax(log, shape_axis, half, rng):
    shape, axis = shape_axis
    x = half_normal(half, shape, rng, 4)
    xw = half.values(x)
    ref = (log_softmax_ref if log else softmax_ref)(xw, axis)
    ulps, extra = rows_allowance(xw, axis, log, np.float32)
    extra = extra + ulps * np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)
    dy = half_normal(half, shape, rng)
    yb, dyw = half.round(ref), half.values(dy)
    yw = half.values(yb)
    if log:
        ey = np.exp(yw)
        dref = dyw - ey * np.sum(dyw, axis=axis, keepdims=True)
        floor = EPS32 * (np.abs(dyw) + ey * np.sum(np.abs(dyw), axis=axis, keepdims=True))
    else:
        dref = yw * (dyw - np.sum(dyw * yw, axis=axis, keepdims=True))
        floor = EPS32 * yw * (np.abs(dyw) + np.sum(np.abs(dyw * yw), axis=axis, keepdims=True))
    floor = 8 * floor + 8 * np.spacing(np.abs(dref).astype(np.float32)).astype(np.float64)
    fwd, bwd = (actfn.log_softmax, actfn.log_softmax_backward) if log else (actfn.softmax, actfn.softmax_backward)
    for isa in each_isa():
        got = half.call(fwd, x, axis=axis)
        assert got.shape == x.shape and got.flags.c_contiguous
        check(got, ref, half, extra, what=f"{fwd.__name__} {shape} axis {axis} on {isa}")
        check(half.call(bwd, yb, dy, axis=axis), dref, half, floor, what=f"{bwd.__name__} on {isa}")


def test_softmax_special_rows(half):
    inf, nan = np.inf, np.nan
    x = half.round([[1.0, nan, 2.0], [-inf, 3.0, -inf], [inf, 0.0, inf], [-inf, -inf, -inf]])
    for isa in each_isa():
        y = half.values(half.call(actfn.softmax, x))
        assert np.isnan(y[0]).all() and np.isnan(y[3]).all()
        np.testing.assert_array_equal(y[1], [0, 1, 0])
        np.testing.assert_array_equal(y[2], [0.5, 0, 0.5])


PRELU_SHAPES = [((4, 3), 1), ((2, 3, 5), 1), ((2, 3, 4, 5), -1), ((6, 2), 0), ((2, 3, 300), 1)]


def along(v, ndim, axis):
    shape = [1] * ndim
    shape[axis] = -1
    return v.reshape(shape)


@pytest.mark.parametrize("shape_axis", PRELU_SHAPES, ids=lambda sa: f"{sa[0]}-axis{sa[1]}")
def test_prelu(shape_axis, half, rng):
    shape, axis = shape_axis
    x = half_normal(half, shape, rng, 3)
    x.reshape(-1)[0] = half.round([0.0])[0]
    alpha = half.round(rng.uniform(-0.5, 0.5, shape[axis]))
    dy = half_normal(half, shape, rng)
    xw, aw, dyw = half.values(x), along(half.values(alpha), x.ndim, axis), half.values(dy)
    terms = np.moveaxis(np.where(xw > 0, 0, xw * dyw), axis, 0).reshape(shape[axis], -1)
    bound = 4 * max(1, math.log2(terms.shape[1])) * EPS32 * np.abs(terms).sum(axis=1)
    for isa in each_isa():
        y = half.call(actfn.prelu, x, alpha, axis=axis)
        check(y, np.where(xw > 0, xw, aw * xw), half, exact=True, what=f"prelu on {isa}")
        dx, dalpha = half.call(actfn.prelu_backward, x, alpha, dy, axis=axis)
        check(dx, np.where(xw > 0, dyw, aw * dyw), half, exact=True, what=f"prelu dx on {isa}")
        assert dalpha.shape == alpha.shape
        check(dalpha, terms.sum(axis=1), half, bound, what=f"prelu dalpha on {isa}")


MAXOUT_CASES = [((4, 6), 2, -1), ((2, 6, 3), 3, 1), ((6,), 2, 0), ((3, 4), 4, -1), ((2, 3, 4, 4), 2, -2)]


@pytest.mark.parametrize("case", MAXOUT_CASES, ids=lambda c: f"{c[0]}-k{c[1]}-axis{c[2]}")
def test_maxout(case, half, rng):
    from test_shaped import maxout_ref
    shape, k, axis = case
    x = half.round(rng.integers(-3, 4, shape)).reshape(shape)  # small integers: many ties
    x.reshape(-1)[1] = nan_patterns(half)[0]
    xw = half.values(x)
    want, grouped_shape, sel = maxout_ref(xw, k, axis)
    dy = half.round(rng.standard_normal(want.shape) + 5).reshape(want.shape)
    ax = axis % x.ndim
    want_dx = np.zeros(grouped_shape)
    np.put_along_axis(want_dx, np.expand_dims(sel, ax + 1), np.expand_dims(half.values(dy), ax + 1), axis=ax + 1)
    for isa in each_isa():
        y = half.call(actfn.maxout, x, k, axis=axis)
        check(y, want, half, exact=True, what=f"maxout on {isa}")
        dx = half.call(actfn.maxout_backward, x, dy, k, axis=axis)
        check(dx, want_dx.reshape(shape), half, exact=True, what=f"maxout_backward on {isa}")


# ---- gated ops and fused bias ops -------------------------------------------------

@pytest.mark.parametrize("op", list(GATES))
def test_gated(op, half, rng):
    """y = act(g) * v with the gate's budget; split and two-array forms alike."""
    act, gate = GATES[op]
    x = half_normal(half, (6, 2 * 37), rng, 3)
    a, b = np.split(x, 2, axis=-1)
    g, v = (b, a) if gate == "b" else (a, b)
    gw, vw = half.values(g), half.values(v)
    dy = half_normal(half, a.shape, rng, 2)
    dyw = half.values(dy)
    rc = ref_case(act, {})
    with np.errstate(all="ignore"):
        f = rc.fwd(gw)
        fprime = rc.bwd(rc.fwd(gw) if rc.from_y else gw, np.ones_like(gw), gw)
        extra_f = 0 if rc.exact else np.abs(vw) * (forward_extra(rc, gw) + 4 * np.spacing(np.abs(f).astype(
            np.float32)).astype(np.float64))
        floor_g = 0 if rc.exact else np.abs(vw) * (backward_floor(rc, gw, dyw) + 8 * np.spacing(
            np.abs(fprime * dyw).astype(np.float32)).astype(np.float64))
        extra_v = 0 if rc.exact else np.abs(dyw) * (forward_extra(rc, gw) + 4 * np.spacing(np.abs(f).astype(
            np.float32)).astype(np.float64))
    for isa in each_isa():
        y = half.call(getattr(actfn, op), x)
        check(y, f * vw, half, extra_f, what=f"{op} on {isa}")
        check(half.call(getattr(actfn, op), np.ascontiguousarray(a), np.ascontiguousarray(b)), f * vw, half,
              extra_f, what=f"{op}(a, b) on {isa}")
        da, db = half.call(getattr(actfn, op + "_backward"), np.ascontiguousarray(a), np.ascontiguousarray(b), dy)
        dg, dv = (db, da) if gate == "b" else (da, db)
        check(dg, fprime * dyw * vw, half, floor_g, what=f"{op} backward, gate side, on {isa}")
        check(dv, dyw * f, half, extra_v, what=f"{op} backward, other side, on {isa}")
        dx = half.call(getattr(actfn, op + "_backward"), x, dy)
        np.testing.assert_array_equal(half.bits(dx), half.bits(np.concatenate((da, db), axis=-1)))


BIAS_CASES = [(op, {}) for op in UNARY] + [("leaky_relu", {"alpha": 0.2}), ("softplus", {"beta": 2.0,
                                                                                         "threshold": 5.0})]


@pytest.mark.parametrize("case", BIAS_CASES, ids=case_id)
def test_bias(case, half, rng):
    """y = op(x + bias[c]), the sum rounded to float32 (the kernels compute in
    float32), then op; dbias[c] = the sum of the returned dx over the other
    axes (as for float32 and float64: the dx the caller gets, summed in
    float32), bounded as prelu's dalpha, and rounded once."""
    op, params = case
    shape, axis = (3, 5, 40), 1
    x = half_normal(half, shape, rng, 4)
    bias = half.round(rng.uniform(-2, 2, shape[axis]))
    dy = half_normal(half, shape, rng, 2)
    s = (half.values(x) + along(half.values(bias), x.ndim, axis)).astype(np.float32).astype(np.float64)
    dyw = half.values(dy)
    rc = ref_case(op, params)
    with np.errstate(all="ignore"):
        ref = rc.fwd(s)
        dref = rc.bwd(rc.fwd(s) if rc.from_y else s, dyw, s)
        extra = 0 if rc.exact else forward_extra(rc, s)
        floor = 0 if rc.exact else backward_floor(rc, s, dyw)
    for isa in each_isa():
        y = half.call(getattr(actfn, "bias_" + op), x, bias, **params, axis=axis)
        check(y, ref, half, extra, exact=rc.exact, what=f"bias_{op} on {isa}")
        dx, dbias = half.call(getattr(actfn, f"bias_{op}_backward"), x, bias, dy, **params, axis=axis)
        check(dx, dref, half, floor, exact=rc.exact, what=f"bias_{op}_backward dx on {isa}")
        terms = np.moveaxis(half.values(dx), axis, 0).reshape(shape[axis], -1)
        bound = 4 * max(1, math.log2(terms.shape[1])) * EPS32 * np.abs(terms).sum(axis=1)
        check(dbias, terms.sum(axis=1), half, bound, what=f"bias_{op}_backward dbias on {isa}")


# ---- modes and threads -----------------------------------------------------------------

def test_reproducible_mode_is_bit_identical_on_every_isa(half, rng):
    x = half_normal(half, (8, 129), rng, 5)
    dy = half_normal(half, x.shape, rng)
    alpha = half.round(np.linspace(-0.3, 0.3, 8))
    calls = {
        "gelu": lambda: half.call(actfn.gelu, x), "mish_backward": lambda: half.call(actfn.mish_backward, x, dy),
        "softmax": lambda: half.call(actfn.softmax, x), "swiglu": lambda: half.call(actfn.swiglu, x[:, :128]),
        "log_softmax_backward": lambda: half.call(actfn.log_softmax_backward, x, dy),
        "prelu dalpha": lambda: half.call(actfn.prelu_backward, x, alpha, dy, axis=0)[1],
        "bias_gelu_tanh dbias": lambda: half.call(actfn.bias_gelu_tanh_backward, x, alpha, dy, axis=0)[1],
    }
    before = actfn.get_mode()
    actfn.set_mode("reproducible")
    try:
        results = {isa: {name: half.bits(call()).copy() for name, call in calls.items()} for isa in each_isa()}
    finally:
        actfn.set_mode(before)
    first = next(iter(results.values()))
    for isa, got in results.items():
        for name in calls:
            np.testing.assert_array_equal(got[name], first[name], err_msg=f"{name} on {isa}")


def test_every_thread_count_gives_the_same_bits(half, rng):
    x = half_normal(half, (64, 4096), rng, 3)  # large enough to be split
    dy = half_normal(half, x.shape, rng)
    bias = half.round(np.linspace(-1, 1, 64))
    before = actfn.get_num_threads()
    results = []
    try:
        for n in (1, 2, 3):
            actfn.set_num_threads(n)
            results.append([half.bits(r).copy() for r in (
                half.call(actfn.silu, x), half.call(actfn.softmax, x),
                *half.call(actfn.bias_elu_backward, x, bias, dy, axis=0))])
    finally:
        actfn.set_num_threads(before)
    for got in results[1:]:
        for a, b in zip(got, results[0]):
            np.testing.assert_array_equal(a, b)


def test_the_isa_helper_restores_the_isa():
    before = actfn.get_isa()
    with isa_set("scalar"):
        assert actfn.get_isa() == "scalar"
    assert actfn.get_isa() == before
