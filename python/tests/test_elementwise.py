"""Every elementwise op, forward and backward, float32 and float64, on every
supported ISA, against the high-precision references of reference.py with
the budgets of SPEC §4; plus NaN and ±inf behaviour."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actfn
from reference import SELU_LAMBDA, assert_close, derivative, unary_case, work_type

# (op, params) — defaults first, then non-default parameters.
CASES = [
    ("sigmoid", {}), ("tanh", {}), ("relu", {}), ("relu6", {}),
    ("hardtanh", {}), ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("leaky_relu", {}), ("leaky_relu", {"alpha": 0.2}),
    ("elu", {}), ("elu", {"alpha": 0.5}),
    ("selu", {}), ("silu", {}),
    ("swish", {}), ("swish", {"beta": 1.7}),
    ("hardsigmoid", {}), ("hardswish", {}),
    ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0}), ("softplus", {"beta": -0.5}),
    ("logsigmoid", {}), ("mish", {}), ("gelu", {}), ("gelu_tanh", {}),
]
# The SPEC §3 defaults of each op's parameters, which actfn must use.
DEFAULTS = {"hardtanh": {"min_val": -1.0, "max_val": 1.0}, "leaky_relu": {"alpha": 0.01}, "elu": {"alpha": 1.0},
            "swish": {"beta": 1.0}, "softplus": {"beta": 1.0, "threshold": 20.0}}
ALL_OPS = sorted({op for op, _ in CASES})


def case_id(case):
    op, params = case
    return op + "".join(f"-{k}={v}" for k, v in params.items())


def full_params(op, params):
    return {**DEFAULTS.get(op, {}), **params}


def make_inputs(T, rng):
    """A dense grid, random values, tiny and subnormal values, and the kinks."""
    fi = np.finfo(T)
    kinks = [0.0, -0.0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 6, -6, 5, 10, -10, 20, -20, 30, -30, 88, -88, 100, -100,
             1e-30, -1e-30, fi.tiny, -fi.tiny, fi.tiny / 4, -fi.tiny / 4]
    parts = [np.linspace(-12, 12, 2401), rng.standard_normal(400) * 5,
             np.exp(rng.uniform(-40, 4, 300)) * rng.choice([-1, 1], 300), np.array(kinks)]
    return np.concatenate(parts).astype(T)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_forward(case, dtype, isa, rng):
    op, params = case
    T = dtype
    x = make_inputs(T, rng)
    got = getattr(actfn, op)(x, **params)
    assert got.dtype == np.dtype(T) and got.shape == x.shape
    ref_case = unary_case(op, T, **full_params(op, params))
    if ref_case.exact:
        want = unary_case(op, T, work=T, **full_params(op, params)).fwd(x)
        np.testing.assert_array_equal(got, want)
        return
    xw = x.astype(work_type(T))
    with np.errstate(all="ignore"):
        ref = ref_case.fwd(xw)
        extra = 0 if ref_case.allowance is None else 2 * np.finfo(T).eps * ref_case.allowance(xw)
    assert_close(got, ref, T, ref_case.fwd_ulp, extra, what=f"{op} forward")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_backward(case, dtype, isa, rng):
    op, params = case
    T = dtype
    W = work_type(T)
    x = make_inputs(T, rng)
    dy = (rng.standard_normal(x.size) * 2).astype(T)
    ref_case = unary_case(op, T, **full_params(op, params))
    with np.errstate(all="ignore"):
        inp = ref_case.fwd(x.astype(W)).astype(T) if ref_case.from_y else x
        got = getattr(actfn, op + "_backward")(inp, dy, **params)
        assert got.dtype == np.dtype(T) and got.shape == x.shape
        if ref_case.exact:
            want = unary_case(op, T, work=T, **full_params(op, params)).bwd(x, dy, x)
            np.testing.assert_array_equal(got, want)
            return
        ref = ref_case.bwd(inp.astype(W), dy.astype(W), x.astype(W))
        # SPEC §4's floor: eps*|dy|, times (1 + |t * d f'/dt|) for ops with an inner argument.
        steep = 0
        if ref_case.allowance is not None:
            ones = np.ones(x.size, dtype=W)
            steep = np.abs(x.astype(W) * derivative(lambda v: ref_case.bwd(v, ones, v), x.astype(W)))
        floor = np.finfo(T).eps * np.abs(dy.astype(W)) * (1 + steep)
    assert_close(got, ref, T, ref_case.bwd_ulp, 2 * floor, what=f"{op} backward")


@pytest.mark.parametrize("op", ALL_OPS)
def test_nan_in_nan_out(op, dtype, isa):
    x = np.array([np.nan, 1.0, np.nan], dtype=dtype)
    y = getattr(actfn, op)(x)
    assert np.isnan(y[0]) and np.isnan(y[2]) and not np.isnan(y[1])


# The value of f at +inf and -inf (SPEC §3: the mathematical limit).
FORWARD_AT_INF = {
    "sigmoid": (1, 0), "tanh": (1, -1), "relu": (math.inf, 0), "relu6": (6, 0), "hardtanh": (1, -1),
    "leaky_relu": (math.inf, -math.inf), "elu": (math.inf, -1), "selu": (math.inf, -SELU_LAMBDA * 1.6732632423543772848),
    "silu": (math.inf, 0), "swish": (math.inf, 0), "hardsigmoid": (1, 0), "hardswish": (math.inf, 0),
    "softplus": (math.inf, 0), "logsigmoid": (0, -math.inf), "mish": (math.inf, 0), "gelu": (math.inf, 0),
    "gelu_tanh": (math.inf, 0),
}
# f'(x) in the limit x -> +inf and -inf, for the ops whose backward takes x.
SLOPE_AT_INF = {
    "relu": (1, 0), "relu6": (0, 0), "hardtanh": (0, 0), "leaky_relu": (1, 0.01), "elu": (1, 0),
    "selu": (SELU_LAMBDA, 0), "silu": (1, 0), "swish": (1, 0), "hardsigmoid": (0, 0), "hardswish": (1, 0),
    "softplus": (1, 0), "logsigmoid": (0, 1), "mish": (1, 0), "gelu": (1, 0), "gelu_tanh": (1, 0),
}
# Backward at x = NaN: NaN, except where the formula's branch picks a constant.
BACKWARD_AT_NAN = {"relu": 0, "relu6": 0, "hardtanh": 0, "leaky_relu": 0.01, "hardsigmoid": 0, "hardswish": 1}


@pytest.mark.parametrize("op", ALL_OPS)
def test_infinities(op, dtype, isa):
    T = dtype
    x = np.array([np.inf, -np.inf], dtype=T)
    y = getattr(actfn, op)(x)
    assert not np.isnan(y).any(), f"{op}({x}) = {y}"
    assert_close(y, np.array(FORWARD_AT_INF[op], dtype=np.float64), T, 4, what=f"{op} at ±inf")
    if op in SLOPE_AT_INF:
        dy = np.array([1.5, 1.5], dtype=T)
        dx = getattr(actfn, op + "_backward")(x, dy)
        want = np.array(SLOPE_AT_INF[op], dtype=np.float64) * np.float64(T(1.5))
        if op == "leaky_relu":
            want[1] = float(T(0.01) * T(1.5))
        assert_close(dx, want, T, 4, what=f"{op}_backward at ±inf")


@pytest.mark.parametrize("op", sorted(SLOPE_AT_INF))
def test_backward_at_nan(op, dtype, isa):
    T = dtype
    dx = getattr(actfn, op + "_backward")(np.array([np.nan], dtype=T), np.array([2.0], dtype=T))
    if op in BACKWARD_AT_NAN:
        assert dx[0] == T(BACKWARD_AT_NAN[op]) * T(2.0), f"{op}_backward(NaN) = {dx[0]}"
    else:
        assert np.isnan(dx[0]), f"{op}_backward(NaN) = {dx[0]}"


@pytest.mark.parametrize("op", ["sigmoid", "tanh"])
def test_backward_from_y_propagates_nan(op, dtype, isa):
    dx = getattr(actfn, op + "_backward")(np.array([np.nan, 0.5], dtype=dtype), np.array([1.0, 1.0], dtype=dtype))
    assert np.isnan(dx[0]) and np.isfinite(dx[1])
