"""The gated (GLU family) and fused bias + activation ops of SPEC §11.

Gated ops, y = act(gate) * other (``glu`` gates with b, the others with a):

* ``<op>(x, *, axis=-1, out=None, dtype=None)`` splits x in halves along
  ``axis``, a the first half and b the second (as
  ``torch.nn.functional.glu``); the result has half the length there. An
  odd length raises ``ValueError``.
* ``<op>(a, b, *, out=None, dtype=None)`` takes the halves as two arrays of
  one shape (no broadcasting); the result has that shape.
* ``<op>_backward(x, dy, *, axis=-1, out=None, dtype=None)`` returns dx,
  shaped like x: the gradients of the two halves, concatenated along
  ``axis``; dy has the forward result's shape. ``out`` receives dx.
* ``<op>_backward(a, b, dy, *, out=None, dtype=None)`` returns ``(da, db)``;
  ``out``, if given, is a tuple ``(da_out, db_out)`` whose entries may be
  None, as for a ufunc with two outputs.

``axis`` belongs to the split form; the two-array forms refuse any other
value than the default. The halves of x are passed to the C library as two
dense arrays: they are views of x when every axis before ``axis`` has
length 1 (and x is C-contiguous of the kernel's dtype), else one copy each;
the split backward then also assembles dx from the two halves in one copy.
The two-array forms copy nothing that is already contiguous.

Fused bias ops, for every elementwise op ``<op>`` and its parameters:

* ``bias_<op>(x, bias, *params, axis=1, out=None, dtype=None)``:
  y = <op>(x + bias[c]), c the index along ``axis``, the sum rounded to the
  computation dtype first; ``bias`` is 1-d, one entry per index of that axis.
* ``bias_<op>_backward(x, bias, dy, *params, axis=1, out=None, dtype=None)``
  returns ``(dx, dbias)``: dx = <op>'(x + bias[c]) * dy (from x for every
  op, sigmoid and tanh included), dbias[c] the sum of dx over every other
  axis. ``out`` receives dx; dbias is always a new array.

``axis`` is keyword-only, so a positional argument after bias is always an
op parameter. dtypes, ``out=`` and errors follow the ufunc rules of
:mod:`actfn._core`: the computation dtype is that of all array arguments
together (a float32 x with a float64 bias computes in float64); ``out=x`` is
in place, as is ``out=dy`` for a backward.
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from . import _core
from ._elementwise import _DOCS
from ._lib import BIAS_OPS, GLU_OPS

Out = Optional[np.ndarray]
DType = Optional[DTypeLike]

_GATED = {op: (_core.Kernel(op), _core.Kernel(op + "_backward")) for op, _, _ in GLU_OPS}


# ---- gated ops --------------------------------------------------------------

def _halves(x: np.ndarray, axis, name: str) -> Tuple[int, int, int, int]:
    """(axis, outer, h, inner): x viewed as (outer, 2h, inner) around ``axis``."""
    ax = _core.normalize_axis(axis, x.ndim)
    length = x.shape[ax]
    if length % 2:
        raise ValueError(f"actfn.{name}: axis {axis} has length {length}, which is odd: x is split in two halves "
                         "along axis (or give the halves as two arrays a, b)")
    return ax, _core.prod(x.shape[:ax]), length // 2, _core.prod(x.shape[ax + 1:])


def _split(x: np.ndarray, outer: int, h: int, inner: int, kdt: np.dtype) -> Tuple[np.ndarray, np.ndarray]:
    """The halves a and b of x as dense (outer, h, inner) arrays of ``kdt``:
    views of x when they can be, else one copy each."""
    x3 = x.reshape(outer, 2 * h, inner)
    return _core.dense(x3[:, :h], kdt), _core.dense(x3[:, h:], kdt)


def _pair_only(name: str, axis) -> None:
    if axis != -1:
        raise TypeError(f"actfn.{name} with two arrays takes no axis: axis= chooses where the one-array form "
                        "splits x")


def _scalar_if_0d(res: np.ndarray, out, shape) -> np.ndarray:
    return res[()] if out is None and not shape else res


def _gated(name: str, x: ArrayLike, b: Optional[ArrayLike], axis, out, dtype):
    kern = _GATED[name][0]
    if b is None:
        x = np.asarray(x)
        ax, outer, h, inner = _halves(x, axis, name)
        result, kdt = _core.compute_dtypes(name, (x,), ("x",), dtype)
        shape = x.shape[:ax] + (h,) + x.shape[ax + 1:]
        out = _core.check_out(name, out, shape, result)
        inputs = list(_split(x, outer, h, inner, kdt))
    else:
        _pair_only(name, axis)
        a, b = np.asarray(x), np.asarray(b)
        shape = a.shape
        if b.shape != shape:
            raise ValueError(f"b has shape {b.shape}, expected {shape}: actfn.{name}(a, b) takes two arrays of one "
                             "shape (to split one array, give axis= as a keyword)")
        result, kdt = _core.compute_dtypes(name, (a, b), ("a", "b"), dtype)
        out = _core.check_out(name, out, shape, result)
        inputs = [_core.dense(a, kdt), _core.dense(b, kdt)]
    y = _core.target(out, shape, result, kdt)
    _core.call(kern.by_dtype[kdt], inputs, [y], y.size)
    return _scalar_if_0d(_core.finish(y, out, result), out, shape)


def _two_outs(out) -> Tuple[Out, Out]:
    """(da_out, db_out) of a two-output ``out``, as a ufunc reads it."""
    if out is None:
        return None, None
    if not isinstance(out, tuple):
        raise TypeError("'out' must be a tuple of arrays")
    if len(out) != 2:
        raise ValueError("The 'out' tuple must have exactly one entry per output")
    return out


def _gated_backward(name: str, arrays: Tuple, axis, out, dtype):
    kern = _GATED[name][1]
    if len(arrays) == 2:  # (x, dy) -> dx
        x, dy = (np.asarray(v) for v in arrays)
        ax, outer, h, inner = _halves(x, axis, kern.name)
        _core.same_shape(x.shape[:ax] + (h,) + x.shape[ax + 1:], dy, "dy")
        result, kdt = _core.compute_dtypes(kern.name, (x, dy), ("x", "dy"), dtype)
        out = _core.check_out(kern.name, out, x.shape, result)
        a, b = _split(x, outer, h, inner, kdt)
        inputs = [a, b, _core.dense(dy, kdt)]
        dx = _core.target(out, x.shape, result, kdt)
        dx3 = dx.reshape(outer, 2 * h, inner)
        if outer <= 1:  # the halves of dx are dense: the library writes them
            _core.call(kern.by_dtype[kdt], inputs, [dx3[:, :h], dx3[:, h:]], a.size)
        else:
            da, db = np.empty(a.shape, kdt), np.empty(a.shape, kdt)
            _core.call(kern.by_dtype[kdt], inputs, [da, db], a.size)
            np.concatenate((da, db), axis=1, out=dx3)
        return _core.finish(dx, out, result)
    if len(arrays) == 3:  # (a, b, dy) -> (da, db)
        _pair_only(kern.name, axis)
        a, b, dy = (np.asarray(v) for v in arrays)
        _core.same_shape(a.shape, b, "b")
        _core.same_shape(a.shape, dy, "dy")
        result, kdt = _core.compute_dtypes(kern.name, (a, b, dy), ("a", "b", "dy"), dtype)
        outs = [_core.check_out(kern.name, o, a.shape, result) for o in _two_outs(out)]
        grads = [_core.target(o, a.shape, result, kdt) for o in outs]
        _core.call(kern.by_dtype[kdt], [_core.dense(v, kdt) for v in (a, b, dy)], grads, a.size)
        return tuple(_scalar_if_0d(_core.finish(g, o, result), o, a.shape) for g, o in zip(grads, outs))
    raise TypeError(f"actfn.{kern.name} takes (x, dy) or (a, b, dy), not {len(arrays)} array"
                    f"{'' if len(arrays) == 1 else 's'}")


def glu(x: ArrayLike, b: Optional[ArrayLike] = None, *, axis: int = -1, out: Out = None,
        dtype: DType = None) -> np.ndarray:
    """GLU: y = a * sigmoid(b), as ``torch.nn.functional.glu(x, dim=axis)``.

    ``glu(x, axis=-1)`` splits x in halves along ``axis`` (a first; an odd
    length raises ``ValueError``); ``glu(a, b)`` takes two arrays of one shape.
    """
    return _gated("glu", x, b, axis, out, dtype)


def swiglu(x: ArrayLike, b: Optional[ArrayLike] = None, *, axis: int = -1, out: Out = None,
           dtype: DType = None) -> np.ndarray:
    """SwiGLU (LLaMA): y = silu(a) * b = a * sigmoid(a) * b.

    ``swiglu(x, axis=-1)`` splits x in halves along ``axis`` (a first; an odd
    length raises ``ValueError``); ``swiglu(a, b)`` takes two arrays of one shape.
    """
    return _gated("swiglu", x, b, axis, out, dtype)


def geglu(x: ArrayLike, b: Optional[ArrayLike] = None, *, axis: int = -1, out: Out = None,
          dtype: DType = None) -> np.ndarray:
    """GEGLU (T5, Gemma): y = gelu(a) * b, gelu in the exact (erf) form.

    ``geglu(x, axis=-1)`` splits x in halves along ``axis`` (a first; an odd
    length raises ``ValueError``); ``geglu(a, b)`` takes two arrays of one shape.
    """
    return _gated("geglu", x, b, axis, out, dtype)


def geglu_tanh(x: ArrayLike, b: Optional[ArrayLike] = None, *, axis: int = -1, out: Out = None,
               dtype: DType = None) -> np.ndarray:
    """GEGLU with the tanh approximation of gelu: y = gelu_tanh(a) * b.

    ``geglu_tanh(x, axis=-1)`` splits x in halves along ``axis`` (a first; an
    odd length raises ``ValueError``); ``geglu_tanh(a, b)`` takes two arrays
    of one shape.
    """
    return _gated("geglu_tanh", x, b, axis, out, dtype)


def reglu(x: ArrayLike, b: Optional[ArrayLike] = None, *, axis: int = -1, out: Out = None,
          dtype: DType = None) -> np.ndarray:
    """ReGLU: y = relu(a) * b (IEEE products: relu(a) = 0 times b = inf is NaN).

    ``reglu(x, axis=-1)`` splits x in halves along ``axis`` (a first; an odd
    length raises ``ValueError``); ``reglu(a, b)`` takes two arrays of one shape.
    """
    return _gated("reglu", x, b, axis, out, dtype)


Grad = Union[np.ndarray, Tuple[np.ndarray, np.ndarray]]

_BACKWARD_DOC = """{name} gradient: {formula}

``{name}_backward(x, dy, *, axis=-1, out=None, dtype=None)`` -> dx, for the
split form: x the forward input, dy shaped like the forward result; dx is
shaped like x, (da, db) concatenated along ``axis``; ``out`` receives dx.

``{name}_backward(a, b, dy, *, out=None, dtype=None)`` -> ``(da, db)``, for
the two-array form; ``out`` is None or a tuple ``(da_out, db_out)`` (either
entry may be None).
"""


def glu_backward(*arrays: ArrayLike, axis: int = -1, out=None, dtype: DType = None) -> Grad:
    return _gated_backward("glu", arrays, axis, out, dtype)


def swiglu_backward(*arrays: ArrayLike, axis: int = -1, out=None, dtype: DType = None) -> Grad:
    return _gated_backward("swiglu", arrays, axis, out, dtype)


def geglu_backward(*arrays: ArrayLike, axis: int = -1, out=None, dtype: DType = None) -> Grad:
    return _gated_backward("geglu", arrays, axis, out, dtype)


def geglu_tanh_backward(*arrays: ArrayLike, axis: int = -1, out=None, dtype: DType = None) -> Grad:
    return _gated_backward("geglu_tanh", arrays, axis, out, dtype)


def reglu_backward(*arrays: ArrayLike, axis: int = -1, out=None, dtype: DType = None) -> Grad:
    return _gated_backward("reglu", arrays, axis, out, dtype)


for _fn, _formula in (
        (glu_backward, "da = dy * sigmoid(b), db = dy * a * sigmoid(b) * sigmoid(-b)."),
        (swiglu_backward, "da = dy * b * silu'(a), db = dy * silu(a)."),
        (geglu_backward, "da = dy * b * gelu'(a), db = dy * gelu(a)."),
        (geglu_tanh_backward, "da = dy * b * gelu_tanh'(a), db = dy * gelu_tanh(a)."),
        (reglu_backward, "da = dy * b if a > 0 else 0 * b, db = dy * relu(a).")):
    _fn.__doc__ = _BACKWARD_DOC.format(name=_fn.__name__[:-len("_backward")], formula=_formula)


# ---- fused bias + activation --------------------------------------------------

def _bias_layout(x: np.ndarray, bias: np.ndarray, axis) -> Tuple[int, int, int]:
    """(outer, channels, inner) of x around ``axis``; bias must fit it."""
    ax = _core.normalize_axis(axis, x.ndim)
    channels = x.shape[ax]
    if bias.shape != (channels,):
        raise ValueError(f"bias has shape {bias.shape}, expected ({channels},): one bias per entry of axis {axis} "
                         "of x")
    return _core.prod(x.shape[:ax]), channels, _core.prod(x.shape[ax + 1:])


def _bias_forward(kern: _core.Kernel, x: ArrayLike, bias: ArrayLike, params: Tuple, axis, out, dtype) -> np.ndarray:
    """y = op(x + bias[c]) for the bias op of ``kern``."""
    x, bias = np.asarray(x), np.asarray(bias)
    layout = _bias_layout(x, bias, axis)
    result, kdt = _core.compute_dtypes(kern.name, (x, bias), ("x", "bias"), dtype)
    params = _core.scalars(kern, params)
    out = _core.check_out(kern.name, out, x.shape, result)
    y = _core.target(out, x.shape, result, kdt)
    _core.call(kern.by_dtype[kdt], [_core.dense(x, kdt), _core.dense(bias, kdt)], [y], *layout, *params)
    return _core.finish(y, out, result)


def _bias_backward(kern: _core.Kernel, x: ArrayLike, bias: ArrayLike, dy: ArrayLike, params: Tuple, axis, out,
                  dtype) -> Tuple[np.ndarray, np.ndarray]:
    """(dx, dbias) of the bias op of ``kern``."""
    x, bias, dy = np.asarray(x), np.asarray(bias), np.asarray(dy)
    _core.same_shape(x.shape, dy, "dy")
    layout = _bias_layout(x, bias, axis)
    result, kdt = _core.compute_dtypes(kern.name, (x, bias, dy), ("x", "bias", "dy"), dtype)
    params = _core.scalars(kern, params)
    out = _core.check_out(kern.name, out, x.shape, result)
    dx = _core.target(out, x.shape, result, kdt)
    dbias = np.empty(layout[1], dtype=kdt)
    _core.call(kern.by_dtype[kdt], [_core.dense(a, kdt) for a in (x, bias, dy)], [dx, dbias], *layout, *params)
    return _core.finish(dx, out, result), _core.finish(dbias, None, result)


# Each bias op's functions, made from the op table so that each has its exact
# signature: the op's parameters with their defaults, positional or keyword,
# then the keyword-only axis, out and dtype.
_BIAS_TEMPLATE = """\
def {name}(x, bias, {params}*, axis=1, out=None, dtype=None):
    return _bias_forward(kern, x, bias, ({args}), axis, out, dtype)


def {name}_backward(x, bias, dy, {params}*, axis=1, out=None, dtype=None):
    return _bias_backward(kern_backward, x, bias, dy, ({args}), axis, out, dtype)
"""

_BIAS_DOC = """{name}(x, bias{signature}, *, axis=1, out=None, dtype=None)

Fused bias + {op}: y = {op}(x + bias[c]), c the index along ``axis``; the
sum is rounded to the computation dtype, then {op} applies to it (its
parameters, domains and accuracy as actfn.{op}'s). ``bias`` is 1-d with one
entry per index of ``axis`` (channels: axis=1 of NCHW, axis=-1 of a
(rows, features) matrix). {op}: {doc}
"""

_BIAS_BACKWARD_DOC = """{name}_backward(x, bias, dy{signature}, *, axis=1, out=None, dtype=None)

Gradients of {name} from x (for every op, sigmoid and tanh included);
returns ``(dx, dbias)``: dx = dy * {op}'(x + bias[c]), and dbias[c] the sum
of dx over every axis but ``axis`` (a pairwise sum). ``out``, if given,
receives dx (``out=x`` and ``out=dy`` are in place); dbias is always a new
array of the computation dtype.
"""


def _make_bias(name: str, params) -> None:
    op = name[len("bias_"):]
    names = tuple(p for p, _ in params)
    namespace = dict(_bias_forward=_bias_forward, _bias_backward=_bias_backward, kern=_core.Kernel(name, names),
                     kern_backward=_core.Kernel(name + "_backward", names), __name__=__name__)
    source = _BIAS_TEMPLATE.format(name=name, params="".join(f"{p}={d!r}, " for p, d in params),
                                   args="".join(f"{p}, " for p in names))
    exec(compile(source, f"<actfn.{name}>", "exec"), namespace)
    signature = "".join(f", {p}={d!r}" for p, d in params)
    for fn, template in ((namespace[name], _BIAS_DOC), (namespace[name + "_backward"], _BIAS_BACKWARD_DOC)):
        fn.__doc__ = template.format(name=name, op=op, signature=signature, doc=_DOCS[op][0])
        fn.__module__ = __name__
        globals()[fn.__name__] = fn


for _name, _params in BIAS_OPS:
    _make_bias(_name, _params)
