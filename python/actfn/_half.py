"""The 16-bit storage types of SPEC §9 in NumPy: bfloat16 conversions and
zero-copy NumPy views of PyTorch tensors.

NumPy has float16 (IEEE binary16) but no bfloat16, so actfn takes bfloat16
arrays as ``numpy.uint16`` arrays holding the raw bit patterns (the top
half of a float32: sign, 8 exponent bits, 7 fraction bits), with
``dtype="bfloat16"`` on the call; results come back as uint16 bit patterns.
The helpers here convert between such bit patterns and float values,
exactly, with integer arithmetic on the IEEE bit patterns (never through a
float conversion that could round twice):

* :func:`to_bfloat16` rounds values to the nearest bfloat16, ties to even,
  once (float64 inputs too), overflowing to ±inf and keeping subnormals; a
  NaN becomes a quiet NaN of the same sign that keeps the top payload bits.
  This is the rounding the library applies to its results.
* :func:`from_bfloat16` widens bit patterns to float32, exactly.
* :func:`torch_view` is a NumPy view of a CPU tensor, sharing its memory:
  ``torch.bfloat16`` as uint16 bit patterns, ``torch.float16`` / ``float32``
  / ``float64`` as themselves.

PyTorch is never imported by actfn itself: :func:`torch_view` works on the
tensor it is given.
"""

from __future__ import annotations

from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike

BFLOAT16 = "bfloat16"
"""The ``dtype=`` spelling of bfloat16: ``actfn.gelu(bits, dtype="bfloat16")``."""

_U16, _U32, _F32 = np.dtype(np.uint16), np.dtype(np.uint32), np.dtype(np.float32)

# torch dtypes by their str(), as actfn's dtype= accepts them.
TORCH_DTYPES = {"torch.bfloat16": BFLOAT16, "torch.float16": np.dtype(np.float16),
                "torch.float32": np.dtype(np.float32), "torch.float64": np.dtype(np.float64)}


def _float32_bits_round_to_odd(x: np.ndarray) -> np.ndarray:
    """The float32 bit patterns (uint32) of ``x`` (a float array wider than
    float32) rounded to float32 by round-to-odd: the float32 toward zero,
    with its last bit set when it is inexact. Round-to-odd to 24 bits and
    then to nearest to 8 bits is one correct rounding (Boldo & Melquiond),
    in the subnormal range too (float32's grid stays 16 bits finer there).
    NaN keeps the conversion's quiet NaN; ±inf stays ±inf; a finite value
    beyond float32's range becomes the largest finite float32, odd.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        f = x.astype(_F32)
        back = f.astype(x.dtype)
        inexact = (back != x) & ~np.isnan(x)
        toward_zero = inexact & (np.abs(back) > np.abs(x))  # one step toward zero (inf - 1 is the largest)
    bits = f.view(_U32)
    bits -= toward_zero.astype(_U32)
    bits |= inexact.astype(_U32)
    return bits


def _bfloat16_from_float32_bits(bits: np.ndarray) -> np.ndarray:
    """float32 bit patterns (uint32) rounded to bfloat16 bit patterns (uint16),
    to nearest even; a carry into the exponent is the next binade or inf. A
    NaN is quieted, its sign and top payload bits kept."""
    nan = (bits & np.uint32(0x7FFFFFFF)) > np.uint32(0x7F800000)
    # No carry out of 32 bits but for NaN patterns, which are not used: the
    # largest finite pattern, 0xFF7FFFFF, plus 0x8000 stays below 2**32.
    rounded = (bits + (np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1)))) >> np.uint32(16)
    quiet = (bits >> np.uint32(16)) | np.uint32(0x0040)
    return np.where(nan, quiet, rounded).astype(_U16)


def bfloat16_bits(arr: np.ndarray) -> np.ndarray:
    """The bfloat16 bit patterns of a bool, integer or float ndarray (new,
    C-contiguous, uint16), as :func:`to_bfloat16` rounds them."""
    dt = arr.dtype
    flat = arr.reshape(-1)  # 1-d: array arithmetic (0-d would be NumPy scalars)
    if dt.kind == "f" and dt.itemsize <= 4:
        with np.errstate(invalid="ignore"):  # a signalling NaN float16 converts quietly
            bits = flat.astype(_F32).view(_U32)  # float16 and float32 are exact in float32
    elif dt.kind in "fbiu":
        # Integers become float64 first (exact up to 2**53 in magnitude).
        bits = _float32_bits_round_to_odd(flat if dt.kind == "f" else flat.astype(np.float64))
    else:
        raise TypeError(f"cannot round an array of dtype {dt} to bfloat16: it takes bool, integer or float values")
    return _bfloat16_from_float32_bits(bits).reshape(arr.shape)


def to_bfloat16(x: ArrayLike) -> Union[np.ndarray, np.uint16]:
    """Round values to bfloat16; returns their bit patterns as uint16.

    Each value is rounded once to the nearest bfloat16, ties to even (the
    rounding of PyTorch's float32-to-bfloat16 conversion, and of the
    library's results), float64 and longdouble values included: they are
    not rounded to float32 first. Values beyond the largest bfloat16
    (3.3895e38) by half a unit or more become ±inf, values below the
    smallest normal (1.1755e-38) round to bfloat16's subnormals, -0.0 stays
    -0.0, and a NaN becomes a quiet NaN (the 0x0040 bit set) of the same
    sign with the top bits of its payload. Bool and integer inputs are
    converted to float64 first (exact below 2**53). Complex, object and
    string inputs raise ``TypeError``.

    Arrays give a new C-contiguous uint16 array of the same shape; 0-d
    arrays and Python scalars a ``numpy.uint16``.

    >>> actfn.to_bfloat16([1.0, -2.5, 1 / 3])
    array([16256, 49184, 16043], dtype=uint16)
    >>> hex(actfn.to_bfloat16(1.0))
    '0x3f80'
    """
    arr = np.asarray(x)
    bits = bfloat16_bits(arr)
    return bits[()] if not arr.shape else bits


def from_bfloat16(bits: ArrayLike) -> Union[np.ndarray, np.float32]:
    """The float32 values of bfloat16 bit patterns, exactly (each pattern
    becomes the top 16 bits of a float32; NaN patterns stay NaN with their
    payload).

    ``bits`` is a uint16 array (or a ``numpy.uint16``), or Python integers
    (a list, a tuple) from 0 to 0xFFFF. An ndarray of another dtype raises
    ``TypeError`` — an int16 array, for instance, as a NumPy view of a
    ``torch.bfloat16`` tensor through ``torch.int16`` gives: reinterpret it
    with ``.view(numpy.uint16)`` (or use :func:`torch_view`). Arrays give a
    float32 array of the same shape; 0-d arrays and scalars a
    ``numpy.float32``.

    >>> actfn.from_bfloat16(actfn.to_bfloat16([1.0, 0.1]))
    array([1.        , 0.10009766], dtype=float32)
    """
    arr = _bits_array(bits, "from_bfloat16")
    values = (arr.astype(_U32) << np.uint32(16)).view(_F32)
    return values[()] if not arr.shape else values


def _bits_array(bits: Any, function: str) -> np.ndarray:
    """``bits`` as a uint16 ndarray: uint16 arrays and scalars as they are,
    Python integers (and lists, tuples of them) when in 0..0xFFFF."""
    if isinstance(bits, (np.ndarray, np.generic)):
        arr = np.asarray(bits)
        if arr.dtype.kind == "u" and arr.dtype.itemsize == 2:
            return arr
        hint = (" (an int16 view of torch.bfloat16 data: reinterpret it with .view(numpy.uint16))"
                if arr.dtype == np.int16 else "")
        raise TypeError(f"actfn.{function} takes bfloat16 bit patterns as a uint16 array, not {arr.dtype}{hint}")
    arr = np.asarray(bits)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind == "f"):
        raise TypeError(f"actfn.{function} takes bfloat16 bit patterns: uint16 arrays or Python integers from 0 to "
                        f"0xFFFF, not {type(bits).__name__} of {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() > 0xFFFF):
        raise ValueError(f"actfn.{function}: a bfloat16 bit pattern is an integer from 0 to 0xFFFF")
    return arr.astype(_U16)


def torch_view(tensor: Any) -> np.ndarray:
    """A NumPy view of a PyTorch CPU tensor, sharing its memory (no copy).

    ``torch.bfloat16`` tensors give uint16 arrays of their bit patterns
    (pass ``dtype="bfloat16"`` — or ``dtype=tensor.dtype`` — with them);
    ``torch.float16``, ``float32`` and ``float64`` tensors give arrays of
    that dtype (``tensor.numpy()``). Writing into the view writes into the
    tensor, so a tensor is an ``out=`` target through its view::

        y = torch.empty_like(t)
        actfn.gelu(actfn.torch_view(t), dtype=t.dtype, out=actfn.torch_view(y))

    The view keeps the tensor's shape and strides. Raises ``TypeError`` for
    something that is not a tensor, a tensor of another dtype, or one not on
    the CPU (move it with ``.cpu()``, which copies), and ``RuntimeError``
    for a tensor that requires grad, as ``tensor.numpy()`` does: writes
    through the view would bypass autograd; ``tensor.detach()`` is a view of
    the same memory that does not.
    """
    module = type(tensor).__module__
    if not (module == "torch" or module.startswith("torch.")) or not hasattr(tensor, "numpy"):
        raise TypeError(f"actfn.torch_view takes a torch.Tensor, not {type(tensor).__name__}")
    if tensor.device.type != "cpu":
        raise TypeError(f"actfn.torch_view takes CPU tensors, not one on {tensor.device}: move it with .cpu() "
                        "(a copy)")
    if tensor.requires_grad:
        raise RuntimeError("actfn.torch_view: the tensor requires grad; pass tensor.detach() (the same memory, "
                           "no copy), as for tensor.numpy()")
    name = str(tensor.dtype)
    if name == "torch.bfloat16":
        import torch  # the tensor's own module: already imported
        return tensor.view(torch.int16).numpy().view(_U16)
    if name in TORCH_DTYPES:
        return tensor.numpy()
    raise TypeError(f"actfn.torch_view takes bfloat16, float16, float32 or float64 tensors, not {name}")
