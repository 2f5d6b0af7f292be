"""The array plumbing between NumPy and the C entry points.

Every public op goes through the helpers here: dtype checks (float32 and
float64 only, TypeError otherwise, never a silent conversion), one copy of
non-contiguous inputs, validation of ``out=``, axis arithmetic, and turning a
non-zero status into the matching :mod:`actfn._errors` exception.
"""

from __future__ import annotations

import math
import numbers
from typing import Optional, Sequence, Tuple

import numpy as np

from . import _errors
from ._lib import ISA_NAMES, MODE_NAMES, load

LIB, LIBRARY_PATH = load()

SUFFIX = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}
_AxisError = getattr(getattr(np, "exceptions", np), "AxisError")


def check_status(status: int, function: str) -> None:
    """Raise the exception for a non-zero status returned by ``function``."""
    if status != _errors.OK:
        raise _errors.error_for_status(status, strerror(status), function)


def strerror(status: int) -> str:
    """The C library's one-line message for ``status``."""
    return LIB.actfn_strerror(status).decode()


def call(name: str, sfx: str, *args) -> None:
    """Call ``actfn_<name>_<sfx>`` and raise on a non-zero status."""
    function = f"actfn_{name}_{sfx}"
    check_status(getattr(LIB, function)(*args), function)


def float_array(value, what: str) -> np.ndarray:
    """``value`` as an ndarray of native float32/float64, without copying."""
    arr = np.asarray(value)
    if arr.dtype not in SUFFIX or not arr.dtype.isnative:
        raise TypeError(f"{what} must be float32 or float64 (native byte order), not {arr.dtype}; "
                        "actfn does not convert dtypes: use .astype() explicitly")
    return arr


def dense(arr: np.ndarray) -> np.ndarray:
    """``arr`` itself when C-contiguous and aligned, else one contiguous copy."""
    if arr.flags.c_contiguous and arr.flags.aligned:
        return arr
    return arr.copy(order="C")


def same_dtype(first: np.ndarray, other: np.ndarray, what: str) -> None:
    if other.dtype != first.dtype:
        raise TypeError(f"{what} has dtype {other.dtype} but the input has {first.dtype}; "
                        "actfn does not convert dtypes")


def same_shape(shape: Tuple[int, ...], other: np.ndarray, what: str) -> None:
    if other.shape != tuple(shape):
        raise ValueError(f"{what} has shape {other.shape}, expected {tuple(shape)}")


def output(out: Optional[np.ndarray], shape: Sequence[int], dtype: np.dtype) -> np.ndarray:
    """A new C-contiguous result array, or ``out`` after checking it fits."""
    if out is None:
        return np.empty(shape, dtype=dtype)
    if not isinstance(out, np.ndarray):
        raise ValueError(f"out must be a numpy.ndarray, not {type(out).__name__}")
    if out.dtype != dtype:
        raise ValueError(f"out has dtype {out.dtype}, expected {dtype}")
    if out.shape != tuple(shape):
        raise ValueError(f"out has shape {out.shape}, expected {tuple(shape)}")
    if not (out.flags.c_contiguous and out.flags.aligned):
        raise ValueError("out must be C-contiguous and aligned")
    if not out.flags.writeable:
        raise ValueError("out is read-only")
    return out


def scalar(value, name: str) -> float:
    """A scalar parameter as a Python float (TypeError for non-numbers)."""
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}")
    return float(value)


def normalize_axis(axis: int, ndim: int) -> int:
    """``axis`` in range(ndim), counting negative axes from the end."""
    if not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, not {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise _AxisError(int(axis), ndim)
    return int(axis) % ndim


def prod(dims: Sequence[int]) -> int:
    return math.prod(dims)


def ptr(arr: np.ndarray) -> int:
    return arr.ctypes.data


def name_index(names: Sequence[str], name: str, what: str) -> int:
    if name not in names:
        raise ValueError(f"unknown {what} {name!r}; expected one of {', '.join(names)}")
    return names.index(name)


def isa_index(name: str) -> int:
    return name_index(ISA_NAMES, name, "ISA")


def mode_index(name: str) -> int:
    return name_index(MODE_NAMES, name, "mode")
