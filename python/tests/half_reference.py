"""The two 16-bit storage types of SPEC §9 as the tests see them, and the
comparison of a 16-bit result with a float64 reference.

A result of a _bf16 / _f16 op is the exact value rounded once to the type,
or one step away (1 ULP of the type), plus, where the _f32 budget has an
absolute floor (a backward's eps32*|dy|, the inner-argument allowance A,
float32's smallest normal for tiny results), that floor: the library
computes in float32 and rounds once. The references are reference.py's,
evaluated in float64 on the 16-bit inputs with float32 parameters and
float32 branch conditions (unary_case(op, np.float32)).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Optional

import numpy as np

import actfn
from reference import steps_apart

EPS32 = float(np.finfo(np.float32).eps)
TINY32 = float(np.finfo(np.float32).tiny)


@dataclass(frozen=True)
class Half:
    """One 16-bit type: how the package carries it and how to read it."""
    name: str
    storage: np.dtype        # the arrays' NumPy dtype: float16, or uint16 bit patterns for bfloat16
    dtype: Optional[str]     # the dtype= keyword a call needs (None: the storage dtype is the type)
    exp_mask: int
    quiet_bit: int
    max_finite: int          # the bit pattern of the largest finite value

    def bits(self, a) -> np.ndarray:
        return np.asarray(a).view(np.uint16)

    def values(self, a) -> np.ndarray:
        """float64 values of an array of this type (exact)."""
        a = np.asarray(a)
        assert a.dtype == self.storage, (a.dtype, self.storage)
        with np.errstate(invalid="ignore"):  # a signalling NaN converts quietly
            return a.astype(np.float64) if self.name == "f16" else actfn.from_bfloat16(a).astype(np.float64)

    def round(self, ref) -> np.ndarray:
        """float64 values rounded once to this type, to nearest even."""
        ref = np.asarray(ref, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):  # NaN casts quietly
            return ref.astype(np.float16) if self.name == "f16" else actfn.to_bfloat16(ref).reshape(ref.shape)

    def patterns(self) -> np.ndarray:
        """Every one of the 65536 values (bit patterns 0 ... 0xFFFF), NaNs included."""
        return np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(self.storage)

    def kw(self) -> dict:
        return {} if self.dtype is None else {"dtype": self.dtype}

    def call(self, fn, *args, **kwargs):
        return fn(*args, **kwargs, **self.kw())

    def is_nan(self, a) -> np.ndarray:
        b = self.bits(a)
        return (b & self.exp_mask == self.exp_mask) & (b & (self.exp_mask ^ 0x7FFF) != 0)

    def ulp(self, cr) -> np.ndarray:
        """The gap from |cr| (finite values of this type) to the next larger
        magnitude; at the largest finite value, the gap below it."""
        mag = self.bits(cr) & np.uint16(0x7FFF)
        mag = np.minimum(mag, np.uint16(self.max_finite - 1))
        lo = self.values((mag).astype(np.uint16).view(self.storage))
        hi = self.values((mag + np.uint16(1)).astype(np.uint16).view(self.storage))
        return hi - lo


F16 = Half("f16", np.dtype(np.float16), None, 0x7C00, 0x0200, 0x7BFF)
BF16 = Half("bf16", np.dtype(np.uint16), "bfloat16", 0x7F80, 0x0040, 0x7F7F)
HALVES = [F16, BF16]


def check(got, ref, half: Half, extra_abs=0.0, exact: bool = False, what: str = "") -> None:
    """``got`` (an array of ``half``) against the float64 reference ``ref``.

    NaN exactly where ref is NaN, and quiet; ±inf where ref is ±inf. Exact
    ops: the correctly rounded value (±0 alike). Otherwise each result is
    within one step of the correctly rounded value, or within 1 ULP of the
    type plus ``extra_abs`` plus float32's smallest normal of ref.
    """
    got = np.asarray(got)
    assert got.dtype == half.storage, f"{what}: dtype {got.dtype}, want {half.storage}"
    ref = np.broadcast_to(np.asarray(ref, dtype=np.float64), got.shape)
    gv = half.values(got)
    nan_ref, nan_got = np.isnan(ref), half.is_nan(got)
    where = np.flatnonzero(nan_ref != nan_got)
    assert not where.size, (f"{what}: NaN positions differ at {where[:5]}: got {gv.flat[where[:5]]} "
                            f"want {ref.flat[where[:5]]}")
    assert np.all(half.bits(got)[nan_got] & half.quiet_bit), f"{what}: a NaN result is not quiet"
    cr = half.round(ref)
    crv = half.values(cr)
    num = ~nan_ref
    if exact:
        bad = np.flatnonzero(num & (gv != crv))
        assert not bad.size, (f"{what}: {bad.size} results are not the correctly rounded ones; first: got "
                              f"{gv.flat[bad[0]]!r}, want {crv.flat[bad[0]]!r} (exact {ref.flat[bad[0]]!r})")
        return
    inf = num & np.isinf(ref)
    bad_inf = np.flatnonzero(inf & (gv != ref))
    assert not bad_inf.size, f"{what}: got {gv.flat[bad_inf[:5]]} where the result is {ref.flat[bad_inf[:5]]}"
    fin = num & ~inf
    steps = steps_apart(half.bits(got).view(half.storage), cr)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(gv - ref)
        finite_cr = np.where(np.isfinite(crv), half.bits(cr), np.uint16(0)).astype(np.uint16).view(half.storage)
        allowed = half.ulp(finite_cr) + extra_abs + TINY32
    ok = (steps <= 1) | (err <= allowed)
    bad = np.flatnonzero(fin & ~ok)
    if bad.size:
        worst = bad[np.argmax(np.broadcast_to(steps, got.shape).flat[bad])]
        raise AssertionError(f"{what}: {bad.size} of {int(fin.sum())} results out of budget; worst: got "
                             f"{gv.flat[worst]!r}, want {ref.flat[worst]!r} (rounded {crv.flat[worst]!r}, "
                             f"{np.broadcast_to(steps, got.shape).flat[worst]} steps away, error "
                             f"{np.broadcast_to(err, got.shape).flat[worst]:.3g}, allowed "
                             f"{np.broadcast_to(allowed, got.shape).flat[worst]:.3g})")


@contextlib.contextmanager
def isa_set(name: str):
    before = actfn.get_isa()
    actfn.set_isa(name)
    try:
        yield name
    finally:
        actfn.set_isa(before)


def each_isa():
    """Every ISA this machine supports, each set while the caller's loop body runs."""
    for name in actfn.supported_isas():
        with isa_set(name):
            yield name
