"""Finding and loading libactfn, and declaring its C prototypes for ctypes.

Search order (the first that exists wins):

1. the file named by the environment variable ``ACTFN_LIBRARY`` — when it is
   set, nothing else is tried, so a wrong path is reported, never silently
   replaced by another copy of the library;
2. ``libactfn.so.0`` or ``libactfn.so`` in this package's directory;
3. the system's library path (``libactfn.so.0`` through the dynamic loader,
   then ``ctypes.util.find_library("actfn")``), e.g. after ``meson install``.

If none loads, :class:`LibraryNotFoundError` names all three places.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Callable, Dict, List, Optional, Tuple

from ._errors import LibraryNotFoundError

ENV_VAR = "ACTFN_LIBRARY"
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
BESIDE_NAMES = ("libactfn.so.0", "libactfn.so")
SYSTEM_NAME = "libactfn.so.0"

# The package's one op table. Elementwise ops and their scalar parameters
# with SPEC §3's defaults, in C argument order: each op has
# actfn_<op>_<t>(x, y, n, params...) and actfn_<op>_backward_<t>(in, dy, dx,
# n, params...), where `in` is y for the ops in BACKWARD_FROM_Y, else x.
UNARY_OPS: Tuple[Tuple[str, Tuple[Tuple[str, float], ...]], ...] = (
    ("sigmoid", ()),
    ("tanh", ()),
    ("relu", ()),
    ("relu6", ()),
    ("hardtanh", (("min_val", -1.0), ("max_val", 1.0))),
    ("leaky_relu", (("alpha", 0.01),)),
    ("elu", (("alpha", 1.0),)),
    ("selu", ()),
    ("silu", ()),
    ("swish", (("beta", 1.0),)),
    ("hardsigmoid", ()),
    ("hardswish", ()),
    ("softplus", (("beta", 1.0), ("threshold", 20.0))),
    ("logsigmoid", ()),
    ("mish", ()),
    ("gelu", ()),
    ("gelu_tanh", ()),
)
BACKWARD_FROM_Y = ("sigmoid", "tanh")

_P = ctypes.c_void_p
_N = ctypes.c_size_t
# An element count passed to the elementwise kernels: see _bind.
_COUNT = _P if ctypes.sizeof(_N) == ctypes.sizeof(_P) else _N
# The ops with a shape: C name stem -> argument types (pointers, then sizes).
SHAPED_OPS: Dict[str, List[type]] = {
    "prelu": [_P, _P, _P, _N, _N, _N],
    "prelu_backward": [_P, _P, _P, _P, _P, _N, _N, _N],
    "softmax": [_P, _P, _N, _N],
    "softmax_backward": [_P, _P, _P, _N, _N],
    "log_softmax": [_P, _P, _N, _N],
    "log_softmax_backward": [_P, _P, _P, _N, _N],
    "maxout": [_P, _P, _N, _N, _N],
    "maxout_backward": [_P, _P, _P, _N, _N, _N],
}

# The gated ops of SPEC §11 (src/oplist.h ACTFN_GLU_OPS): (name, the
# elementwise op of the gate, the gated array), y = act(gate) * other, with
# actfn_<name>_<t>(a, b, y, n) and actfn_<name>_backward_<t>(a, b, dy, da, db, n).
GLU_OPS: Tuple[Tuple[str, str, str], ...] = (
    ("glu", "sigmoid", "b"),
    ("swiglu", "silu", "a"),
    ("geglu", "gelu", "a"),
    ("geglu_tanh", "gelu_tanh", "a"),
    ("reglu", "relu", "a"),
)

# The fused bias ops of SPEC §11: bias_<op> for every op of UNARY_OPS, with
# its parameters: actfn_bias_<op>_<t>(x, bias, y, outer, channels, inner,
# params...) and actfn_bias_<op>_backward_<t>(x, bias, dy, dx, dbias, outer,
# channels, inner, params...), the backward from x for every op.
BIAS_OPS: Tuple[Tuple[str, Tuple[Tuple[str, float], ...]], ...] = tuple(("bias_" + op, p) for op, p in UNARY_OPS)

# Every op's C name stem: actfn_<stem>_f32, _f64, _bf16 and _f16 exist, and
# so does the Python function actfn.<stem>.
OPS: Tuple[str, ...] = (tuple(name for op, _ in UNARY_OPS for name in (op, op + "_backward")) + tuple(SHAPED_OPS)
                        + tuple(name for op, _, _ in GLU_OPS for name in (op, op + "_backward"))
                        + tuple(name for op, _ in BIAS_OPS for name in (op, op + "_backward")))

# actfn_mode values, in enum order.
MODE_NAMES = ("fast", "reproducible")

# The C type suffixes and the C type of their scalar parameters: float for
# the 16-bit storage types of SPEC §9 (bfloat16 and IEEE binary16), whose
# arrays hold raw 16-bit patterns (actfn_bf16 / actfn_f16, passed as
# pointers like the others).
SCALAR_CTYPE = {"f32": ctypes.c_float, "f64": ctypes.c_double, "bf16": ctypes.c_float, "f16": ctypes.c_float}
# The suffixes every libactfn has; the 16-bit ones are bound where the
# library exports them (an older libactfn lacks them: the package still
# loads, and a float16 or bfloat16 call raises TypeError naming the missing
# entry point).
REQUIRED_SUFFIXES = ("f32", "f64")
HALF_SUFFIXES = ("bf16", "f16")
# The library may add ISAs; actfn_isa_name answers "unknown" past the last.
_MAX_ISAS = 64


class _KernelPtr(ctypes._CFuncPtr):
    """A cdecl entry point whose int result ctypes reads without a restype
    object: a function pointer type without ``_restype_`` returns a C int
    converted straight to a Python int, which costs less per call than
    ``restype = c_int`` (the same value)."""

    _flags_ = ctypes._FUNCFLAG_CDECL


def _kernel(lib: ctypes.CDLL, name: str, argtypes: list) -> Callable:
    fn = _KernelPtr((name, lib))
    fn.__name__ = name
    fn.argtypes = argtypes
    return fn


def _missing_ok(bind: Callable, lib: ctypes.CDLL, name: str, argtypes: list, sfx: str) -> Optional[Callable]:
    """``bind(lib, name, argtypes)``, or None for a 16-bit entry point the
    library does not export (a required one raises AttributeError)."""
    try:
        return bind(lib, name, argtypes)
    except AttributeError:
        if sfx in REQUIRED_SUFFIXES:
            raise
        return None


def _bind(lib: ctypes.CDLL) -> Dict[str, Dict[str, Callable]]:
    """Give every op entry point its prototype, once: {stem: {"f32": fn, "f64": fn, "bf16": fn, "f16": fn}},
    without the 16-bit suffixes the library does not export.

    The elementwise ops' element count n (a size_t) is declared c_void_p
    where the two have one size (the same integer argument in the C ABI),
    which ctypes converts from an int in fewer steps than c_size_t.
    """
    kernels: Dict[str, Dict[str, Callable]] = {}

    def add(stem: str, sfx: str, bind: Callable, argtypes: list) -> None:
        fn = _missing_ok(bind, lib, f"actfn_{stem}_{sfx}", argtypes, sfx)
        entry = kernels.setdefault(stem, {})
        if fn is not None:
            entry[sfx] = fn

    for sfx, scalar in SCALAR_CTYPE.items():
        for op, params in UNARY_OPS:
            ps = [scalar] * len(params)
            add(op, sfx, _kernel, [_P, _P, _COUNT] + ps)
            add(op + "_backward", sfx, _kernel, [_P, _P, _P, _COUNT] + ps)
        for op, argtypes in SHAPED_OPS.items():
            add(op, sfx, _proto, argtypes)
        for op, _, _ in GLU_OPS:
            add(op, sfx, _proto, [_P, _P, _P, _N])
            add(op + "_backward", sfx, _proto, [_P, _P, _P, _P, _P, _N])
        for op, params in BIAS_OPS:
            ps = [scalar] * len(params)
            add(op, sfx, _proto, [_P, _P, _P, _N, _N, _N] + ps)
            add(op + "_backward", sfx, _proto, [_P, _P, _P, _P, _P, _N, _N, _N] + ps)
    return kernels


def _declare_controls(lib: ctypes.CDLL) -> None:
    _proto(lib, "actfn_strerror", [ctypes.c_int], ctypes.c_char_p)
    _proto(lib, "actfn_get_isa", [], ctypes.c_int)
    _proto(lib, "actfn_set_isa", [ctypes.c_int])
    _proto(lib, "actfn_isa_supported", [ctypes.c_int])
    _proto(lib, "actfn_isa_name", [ctypes.c_int], ctypes.c_char_p)
    _proto(lib, "actfn_version", [], ctypes.c_char_p)
    _proto(lib, "actfn_get_mode", [], ctypes.c_int)
    _proto(lib, "actfn_set_mode", [ctypes.c_int])
    _proto(lib, "actfn_get_num_threads", [], ctypes.c_int)
    _proto(lib, "actfn_set_num_threads", [ctypes.c_int])


def isa_names(lib: ctypes.CDLL) -> Tuple[str, ...]:
    """The actfn_isa names in enum order, as the library spells them: the
    names of 0, 1, ... up to the first that is "unknown"."""
    names = []
    for index in range(_MAX_ISAS):
        name = lib.actfn_isa_name(index).decode()
        if name == "unknown":
            break
        names.append(name)
    return tuple(names)


def _proto(lib: ctypes.CDLL, name: str, argtypes: list, restype=ctypes.c_int) -> Callable:
    fn = getattr(lib, name)
    fn.argtypes = argtypes
    fn.restype = restype
    return fn


def _candidates() -> List[Tuple[str, str]]:
    """(where, what to dlopen) in search order; see the module docstring."""
    env = os.environ.get(ENV_VAR)
    if env:
        return [(f"{ENV_VAR}={env}", env)]
    found = [(f"beside the package ({path})", path)
             for path in (os.path.join(PACKAGE_DIR, n) for n in BESIDE_NAMES) if os.path.exists(path)]
    found.append((f"system library path ({SYSTEM_NAME})", SYSTEM_NAME))
    by_find = ctypes.util.find_library("actfn")
    if by_find and by_find != SYSTEM_NAME:
        found.append((f"system library path ({by_find}, from find_library)", by_find))
    return found


def load() -> Tuple[ctypes.CDLL, str, Dict[str, Dict[str, Callable]]]:
    """Load libactfn and bind its prototypes; returns (library, path, kernels of _bind)."""
    failures = []
    for where, target in _candidates():
        try:
            lib = ctypes.CDLL(target)
        except OSError as err:
            failures.append(f"  {where}: {err}")
            continue
        try:
            _declare_controls(lib)
            kernels = _bind(lib)
        except AttributeError as err:
            failures.append(f"  {where}: not a complete libactfn ({err})")
            continue
        return lib, target, kernels
    raise LibraryNotFoundError(
        "cannot load libactfn. Searched, in order: (1) the file named by the environment variable "
        f"{ENV_VAR}{' (set: nothing else was tried)' if os.environ.get(ENV_VAR) else ' (unset)'}; "
        f"(2) {' or '.join(BESIDE_NAMES)} beside the package in {PACKAGE_DIR}; "
        f"(3) the system library path ({SYSTEM_NAME}, e.g. after `meson install`).\n"
        "Failures:\n" + "\n".join(failures))
