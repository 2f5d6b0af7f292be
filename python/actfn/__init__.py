"""actfn — NumPy bindings (ctypes) for libactfn's activation functions.

Every activation has a forward function ``actfn.<op>(x, *params, out=None)``
and a gradient ``actfn.<op>_backward(in, dy, *params, out=None)``, where
``in`` is the forward input x, or the forward output y for sigmoid, tanh,
softmax and log_softmax. The gated ops (SPEC §11) ``glu``, ``swiglu``,
``geglu``, ``geglu_tanh`` and ``reglu`` take ``(x, *, axis=-1)``, split in
halves along axis, or two arrays ``(a, b)``; every elementwise op also has a
fused bias form ``bias_<op>(x, bias, *params, axis=1)``. See
:mod:`actfn._fused`. Conventions:

* dtypes follow NumPy's ufunc rules: the computation dtype is
  ``np.result_type`` of the array arguments (scalar parameters such as
  ``alpha`` do not promote); float16, float32 and float64 run on the
  library's kernels of that type (float16: computed in float32, rounded
  once to float16), bool and integers in float64; ``dtype=`` forces the
  computation dtype; complex, object, string, datetime and longdouble
  arrays raise ``TypeError``.
* bfloat16 (SPEC §9): ``dtype="bfloat16"`` computes on the bf16 kernels.
  NumPy has no bfloat16, so its arrays are uint16 arrays of bit patterns;
  with ``dtype="bfloat16"`` a uint16 array is taken as bit patterns, a
  float array (of any width) is rounded to bfloat16 once, to nearest even,
  and any other array raises ``TypeError``; the result is uint16 bit
  patterns, and ``out`` must be a uint16 array. Without ``dtype=`` a
  uint16 array is integers, as in NumPy. :func:`to_bfloat16` and
  :func:`from_bfloat16` convert values and bit patterns exactly.
* PyTorch: :func:`torch_view` is a NumPy view of a CPU tensor without a
  copy (``torch.bfloat16`` as uint16 bit patterns), and ``dtype=`` takes
  torch's float dtypes: ``actfn.gelu(torch_view(t), dtype=t.dtype,
  out=torch_view(y))`` writes into the tensor y.
* Non-contiguous inputs are copied once to C-contiguous memory; lists and
  tuples are arrays; 0-d arrays and Python scalars give NumPy scalars.
* ``out`` may be any ndarray of the result's shape that the result casts to
  under ``same_kind`` (contiguous or not); ``out=x`` computes in place.
* Errors of the C library raise :class:`ActfnError` subclasses carrying the
  library's ``actfn_strerror`` message: :class:`ActfnParamError`,
  :class:`ActfnOverlapError` and :class:`ActfnSizeError` are also
  ``ValueError``; :class:`ActfnUnsupportedError` is also ``RuntimeError``.

The library is found through ``ACTFN_LIBRARY``, then beside this package,
then on the system library path; see :mod:`actfn._lib`.

>>> import numpy as np, actfn
>>> actfn.relu(np.array([-1.0, 2.0]))
array([0., 2.])
>>> actfn.relu(np.array([-1.0, 2.0], np.float16))
array([0., 2.], dtype=float16)
>>> actfn.from_bfloat16(actfn.relu([-1.0, 2.0], dtype="bfloat16"))
array([0., 2.], dtype=float32)
"""

from __future__ import annotations

from typing import List

from . import _core
from ._core import LIBRARY_PATH as library_path
from ._elementwise import (elu, elu_backward, gelu, gelu_backward, gelu_tanh, gelu_tanh_backward, hardsigmoid,
                           hardsigmoid_backward, hardswish, hardswish_backward, hardtanh, hardtanh_backward,
                           leaky_relu, leaky_relu_backward, logsigmoid, logsigmoid_backward, mish, mish_backward,
                           relu, relu6, relu6_backward, relu_backward, selu, selu_backward, sigmoid,
                           sigmoid_backward, silu, silu_backward, softplus, softplus_backward, swish,
                           swish_backward, tanh, tanh_backward)
from ._fused import (bias_elu, bias_elu_backward, bias_gelu, bias_gelu_backward, bias_gelu_tanh,
                     bias_gelu_tanh_backward, bias_hardsigmoid, bias_hardsigmoid_backward, bias_hardswish,
                     bias_hardswish_backward, bias_hardtanh, bias_hardtanh_backward, bias_leaky_relu,
                     bias_leaky_relu_backward, bias_logsigmoid, bias_logsigmoid_backward, bias_mish,
                     bias_mish_backward, bias_relu, bias_relu6, bias_relu6_backward, bias_relu_backward, bias_selu,
                     bias_selu_backward, bias_sigmoid, bias_sigmoid_backward, bias_silu, bias_silu_backward,
                     bias_softplus, bias_softplus_backward, bias_swish, bias_swish_backward, bias_tanh,
                     bias_tanh_backward, geglu, geglu_backward, geglu_tanh, geglu_tanh_backward, glu, glu_backward,
                     reglu, reglu_backward, swiglu, swiglu_backward)
from ._errors import (ActfnError, ActfnNullError, ActfnOverlapError, ActfnParamError, ActfnSizeError,
                      ActfnUnsupportedError, LibraryNotFoundError)
from ._core import ISA_NAMES
from ._half import from_bfloat16, to_bfloat16, torch_view
from ._lib import MODE_NAMES
from ._shaped import (log_softmax, log_softmax_backward, maxout, maxout_backward, prelu, prelu_backward, softmax,
                      softmax_backward)

__version__: str = _core.LIB.actfn_version().decode()


def get_isa() -> str:
    """The ISA whose kernels calls use now, e.g. "scalar", "avx2", "avx512" or "neon"."""
    return _core.LIB.actfn_isa_name(_core.LIB.actfn_get_isa()).decode()


def set_isa(name: str) -> None:
    """Switch every later call, process-wide, to the kernels of ISA ``name``.

    Raises ``ValueError`` for a name that is not an ISA, and
    :class:`ActfnUnsupportedError` for one this CPU, OS or build cannot run.
    """
    _core.check_status(_core.LIB.actfn_set_isa(_core.isa_index(name)), "actfn_set_isa")


def supported_isas() -> List[str]:
    """The ISAs this CPU, OS and build can run, in the library's enum order (scalar first)."""
    return [name for index, name in enumerate(ISA_NAMES) if _core.LIB.actfn_isa_supported(index)]


def get_mode() -> str:
    """The mode calls use now: "fast" (the default) or "reproducible"."""
    return MODE_NAMES[_core.LIB.actfn_get_mode()]


def set_mode(name: str) -> None:
    """Switch every later call, process-wide, to mode ``name``.

    "reproducible" makes every op, forward and backward, float32 and float64,
    return bit-identical results on every ISA and machine (NaN results are
    NaN, their sign and payload bits are not covered), at some cost in speed;
    "fast" (the default) uses the fastest kernels, whose transcendental
    results may differ in the last bits between ISAs. The environment
    variable ACTFN_MODE sets the mode at start-up. Raises ``ValueError`` for
    another name, and :class:`ActfnUnsupportedError` for "reproducible" on an
    x86-64 CPU without FMA.
    """
    _core.check_status(_core.LIB.actfn_set_mode(_core.mode_index(name)), "actfn_set_mode")


def get_num_threads() -> int:
    """How many threads a large call is split over (the default: the CPUs
    this process may run on, or ACTFN_NUM_THREADS at start-up)."""
    return int(_core.LIB.actfn_get_num_threads())


_C_INT_MAX = 2**31 - 1


def set_num_threads(n: int) -> None:
    """Split every later large call, process-wide, over ``n`` threads.

    Results are bit-identical for every thread count; calls below a
    measured amount of work stay on the calling thread. Raises
    :class:`ActfnParamError` (a ``ValueError``) for n < 1, ``TypeError`` for
    a non-integer (bool included) and ``OverflowError`` beyond a C int.
    """
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise TypeError(f"set_num_threads() takes an integer, not {type(n).__name__}")
    n = n.__index__()
    if n > _C_INT_MAX:
        raise OverflowError(f"set_num_threads({n}): more than a C int holds")
    if n < 1:
        n = 0  # below the C int's range as well: still ACTFN_ERR_PARAM from the library
    _core.check_status(_core.LIB.actfn_set_num_threads(n), "actfn_set_num_threads")


__all__ = [
    "ActfnError", "ActfnNullError", "ActfnOverlapError", "ActfnParamError", "ActfnSizeError",
    "ActfnUnsupportedError", "LibraryNotFoundError", "__version__", "library_path",
    # SPEC §9: bfloat16 bit patterns and PyTorch views
    "to_bfloat16", "from_bfloat16", "torch_view",
    "get_isa", "set_isa", "supported_isas", "get_mode", "set_mode", "get_num_threads", "set_num_threads",
    "elu", "elu_backward", "gelu", "gelu_backward", "gelu_tanh", "gelu_tanh_backward", "hardsigmoid",
    "hardsigmoid_backward", "hardswish", "hardswish_backward", "hardtanh", "hardtanh_backward", "leaky_relu",
    "leaky_relu_backward", "log_softmax", "log_softmax_backward", "logsigmoid", "logsigmoid_backward",
    "maxout", "maxout_backward", "mish", "mish_backward", "prelu", "prelu_backward", "relu", "relu6",
    "relu6_backward", "relu_backward", "selu", "selu_backward", "sigmoid", "sigmoid_backward", "silu",
    "silu_backward", "softmax", "softmax_backward", "softplus", "softplus_backward", "swish", "swish_backward",
    "tanh", "tanh_backward",
    # SPEC §11: the gated ops and the fused bias ops
    "bias_elu", "bias_elu_backward", "bias_gelu", "bias_gelu_backward", "bias_gelu_tanh", "bias_gelu_tanh_backward",
    "bias_hardsigmoid", "bias_hardsigmoid_backward", "bias_hardswish", "bias_hardswish_backward", "bias_hardtanh",
    "bias_hardtanh_backward", "bias_leaky_relu", "bias_leaky_relu_backward", "bias_logsigmoid",
    "bias_logsigmoid_backward", "bias_mish", "bias_mish_backward", "bias_relu", "bias_relu6", "bias_relu6_backward",
    "bias_relu_backward", "bias_selu", "bias_selu_backward", "bias_sigmoid", "bias_sigmoid_backward", "bias_silu",
    "bias_silu_backward", "bias_softplus", "bias_softplus_backward", "bias_swish", "bias_swish_backward",
    "bias_tanh", "bias_tanh_backward", "geglu", "geglu_backward", "geglu_tanh", "geglu_tanh_backward", "glu",
    "glu_backward", "reglu", "reglu_backward", "swiglu", "swiglu_backward",
]
