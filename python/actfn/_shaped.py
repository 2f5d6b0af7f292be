"""softmax, log_softmax, prelu and maxout: the ops whose C call needs a shape.

Each maps an N-d array and an axis onto the C library's dense layout:
(rows, cols) with the reduced axis last for softmax/log_softmax, (outer,
channels, inner) for prelu and (outer, k, inner) for maxout.
"""

from __future__ import annotations

import operator
from typing import Optional, Tuple

import numpy as np
from numpy.typing import ArrayLike

from . import _core, _errors


# ---- softmax / log_softmax ------------------------------------------------

def _rows_op(name: str, arrays: Tuple[ArrayLike, ...], labels: Tuple[str, ...], axis: int,
             out: Optional[np.ndarray]) -> np.ndarray:
    """Run the row-wise C op ``name`` along ``axis`` of equally shaped arrays.

    When ``axis`` is already last, the (contiguous) arrays are used as they
    are; otherwise the axis is moved last in one copy per array, and the
    result is moved back into a C-contiguous result (or ``out``).
    """
    first = _core.float_array(arrays[0], labels[0])
    rest = [_core.float_array(a, w) for a, w in zip(arrays[1:], labels[1:])]
    for arr, what in zip(rest, labels[1:]):
        _core.same_dtype(first, arr, what)
        _core.same_shape(first.shape, arr, what)
    ax = _core.normalize_axis(axis, first.ndim)
    sfx = _core.SUFFIX[first.dtype]
    result = _core.output(out, first.shape, first.dtype)
    if ax == first.ndim - 1:
        inputs = [_core.dense(a) for a in [first] + rest]
        work = result
    else:
        inputs = [np.ascontiguousarray(np.moveaxis(a, ax, -1)) for a in [first] + rest]
        work = np.empty(inputs[0].shape, dtype=first.dtype)
    cols = work.shape[-1]
    rows = _core.prod(work.shape[:-1])
    _core.call(name, sfx, *[_core.ptr(a) for a in inputs], _core.ptr(work), rows, cols)
    if work is not result:
        result[...] = np.moveaxis(work, -1, ax)
    return result


def softmax(x: ArrayLike, axis: int = -1, *, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Softmax along ``axis``: y = exp(x - max) / sum(exp(x - max)).

    A slice holding NaN gives NaN; +inf entries share the mass equally
    (1/m each on m +inf entries); a slice of only -inf gives NaN.
    """
    return _rows_op("softmax", (x,), ("x",), axis, out)


def softmax_backward(y: ArrayLike, dy: ArrayLike, axis: int = -1, *,
                     out: Optional[np.ndarray] = None) -> np.ndarray:
    """Softmax gradient from its output y: dx = y * (dy - sum(dy * y)) along ``axis``."""
    return _rows_op("softmax_backward", (y, dy), ("y", "dy"), axis, out)


def log_softmax(x: ArrayLike, axis: int = -1, *, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Log-softmax along ``axis``: y = x - max - log(sum(exp(x - max)))."""
    return _rows_op("log_softmax", (x,), ("x",), axis, out)


def log_softmax_backward(y: ArrayLike, dy: ArrayLike, axis: int = -1, *,
                         out: Optional[np.ndarray] = None) -> np.ndarray:
    """Log-softmax gradient from its output y: dx = dy - exp(y) * sum(dy) along ``axis``."""
    return _rows_op("log_softmax_backward", (y, dy), ("y", "dy"), axis, out)


# ---- prelu ----------------------------------------------------------------

def _prelu_layout(x: np.ndarray, alpha: np.ndarray, axis: int) -> Tuple[int, int, int]:
    """(outer, channels, inner) of x around ``axis``; alpha must fit it."""
    _core.same_dtype(x, alpha, "alpha")
    ax = _core.normalize_axis(axis, x.ndim)
    channels = x.shape[ax]
    if alpha.shape != (channels,):
        raise ValueError(f"alpha has shape {alpha.shape}, expected ({channels},): "
                         f"one slope per entry of axis {axis} of x")
    return _core.prod(x.shape[:ax]), channels, _core.prod(x.shape[ax + 1:])


def prelu(x: ArrayLike, alpha: ArrayLike, axis: int = 1, *,
          out: Optional[np.ndarray] = None) -> np.ndarray:
    """Parametric ReLU: y = x > 0 ? x : alpha[c] * x, c the index along ``axis``.

    ``alpha`` is 1-d with one slope per entry of ``axis`` (channels), of the
    same dtype as x. A NaN slope gives NaN where it is used.
    """
    x = _core.float_array(x, "x")
    alpha = _core.float_array(alpha, "alpha")
    layout = _prelu_layout(x, alpha, axis)
    y = _core.output(out, x.shape, x.dtype)
    x, alpha = _core.dense(x), _core.dense(alpha)
    _core.call("prelu", _core.SUFFIX[x.dtype], _core.ptr(x), _core.ptr(alpha), _core.ptr(y), *layout)
    return y


def prelu_backward(x: ArrayLike, alpha: ArrayLike, dy: ArrayLike, axis: int = 1, *,
                   out: Optional[np.ndarray] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Parametric ReLU gradients from x; returns ``(dx, dalpha)``.

    dx = x > 0 ? dy : alpha[c] * dy, and
    dalpha[c] = sum over every other axis of (x > 0 ? 0 : x * dy).
    ``out``, if given, receives dx; dalpha is always a new array.
    """
    x = _core.float_array(x, "x")
    alpha = _core.float_array(alpha, "alpha")
    dy = _core.float_array(dy, "dy")
    _core.same_dtype(x, dy, "dy")
    _core.same_shape(x.shape, dy, "dy")
    outer, channels, inner = _prelu_layout(x, alpha, axis)
    dx = _core.output(out, x.shape, x.dtype)
    dalpha = np.empty(channels, dtype=x.dtype)
    x, alpha, dy = _core.dense(x), _core.dense(alpha), _core.dense(dy)
    _core.call("prelu_backward", _core.SUFFIX[x.dtype], _core.ptr(x), _core.ptr(alpha), _core.ptr(dy),
               _core.ptr(dx), _core.ptr(dalpha), outer, channels, inner)
    return dx, dalpha


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


def maxout(x: ArrayLike, k: int, axis: int = -1, *, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Maxout: the maximum over groups of k adjacent entries along ``axis``.

    ``axis`` has length units * k and is read as (units, k); the result has
    length ``units`` there: y[..., u, ...] = max_j x[..., u*k + j, ...].
    Ties go to the lowest j; a NaN piece wins (NaN propagates).
    """
    x = _core.float_array(x, "x")
    sfx = _core.SUFFIX[x.dtype]
    shape, layout = _maxout_layout(x, k, axis, f"actfn_maxout_{sfx}")
    y = _core.output(out, shape, x.dtype)
    x = _core.dense(x)
    _core.call("maxout", sfx, _core.ptr(x), _core.ptr(y), *layout)
    return y


def maxout_backward(x: ArrayLike, dy: ArrayLike, k: int, axis: int = -1, *,
                    out: Optional[np.ndarray] = None) -> np.ndarray:
    """Maxout gradient from x: dx (shaped like x) is dy at each group's selected
    piece (the first maximum, or the first NaN) and 0 elsewhere."""
    x = _core.float_array(x, "x")
    dy = _core.float_array(dy, "dy")
    _core.same_dtype(x, dy, "dy")
    sfx = _core.SUFFIX[x.dtype]
    shape, layout = _maxout_layout(x, k, axis, f"actfn_maxout_backward_{sfx}")
    _core.same_shape(shape, dy, "dy")
    dx = _core.output(out, x.shape, x.dtype)
    x, dy = _core.dense(x), _core.dense(dy)
    _core.call("maxout_backward", sfx, _core.ptr(x), _core.ptr(dy), _core.ptr(dx), *layout)
    return dx
