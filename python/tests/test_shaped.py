"""softmax, log_softmax, prelu and maxout on N-d arrays and every axis,
forward and backward, float32 and float64, on every supported ISA."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actfn
from reference import assert_close, log_softmax_ref, rows_allowance, softmax_ref, work_type

SHAPE_AXES = [((7,), 0), ((7,), -1), ((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((2, 3, 4), -3),
              ((2, 3, 4), 2), ((4, 1, 33), -1), ((2, 2, 3, 5), 2)]


def shape_id(sa):
    return f"{'x'.join(map(str, sa[0]))}-axis{sa[1]}"


def each_softmax_case(test):
    """Run ``test(log, shape_axis, ...)`` for softmax and log_softmax on every shape and axis."""
    test = pytest.mark.parametrize("shape_axis", SHAPE_AXES, ids=shape_id)(test)
    return pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])(test)


@each_softmax_case
def test_softmax_forward(log, shape_axis, dtype, isa, rng):
    shape, axis = shape_axis
    T, W = dtype, work_type(dtype)
    x = (rng.standard_normal(shape) * 4).astype(T)
    got = (actfn.log_softmax if log else actfn.softmax)(x, axis=axis)
    assert got.shape == x.shape and got.dtype == np.dtype(T) and got.flags.c_contiguous
    xw = x.astype(W)
    ref = (log_softmax_ref if log else softmax_ref)(xw, axis)
    ulps, extra = rows_allowance(xw, axis, log, T)
    assert_close(got, ref, T, ulps, extra, what="log_softmax" if log else "softmax")


@each_softmax_case
def test_softmax_backward(log, shape_axis, dtype, isa, rng):
    shape, axis = shape_axis
    T, W = dtype, work_type(dtype)
    x = (rng.standard_normal(shape) * 4).astype(W)
    y = (log_softmax_ref if log else softmax_ref)(x, axis).astype(T)
    dy = rng.standard_normal(shape).astype(T)
    got = (actfn.log_softmax_backward if log else actfn.softmax_backward)(y, dy, axis=axis)
    assert got.shape == y.shape and got.dtype == np.dtype(T)
    yw, dyw = y.astype(W), dy.astype(W)
    eps = W(np.finfo(T).eps)
    if log:
        ey = np.exp(yw)
        ref = dyw - ey * np.sum(dyw, axis=axis, keepdims=True)
        floor = eps * (np.abs(dyw) + ey * np.sum(np.abs(dyw), axis=axis, keepdims=True))
    else:
        ref = yw * (dyw - np.sum(dyw * yw, axis=axis, keepdims=True))
        floor = eps * yw * (np.abs(dyw) + np.sum(np.abs(dyw * yw), axis=axis, keepdims=True))
    assert_close(got, ref, T, 8, 8 * floor, what="backward")


def test_softmax_special_rows(dtype, isa):
    inf, nan = np.inf, np.nan
    x = np.array([[1.0, nan, 2.0], [-inf, 3.0, -inf], [inf, 0.0, inf], [-inf, -inf, -inf]], dtype=dtype)
    y = actfn.softmax(x)
    assert np.isnan(y[0]).all()
    np.testing.assert_array_equal(y[1], [0, 1, 0])
    np.testing.assert_array_equal(y[2], np.array([0.5, 0, 0.5], dtype=dtype))
    assert np.isnan(y[3]).all()
    ly = actfn.log_softmax(x)
    assert np.isnan(ly[0]).all()
    np.testing.assert_array_equal(ly[1], [-inf, 0, -inf])
    np.testing.assert_allclose(ly[2], np.array([-math.log(2), -inf, -math.log(2)]), rtol=4 * np.finfo(dtype).eps)
    assert np.isnan(ly[3]).all()


PRELU_SHAPES = [((4, 3), 1), ((2, 3, 5), 1), ((2, 3, 4, 5), 1), ((2, 3, 4, 5), -1), ((6, 2), 0), ((9,), 0),
                ((2, 3, 4), -2)]


def along(alpha, ndim, axis):
    """alpha shaped to broadcast along ``axis`` of an ndim array."""
    shape = [1] * ndim
    shape[axis] = -1
    return alpha.reshape(shape)


@pytest.mark.parametrize("shape_axis", PRELU_SHAPES, ids=shape_id)
def test_prelu(shape_axis, dtype, isa, rng):
    shape, axis = shape_axis
    T, W = dtype, work_type(dtype)
    x = (rng.standard_normal(shape) * 3).astype(T)
    x.flat[0] = 0.0
    alpha = rng.uniform(-0.5, 0.5, shape[axis]).astype(T)
    y = actfn.prelu(x, alpha, axis=axis)
    a = along(alpha, x.ndim, axis)
    np.testing.assert_array_equal(y, np.where(x > 0, x, a * x))  # exact: alpha*x rounds once in T
    dy = rng.standard_normal(shape).astype(T)
    dx, dalpha = actfn.prelu_backward(x, alpha, dy, axis=axis)
    np.testing.assert_array_equal(dx, np.where(x > 0, dy, a * dy))
    assert dalpha.shape == alpha.shape and dalpha.dtype == np.dtype(T)
    xw, dyw = x.astype(W), dy.astype(W)
    terms = np.moveaxis(np.where(x > 0, 0, xw * dyw), axis, 0).reshape(shape[axis], -1)
    count = terms.shape[1]
    bound = 4 * max(1, math.log2(max(count, 1))) * np.finfo(T).eps * np.sum(np.abs(terms), axis=1)
    assert np.all(np.abs(dalpha.astype(W) - terms.sum(axis=1)) <= bound), (dalpha, terms.sum(axis=1))


def test_prelu_default_axis_is_channels(dtype, isa):
    x = -np.ones((2, 3, 2), dtype=dtype)
    alpha = np.array([0.5, 0.25, 2.0], dtype=dtype)
    y = actfn.prelu(x, alpha)
    np.testing.assert_array_equal(y[:, 0], -0.5)
    np.testing.assert_array_equal(y[:, 1], -0.25)
    np.testing.assert_array_equal(y[:, 2], -2.0)


MAXOUT_CASES = [((4, 6), 2, -1), ((4, 6), 3, 1), ((2, 6, 3), 3, 1), ((6,), 2, 0), ((3, 4), 1, -1),
                ((3, 4), 4, -1), ((6, 2, 2), 2, 0), ((2, 3, 4, 4), 2, -2)]


def maxout_ref(x, k, axis):
    """(y, dx-selector): y = max over groups of k adjacent entries; the
    selected piece is the first maximum, or the first NaN."""
    axis %= x.ndim
    grouped = x.reshape(x.shape[:axis] + (x.shape[axis] // k, k) + x.shape[axis + 1:])
    sel = np.argmax(grouped, axis=axis + 1)  # numpy's argmax also picks the first NaN
    y = np.take_along_axis(grouped, np.expand_dims(sel, axis + 1), axis=axis + 1).squeeze(axis + 1)
    return y, grouped.shape, sel


@pytest.mark.parametrize("case", MAXOUT_CASES, ids=lambda c: f"{'x'.join(map(str, c[0]))}-k{c[1]}-axis{c[2]}")
def test_maxout(case, dtype, isa, rng):
    shape, k, axis = case
    T = dtype
    x = rng.integers(-3, 4, shape).astype(T)  # small integers: many ties
    x.flat[1] = np.nan
    y = actfn.maxout(x, k, axis=axis)
    want, grouped_shape, sel = maxout_ref(x, k, axis)
    np.testing.assert_array_equal(y, want)
    dy = (rng.standard_normal(want.shape) + 5).astype(T)
    dx = actfn.maxout_backward(x, dy, k, axis=axis)
    ax = axis % x.ndim
    want_dx = np.zeros(grouped_shape, dtype=T)
    np.put_along_axis(want_dx, np.expand_dims(sel, ax + 1), np.expand_dims(dy, ax + 1), axis=ax + 1)
    np.testing.assert_array_equal(dx, want_dx.reshape(shape))


def test_maxout_dense_layer_layout(isa):
    # units of k = 3 adjacent pieces: [1 5 2 | 7 0 9] -> [5, 9]
    x = np.array([[1, 5, 2, 7, 0, 9]], dtype=np.float32)
    np.testing.assert_array_equal(actfn.maxout(x, 3), [[5, 9]])
    np.testing.assert_array_equal(actfn.maxout_backward(x, np.array([[10, 20]], np.float32), 3),
                                  [[0, 10, 0, 0, 0, 20]])
