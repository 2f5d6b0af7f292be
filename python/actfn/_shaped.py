"""softmax, log_softmax, prelu and maxout: the ops whose C call needs a shape.

Each maps an N-d array and an axis onto the C library's dense layout:
(rows, cols) with the reduced axis last for softmax/log_softmax, (outer,
channels, inner) for prelu and (outer, k, inner) for maxout. dtypes and
``out=`` follow the ufunc rules of :mod:`actfn._core`.
"""

from __future__ import annotations

import operator
from typing import Optional, Tuple

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from . import _core, _errors
from ._lib import SHAPED_OPS

Out = Optional[np.ndarray]
DType = Optional[DTypeLike]

# Each op's kernels, bound once.
_K = {name: _core.Kernel(name) for name in SHAPED_OPS}


# ---- softmax / log_softmax ------------------------------------------------

def _rows_op(kern: _core.Kernel, arrays: Tuple[ArrayLike, ...], labels: Tuple[str, ...], axis: int,
             out, dtype) -> np.ndarray:
    """Run the row-wise C op of ``kern`` along ``axis`` of equally shaped arrays.

    When ``axis`` is already last, contiguous arrays of the kernel's dtype
    are used as they are; otherwise the axis is moved last in one copy per
    array, and the result is moved back into a C-contiguous result (or
    ``out``).
    """
    arrays = [np.asarray(a) for a in arrays]
    first = arrays[0]
    for arr, what in zip(arrays[1:], labels[1:]):
        _core.same_shape(first.shape, arr, what)
    ax = _core.normalize_axis(axis, first.ndim)
    result, kdt = _core.compute_dtypes(kern.name, arrays, labels, dtype)
    out = _core.check_out(kern.name, out, first.shape, result)
    if ax == first.ndim - 1:
        inputs = [_core.dense(a, kdt) for a in arrays]
        work = _core.target(out, first.shape, result, kdt)
    else:
        inputs = [_core.dense(np.moveaxis(a, ax, -1), kdt) for a in arrays]
        work = np.empty(inputs[0].shape, dtype=kdt)
    cols = work.shape[-1]
    _core.call(kern.by_dtype[kdt], inputs, [work], _core.prod(work.shape[:-1]), cols)
    return _core.finish(np.moveaxis(work, -1, ax) if work.ndim and ax != work.ndim - 1 else work, out, result)


def softmax(x: ArrayLike, axis: int = -1, *, out: Out = None, dtype: DType = None) -> np.ndarray:
    """Softmax along ``axis``: y = exp(x - max) / sum(exp(x - max)).

    A slice holding NaN gives NaN; +inf entries share the mass equally
    (1/m each on m +inf entries); a slice of only -inf gives NaN.
    """
    return _rows_op(_K["softmax"], (x,), ("x",), axis, out, dtype)


def softmax_backward(y: ArrayLike, dy: ArrayLike, axis: int = -1, *, out: Out = None,
                     dtype: DType = None) -> np.ndarray:
    """Softmax gradient from its output y: dx = y * (dy - sum(dy * y)) along ``axis``."""
    return _rows_op(_K["softmax_backward"], (y, dy), ("y", "dy"), axis, out, dtype)


def log_softmax(x: ArrayLike, axis: int = -1, *, out: Out = None, dtype: DType = None) -> np.ndarray:
    """Log-softmax along ``axis``: y = x - max - log(sum(exp(x - max)))."""
    return _rows_op(_K["log_softmax"], (x,), ("x",), axis, out, dtype)


def log_softmax_backward(y: ArrayLike, dy: ArrayLike, axis: int = -1, *, out: Out = None,
                         dtype: DType = None) -> np.ndarray:
    """Log-softmax gradient from its output y: dx = dy - exp(y) * sum(dy) along ``axis``."""
    return _rows_op(_K["log_softmax_backward"], (y, dy), ("y", "dy"), axis, out, dtype)


# ---- prelu ----------------------------------------------------------------

def _prelu_layout(x: np.ndarray, alpha: np.ndarray, axis: int) -> Tuple[int, int, int]:
    """(outer, channels, inner) of x around ``axis``; alpha must fit it."""
    ax = _core.normalize_axis(axis, x.ndim)
    channels = x.shape[ax]
    if alpha.shape != (channels,):
        raise ValueError(f"alpha has shape {alpha.shape}, expected ({channels},): "
                         f"one slope per entry of axis {axis} of x")
    return _core.prod(x.shape[:ax]), channels, _core.prod(x.shape[ax + 1:])


def prelu(x: ArrayLike, alpha: ArrayLike, axis: int = 1, *, out: Out = None, dtype: DType = None) -> np.ndarray:
    """Parametric ReLU: y = x > 0 ? x : alpha[c] * x, c the index along ``axis``.

    ``alpha`` is 1-d with one slope per entry of ``axis`` (channels); the
    computation dtype is that of x and alpha together, as a ufunc's. A NaN
    slope gives NaN where it is used.
    """
    kern = _K["prelu"]
    x, alpha = np.asarray(x), np.asarray(alpha)
    layout = _prelu_layout(x, alpha, axis)
    result, kdt = _core.compute_dtypes(kern.name, (x, alpha), ("x", "alpha"), dtype)
    out = _core.check_out(kern.name, out, x.shape, result)
    y = _core.target(out, x.shape, result, kdt)
    _core.call(kern.by_dtype[kdt], [_core.dense(x, kdt), _core.dense(alpha, kdt)], [y], *layout)
    return _core.finish(y, out, result)


def prelu_backward(x: ArrayLike, alpha: ArrayLike, dy: ArrayLike, axis: int = 1, *, out: Out = None,
                   dtype: DType = None) -> Tuple[np.ndarray, np.ndarray]:
    """Parametric ReLU gradients from x; returns ``(dx, dalpha)``.

    dx = x > 0 ? dy : alpha[c] * dy, and
    dalpha[c] = sum over every other axis of (x > 0 ? 0 : x * dy).
    ``out``, if given, receives dx; dalpha is always a new array of the
    computation dtype.
    """
    kern = _K["prelu_backward"]
    x, alpha, dy = np.asarray(x), np.asarray(alpha), np.asarray(dy)
    _core.same_shape(x.shape, dy, "dy")
    layout = _prelu_layout(x, alpha, axis)
    result, kdt = _core.compute_dtypes(kern.name, (x, alpha, dy), ("x", "alpha", "dy"), dtype)
    out = _core.check_out(kern.name, out, x.shape, result)
    dx = _core.target(out, x.shape, result, kdt)
    dalpha = np.empty(layout[1], dtype=kdt)
    inputs = [_core.dense(a, kdt) for a in (x, alpha, dy)]
    _core.call(kern.by_dtype[kdt], inputs, [dx, dalpha], *layout)
    return _core.finish(dx, out, result), _core.finish(dalpha, None, result)


# ---- maxout ---------------------------------------------------------------

def _maxout_layout(x: np.ndarray, k, axis: int, function: str) -> Tuple[Tuple[int, ...], Tuple[int, int, int]]:
    """The output shape and the C (outer, k, inner) of maxout over ``axis``.

    The axis, of length units * k, is read as (units, k): the k pieces of a
    unit are adjacent, so outer = prod(shape before axis) * units and
    inner = prod(shape after axis). k <= 0 raises ActfnParamError with the
    library's own message, as the C call ``function`` would.
    """
    try:
        k = operator.index(k)
    except TypeError:
        raise TypeError(f"k must be an integer, not {type(k).__name__}") from None
    ax = _core.normalize_axis(axis, x.ndim)
    before, length, after = x.shape[:ax], x.shape[ax], x.shape[ax + 1:]
    if k <= 0:
        _core.check_status(_errors.ERR_PARAM, function)
    if length % k:
        raise ValueError(f"maxout: axis {axis} has length {length}, which is not a multiple of k={k}")
    units = length // k
    return before + (units,) + after, (_core.prod(before) * units, k, _core.prod(after))


def maxout(x: ArrayLike, k: int, axis: int = -1, *, out: Out = None, dtype: DType = None) -> np.ndarray:
    """Maxout: the maximum over groups of k adjacent entries along ``axis``.

    ``axis`` has length units * k and is read as (units, k); the result has
    length ``units`` there: y[..., u, ...] = max_j x[..., u*k + j, ...].
    Ties go to the lowest j; a NaN piece wins (NaN propagates).
    """
    kern = _K["maxout"]
    x = np.asarray(x)
    result, kdt = _core.compute_dtypes(kern.name, (x,), ("x",), dtype)
    shape, layout = _maxout_layout(x, k, axis, kern.c_name(kdt))
    out = _core.check_out(kern.name, out, shape, result)
    y = _core.target(out, shape, result, kdt)
    _core.call(kern.by_dtype[kdt], [_core.dense(x, kdt)], [y], *layout)
    return _core.finish(y, out, result)


def maxout_backward(x: ArrayLike, dy: ArrayLike, k: int, axis: int = -1, *, out: Out = None,
                    dtype: DType = None) -> np.ndarray:
    """Maxout gradient from x: dx (shaped like x) is dy at each group's selected
    piece (the first maximum, or the first NaN) and 0 elsewhere."""
    kern = _K["maxout_backward"]
    x, dy = np.asarray(x), np.asarray(dy)
    result, kdt = _core.compute_dtypes(kern.name, (x, dy), ("x", "dy"), dtype)
    shape, layout = _maxout_layout(x, k, axis, kern.c_name(kdt))
    _core.same_shape(shape, dy, "dy")
    out = _core.check_out(kern.name, out, x.shape, result)
    dx = _core.target(out, x.shape, result, kdt)
    _core.call(kern.by_dtype[kdt], [_core.dense(x, kdt), _core.dense(dy, kdt)], [dx], *layout)
    return _core.finish(dx, out, result)
