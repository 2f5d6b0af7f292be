"""The gated ops (glu, swiglu, geglu, geglu_tanh, reglu) and the fused bias
ops (bias_<op> for every elementwise op) of SPEC §11 through Python: forward
and backward, float32 and float64, on every supported ISA, against the
high-precision references of reference.py (the gate's budget plus one
rounding of the product; a bias op's budget at the rounded sum); the split
and two-array forms, axes, out= and in place, dtype promotion, errors, and
PyTorch where it can be imported."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import actfn
from actfn import _errors, _lib
from reference import assert_close, derivative, ulps_allowed, unary_case, work_type

GATES = {op: (act, gate) for op, act, gate in _lib.GLU_OPS}
GATED = [op for op, _, _ in _lib.GLU_OPS]
UNARY = [op for op, _ in _lib.UNARY_OPS]
# SPEC §3's defaults, and the non-default parameters the bias ops are also run with.
DEFAULTS = {op: dict(params) for op, params in _lib.UNARY_OPS}
BIAS_CASES = [(op, {}) for op in UNARY] + [
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}), ("leaky_relu", {"alpha": 0.2}), ("elu", {"alpha": 0.5}),
    ("swish", {"beta": 1.7}), ("softplus", {"beta": 2.0, "threshold": 5.0}), ("softplus", {"beta": -0.5})]


def case_id(case):
    op, params = case
    return op + "".join(f"-{k}={v}" for k, v in params.items())


def shape_id(sa):
    return f"{'x'.join(map(str, sa[0]))}-axis{sa[1]}"


# ---- reference budgets of one activation ------------------------------------

def act_grad(case, xw, dyw):
    """f'(x) * dy in W, from x (also for sigmoid and tanh, whose case takes y)."""
    return case.bwd(case.fwd(xw) if case.from_y else xw, dyw, xw)


def fwd_allowance(case, xw, ref, T):
    """The absolute error f(x) may have in T (SPEC §4 with the inner-argument allowance)."""
    if case.exact:
        return ulps_allowed(ref, T, 0.5)
    extra = 0 if case.allowance is None else 2 * np.finfo(T).eps * case.allowance(xw)
    return ulps_allowed(ref, T, case.fwd_ulp, extra)


def grad_allowance(case, xw, dyw, ref, T):
    """The absolute error f'(x) * dy may have in T (8 ULP, floor eps*|dy|*(1 + steepness))."""
    if case.exact:
        return ulps_allowed(ref, T, 0.5)
    steep = 0
    if case.allowance is not None:
        ones = np.ones(xw.shape, dtype=xw.dtype)
        steep = np.abs(xw * derivative(lambda v: act_grad(case, v, ones), xw))
    floor = np.finfo(T).eps * np.abs(dyw) * (1 + steep)
    return ulps_allowed(ref, T, case.bwd_ulp, 2 * floor)


# ---- gated ops: references ----------------------------------------------------

def gate_and_value(op, a, b):
    """(g, v): the array the activation applies to, and the other one."""
    return (b, a) if GATES[op][1] == "b" else (a, b)


def check_gated_forward(op, a, b, got, T):
    assert got.dtype == np.dtype(T) and got.shape == a.shape
    act = GATES[op][0]
    g, v = gate_and_value(op, a, b)
    if act == "relu":  # relu(g) is exact: one rounding of the product
        np.testing.assert_array_equal(got, np.where(g > 0, g, T(0)) * v)
        return
    W = work_type(T)
    case = unary_case(act, T)
    gw, vw = g.astype(W), v.astype(W)
    with np.errstate(all="ignore"):
        f = case.fwd(gw)
        allowed = np.abs(vw) * fwd_allowance(case, gw, f, T)
    assert_close(got, f * vw, T, 1, allowed, what=f"{op} forward")


def check_gated_backward(op, a, b, dy, da, db, T):
    """da, db against SPEC §11: the gate's side act'(g) * dy * v, the other dy * act(g)."""
    for grad in (da, db):
        assert grad.dtype == np.dtype(T) and grad.shape == a.shape
    act, gate = GATES[op]
    g, v = gate_and_value(op, a, b)
    dg, dv = (db, da) if gate == "b" else (da, db)
    if act == "relu":
        np.testing.assert_array_equal(dg, np.where(g > 0, dy, T(0)) * v)
        np.testing.assert_array_equal(dv, dy * np.where(g > 0, g, T(0)))
        return
    W = work_type(T)
    case = unary_case(act, T)
    gw, vw, dyw = g.astype(W), v.astype(W), dy.astype(W)
    with np.errstate(all="ignore"):
        f, fprime = case.fwd(gw), act_grad(case, gw, dyw)
        assert_close(dg, fprime * vw, T, 1, np.abs(vw) * grad_allowance(case, gw, dyw, fprime, T),
                     what=f"{op} backward, gate side")
        assert_close(dv, dyw * f, T, 1, np.abs(dyw) * fwd_allowance(case, gw, f, T), what=f"{op} backward")


def gated_inputs(shape, T, rng):
    x = (rng.standard_normal(shape) * 3).astype(T)
    x.flat[: min(x.size, 3)] = [0.0, -0.0, 1.0][: min(x.size, 3)]
    return x


# (shape, axis): the halves' layout (outer, h, inner) with outer 1 (views of
# x) and outer > 1 (copies), odd h, and more than one vector of elements.
SPLIT_SHAPES = [((14,), 0), ((14,), -1), ((3, 10), -1), ((3, 10), 1), ((4, 6), 0), ((4, 6), -2), ((5, 6, 3), 1),
                ((2, 4, 3, 5), -3), ((1, 1, 22), -1), ((1, 8, 5), 1), ((2, 3, 66), -1), ((3, 1034), -1),
                ((6, 3, 7), 0)]


@pytest.mark.parametrize("shape_axis", SPLIT_SHAPES, ids=shape_id)
@pytest.mark.parametrize("op", GATED)
def test_gated_split_forward_and_backward(op, shape_axis, dtype, isa, rng):
    shape, axis = shape_axis
    T = dtype
    x = gated_inputs(shape, T, rng)
    a, b = np.split(x, 2, axis=axis)
    y = getattr(actfn, op)(x, axis=axis)
    assert y.flags.c_contiguous
    check_gated_forward(op, a, b, y, T)
    dy = (rng.standard_normal(a.shape) * 2).astype(T)
    dx = getattr(actfn, op + "_backward")(x, dy, axis=axis)
    assert dx.shape == x.shape and dx.dtype == np.dtype(T) and dx.flags.c_contiguous
    da, db = np.split(dx, 2, axis=axis)
    check_gated_backward(op, a, b, dy, da, db, T)


@pytest.mark.parametrize("shape", [(37,), (5, 37), (2, 3, 129), ()], ids=str)
@pytest.mark.parametrize("op", GATED)
def test_gated_two_arrays(op, shape, dtype, isa, rng):
    T = dtype
    a, b = gated_inputs(shape, T, rng), gated_inputs(shape, T, rng)
    dy = (rng.standard_normal(shape) * 2).astype(T)
    y = getattr(actfn, op)(a, b)
    da, db = getattr(actfn, op + "_backward")(a, b, dy)
    if not shape:  # 0-d in, NumPy scalars out
        assert type(y) is T and type(da) is T and type(db) is T
        y, da, db = np.asarray(y), np.asarray(da), np.asarray(db)
    check_gated_forward(op, a, b, y, T)
    check_gated_backward(op, a, b, dy, da, db, T)
    if shape:  # the split form of concatenate((a, b)) is the same C call on the same values
        x = np.concatenate((a, b), axis=-1)
        np.testing.assert_array_equal(getattr(actfn, op)(x), y)
        np.testing.assert_array_equal(getattr(actfn, op + "_backward")(x, dy), np.concatenate((da, db), axis=-1))


def test_glu_gates_with_the_second_half():
    x = np.array([[2.0, 0.0], [3.0, 100.0]])
    np.testing.assert_array_equal(actfn.glu(x), [[1.0], [3.0]])  # a * sigmoid(b)
    np.testing.assert_array_equal(actfn.swiglu(np.array([0.0, 5.0])), [0.0])  # silu(a) * b
    np.testing.assert_array_equal(actfn.reglu(np.array([-1.0, 2.0, 5.0, 7.0])), [0.0, 14.0])


def test_reglu_zero_times_inf_is_nan(dtype):
    y = actfn.reglu(np.array([-1.0, 2.0], dtype), np.array([np.inf, np.inf], dtype))
    assert np.isnan(y[0]) and y[1] == np.inf


@pytest.mark.parametrize("op", GATED)
def test_gated_nan_propagates(op, dtype):
    a = np.array([np.nan, 1.0, 1.0], dtype)
    b = np.array([1.0, np.nan, 2.0], dtype)
    y = getattr(actfn, op)(a, b)
    assert np.isnan(y[:2]).all() and np.isfinite(y[2])


# ---- fused bias ops --------------------------------------------------------------

# (shape, axis): NCHW channels, a (rows, features) matrix, 1-d, negative axes,
# odd sizes, inner runs longer than a vector.
BIAS_SHAPES = [((4, 3), 1), ((2, 3, 5), 1), ((2, 5, 4, 3), 1), ((2, 3, 4, 5), -1), ((6, 7), 0), ((9,), 0),
               ((9,), -1), ((2, 3, 4), -2), ((37, 19), -1), ((2, 3, 37), 1)]


def along(bias, ndim, axis):
    shape = [1] * ndim
    shape[axis] = -1
    return bias.reshape(shape)


def bias_inputs(shape, axis, T, rng):
    x = (rng.standard_normal(shape) * 4).astype(T)
    bias = rng.uniform(-2, 2, shape[axis]).astype(T)
    return x, bias


@pytest.mark.parametrize("case", BIAS_CASES, ids=case_id)
def test_bias_forward(case, dtype, isa, rng):
    op, params = case
    T, W = dtype, work_type(dtype)
    full = {**DEFAULTS[op], **params}
    for shape, axis in BIAS_SHAPES:
        x, bias = bias_inputs(shape, axis, T, rng)
        got = getattr(actfn, "bias_" + op)(x, bias, **params, axis=axis)
        assert got.shape == x.shape and got.dtype == np.dtype(T) and got.flags.c_contiguous
        s = x + along(bias, x.ndim, axis)  # the sum rounded to T, as the library rounds it
        ref_case = unary_case(op, T, **full)
        if ref_case.exact:
            np.testing.assert_array_equal(got, unary_case(op, T, work=T, **full).fwd(s), err_msg=f"{shape} {axis}")
            continue
        sw = s.astype(W)
        with np.errstate(all="ignore"):
            ref = ref_case.fwd(sw)
            extra = 0 if ref_case.allowance is None else 2 * np.finfo(T).eps * ref_case.allowance(sw)
        assert_close(got, ref, T, ref_case.fwd_ulp, extra, what=f"bias_{op} {shape} axis {axis}")


@pytest.mark.parametrize("case", BIAS_CASES, ids=case_id)
def test_bias_backward(case, dtype, isa, rng):
    op, params = case
    T, W = dtype, work_type(dtype)
    full = {**DEFAULTS[op], **params}
    for shape, axis in BIAS_SHAPES:
        x, bias = bias_inputs(shape, axis, T, rng)
        dy = (rng.standard_normal(shape) * 2).astype(T)
        dx, dbias = getattr(actfn, f"bias_{op}_backward")(x, bias, dy, **params, axis=axis)
        assert dx.shape == x.shape and dx.dtype == np.dtype(T)
        assert dbias.shape == bias.shape and dbias.dtype == np.dtype(T)
        s = x + along(bias, x.ndim, axis)
        ref_case = unary_case(op, T, **full)
        what = f"bias_{op}_backward {shape} axis {axis}"
        if ref_case.exact:
            np.testing.assert_array_equal(dx, unary_case(op, T, work=T, **full).bwd(s, dy, s), err_msg=what)
        else:
            sw, dyw = s.astype(W), dy.astype(W)
            with np.errstate(all="ignore"):
                ref = act_grad(ref_case, sw, dyw)  # from the sum, sigmoid and tanh included
                allowed = grad_allowance(ref_case, sw, dyw, ref, T)
            assert_close(dx, ref, T, 0, allowed, what=what)
        # dbias: the sum of the returned dx over every other axis, bounded as prelu's dalpha
        terms = np.moveaxis(dx.astype(W), axis, 0).reshape(shape[axis], -1)
        bound = 4 * max(1, math.log2(max(terms.shape[1], 1))) * np.finfo(T).eps * np.abs(terms).sum(axis=1)
        assert np.all(np.abs(dbias.astype(W) - terms.sum(axis=1)) <= bound), what


def test_bias_default_axis_is_channels(dtype):
    x = np.zeros((2, 3, 2), dtype)
    bias = np.array([-1.0, 2.0, 3.0], dtype)
    y = actfn.bias_relu(x, bias)
    np.testing.assert_array_equal(y[:, 0], 0)
    np.testing.assert_array_equal(y[:, 1], 2)
    np.testing.assert_array_equal(y[:, 2], 3)
    dx, dbias = actfn.bias_relu_backward(x, bias, np.ones_like(x))
    np.testing.assert_array_equal(dbias, [0, 4, 4])


def test_bias_params_positional_or_keyword_axis_keyword_only(rng):
    x, bias = bias_inputs((3, 5), 1, np.float64, rng)
    np.testing.assert_array_equal(actfn.bias_leaky_relu(x, bias, 0.2), actfn.bias_leaky_relu(x, bias, alpha=0.2))
    np.testing.assert_array_equal(actfn.bias_hardtanh(x, bias, -0.5, 0.5),
                                  actfn.bias_hardtanh(x, bias, min_val=-0.5, max_val=0.5))
    np.testing.assert_array_equal(actfn.bias_hardtanh(x, bias), np.clip(x + bias, -1, 1))
    np.testing.assert_array_equal(actfn.bias_softplus_backward(x, bias, x, 2.0, 5.0)[0],
                                  actfn.bias_softplus_backward(x, bias, x, beta=2.0, threshold=5.0)[0])
    with pytest.raises(TypeError):
        actfn.bias_relu(x, bias, 1)  # axis is keyword-only
    with pytest.raises(TypeError):
        actfn.bias_relu_backward(x, bias, x, 1)


def test_bias_sigmoid_and_tanh_backward_take_x(dtype):
    # From x + bias = 0: sigmoid' = 1/4 and tanh' = 1 (read as y, 0 would give 0 and 1).
    x, bias, dy = np.zeros((2, 3), dtype), np.array([0.5, 0.0, -1.0], dtype), np.full((2, 3), 2.0, dtype)
    x[:, 0], x[:, 2] = -0.5, 1.0
    dx, dbias = actfn.bias_sigmoid_backward(x, bias, dy)
    np.testing.assert_array_equal(dx, np.full((2, 3), 0.5, dtype))
    np.testing.assert_array_equal(dbias, [1.0, 1.0, 1.0])
    dx, dbias = actfn.bias_tanh_backward(x, bias, dy)
    np.testing.assert_array_equal(dx, dy)
    np.testing.assert_array_equal(dbias, [4.0, 4.0, 4.0])


# ---- out= and in place --------------------------------------------------------------

def test_gated_out_and_in_place(dtype, rng):
    x = gated_inputs((4, 10), dtype, rng)
    a, b = np.ascontiguousarray(x[:, :5]), np.ascontiguousarray(x[:, 5:])
    want = actfn.swiglu(x)
    out = np.full((4, 5), np.nan, dtype)
    assert actfn.swiglu(x, out=out) is out
    np.testing.assert_array_equal(out, want)
    for target in (0, 1):  # y may be a or b
        pair = [a.copy(), b.copy()]
        assert actfn.swiglu(*pair, out=pair[target]) is pair[target]
        np.testing.assert_array_equal(pair[target], want)
    strided = np.zeros((4, 10), dtype)[:, ::2]  # any out, through a buffer
    assert actfn.swiglu(a, b, out=strided) is strided
    np.testing.assert_array_equal(strided, want)
    wide = np.zeros((4, 5), np.float64)  # the float32 result cast into float64
    actfn.swiglu(x, out=wide)
    np.testing.assert_array_equal(wide, want.astype(np.float64))
    with pytest.raises(ValueError, match="broadcast"):
        actfn.swiglu(x, out=np.empty((4, 10), dtype))


@pytest.mark.parametrize("shape_axis", [((4, 10), -1), ((10, 3), 0)], ids=shape_id)
def test_gated_split_backward_in_place(shape_axis, dtype, rng):
    shape, axis = shape_axis  # outer > 1 (dx assembled) and outer = 1 (written directly)
    x = gated_inputs(shape, dtype, rng)
    dy = rng.standard_normal(np.split(x, 2, axis=axis)[0].shape).astype(dtype)
    want = actfn.geglu_backward(x, dy, axis=axis)
    assert actfn.geglu_backward(x, dy, axis=axis, out=x) is x
    np.testing.assert_array_equal(x, want)
    out = np.zeros(shape, dtype, order="F")
    assert actfn.geglu_backward(want, dy, axis=axis, out=(out,)) is out
    np.testing.assert_array_equal(out, actfn.geglu_backward(want, dy, axis=axis))


def test_gated_pair_backward_out(dtype, rng):
    a, b = gated_inputs((3, 7), dtype, rng), gated_inputs((3, 7), dtype, rng)
    dy = rng.standard_normal((3, 7)).astype(dtype)
    da, db = actfn.glu_backward(a, b, dy)
    for outs in [(a, b), (b, a), (dy, None), (None, dy), (a, dy), (np.zeros((3, 7)), None)]:
        arrays = [a.copy(), b.copy(), dy.copy()]
        by_id = {id(a): arrays[0], id(b): arrays[1], id(dy): arrays[2]}
        outs = tuple(None if o is None else by_id.get(id(o), o) for o in outs)
        got = actfn.glu_backward(*arrays, out=outs)
        for g, o, want in zip(got, outs, (da, db)):
            if o is not None:
                assert g is o
            np.testing.assert_array_equal(g, want)
    with pytest.raises(TypeError, match="tuple"):
        actfn.glu_backward(a, b, dy, out=np.empty((3, 7), dtype))
    with pytest.raises(ValueError, match="one entry per output"):
        actfn.glu_backward(a, b, dy, out=(np.empty((3, 7), dtype),))
    same = np.empty((3, 7), dtype)
    with pytest.raises(actfn.ActfnOverlapError):  # da and db must not be one array
        actfn.glu_backward(a, b, dy, out=(same, same))


def test_bias_out_and_in_place(dtype, rng):
    x, bias = bias_inputs((2, 3, 5), 1, dtype, rng)
    dy = rng.standard_normal(x.shape).astype(dtype)
    want = actfn.bias_gelu(x, bias)
    want_dx, want_db = actfn.bias_gelu_backward(x, bias, dy)
    xc = x.copy()
    assert actfn.bias_gelu(xc, bias, out=xc) is xc
    np.testing.assert_array_equal(xc, want)
    for which in ("x", "dy"):
        arrays = {"x": x.copy(), "dy": dy.copy()}
        dx, dbias = actfn.bias_gelu_backward(arrays["x"], bias, arrays["dy"], out=arrays[which])
        assert dx is arrays[which]
        np.testing.assert_array_equal(dx, want_dx)
        np.testing.assert_array_equal(dbias, want_db)
    strided = np.zeros((2, 3, 10), dtype)[..., ::2]
    assert actfn.bias_gelu(x, bias, out=strided) is strided
    np.testing.assert_array_equal(strided, want)


def test_strided_inputs_match_contiguous(dtype, rng):
    base = (rng.standard_normal((8, 20)) * 2).astype(dtype)
    x = base[::2, ::2]  # (4, 10)
    xc = np.ascontiguousarray(x)
    np.testing.assert_array_equal(actfn.geglu_tanh(x), actfn.geglu_tanh(xc))
    np.testing.assert_array_equal(actfn.geglu_tanh(x.T, axis=0), actfn.geglu_tanh(xc.T, axis=0))
    dy = np.ones((4, 5), dtype)
    np.testing.assert_array_equal(actfn.geglu_tanh_backward(x, dy), actfn.geglu_tanh_backward(xc, dy))
    bias = base[0, :10]
    np.testing.assert_array_equal(actfn.bias_mish(x, bias, axis=1), actfn.bias_mish(xc, bias.copy(), axis=1))
    for got, want in zip(actfn.bias_mish_backward(x, bias, x, axis=-1),
                         actfn.bias_mish_backward(xc, bias, xc, axis=-1)):
        np.testing.assert_array_equal(got, want)


# ---- dtypes ---------------------------------------------------------------------------

F16, F32, F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


@pytest.mark.parametrize("t1, t2, want", [
    (np.float32, np.float64, F64), (np.float64, np.float32, F64), (np.int64, np.int64, F64),
    (np.int32, np.float32, F64), (np.bool_, np.float32, F32), (np.float16, np.float16, F16),
    (np.int16, np.float32, F32), (np.uint8, np.float16, F16)], ids=lambda v: np.dtype(v).name)
def test_promotion(t1, t2, want):
    a = (np.arange(12) % 5 - 2).reshape(3, 4).astype(t1)
    b = (np.arange(12) % 3).reshape(3, 4).astype(t2)

    def native(fn, *arrays):  # the kernels of the result dtype (f16 for float16), on the inputs cast to it
        return np.asarray(fn(*[v.astype(want) for v in arrays]))

    calls = [(actfn.swiglu, (a, b)), (actfn.bias_elu, (a, b[0])),
             (lambda x, y: actfn.bias_elu(x, y, axis=0), (a, b[:, 0]))]
    for fn, arrays in calls:
        got = fn(*arrays)
        assert got.dtype == want
        np.testing.assert_array_equal(got, native(fn, *arrays))
    da, db = actfn.glu_backward(a, b, b)
    assert da.dtype == db.dtype == want
    np.testing.assert_array_equal(da, native(lambda *v: actfn.glu_backward(*v)[0], a, b, b))
    dx, dbias = actfn.bias_silu_backward(a, b[0], b)
    assert dx.dtype == dbias.dtype == want
    np.testing.assert_array_equal(dbias, native(lambda *v: actfn.bias_silu_backward(*v)[1], a, b[0], b))
    assert actfn.glu(a.astype(t1)).dtype == (F64 if np.dtype(t1).kind in "biu" else np.dtype(t1))
    assert actfn.glu_backward(np.concatenate((a, b), 1), a).dtype == want


def test_dtype_forces_the_computation_dtype():
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    for forced in (np.float32, np.float16):
        assert actfn.glu(x, dtype=forced).dtype == forced
        np.testing.assert_array_equal(actfn.glu(x, dtype=np.float32), actfn.glu(x.astype(np.float32)))
        assert actfn.reglu(x, x, dtype=forced).dtype == forced
        assert all(g.dtype == forced for g in actfn.reglu_backward(x, x, x, dtype=forced))
        assert actfn.bias_tanh(x, x[0], axis=1, dtype=forced).dtype == forced
        assert all(g.dtype == forced for g in actfn.bias_tanh_backward(x, x[0], x, axis=1, dtype=forced))
    with pytest.raises(TypeError, match=re.escape("actfn.bias_relu cannot compute in dtype int32")):
        actfn.bias_relu(x, x[0], dtype=np.int32)


def test_rejected_dtypes():
    z = np.ones((2, 4), np.complex128)
    with pytest.raises(TypeError, match="actfn.swiglu does not support x of dtype complex128"):
        actfn.swiglu(z)
    with pytest.raises(TypeError, match="actfn.swiglu does not support b of dtype complex128"):
        actfn.swiglu(z.real, z)
    with pytest.raises(TypeError, match="actfn.bias_gelu does not support bias of dtype complex128"):
        actfn.bias_gelu(z.real, z[0], axis=1)


# ---- errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda x: actfn.glu(x),                                  # last axis of length 5
    lambda x: actfn.swiglu(x[:3], axis=0),                   # 3 rows
    lambda x: actfn.geglu_backward(x, x[:, :2]),             # odd split in the backward too
    lambda x: actfn.reglu(x, x[:, :4]),                      # two arrays of different shapes
    lambda x: actfn.reglu(x, 1),                             # a positional axis is read as b
    lambda x: actfn.glu_backward(x, x, x[:, :4]),            # dy of another shape
    lambda x: actfn.glu_backward(x[:, :4], x[:, :4]),        # dy of the forward input's shape
    lambda x: actfn.bias_relu(x, np.ones(4)),                # wrong bias length
    lambda x: actfn.bias_relu(x, np.ones((1, 5))),           # 2-d bias
    lambda x: actfn.bias_relu(x, np.ones(5), axis=0),
    lambda x: actfn.bias_relu_backward(x, np.ones(5), x[:, :4]),
    lambda x: actfn.bias_relu_backward(x, np.ones(4), x),
], ids=["odd", "odd-axis0", "odd-backward", "pair-shapes", "positional-axis", "pair-dy", "split-dy", "bias-len",
        "bias-2d", "bias-axis0", "bias-dy", "bias-backward-len"])
def test_shape_errors_raise_value_error(call):
    x = np.ones((6, 5))
    with pytest.raises(ValueError):
        call(x)


def test_odd_split_message():
    with pytest.raises(ValueError, match="axis -1 has length 5, which is odd"):
        actfn.glu(np.ones((2, 5)))


@pytest.mark.parametrize("call", [
    lambda: actfn.glu(np.ones((2, 4)), axis=2),
    lambda: actfn.glu(np.float64(1.0)),
    lambda: actfn.swiglu_backward(np.ones((2, 4)), np.ones((2, 2)), axis=-3),
    lambda: actfn.bias_relu(np.ones(3), np.ones(3)),  # axis=1 of a 1-d x
    lambda: actfn.bias_relu_backward(np.ones((2, 3)), np.ones(3), np.ones((2, 3)), axis=-3),
])
def test_bad_axis_raises_axis_error(call):
    with pytest.raises(np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError):
        call()


def test_bias_on_1d_x(dtype):
    x = np.linspace(-2, 2, 9).astype(dtype)
    bias = np.linspace(0, 1, 9).astype(dtype)
    for axis in (0, -1):
        np.testing.assert_array_equal(actfn.bias_relu(x, bias, axis=axis), np.maximum(x + bias, 0))


def test_wrong_argument_counts_and_axis_with_two_arrays():
    x = np.ones((2, 4))
    with pytest.raises(TypeError, match=re.escape("takes (x, dy) or (a, b, dy), not 1 array")):
        actfn.glu_backward(x)
    with pytest.raises(TypeError, match="not 4 arrays"):
        actfn.glu_backward(x, x, x, x)
    with pytest.raises(TypeError, match="takes no axis"):
        actfn.swiglu(x, x, axis=0)
    with pytest.raises(TypeError, match="takes no axis"):
        actfn.swiglu_backward(x, x, x, axis=0)
    with pytest.raises(TypeError):
        actfn.swiglu(x, x, x)
    with pytest.raises(TypeError):
        actfn.bias_leaky_relu(x, np.ones(4), "0.1")


@pytest.mark.parametrize("call", [
    lambda x, d: actfn.bias_leaky_relu(x, x[0], alpha=np.nan, axis=1),
    lambda x, d: actfn.bias_hardtanh(x, x[0], 1.0, -1.0, axis=1),
    lambda x, d: actfn.bias_softplus_backward(x, x[0], x, beta=0.0, axis=1),
    lambda x, d: actfn.bias_elu_backward(x, x[0], x, alpha=np.inf, axis=1),
])
def test_bad_params_raise_with_the_library_message(call, dtype):
    x = np.linspace(-1, 1, 8).reshape(2, 4).astype(dtype)
    before = x.copy()
    with pytest.raises(actfn.ActfnParamError) as info:
        call(x, dtype)
    err = info.value
    assert err.status == _errors.ERR_PARAM and err.message == "a parameter is NaN or outside its domain"
    assert err.function.startswith("actfn_bias_") and err.function.endswith("_f32" if dtype == np.float32 else "_f64")
    np.testing.assert_array_equal(x, before)


def test_zero_size(dtype):
    x = np.empty((0, 6), dtype)
    assert actfn.glu(x).shape == (0, 3)
    assert actfn.glu_backward(x, np.empty((0, 3), dtype)).shape == (0, 6)
    assert actfn.glu(np.empty((3, 0), dtype)).shape == (3, 0)
    da, db = actfn.swiglu_backward(x, x, x)
    assert da.shape == db.shape == (0, 6)
    x = np.empty((0, 3, 2), dtype)
    assert actfn.bias_gelu(x, np.ones(3, dtype)).shape == x.shape
    dx, dbias = actfn.bias_gelu_backward(x, np.ones(3, dtype), x)
    assert dx.shape == x.shape
    np.testing.assert_array_equal(dbias, [0, 0, 0])


# ---- PyTorch ---------------------------------------------------------------------------

def torch_modules():
    torch = pytest.importorskip("torch")
    return torch, torch.nn.functional


def torch_gated(op, a, b):
    torch, F = torch_modules()
    return {"glu": lambda: a * torch.sigmoid(b), "swiglu": lambda: F.silu(a) * b, "geglu": lambda: F.gelu(a) * b,
            "geglu_tanh": lambda: F.gelu(a, approximate="tanh") * b, "reglu": lambda: F.relu(a) * b}[op]()


def torch_unary(op, t, p):
    torch, F = torch_modules()
    return {
        "sigmoid": lambda: torch.sigmoid(t), "tanh": lambda: torch.tanh(t), "relu": lambda: F.relu(t),
        "relu6": lambda: F.relu6(t), "hardtanh": lambda: F.hardtanh(t, p["min_val"], p["max_val"]),
        "leaky_relu": lambda: F.leaky_relu(t, p["alpha"]), "elu": lambda: F.elu(t, p["alpha"]),
        "selu": lambda: F.selu(t), "silu": lambda: F.silu(t), "swish": lambda: t * torch.sigmoid(p["beta"] * t),
        "hardsigmoid": lambda: F.hardsigmoid(t), "hardswish": lambda: F.hardswish(t),
        "softplus": lambda: F.softplus(t, p["beta"], p["threshold"]), "logsigmoid": lambda: F.logsigmoid(t),
        "mish": lambda: F.mish(t), "gelu": lambda: F.gelu(t), "gelu_tanh": lambda: F.gelu(t, approximate="tanh"),
    }[op]()


def close_to_torch(got, want, T, what, rtol=None):
    """Within a few rounding errors of T, relative to the result's scale."""
    rtol = rtol or (2e-5 if T == np.float32 else 1e-12)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * max(np.max(np.abs(want), initial=0), 1e-30),
                               err_msg=what)


@pytest.mark.parametrize("shape_axis", [((4, 38), -1), ((3, 6, 5), 1), ((6, 5), 0), ((2, 4, 3, 8), -1)], ids=shape_id)
@pytest.mark.parametrize("op", GATED)
def test_gated_against_torch(op, shape_axis, dtype, rng):
    torch, F = torch_modules()
    shape, axis = shape_axis
    x = (rng.standard_normal(shape) * 2).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    ta, tb = torch.chunk(tx, 2, dim=axis)
    ty = F.glu(tx, dim=axis) if op == "glu" else torch_gated(op, ta, tb)
    if op == "glu":
        torch.testing.assert_close(ty, torch_gated("glu", ta, tb))
    y = getattr(actfn, op)(x, axis=axis)
    close_to_torch(y, ty.detach().numpy(), dtype, f"{op} forward")
    dy = rng.standard_normal(y.shape).astype(dtype)
    ty.backward(torch.tensor(dy))
    close_to_torch(getattr(actfn, op + "_backward")(x, dy, axis=axis), tx.grad.numpy(), dtype, f"{op} backward")
    a, b = (np.ascontiguousarray(h) for h in np.split(x, 2, axis=axis))
    da, db = getattr(actfn, op + "_backward")(a, b, dy)
    ga, gb = (g.numpy() for g in torch.chunk(tx.grad, 2, dim=axis))
    close_to_torch(da, ga, dtype, f"{op} backward da")
    close_to_torch(db, gb, dtype, f"{op} backward db")


@pytest.mark.parametrize("shape_axis", [((2, 3, 4, 5), 1), ((6, 7), -1)], ids=shape_id)
@pytest.mark.parametrize("case", BIAS_CASES, ids=case_id)
def test_bias_against_torch(case, shape_axis, dtype, rng):
    torch, _ = torch_modules()
    op, params = case
    shape, axis = shape_axis
    x, bias = bias_inputs(shape, axis, dtype, rng)
    dy = rng.standard_normal(shape).astype(dtype)
    tx, tb = torch.tensor(x, requires_grad=True), torch.tensor(bias, requires_grad=True)
    ty = torch_unary(op, tx + tb.reshape(along(bias, x.ndim, axis).shape), {**DEFAULTS[op], **params})
    ty.backward(torch.tensor(dy))
    close_to_torch(getattr(actfn, "bias_" + op)(x, bias, **params, axis=axis), ty.detach().numpy(), dtype,
                   f"bias_{op}")
    dx, dbias = getattr(actfn, f"bias_{op}_backward")(x, bias, dy, **params, axis=axis)
    # torch's float64 hardsigmoid gradient multiplies by float32(1/6) (1/6 * (1 + 3e-8))
    rtol = 1e-7 if op == "hardsigmoid" and dtype == np.float64 else None
    close_to_torch(dx, tx.grad.numpy(), dtype, f"bias_{op} dx", rtol)
    close_to_torch(dbias, tb.grad.numpy(), dtype, f"bias_{op} dbias", rtol)
