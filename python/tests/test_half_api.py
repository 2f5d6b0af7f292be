"""The NumPy rules of SPEC §7 and §9 for the 16-bit types: float16 on the f16
kernels, dtype="bfloat16" on uint16 bit patterns (and on floats, rounded
once), mixed dtypes, out= and in place, 0-d inputs, bad input; the bfloat16
helpers against an exact rational rounding and PyTorch; PyTorch tensors
through zero-copy views, and PyTorch's own bf16/f16 results where it has
them."""

from __future__ import annotations

import math
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest

import actfn
from actfn import _core, _lib
from half_reference import BF16, F16, HALVES, Half
from reference import steps_apart, unary_case
from test_api import FAMILIES, sample

try:
    import torch
    import torch.nn.functional as TF
except ImportError:  # the torch tests skip; everything else runs
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed (Debian: python3-torch)")


@pytest.fixture(params=HALVES, ids=lambda h: h.name)
def half(request) -> Half:
    return request.param


# ---- to_bfloat16 / from_bfloat16 -----------------------------------------------------

def exact_bfloat16(value: float) -> int:
    """The bfloat16 bit pattern nearest to ``value`` (a Python float, or a
    Fraction with a sign), ties to even, by rational arithmetic: 8
    significant bits, quantum 2**-133 below 2**-126, inf from 2**128 - 2**119
    on. NaN is not taken."""
    v = Fraction(value)
    sign = 0x8000 if v < 0 or (v == 0 and math.copysign(1.0, float(value)) < 0) else 0
    v = abs(v)
    if v == 0:
        return sign
    e = math.floor(math.log2(v))  # 2**e <= v < 2**(e + 1), corrected below for float error
    while Fraction(2) ** e > v:
        e -= 1
    while Fraction(2) ** (e + 1) <= v:
        e += 1
    quantum = Fraction(2) ** (max(e, -126) - 7)
    n = round(v / quantum)  # Fraction's round: half to even
    r = n * quantum
    if r >= Fraction(2) ** 128:
        return sign | 0x7F80
    return sign | (int(np.float32(float(r)).view(np.uint32)) >> 16)


def rounding_cases_f32(rng, n=20000):
    """float32 bit patterns around every kind of rounding decision: random
    ones, ties (even and odd), just above and below ties, near overflow, in
    the subnormal range, zeros and infinities."""
    hi = rng.integers(0, 1 << 16, n, dtype=np.uint32) << np.uint32(16)
    low = np.array([0, 1, 0x7FFF, 0x8000, 0x8001, 0xFFFF], np.uint32)
    parts = [rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32), (hi[:, None] | low).ravel(),
             np.array([0x7F7F0000, 0x7F7F7FFF, 0x7F7F8000, 0x7F7FFFFF, 0x7F800000, 0x00000001, 0x00008000,
                       0x00018000, 0x007FFFFF, 0x80000000, 0xFF800000], np.uint32)]
    bits = np.concatenate(parts)
    bits = np.concatenate([bits, bits ^ np.uint32(0x80000000)])
    return bits[((bits & 0x7FFFFFFF) <= 0x7F800000)].view(np.float32)  # no NaN


def test_to_bfloat16_rounds_float32_to_nearest_even(rng):
    x = rounding_cases_f32(rng)
    got = actfn.to_bfloat16(x)
    assert got.dtype == np.uint16 and got.shape == x.shape
    sample_idx = rng.choice(x.size, 3000, replace=False)
    want = np.array([exact_bfloat16(float(v)) for v in x[sample_idx]], np.uint16)
    np.testing.assert_array_equal(got[sample_idx], want)
    # the tie rule on every case, in integers: up when the dropped half is above 0x8000, or 0x8000 and odd
    b = x.view(np.uint32).astype(np.uint64)
    up = ((b & 0xFFFF) > 0x8000) | (((b & 0xFFFF) == 0x8000) & ((b >> 16) & 1 == 1))
    np.testing.assert_array_equal(got, ((b >> 16) + up).astype(np.uint16))


@needs_torch
def test_to_bfloat16_matches_torch_on_float32(rng):
    x = rounding_cases_f32(rng)
    theirs = torch.from_numpy(x).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    np.testing.assert_array_equal(actfn.to_bfloat16(x), theirs)


def test_to_bfloat16_rounds_float64_once(rng):
    """No double rounding through float32: 1 + 2**-8 + 2**-30 is above the
    midpoint of 1 and 1 + 2**-7, though its float32 is the midpoint."""
    cases = [1 + 2 ** -8 + 2 ** -30, -(1 + 2 ** -8 + 2 ** -30), 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 3 * 2 ** -8 - 2 ** -40,
             2.0 ** -133, 2.0 ** -134, 2.0 ** -134 + 2.0 ** -160, 3 * 2.0 ** -134, 2.0 ** -150, 1e-300, -1e-300,
             3.3895313892515355e38, 3.3961775292304e38, (2 - 2 ** -8) * 2.0 ** 127,
             (2 - 2 ** -8) * 2.0 ** 127 * (1 - 2 ** -50), 3.5e38, 1e300, -1e300, 0.0, -0.0, math.pi, 1 / 3]
    mant = rng.integers(1 << 52, 1 << 53, 2000).astype(np.float64)
    x = np.concatenate([np.array(cases), mant * 2.0 ** rng.integers(-190, 76, 2000) * rng.choice([-1, 1], 2000)])
    want = np.array([exact_bfloat16(float(v)) for v in x], np.uint16)
    np.testing.assert_array_equal(actfn.to_bfloat16(x), want)
    assert actfn.to_bfloat16(1 + 2 ** -8 + 2 ** -30) == 0x3F81
    assert actfn.to_bfloat16(np.float32(1 + 2 ** -8 + 2 ** -30)) == 0x3F80  # the float32 is the tie: to even


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 60, reason="longdouble is float64 here")
def test_to_bfloat16_rounds_longdouble_once():
    x = np.longdouble(1) + np.longdouble(2) ** -8 + np.longdouble(2) ** -60  # rounds to the tie as a float64
    assert float(x) == 1 + 2 ** -8
    assert actfn.to_bfloat16(x) == 0x3F81


def test_to_bfloat16_of_float16_and_integers():
    f16 = F16.patterns()
    f16 = f16[~F16.is_nan(f16)]
    np.testing.assert_array_equal(actfn.to_bfloat16(f16), actfn.to_bfloat16(f16.astype(np.float32)))
    ints = np.array([0, 1, -3, 255, 257, 2 ** 24 + 1, -(2 ** 40) - 2 ** 30, 2 ** 53], np.int64)
    np.testing.assert_array_equal(actfn.to_bfloat16(ints), [exact_bfloat16(int(v)) for v in ints])
    np.testing.assert_array_equal(actfn.to_bfloat16([True, False]), [0x3F80, 0])
    np.testing.assert_array_equal(actfn.to_bfloat16(np.arange(5, dtype=np.uint16)),
                                  actfn.to_bfloat16(np.arange(5.0)))  # uint16 here is values


def test_to_bfloat16_nan_is_quiet_with_its_sign_and_payload():
    f32_nans = np.array([0x7FC00000, 0x7F800001, 0x7FA50000, 0xFF800001, 0xFFC12345, 0x7FFFFFFF], np.uint32)
    got = actfn.to_bfloat16(f32_nans.view(np.float32))
    np.testing.assert_array_equal(got, [0x7FC0, 0x7FC0, 0x7FE5, 0xFFC0, 0xFFC1, 0x7FFF])
    f64 = np.array([np.nan, -np.nan]) * np.array([1.0, 1.0])
    got = actfn.to_bfloat16(f64)
    assert BF16.is_nan(got).all() and (got & 0x40).all()
    np.testing.assert_array_equal(got >> 15, np.signbit(f64).astype(np.uint16))
    f16_snan = np.array([0x7C01, 0xFD00], np.uint16).view(np.float16)
    got = actfn.to_bfloat16(f16_snan)
    assert BF16.is_nan(got).all() and (got & 0x40).all() and got[1] >> 15 == 1


def test_from_bfloat16_is_exact_on_every_pattern():
    bits = BF16.patterns()
    got = actfn.from_bfloat16(bits)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got.view(np.uint32), bits.astype(np.uint32) << 16)  # NaN payloads too
    finite = ~BF16.is_nan(bits)
    np.testing.assert_array_equal(actfn.to_bfloat16(got[finite]), bits[finite])
    np.testing.assert_array_equal(actfn.to_bfloat16(got[~finite]), bits[~finite] | 0x40)
    np.testing.assert_array_equal(actfn.from_bfloat16(bits[:3].reshape(1, 3)), [[0.0, 2.0 ** -133, 2.0 ** -132]])


@needs_torch
def test_from_bfloat16_matches_torch():
    bits = BF16.patterns()
    theirs = torch.from_numpy(bits.view(np.int16)).view(torch.bfloat16).float().numpy()
    finite = ~BF16.is_nan(bits)
    np.testing.assert_array_equal(actfn.from_bfloat16(bits)[finite], theirs[finite])
    assert np.isnan(theirs[~finite]).all()


def test_bfloat16_helpers_scalars_and_lists():
    one = actfn.to_bfloat16(1.0)
    assert type(one) is np.uint16 and one == 0x3F80
    assert type(actfn.to_bfloat16(np.float32(1.0))) is np.uint16
    assert actfn.to_bfloat16(np.zeros((2, 0))).shape == (2, 0)
    value = actfn.from_bfloat16(0x3F80)
    assert type(value) is np.float32 and value == 1
    assert type(actfn.from_bfloat16(np.uint16(0xC000))) is np.float32 and actfn.from_bfloat16(np.uint16(0xC000)) == -2
    np.testing.assert_array_equal(actfn.from_bfloat16([0x3F80, 0xBF80, 0x7F80]), [1, -1, np.inf])
    np.testing.assert_array_equal(actfn.from_bfloat16(((0x4000,),)), [[2.0]])
    np.testing.assert_array_equal(actfn.to_bfloat16([[1.0, -2.5], [0.1, 1e-40]]),
                                  [[0x3F80, 0xC020], [0x3DCD, 0x0001]])


@pytest.mark.parametrize("bad, error, message", [
    (np.array([1.0]), TypeError, "uint16 array, not float64"),
    (np.array([1], np.int16), TypeError, r"not int16 \(an int16 view of torch.bfloat16 data: reinterpret it"),
    (np.array([1], np.uint32), TypeError, "not uint32"),
    (np.float32(1.0), TypeError, "not float32"),
    ([1.5], TypeError, "Python integers from 0 to 0xFFFF"),
    ("0x3f80", TypeError, "Python integers"),
    ([70000], ValueError, "from 0 to 0xFFFF"),
    (-1, ValueError, "from 0 to 0xFFFF"),
], ids=repr)
def test_from_bfloat16_refuses_what_is_not_bit_patterns(bad, error, message):
    with pytest.raises(error, match=message):
        actfn.from_bfloat16(bad)


@pytest.mark.parametrize("bad", [np.ones(2, np.complex64), np.array(["a"]), np.array([None]), "1.0"], ids=repr)
def test_to_bfloat16_refuses_what_is_not_real(bad):
    with pytest.raises(TypeError, match="cannot round an array of dtype .* to bfloat16"):
        actfn.to_bfloat16(bad)


# ---- dtype rules ------------------------------------------------------------------------

def bf16_bits(values):
    return actfn.to_bfloat16(np.asarray(values, np.float64))


# test_api's op families, for arrays of a 16-bit type: name -> f(half, x, **kw),
# the other arrays made from x's values and rounded to the type.
def _scaled(h, x, k):
    return h.round(h.values(x) * k).reshape(x.shape)


HALF_FAMILIES = {
    "unary": lambda h, x, **kw: actfn.gelu(x, **kw),
    "unary_params": lambda h, x, **kw: actfn.softplus(x, 2.0, 5.0, **kw),
    "unary_backward": lambda h, x, **kw: actfn.silu_backward(x, _scaled(h, x, 0.5), **kw),
    "softmax": lambda h, x, **kw: actfn.softmax(x, **kw),
    "softmax_axis0": lambda h, x, **kw: actfn.log_softmax(x, axis=0, **kw),
    "softmax_backward": lambda h, x, **kw: actfn.softmax_backward(x, _scaled(h, x, 0.5), **kw),
    "prelu": lambda h, x, **kw: actfn.prelu(x, h.round(np.linspace(0.1, 0.6, 6)), axis=1, **kw),
    "prelu_backward": lambda h, x, **kw: actfn.prelu_backward(x, h.round(np.linspace(0.1, 0.6, 6)),
                                                              _scaled(h, x, 2), axis=1, **kw)[0],
    "maxout_k1": lambda h, x, **kw: actfn.maxout(x, 1, **kw),
    "maxout_backward": lambda h, x, **kw: actfn.maxout_backward(x, _scaled(h, x[:, ::2], 3), 2, **kw),
    "glu": lambda h, x, **kw: actfn.glu(x, axis=0, **kw),
    "geglu_backward": lambda h, x, **kw: actfn.geglu_backward(x, _scaled(h, x[:, :3], 0.5), **kw),
    "bias_mish": lambda h, x, **kw: actfn.bias_mish(x, h.round(np.linspace(-1, 1, 4)), axis=0, **kw),
    "bias_elu_backward": lambda h, x, **kw: actfn.bias_elu_backward(x, h.round(np.linspace(-1, 1, 6)), x,
                                                                    axis=1, **kw)[1],
}
assert set(FAMILIES) <= set(HALF_FAMILIES)


class _F32:
    """The float32 stand-in of a Half, for the same family on float32 values."""
    @staticmethod
    def round(v):
        return np.asarray(v, np.float32)

    @staticmethod
    def values(x):
        return np.asarray(x, np.float64)


@pytest.mark.parametrize("family", HALF_FAMILIES)
def test_every_family_computes_in_the_16_bit_type(family, half):
    """Each op family on float16 arrays, and on bit patterns with
    dtype="bfloat16", returns that type: the float32 computation on the
    widened inputs rounded once, or one step away (SPEC §9)."""
    x = half.round(sample(np.float64)).reshape(4, 6)
    got = HALF_FAMILIES[family](half, x, **half.kw())
    assert got.dtype == half.storage and got.flags.c_contiguous
    via_f32 = half.round(HALF_FAMILIES[family](_F32, half.values(x).astype(np.float32)))
    assert steps_apart(got, via_f32).max() <= 1, (half.values(got), via_f32)


def test_float16_fast_and_general_paths_agree(rng):
    x = (rng.standard_normal(1001) * 5).astype(np.float16)
    strided = np.repeat(x, 2)[::2]
    for op in (actfn.gelu, actfn.hardtanh, actfn.swish, actfn.relu):
        got = op(x)
        np.testing.assert_array_equal(got.view(np.uint16), op(strided).view(np.uint16))
        np.testing.assert_array_equal(got.view(np.uint16), op(x, dtype=np.float16).view(np.uint16))
        np.testing.assert_array_equal(got.view(np.uint16), op(x.astype(np.float64), dtype="float16").view(np.uint16))
    np.testing.assert_array_equal(actfn.mish_backward(x, x), actfn.mish_backward(strided, strided))


def test_bfloat16_fast_and_general_paths_agree(rng):
    """dtype="bfloat16" on contiguous uint16 arrays takes the fast path; a
    strided view, or the dtype string as another (non-interned) object,
    takes the general path: the same bits, and the same out= handling."""
    x = actfn.to_bfloat16(rng.standard_normal(1001) * 5)
    strided = np.repeat(x, 2)[::2]
    other = "".join(["bfloat", "16"])
    assert other == "bfloat16" and other is not _core.BFLOAT16
    for op in (actfn.gelu, actfn.hardtanh, actfn.softplus):
        got = op(x, dtype="bfloat16")
        np.testing.assert_array_equal(got, op(strided, dtype="bfloat16"))
        np.testing.assert_array_equal(got, op(x, dtype=other))
        out = np.zeros_like(x)
        assert op(x, dtype="bfloat16", out=out) is out
        np.testing.assert_array_equal(out, got)
    np.testing.assert_array_equal(actfn.mish_backward(x, x, dtype="bfloat16"),
                                  actfn.mish_backward(strided, strided, dtype=other))


def test_float16_results_of_mixed_dtypes():
    """As NumPy's ufuncs: float16 with float32 -> float32, with float64 ->
    float64, with (u)int8 or bool -> float16, with int16 and wider -> float32
    or float64; the kernels of that type run on the inputs cast to it."""
    x16 = np.linspace(-3, 3, 12).astype(np.float16)
    cases = [(np.float32, np.float32), (np.float64, np.float64), (np.int8, np.float16), (np.uint8, np.float16),
             (np.bool_, np.float16), (np.int16, np.float32), (np.int32, np.float64), (np.float16, np.float16)]
    for other, want in cases:
        dy = (np.arange(12) % 3).astype(other)
        got = actfn.gelu_backward(x16, dy)
        assert got.dtype == want, other
        np.testing.assert_array_equal(got, actfn.gelu_backward(x16.astype(want), dy.astype(want)))
        got = actfn.glu(np.concatenate([x16.reshape(3, 4), dy.reshape(3, 4)], axis=1))
        assert got.dtype == np.result_type(want, np.float16), other


def test_bfloat16_takes_bit_patterns_and_returns_them():
    bits = bf16_bits([-2.0, -0.5, 0.0, 0.5, 3.0, 7.0])
    got = actfn.relu6(bits, dtype="bfloat16")
    assert got.dtype == np.uint16
    np.testing.assert_array_equal(got, bf16_bits([0, 0, 0, 0.5, 3, 6]))
    np.testing.assert_array_equal(actfn.from_bfloat16(actfn.hardtanh(bits, -1, 2, dtype="bfloat16")),
                                  [-1, -0.5, 0, 0.5, 2, 2])
    # without dtype= a uint16 array is integers, as in NumPy
    ints = actfn.relu6(bits)
    assert ints.dtype == np.float64
    np.testing.assert_array_equal(ints, np.minimum(bits.astype(np.float64), 6))


@pytest.mark.parametrize("ft", [np.float16, np.float32, np.float64, np.longdouble], ids=lambda t: np.dtype(t).name)
def test_bfloat16_rounds_float_inputs_once(ft, rng):
    x = (rng.standard_normal(333) * 4).astype(ft)
    bits = actfn.to_bfloat16(x)
    for op in (actfn.gelu, actfn.relu, actfn.softmax):
        np.testing.assert_array_equal(op(x, dtype="bfloat16"), op(bits, dtype="bfloat16"))
    dy = (rng.standard_normal(333)).astype(ft)
    np.testing.assert_array_equal(actfn.silu_backward(bits, dy, dtype="bfloat16"),
                                  actfn.silu_backward(bits, actfn.to_bfloat16(dy), dtype="bfloat16"))
    np.testing.assert_array_equal(actfn.prelu(x.reshape(3, 111), dy[:111], axis=1, dtype="bfloat16"),
                                  actfn.prelu(bits.reshape(3, 111), actfn.to_bfloat16(dy[:111]), axis=1,
                                              dtype="bfloat16"))


def test_bfloat16_of_a_float64_is_rounded_once_not_through_float32():
    x = np.array([1 + 2 ** -8 + 2 ** -30, 1 + 2 ** -8])
    np.testing.assert_array_equal(actfn.relu(x, dtype="bfloat16"), [0x3F81, 0x3F80])
    np.testing.assert_array_equal(actfn.relu(x.astype(np.float32), dtype="bfloat16"), [0x3F80, 0x3F80])


def test_bfloat16_dtype_spellings():
    bits = bf16_bits([-1.0, 0.25, 2.0])
    want = actfn.silu(bits, dtype="bfloat16")
    if torch is not None:
        np.testing.assert_array_equal(actfn.silu(bits, dtype=torch.bfloat16), want)
        x16 = np.array([-1.0, 0.25, 2.0], np.float16)
        np.testing.assert_array_equal(actfn.silu(x16.astype(np.float64), dtype=torch.float16), actfn.silu(x16))
        assert actfn.silu(x16, dtype=torch.float64).dtype == np.float64
        with pytest.raises(TypeError, match=r"actfn.silu cannot compute in torch.int32"):
            actfn.silu(bits, dtype=torch.int32)
    for bad in ("bf16", "BFloat16", "bfloat"):
        with pytest.raises(TypeError):
            actfn.silu(bits, dtype=bad)


def test_bfloat16_0d_and_scalars_give_numpy_scalars():
    y = actfn.relu(np.uint16(0xBF80), dtype="bfloat16")
    assert type(y) is np.uint16 and y == 0
    y = actfn.gelu(np.array(0x3F80, np.uint16), dtype="bfloat16")
    assert type(y) is np.uint16 and y == actfn.gelu(np.array([0x3F80], np.uint16), dtype="bfloat16")[0]
    y = actfn.tanh(1.5, dtype="bfloat16")
    assert type(y) is np.uint16 and y == actfn.to_bfloat16(math.tanh(1.5))
    a, b = actfn.glu_backward(np.uint16(0x3F80), np.uint16(0x4000), np.uint16(0x3F80), dtype="bfloat16")
    assert type(a) is np.uint16 and type(b) is np.uint16
    y = actfn.sigmoid(np.float16(0.5))
    assert type(y) is np.float16 and y == np.float16(1 / (1 + math.exp(-0.5)))


@pytest.mark.parametrize("bad", [np.int16, np.int32, np.int64, np.uint8, np.uint32, np.bool_, np.complex64, object],
                         ids=lambda t: np.dtype(t).name)
def test_bfloat16_refuses_other_arrays(bad):
    x = np.ones(4, bad)
    with pytest.raises(TypeError, match=r"actfn.relu with dtype='bfloat16' takes x as bfloat16 bit patterns \(a "
                                        rf"uint16 array\) or as float values \(rounded to bfloat16\), not "
                                        rf"{np.dtype(bad)}"):
        actfn.relu(x, dtype="bfloat16")
    with pytest.raises(TypeError, match=f"takes dy as .* not {np.dtype(bad)}"):
        actfn.relu_backward(np.ones(4, np.uint16), x, dtype="bfloat16")
    with pytest.raises(TypeError, match=f"takes alpha as .* not {np.dtype(bad)}"):
        actfn.prelu(np.ones((2, 4), np.uint16), x, dtype="bfloat16")


def test_bfloat16_int16_error_says_how_to_reinterpret():
    with pytest.raises(TypeError, match=r"\.view\(numpy\.uint16\) \(or use actfn.torch_view\)"):
        actfn.gelu(np.ones(3, np.int16), dtype="bfloat16")
    with pytest.raises(TypeError, match="round values with actfn.to_bfloat16"):
        actfn.gelu([1, 2, 3], dtype="bfloat16")  # Python ints are not taken for bit patterns


# ---- out= and in place --------------------------------------------------------------------

def test_bfloat16_out_must_be_uint16():
    bits = bf16_bits([-1.0, 2.0])
    for out_dt in (np.float32, np.float64, np.float16, np.int16, np.int32, np.uint32):
        out = np.zeros(2, out_dt)
        with pytest.raises(TypeError, match=rf"actfn.gelu computes in bfloat16 \(dtype='bfloat16'\): out must be "
                                            rf"a uint16 array, which receives the bit patterns, not "
                                            rf"{np.dtype(out_dt)}"):
            actfn.gelu(bits, dtype="bfloat16", out=out)
        assert not out.any()  # nothing written
    with pytest.raises(TypeError, match="out must be a uint16 array"):
        actfn.softmax(bits, dtype="bfloat16", out=np.zeros(2, np.float32))
    with pytest.raises(TypeError, match="out must be a uint16 array"):
        actfn.glu_backward(bits, bits, bits, dtype="bfloat16", out=(None, np.zeros(2, np.float32)))


@pytest.mark.parametrize("family", [f for f in HALF_FAMILIES if f in FAMILIES])
def test_bfloat16_out_and_in_place(family):
    def call(x, **kw):
        return HALF_FAMILIES[family](BF16, x, dtype="bfloat16", **kw)
    x = bf16_bits(sample(np.float64))
    want = call(x)
    out = np.full_like(x, 0x7FC0)
    assert call(x, out=out) is out
    np.testing.assert_array_equal(out, want)
    assert call(x, out=x) is x
    np.testing.assert_array_equal(x, want)
    base = np.full((8, 12), 0x1234, np.uint16)
    strided = base[::2, ::2]
    assert call(bf16_bits(sample(np.float64)), out=strided) is strided
    np.testing.assert_array_equal(strided, want)
    assert (base[1::2] == 0x1234).all()
    swapped = np.zeros(x.shape, np.dtype(np.uint16).newbyteorder("S"))
    call(bf16_bits(sample(np.float64)), out=swapped)
    np.testing.assert_array_equal(swapped.astype(np.uint16), want)


@pytest.mark.parametrize("half_", HALVES, ids=lambda h: h.name)
def test_in_place_does_not_copy(half_):
    x = half_.round(np.linspace(-4, 4, 1 << 21))  # 4 MB
    bias = half_.round(np.linspace(-1, 1, 64))
    want = half_.call(actfn.silu, x)
    for call in (lambda: half_.call(actfn.silu, x, out=x),
                 lambda: half_.call(actfn.softmax, x.reshape(1024, -1), out=x.reshape(1024, -1)),
                 lambda: half_.call(actfn.bias_gelu, x.reshape(64, -1), bias, axis=0, out=x.reshape(64, -1))):
        tracemalloc.start()
        try:
            call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < x.nbytes // 4, f"{peak} bytes allocated by an in-place call"
        x[:] = half_.round(np.linspace(-4, 4, x.size))
    assert half_.call(actfn.silu, x, out=x) is x
    np.testing.assert_array_equal(half_.bits(x), half_.bits(want))


def test_float16_out_casting():
    x = np.linspace(-3, 3, 24).astype(np.float16).reshape(4, 6)
    want = actfn.gelu(x)
    wide = np.empty(x.shape, np.float32)  # a float16 result widened exactly
    assert actfn.gelu(x, out=wide) is wide
    np.testing.assert_array_equal(wide, want.astype(np.float32))
    narrow = np.empty(x.shape, np.float16)  # a float32 result cast to float16 (same_kind), rounded once
    x32 = x.astype(np.float32) / 3
    actfn.gelu(x32, out=narrow)
    np.testing.assert_array_equal(narrow, actfn.gelu(x32).astype(np.float16))
    strided = np.zeros((8, 12), np.float16)[::2, ::2]
    assert actfn.gelu(x, out=strided) is strided
    np.testing.assert_array_equal(strided, want)
    with pytest.raises(TypeError, match="Cannot cast actfn.gelu output from dtype\\('float16'\\) to "
                                        "dtype\\('int16'\\)"):
        actfn.gelu(x, out=np.empty(x.shape, np.int16))


def test_half_backward_with_two_outputs():
    a, b, dy = bf16_bits([1.0, -2.0]), bf16_bits([0.5, 3.0]), bf16_bits([1.0, 1.0])
    da, db = actfn.swiglu_backward(a, b, dy, dtype="bfloat16")
    assert da.dtype == db.dtype == np.uint16
    outs = (np.zeros(2, np.uint16), None)
    got = actfn.swiglu_backward(a, b, dy, dtype="bfloat16", out=outs)
    assert got[0] is outs[0]
    np.testing.assert_array_equal(outs[0], da)
    dx, dalpha = actfn.prelu_backward(a.reshape(1, 2), bf16_bits([0.25, 0.5]), dy.reshape(1, 2), dtype="bfloat16")
    assert dx.dtype == dalpha.dtype == np.uint16
    np.testing.assert_array_equal(actfn.from_bfloat16(dalpha), [0.0, -2.0])


# ---- PyTorch --------------------------------------------------------------------------------

def torch_bits(t):
    """A tensor's values as our arrays: float16, or bfloat16 bit patterns (copies)."""
    if t.dtype == torch.bfloat16:
        return t.detach().view(torch.int16).numpy().view(np.uint16).copy()
    return t.detach().numpy().copy()


def half_tensor(half: Half, values):
    t = torch.tensor(np.asarray(values, np.float32))
    return t.to(torch.bfloat16 if half.name == "bf16" else torch.float16)


def shares(view, tensor):
    return view.__array_interface__["data"][0] == tensor.data_ptr()


@needs_torch
def test_torch_view_shares_memory(half):
    t = half_tensor(half, np.linspace(-2, 2, 12).reshape(3, 4))
    v = actfn.torch_view(t)
    assert v.dtype == half.storage and v.shape == (3, 4) and shares(v, t)
    v[0, 0] = half.round([5.0])[0]
    assert t[0, 0].item() == 5.0  # written through the view
    cols = t[:, ::2]  # a strided tensor gives a strided view of the same memory
    vc = actfn.torch_view(cols)
    assert not vc.flags.c_contiguous and shares(vc, cols)
    np.testing.assert_array_equal(half.bits(vc), half.bits(v[:, ::2]))
    assert actfn.torch_view(torch.empty(0, dtype=t.dtype)).shape == (0,)
    f32 = torch.ones(3)
    assert actfn.torch_view(f32).dtype == np.float32 and shares(actfn.torch_view(f32), f32)


@needs_torch
def test_torch_tensor_as_out_and_in_place(half):
    t = half_tensor(half, np.linspace(-3, 3, 64).reshape(8, 8))
    want = half.call(actfn.gelu, torch_bits(t))
    y = torch.empty_like(t)
    ptr = y.data_ptr()
    out = actfn.torch_view(y)
    assert actfn.gelu(actfn.torch_view(t), dtype=t.dtype, out=out) is out
    assert y.data_ptr() == ptr
    np.testing.assert_array_equal(torch_bits(y), want)
    # in place into the tensor, with no copy of it
    big = half_tensor(half, np.linspace(-3, 3, 1 << 20))
    expected = half.call(actfn.silu, torch_bits(big))
    view = actfn.torch_view(big)
    tracemalloc.start()
    try:
        actfn.silu(view, dtype=big.dtype, out=view)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < view.nbytes // 4
    np.testing.assert_array_equal(torch_bits(big), expected)
    # gradients into a preallocated tensor, for a two-output backward too
    dx = torch.empty_like(t)
    actfn.softmax_backward(actfn.torch_view(t), actfn.torch_view(t), dtype=t.dtype, out=actfn.torch_view(dx))
    np.testing.assert_array_equal(torch_bits(dx), half.call(actfn.softmax_backward, torch_bits(t), torch_bits(t)))
    da, db = torch.empty_like(t), torch.empty_like(t)
    actfn.glu_backward(*(actfn.torch_view(v) for v in (t, t, t)), dtype=t.dtype,
                       out=(actfn.torch_view(da), actfn.torch_view(db)))
    want_da, want_db = half.call(actfn.glu_backward, torch_bits(t), torch_bits(t), torch_bits(t))
    np.testing.assert_array_equal(torch_bits(da), want_da)
    np.testing.assert_array_equal(torch_bits(db), want_db)


@needs_torch
def test_torch_view_bad_input():
    with pytest.raises(TypeError, match="actfn.torch_view takes a torch.Tensor, not ndarray"):
        actfn.torch_view(np.ones(3))
    with pytest.raises(TypeError, match="actfn.torch_view takes a torch.Tensor, not list"):
        actfn.torch_view([1.0])
    with pytest.raises(TypeError, match="not torch.int16"):
        actfn.torch_view(torch.ones(3, dtype=torch.int16))
    with pytest.raises(TypeError, match="not torch.complex64"):
        actfn.torch_view(torch.ones(3, dtype=torch.complex64))
    for dt in (torch.bfloat16, torch.float16):
        leaf = torch.ones(3, dtype=dt, requires_grad=True)
        with pytest.raises(RuntimeError, match=r"requires grad; pass tensor.detach\(\)"):
            actfn.torch_view(leaf)
        assert shares(actfn.torch_view(leaf.detach()), leaf)
    param = torch.nn.Parameter(torch.ones(3, dtype=torch.float16), requires_grad=False)
    assert shares(actfn.torch_view(param), param)


DEFAULTS = {op: dict(params) for op, params in _lib.UNARY_OPS}
# PyTorch's forward of each elementwise op (its default parameters are SPEC §3's).
TORCH_OPS = {
    "sigmoid": torch.sigmoid if torch else None, "tanh": torch.tanh if torch else None,
    "relu": "relu", "relu6": "relu6", "hardtanh": "hardtanh", "leaky_relu": "leaky_relu", "elu": "elu",
    "selu": "selu", "silu": "silu", "hardsigmoid": "hardsigmoid", "hardswish": "hardswish", "softplus": "softplus",
    "logsigmoid": "logsigmoid", "mish": "mish", "gelu": "gelu", "gelu_tanh": "gelu_tanh",
}


def torch_forward(op):
    if op == "gelu_tanh":
        return lambda t: TF.gelu(t, approximate="tanh")
    f = TORCH_OPS[op]
    return f if callable(f) else getattr(TF, f)


def torch_has(op, half, pass_):
    """Whether this PyTorch computes ``op`` (an elementwise op name, or a
    callable) on CPU tensors of ``half`` (PyTorch 1.13 has no float16 CPU
    kernels, and no bf16 mish or relu6/hardtanh backward)."""
    if torch is None:
        return False
    t = half_tensor(half, [0.5, -0.5]).requires_grad_(pass_ == "backward")
    try:
        y = (torch_forward(op) if isinstance(op, str) else op)(t)
        if pass_ == "backward":
            y.sum().backward()
    except RuntimeError:
        return False
    return True


def torch_cases():
    return [pytest.param(op, pass_, half, id=f"{half.name}-{op}-{pass_}") for half in HALVES
            for op in sorted(TORCH_OPS) for pass_ in ("forward", "backward") if torch_has(op, half, pass_)]


ROW_OPS = {"softmax": lambda t: TF.softmax(t, -1), "log_softmax": lambda t: TF.log_softmax(t, -1),
           "glu": lambda t: TF.glu(t, -1)}


def torch_row_cases():
    return [pytest.param(op, half, id=f"{half.name}-{op}") for half in HALVES for op in ROW_OPS
            if torch_has(ROW_OPS[op], half, "forward")]


@pytest.mark.parametrize("op, pass_, half_", torch_cases())
def test_against_pytorch(op, pass_, half_, rng):
    """Where PyTorch's own 16-bit CPU result (forward, or autograd's
    backward) is the correctly rounded one — the float64 reference rounded
    once — actfn's is that result or one step away. PyTorch must be
    correctly rounded on at least half of the inputs: a check of the
    reference against an independent implementation (PyTorch 1.13's bf16
    elu and selu use exp(x) - 1, so about 60% there). Every finite pattern
    below 1e4 in magnitude is an input. The ops and types PyTorch lacks on
    the CPU are not collected: test_half.py checks them against the
    reference alone."""
    half = half_
    x = half.patterns()
    xv = half.values(x)
    x = x[np.isfinite(xv) & (np.abs(xv) < 1e4)]
    xv = half.values(x)
    dy = half.round(rng.standard_normal(x.size) * 2)
    dyv = half.values(dy)
    t = half_tensor(half, xv).requires_grad_(pass_ == "backward")
    ty = torch_forward(op)(t)
    if pass_ == "backward":
        ty.backward(half_tensor(half, dyv))
    rc = unary_case(op, np.float32, work=np.float64, **DEFAULTS[op])
    with np.errstate(all="ignore"):
        if pass_ == "forward":
            ours, theirs, exact = half.call(getattr(actfn, op), x), torch_bits(ty), rc.fwd(xv)
        else:
            inp = half.round(rc.fwd(xv)) if rc.from_y else x  # autograd's y is the rounded forward too
            ours = half.call(getattr(actfn, op + "_backward"), inp, dy)
            theirs, exact = torch_bits(t.grad), rc.bwd(half.values(inp), dyv, xv)
    agree = steps_apart(theirs, half.round(exact)) == 0
    assert agree.mean() > 0.5, f"{op} {pass_}: PyTorch is correctly rounded on only {agree.mean():.1%}"
    far = np.flatnonzero(agree & (steps_apart(ours, theirs) > 1))
    assert not far.size, (f"{op} {pass_}: {far.size} results more than one step from PyTorch's; first at x = "
                          f"{xv[far[0]]}: {half.values(ours)[far[0]]} vs {half.values(theirs)[far[0]]}")


@pytest.mark.parametrize("op, half_", torch_row_cases())
def test_against_pytorch_row_ops(op, half_, rng):
    half = half_
    x = half.round(rng.standard_normal(64 * 100) * 4).reshape(64, 100)
    theirs = torch_bits(ROW_OPS[op](half_tensor(half, half.values(x))))
    ours = half.call(getattr(actfn, op), x, axis=-1)
    xv = half.values(x)
    a, b = np.split(xv, 2, axis=-1)
    ref = {"softmax": lambda: np.exp(xv - xv.max(-1, keepdims=True)) / np.exp(xv - xv.max(-1, keepdims=True)).sum(
        -1, keepdims=True), "log_softmax": lambda: xv - xv.max(-1, keepdims=True) - np.log(np.exp(
            xv - xv.max(-1, keepdims=True)).sum(-1, keepdims=True)), "glu": lambda: a / (1 + np.exp(-b))}[op]()
    agree = steps_apart(theirs, half.round(ref)) == 0
    assert agree.mean() > 0.9, f"PyTorch {op} is correctly rounded on only {agree.mean():.1%}"
    assert steps_apart(ours, theirs)[agree].max() <= 1


def test_core_bf16_is_uint16_and_never_a_plain_result():
    """uint16 is the carrier of bfloat16 only under dtype="bfloat16": a plain
    uint16 input is an integer (float64), as any integer."""
    assert _core.BF16 == np.dtype(np.uint16)
    assert _core.compute_dtypes("relu", [np.ones(2, np.uint16)], ["x"]) == (_core.F64, _core.F64)
    assert _core.compute_dtypes("relu", [np.ones(2, np.uint16)], ["x"], "bfloat16") == (_core.BF16, _core.BF16)
    assert _core.compute_dtypes("relu", [np.ones(2, np.float16)], ["x"]) == (_core.F16, _core.F16)


def test_the_docstring_examples_run():
    """The >>> examples of actfn's and actfn._half's docstrings give what they show."""
    import doctest
    from actfn import _half
    for module in (actfn, _half):
        result = doctest.testmod(module, extraglobs={"actfn": actfn, "np": np}, report=False)
        assert result.attempted and not result.failed, f"{module.__name__}: {result}"
