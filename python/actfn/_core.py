"""The array plumbing between NumPy and the C entry points.

Every public op goes through the helpers here, which apply NumPy's ufunc
rules (SPEC.md §7):

* the computation dtype is ``np.result_type`` of the array arguments; bool
  and integers compute in float64; float16 computes in the library's f16
  kernels (SPEC §9), float32 and float64 in theirs; ``dtype=`` forces the
  computation dtype (inputs cast under ``same_kind``); complex, object,
  string, datetime and longdouble inputs raise ``TypeError``;
* bfloat16 is ``dtype="bfloat16"`` (or ``torch.bfloat16``): the bf16
  kernels, on uint16 arrays taken as bfloat16 bit patterns and on float
  arrays rounded to bfloat16 once (to nearest even, see
  :func:`actfn.to_bfloat16`); other inputs raise ``TypeError``; the result
  is uint16 bit patterns, and ``out`` must be a uint16 array;
* ``out`` may be any ndarray of the result's shape whose dtype the result
  casts to under ``same_kind``; it is written directly when it is a
  C-contiguous, aligned array of the kernel's dtype (``out=x`` is then in
  place, without a copy), else through one contiguous buffer;
* 0-d and scalar arguments give NumPy scalars; lists and tuples are arrays.

The common elementwise call (float16/float32/float64 C-contiguous arrays,
``out`` absent or of the same dtype) takes a fast path, inline in each function
(see _TEMPLATE), that reads the data pointer and flags of the arrays
straight from their ``PyArrayObject`` fields (the layout
is probed once at import and checked against ``ndarray.ctypes``; where the
probe fails, e.g. outside CPython, only the general path runs). Anything the
fast path does not take, or a call that fails in it, goes through the
general path, which gives the same results and raises the errors.
"""

from __future__ import annotations

import ctypes
import math
import numbers
import struct
import sys
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np

from . import _errors
from ._half import BFLOAT16, TORCH_DTYPES, bfloat16_bits
from ._lib import MODE_NAMES, isa_names, load

LIB, LIBRARY_PATH, _KERNELS = load()
# actfn_isa values in enum order, as the library names them.
ISA_NAMES: Tuple[str, ...] = isa_names(LIB)

F16, F32, F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
# bfloat16, as the package carries it: uint16 bit patterns. It is the result
# and kernel dtype of compute_dtypes only under dtype="bfloat16" (a uint16
# input computes in float64 otherwise, as any integer does).
BF16 = np.dtype(np.uint16)
_ndarray = np.ndarray
_empty = np.empty
_AxisError = getattr(getattr(np, "exceptions", np), "AxisError")
_ArgumentError = ctypes.ArgumentError


# ---- reading an ndarray's fields without creating objects ---------------------

# NumPy's array flags (ndarraytypes.h).
_C_CONTIGUOUS, _ALIGNED, _WRITEABLE, _WARN_ON_WRITE = 0x1, 0x100, 0x400, 1 << 31
_IN_OK = _C_CONTIGUOUS | _ALIGNED
_OUT_OK = _C_CONTIGUOUS | _ALIGNED | _WRITEABLE


def _probe_layout():
    """(memory, unpack): ``unpack(memory, id(array))`` is ``(data pointer,
    flags)`` of an ndarray, read from its PyArrayObject fields in one call
    (flags as the signed C int NumPy keeps, so _WARN_ON_WRITE makes it
    negative); None where the fields are not found.

    The offsets are found in the first 10 words (NumPy's PyArrayObject_fields
    up to flags and weakreflist) of a few live arrays: each field must match
    what the public attributes say for all of them, and so must the reader.
    ``memory`` is a read-only view of the address space starting at the
    data field's offset, so that the object's address is the read offset.
    """
    if sys.implementation.name != "cpython":
        return None
    word, cint = ctypes.sizeof(ctypes.c_size_t), ctypes.sizeof(ctypes.c_int)
    if (word, cint, ctypes.sizeof(ctypes.c_void_p)) != (8, 4, 8):
        return None
    words = (ctypes.c_size_t * (1 << 59)).from_address(0)
    ints = (ctypes.c_int * (1 << 60)).from_address(0)
    base = np.zeros((4, 6), F64)
    samples = [np.zeros(7, F32), base, base[:, ::2], base.T, np.frombuffer(bytes(16), F32), np.zeros(3, F16)[1:],
               np.zeros((), F64)]
    nwords = 10

    def unique(candidates, read, want):
        found = [k for k in candidates if all(read(a, k) == want(a) for a in samples)]
        return found[0] if len(found) == 1 else None

    data = unique(range(nwords), lambda a, k: words[id(a) // word + k], lambda a: a.ctypes.data)
    flags = unique(range(nwords * word // cint), lambda a, k: ints[id(a) // cint + k], lambda a: a.flags.num)
    if data is None or flags is None or flags * cint < (data + 1) * word:
        return None
    data_offset, flags_offset = data * word, flags * cint
    memory = memoryview((ctypes.c_char * (1 << 62)).from_address(data_offset)).toreadonly()
    unpack = struct.Struct(f"@P{flags_offset - data_offset - word}xi").unpack_from
    if any(unpack(memory, id(a)) != (a.ctypes.data, a.flags.num) for a in samples):
        return None
    return memory, unpack


_LAYOUT = _probe_layout()
FAST = _LAYOUT is not None
if FAST:
    _MEM, _unpack = _LAYOUT

    def ptr(arr: np.ndarray) -> int:
        """The address of ``arr``'s first element."""
        return _unpack(_MEM, id(arr))[0]
else:
    _MEM = _unpack = None

    def ptr(arr: np.ndarray) -> int:
        """The address of ``arr``'s first element."""
        return arr.ctypes.data


# ---- the kernels of one op ----------------------------------------------------

class _ByDtype(dict):
    """An op's entry points by kernel dtype; a 16-bit one the loaded library
    lacks raises TypeError naming it."""

    __slots__ = ("name",)

    def __missing__(self, kdt: np.dtype):
        suffix, what = ("bf16", "bfloat16") if kdt is BF16 else ("f16", "float16")
        raise TypeError(f"actfn.{self.name} cannot compute in {what}: the loaded libactfn ({LIBRARY_PATH}) has no "
                        f"actfn_{self.name}_{suffix}; it predates the 16-bit types (SPEC §9), load a newer one")


class Kernel:
    """One op's C entry points, bound once: ``f32``, ``f64``, ``f16`` and
    ``bf16`` (None where the library lacks it), also as ``by_dtype`` (keyed
    by kernel dtype: BF16 for bf16); ``name`` is the Python name, ``params``
    the names of the scalar parameters."""

    __slots__ = ("name", "params", "by_dtype", "f32", "f64", "f16", "bf16")

    def __init__(self, name: str, params: Tuple[str, ...] = ()) -> None:
        fns = _KERNELS[name]
        self.name = name
        self.params = params
        self.f32, self.f64 = fns["f32"], fns["f64"]
        self.f16, self.bf16 = fns.get("f16"), fns.get("bf16")
        self.by_dtype = _ByDtype({kdt: fn for kdt, fn in ((F32, self.f32), (F64, self.f64), (F16, self.f16),
                                                          (BF16, self.bf16)) if fn is not None})
        self.by_dtype.name = name

    def c_name(self, kdt: np.dtype) -> str:
        return self.by_dtype[kdt].__name__


# ---- errors -------------------------------------------------------------------

def check_status(status: int, function: str) -> None:
    """Raise the exception for a non-zero status returned by ``function``."""
    if status != _errors.OK:
        raise _errors.error_for_status(status, strerror(status), function)


def strerror(status: int) -> str:
    """The C library's one-line message for ``status``."""
    return LIB.actfn_strerror(status).decode()


def call(fn: Callable, inputs: Sequence[np.ndarray], outputs: Sequence[np.ndarray], *tail) -> None:
    """Call the C function ``fn(inputs..., outputs..., tail...)``; raise on failure.

    An output that partially overlaps an input (which the library refuses)
    is computed as NumPy would: from copies of the inputs.
    """
    status = fn(*[ptr(a) for a in inputs], *[ptr(o) for o in outputs], *tail)
    if status == _errors.ERR_OVERLAP:
        copies = [a.copy() for a in inputs]
        status = fn(*[ptr(a) for a in copies], *[ptr(o) for o in outputs], *tail)
    check_status(status, fn.__name__)


# ---- dtypes -------------------------------------------------------------------

_BY_SIZE = {2: F16, 4: F32, 8: F64}


def _unsupported(name: str, what: str, dt: np.dtype) -> TypeError:
    return TypeError(f"actfn.{name} does not support {what} of dtype {dt}: actfn computes in float16, float32 or "
                     "float64 (bool and integers in float64), or in bfloat16 with dtype='bfloat16'")


def _forced(name: str, dtype) -> np.dtype:
    """The computation dtype ``dtype=`` asks for: F16, F32, F64, or BF16 for
    "bfloat16" (torch.float16, float32, float64 and bfloat16 are taken too)."""
    if isinstance(dtype, str) and dtype == BFLOAT16:
        return BF16
    if type(dtype).__module__ == "torch":
        forced = TORCH_DTYPES.get(str(dtype))
        if forced is None:
            raise TypeError(f"actfn.{name} cannot compute in {dtype}: dtype= must be float16, float32, float64 or "
                            "'bfloat16'")
        return BF16 if forced is BFLOAT16 else forced
    forced = np.dtype(dtype)
    result = _BY_SIZE.get(forced.itemsize) if forced.kind == "f" else None
    if result is None:
        raise TypeError(f"actfn.{name} cannot compute in dtype {forced}: dtype= must be float16, float32, float64 "
                        "or 'bfloat16'")
    return result


def _bfloat16_inputs(name: str, arrays: Sequence[np.ndarray], labels: Sequence[str]) -> None:
    """Raise TypeError for an array that dtype="bfloat16" does not take:
    it takes uint16 (bit patterns) and floats (values, rounded once)."""
    for arr, what in zip(arrays, labels):
        dt = arr.dtype
        if (dt.kind == "u" and dt.itemsize == 2) or dt.kind == "f":
            continue
        hint = (": an int16 view of torch.bfloat16 data is reinterpreted with .view(numpy.uint16) (or use "
                "actfn.torch_view)" if dt.kind == "i" and dt.itemsize == 2 else
                ": round values with actfn.to_bfloat16, or pass floats" if dt.kind in "biu" else "")
        raise TypeError(f"actfn.{name} with dtype='bfloat16' takes {what} as bfloat16 bit patterns (a uint16 "
                        f"array) or as float values (rounded to bfloat16), not {dt}{hint}")


def compute_dtypes(name: str, arrays: Sequence[np.ndarray], labels: Sequence[str],
                   dtype=None) -> Tuple[np.dtype, np.dtype]:
    """(result dtype, kernel dtype) of an op on ``arrays``, as a ufunc picks it.

    The result dtype is float16, float32, float64, or BF16 (uint16 bit
    patterns) under dtype="bfloat16"; the kernel dtype is the same (it is
    the C function's: every result dtype has its own kernels).
    """
    if dtype is not None:
        result = _forced(name, dtype)
        if result is BF16:
            _bfloat16_inputs(name, arrays, labels)
            return result, result
        for arr in arrays:
            if not np.can_cast(arr.dtype, result, "same_kind"):
                raise TypeError(f"Cannot cast actfn.{name} input from {arr.dtype!r} to {result!r} with casting "
                                "rule 'same_kind'")
        return result, result
    first = arrays[0].dtype
    if (first is F32 or first is F64 or first is F16) and all(a.dtype is first for a in arrays):
        return first, first  # the common case, without np.result_type's cost
    for arr, what in zip(arrays, labels):
        dt = arr.dtype
        if dt.kind not in "biuf" or (dt.kind == "f" and dt.itemsize > 8):
            raise _unsupported(name, what, dt)
    common = np.result_type(*arrays)
    result = F64 if common.kind in "biu" else _BY_SIZE[common.itemsize]
    return result, result


def dense(arr: np.ndarray, kdt: np.dtype) -> np.ndarray:
    """``arr`` itself when it is a C-contiguous, aligned array of ``kdt``,
    else one such copy; for BF16, float arrays are rounded to bfloat16 bit
    patterns (to nearest even, once)."""
    if arr.dtype == kdt and arr.flags.c_contiguous and arr.flags.aligned:
        return arr
    if kdt is BF16 and arr.dtype.kind == "f":
        return bfloat16_bits(arr)
    return arr.astype(kdt, order="C")


# ---- out= -----------------------------------------------------------------------

def _shape_text(shape: Tuple[int, ...]) -> str:
    return "(" + ",".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def check_out(name: str, out, shape: Tuple[int, ...], result: np.dtype) -> Optional[np.ndarray]:
    """``out`` (an ndarray, or a tuple holding one) after checking it can
    receive a result of ``shape`` and dtype ``result``, as a ufunc checks."""
    if out is None:
        return None
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry per output")
        out = out[0]
    if not isinstance(out, np.ndarray):
        raise TypeError("return arrays must be of ArrayType")
    if out.shape != shape:
        raise ValueError(f"operands could not be broadcast together with shapes {_shape_text(shape)} "
                         f"{_shape_text(out.shape)}")
    if result is BF16:
        if out.dtype.kind != "u" or out.dtype.itemsize != 2:
            raise TypeError(f"actfn.{name} computes in bfloat16 (dtype='bfloat16'): out must be a uint16 array, "
                            f"which receives the bit patterns, not {out.dtype} (actfn.from_bfloat16 gives the "
                            "values)")
    elif out.dtype != result and not np.can_cast(result, out.dtype, "same_kind"):
        raise TypeError(f"Cannot cast actfn.{name} output from {result!r} to {out.dtype!r} with casting rule "
                        "'same_kind'")
    if not out.flags.writeable:
        raise ValueError("output array is read-only")
    return out


def target(out: Optional[np.ndarray], shape: Tuple[int, ...], result: np.dtype, kdt: np.dtype) -> np.ndarray:
    """The array the C call writes: ``out`` itself when it can be, else a new one."""
    if (out is not None and result == kdt and out.dtype == kdt and out.flags.c_contiguous and out.flags.aligned
            and not out.flags.num & _WARN_ON_WRITE):
        return out
    return _empty(shape, kdt)


def finish(res: np.ndarray, out: Optional[np.ndarray], result: np.dtype) -> np.ndarray:
    """The value to return: ``res`` rounded once to the result dtype, in
    C order, or written into ``out`` (same_kind was checked before)."""
    if out is None:
        if res.dtype != result or not res.flags.c_contiguous:
            res = res.astype(result, order="C")
        return res
    if res is not out:
        np.copyto(out, res if res.dtype == result else res.astype(result), casting="unsafe")
    return out


# ---- parameters and axes ----------------------------------------------------------

def scalar(value, name: str) -> float:
    """A scalar parameter as a Python float: anything ``float()`` takes
    except text (the same the C call's ctypes conversion takes)."""
    if not isinstance(value, (str, bytes)):
        try:
            return float(value)
        except TypeError:
            pass
    raise TypeError(f"{name} must be a real number, not {type(value).__name__}")


def scalars(kern: Kernel, values: Tuple) -> Tuple[float, ...]:
    return tuple(scalar(v, p) for v, p in zip(values, kern.params))


def normalize_axis(axis: int, ndim: int) -> int:
    """``axis`` in range(ndim), counting negative axes from the end."""
    if type(axis) is not int and not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, not {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise _AxisError(int(axis), ndim)
    return int(axis) % ndim


def same_shape(shape: Tuple[int, ...], other: np.ndarray, what: str) -> None:
    if other.shape != tuple(shape):
        raise ValueError(f"{what} has shape {other.shape}, expected {tuple(shape)}")


def prod(dims: Sequence[int]) -> int:
    return math.prod(dims)


# ---- elementwise calls ------------------------------------------------------------

def elementwise(kern: Kernel, values: Tuple, labels: Tuple[str, ...], out, dtype, params: Tuple) -> np.ndarray:
    """The general path of an elementwise call: ``values`` are x (forward) or
    (in, dy) (backward), every rule of the module docstring applied."""
    arrays: List[np.ndarray] = [np.asarray(v) for v in values]
    for arr, what in zip(arrays[1:], labels[1:]):
        same_shape(arrays[0].shape, arr, what)
    result, kdt = compute_dtypes(kern.name, arrays, labels, dtype)
    params = scalars(kern, params)
    shape = arrays[0].shape
    out = check_out(kern.name, out, shape, result)
    inputs = [dense(a, kdt) for a in arrays]
    work = target(out, shape, result, kdt)
    call(kern.by_dtype[kdt], inputs, [work], work.size, *params)
    res = finish(work, out, result)
    if out is None and not shape:
        return res[()]  # 0-d in, NumPy scalar out, as a ufunc
    return res


# The public elementwise functions are made from one template, so that each
# has its exact signature and its fast path inline: one Python call, no
# per-call lookups of kernels or parameters. {inputs} are the array
# arguments ("x", or e.g. "x, dy"), {params} the scalar parameters with
# their defaults. The fast path takes inputs of one native float dtype
# (float16, float32, float64; without dtype=), or uint16 bit patterns with
# dtype="bfloat16" (the interned string: an equal string that is another
# object takes the general path, to the same result), C-contiguous and
# aligned, and no out or an out of the same dtype and shape that is
# C-contiguous, aligned and writeable; everything else, and any failing
# call, goes through elementwise() above. Each array's data pointer
# and flags come from one _unpack; the flags are tested with literal masks
# (small ints): inputs need _IN_OK, out needs _OUT_OK and must not be
# negative (_WARN_ON_WRITE is the sign bit of the C int).
_TEMPLATE = """\
def {name}({inputs}, {params}*, out=None, dtype=None):
    if {same_types}:
        dt = {first}.dtype
        if dtype is None:
            fn = f32 if dt is F32 else f64 if dt is F64 else f16 if dt is F16 else None
        else:
            fn = bf16 if dtype is BFLOAT16 and dt is BF16 else None
        if fn is not None{same_dtypes}{same_shapes}:
{reads}
            if {inputs_ok}:
                try:
                    if out is None:
                        if {first}.ndim:
                            out = _empty({first}.shape, dt)
                            if not fn({pointers}, _unpack(_MEM, id(out))[0], {first}.size{args}):
                                return out
                            out = None
                    elif type(out) is _ndarray and out.dtype is dt and out.shape == {first}.shape:
                        po, go = _unpack(_MEM, id(out))
                        if go & {out_ok:#x} == {out_ok:#x} <= go and not fn({pointers}, po, {first}.size{args}):
                            return out
                except _ArgumentError:
                    pass
    return elementwise(kern, ({inputs},), labels, out, dtype, ({args_tuple}))
"""
# Where the PyArrayObject layout is unknown: the general path only.
_TEMPLATE_GENERAL = """\
def {name}({inputs}, {params}*, out=None, dtype=None):
    return elementwise(kern, ({inputs},), labels, out, dtype, ({args_tuple}))
"""


def elementwise_function(kern: Kernel, inputs: Sequence[str], labels: Sequence[str],
                         defaults: Sequence[float], module: str, doc: str) -> Callable:
    """The public function of an elementwise op: ``name(*inputs, *params, out=None, dtype=None)``."""
    first = inputs[0]
    source = (_TEMPLATE if FAST else _TEMPLATE_GENERAL).format(
        name=kern.name, first=first, inputs=", ".join(inputs),
        params="".join(f"{p}={d!r}, " for p, d in zip(kern.params, defaults)),
        same_types=" and ".join(f"type({a}) is _ndarray" for a in inputs),
        same_dtypes="".join(f" and {a}.dtype is dt" for a in inputs[1:]),
        same_shapes="".join(f" and {a}.shape == {first}.shape" for a in inputs[1:]),
        reads="\n".join(f"            p{k}, g{k} = _unpack(_MEM, id({a}))" for k, a in enumerate(inputs)),
        inputs_ok=" & ".join(f"g{k}" for k in range(len(inputs))) + f" & {_IN_OK:#x} == {_IN_OK:#x}",
        pointers=", ".join(f"p{k}" for k in range(len(inputs))),
        out_ok=_OUT_OK,
        args="".join(f", {p}" for p in kern.params),
        args_tuple="".join(f"{p}, " for p in kern.params))
    namespace = dict(F16=F16, F32=F32, F64=F64, BF16=BF16, BFLOAT16=BFLOAT16, f16=kern.f16, f32=kern.f32,
                     f64=kern.f64, bf16=kern.bf16, kern=kern, labels=tuple(labels),
                     elementwise=elementwise, _ndarray=_ndarray, _empty=_empty, _MEM=_MEM, _unpack=_unpack,
                     _ArgumentError=_ArgumentError, __name__=module)
    exec(compile(source, f"<actfn.{kern.name}>", "exec"), namespace)
    function = namespace[kern.name]
    function.__doc__ = doc
    function.__module__ = module
    return function


# ---- ISA and mode names -------------------------------------------------------------

def name_index(names: Sequence[str], name: str, what: str) -> int:
    if name not in names:
        raise ValueError(f"unknown {what} {name!r}; expected one of {', '.join(names)}")
    return names.index(name)


def isa_index(name: str) -> int:
    return name_index(ISA_NAMES, name, "ISA")


def mode_index(name: str) -> int:
    return name_index(MODE_NAMES, name, "mode")

