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
from typing import List, Tuple

from ._errors import LibraryNotFoundError

ENV_VAR = "ACTFN_LIBRARY"
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
BESIDE_NAMES = ("libactfn.so.0", "libactfn.so")
SYSTEM_NAME = "libactfn.so.0"

# Elementwise ops and their scalar parameters, in C argument order.
UNARY_OPS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("sigmoid", ()),
    ("tanh", ()),
    ("relu", ()),
    ("relu6", ()),
    ("hardtanh", ("min_val", "max_val")),
    ("leaky_relu", ("alpha",)),
    ("elu", ("alpha",)),
    ("selu", ()),
    ("silu", ()),
    ("swish", ("beta",)),
    ("hardsigmoid", ()),
    ("hardswish", ()),
    ("softplus", ("beta", "threshold")),
    ("logsigmoid", ()),
    ("mish", ()),
    ("gelu", ()),
    ("gelu_tanh", ()),
)

# actfn_isa values, in enum order.
ISA_NAMES = ("scalar", "avx2", "avx512", "neon")
# actfn_mode values, in enum order.
MODE_NAMES = ("fast", "reproducible")

_P = ctypes.c_void_p
_N = ctypes.c_size_t
SCALAR_CTYPE = {"f32": ctypes.c_float, "f64": ctypes.c_double}


def _declare(lib: ctypes.CDLL) -> None:
    """Give every entry point its argtypes/restype so ctypes converts right."""
    for sfx, scalar in SCALAR_CTYPE.items():
        for op, params in UNARY_OPS:
            ps = [scalar] * len(params)
            _proto(lib, f"actfn_{op}_{sfx}", [_P, _P, _N] + ps)
            _proto(lib, f"actfn_{op}_backward_{sfx}", [_P, _P, _P, _N] + ps)
        _proto(lib, f"actfn_prelu_{sfx}", [_P, _P, _P, _N, _N, _N])
        _proto(lib, f"actfn_prelu_backward_{sfx}", [_P, _P, _P, _P, _P, _N, _N, _N])
        for op in ("softmax", "log_softmax"):
            _proto(lib, f"actfn_{op}_{sfx}", [_P, _P, _N, _N])
            _proto(lib, f"actfn_{op}_backward_{sfx}", [_P, _P, _P, _N, _N])
        _proto(lib, f"actfn_maxout_{sfx}", [_P, _P, _N, _N, _N])
        _proto(lib, f"actfn_maxout_backward_{sfx}", [_P, _P, _P, _N, _N, _N])
    _proto(lib, "actfn_strerror", [ctypes.c_int], ctypes.c_char_p)
    _proto(lib, "actfn_get_isa", [], ctypes.c_int)
    _proto(lib, "actfn_set_isa", [ctypes.c_int])
    _proto(lib, "actfn_isa_supported", [ctypes.c_int])
    _proto(lib, "actfn_isa_name", [ctypes.c_int], ctypes.c_char_p)
    _proto(lib, "actfn_version", [], ctypes.c_char_p)
    _proto(lib, "actfn_get_mode", [], ctypes.c_int)
    _proto(lib, "actfn_set_mode", [ctypes.c_int])


def _proto(lib: ctypes.CDLL, name: str, argtypes: list, restype=ctypes.c_int) -> None:
    fn = getattr(lib, name)
    fn.argtypes = argtypes
    fn.restype = restype


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


def load() -> Tuple[ctypes.CDLL, str]:
    """Load libactfn and declare its prototypes; returns (library, path tried)."""
    failures = []
    for where, target in _candidates():
        try:
            lib = ctypes.CDLL(target)
        except OSError as err:
            failures.append(f"  {where}: {err}")
            continue
        try:
            _declare(lib)
        except AttributeError as err:
            failures.append(f"  {where}: not a complete libactfn ({err})")
            continue
        return lib, target
    raise LibraryNotFoundError(
        "cannot load libactfn. Searched, in order: (1) the file named by the environment variable "
        f"{ENV_VAR}{' (set: nothing else was tried)' if os.environ.get(ENV_VAR) else ' (unset)'}; "
        f"(2) {' or '.join(BESIDE_NAMES)} beside the package in {PACKAGE_DIR}; "
        f"(3) the system library path ({SYSTEM_NAME}, e.g. after `meson install`).\n"
        "Failures:\n" + "\n".join(failures))
