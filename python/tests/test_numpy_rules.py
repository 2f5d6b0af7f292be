"""actfn follows NumPy's ufunc rules (SPEC.md §7): the computation dtype of
every pair of input dtypes, dtype=, out= under same_kind casting
(contiguous or not, in place without a copy), the rejected dtypes and their
messages, NumPy scalars for 0-d inputs, and lists and tuples as arrays."""

from __future__ import annotations

import re
import sys
import tracemalloc

import numpy as np
import pytest

import actfn
from actfn import _core
from reference import steps_apart
from test_api import FAMILIES, sample

BOOL_INT_FLOAT = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                  np.float16, np.float32, np.float64]
IDS = [np.dtype(t).name for t in BOOL_INT_FLOAT]
F16, F32, F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


def values(dtype, shape=(2, 3)):
    """Small values every dtype holds exactly: 0/1 for bool, 0..5 unsigned,
    -2..3 signed, -2.5..2.5 floats."""
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == "b":
        v = np.arange(n) % 3 != 1
    elif dt.kind == "u":
        v = np.arange(n)
    elif dt.kind == "i":
        v = np.arange(n) - 2
    else:
        v = np.linspace(-2.5, 2.5, n)
    return v.reshape(shape).astype(dt)


def computation_dtype(*dtypes):
    """SPEC §7: np.result_type, with bool and integers in float64."""
    common = np.result_type(*dtypes)
    return F64 if common.kind in "biu" else common


def native(call, arrays, result):
    """What the op must give with a result dtype ``result``: the kernel of
    that dtype (f16, f32 or f64) on the inputs converted to it."""
    return np.asarray(call(*[a.astype(result) for a in arrays]))


# Spot checks of the rule, written out (not derived from np.result_type).
KNOWN = [((np.bool_,), F64), ((np.int8,), F64), ((np.uint64,), F64), ((np.float16,), F16),
         ((np.int8, np.float16), F16), ((np.uint8, np.float16), F16), ((np.int16, np.float16), F32),
         ((np.int32, np.float32), F64), ((np.int16, np.float32), F32), ((np.uint8, np.int8), F64),
         ((np.bool_, np.float16), F16), ((np.uint64, np.int64), F64), ((np.float32, np.float64), F64),
         ((np.float16, np.float32), F32), ((np.bool_, np.bool_), F64)]


@pytest.mark.parametrize("dtypes, want", KNOWN, ids=lambda v: "-".join(np.dtype(t).name for t in v)
                         if isinstance(v, tuple) else str(v))
def test_known_computation_dtypes(dtypes, want):
    arrays = [values(t) for t in dtypes]
    if len(arrays) == 1:
        got = actfn.sigmoid(arrays[0])
    else:
        got = actfn.silu_backward(*arrays)
    assert got.dtype == want


# ---- every dtype and every pair -------------------------------------------------

@pytest.mark.parametrize("xt", BOOL_INT_FLOAT, ids=IDS)
def test_unary_dtype(xt):
    x = values(xt)
    got = actfn.sigmoid(x)
    want = native(actfn.sigmoid, [x], computation_dtype(x.dtype))
    assert got.dtype == want.dtype and got.shape == x.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("outt", BOOL_INT_FLOAT, ids=IDS)
@pytest.mark.parametrize("xt", BOOL_INT_FLOAT, ids=IDS)
def test_unary_out_casting(xt, outt):
    x = values(xt)
    result = computation_dtype(x.dtype)
    out = np.zeros(x.shape, outt)
    if np.can_cast(result, out.dtype, "same_kind"):
        assert actfn.gelu(x, out=out) is out
        np.testing.assert_array_equal(out, native(actfn.gelu, [x], result).astype(outt))
    else:
        message = (f"Cannot cast actfn.gelu output from dtype('{result}') to dtype('{out.dtype}') "
                   "with casting rule 'same_kind'")
        with pytest.raises(TypeError, match=re.escape(message)):
            actfn.gelu(x, out=out)
        assert not out.any()  # nothing written


@pytest.mark.parametrize("dyt", BOOL_INT_FLOAT, ids=IDS)
@pytest.mark.parametrize("xt", BOOL_INT_FLOAT, ids=IDS)
def test_backward_pair(xt, dyt):
    x, dy = values(xt), values(dyt)
    got = actfn.silu_backward(x, dy)
    want = native(actfn.silu_backward, [x, dy], computation_dtype(x.dtype, dy.dtype))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("alphat", BOOL_INT_FLOAT, ids=IDS)
@pytest.mark.parametrize("xt", BOOL_INT_FLOAT, ids=IDS)
def test_shaped_pair_prelu(xt, alphat):
    x, alpha = values(xt, (2, 3, 2)), values(alphat, (3,))
    got = actfn.prelu(x, alpha, axis=1)
    want = native(lambda a, b: actfn.prelu(a, b, axis=1), [x, alpha], computation_dtype(x.dtype, alpha.dtype))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dyt", BOOL_INT_FLOAT, ids=IDS)
@pytest.mark.parametrize("yt", BOOL_INT_FLOAT, ids=IDS)
def test_shaped_pair_softmax_backward(yt, dyt):
    y, dy = values(yt), values(dyt)
    got = actfn.softmax_backward(y, dy, axis=0)
    want = native(lambda a, b: actfn.softmax_backward(a, b, axis=0), [y, dy], computation_dtype(y.dtype, dy.dtype))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_float16_computes_on_the_f16_kernels(rng):
    """SPEC §9: a float16 array runs on actfn_<op>_f16 — the same bits as
    that C function called directly — which computes in float32 and rounds
    once: the float32 kernel's result rounded to float16, or one step away."""
    x = (rng.standard_normal(4099) * 4).astype(np.float16)
    for op in (actfn.gelu, actfn.tanh, actfn.softplus, actfn.log_softmax):
        got = op(x)
        assert got.dtype == F16
        direct = np.empty_like(x)
        args = (x.ctypes.data, direct.ctypes.data) + ((1, x.size) if op is actfn.log_softmax else (x.size,))
        extra = (1.0, 20.0) if op is actfn.softplus else ()
        fn = _core._KERNELS[op.__name__]["f16"]
        assert fn.__name__ == f"actfn_{op.__name__}_f16" and fn(*args, *extra) == 0
        np.testing.assert_array_equal(got, direct)
        rounded = op(x.astype(np.float32)).astype(np.float16)
        assert steps_apart(got, rounded).max() <= 1, op.__name__
    dx, dalpha = actfn.prelu_backward(x.reshape(1, 1, -1), np.array([0.25], np.float16), x.reshape(1, 1, -1))
    assert dx.dtype == F16 and dalpha.dtype == F16


def test_activation_float32_gradient_float64():
    # The case: activations kept in float32, gradients in float64.
    z32 = np.linspace(-2, 2, 9, dtype=np.float32)
    delta64 = np.linspace(1, 3, 9)
    dx = actfn.relu_backward(z32, delta64)
    assert dx.dtype == F64
    np.testing.assert_array_equal(dx, np.where(z32.astype(np.float64) > 0, delta64, 0))


def test_python_float_parameters_do_not_promote():
    x = values(np.float32)
    assert actfn.leaky_relu(x, 0.1).dtype == F32
    assert actfn.leaky_relu(x, np.float64(0.1)).dtype == F32
    assert actfn.softplus_backward(x, x, 2, 5).dtype == F32
    assert actfn.hardtanh(values(np.float16), -0.5, 0.5).dtype == F16


def test_non_native_byte_order_computes_natively():
    swapped = np.dtype(np.float32).newbyteorder("S")
    x = values(np.float32).astype(swapped)
    got = actfn.tanh(x)
    assert got.dtype == F32 and got.dtype.isnative
    np.testing.assert_array_equal(got, actfn.tanh(x.astype(np.float32)))


# ---- dtype= -----------------------------------------------------------------------------

@pytest.mark.parametrize("forced", [np.float16, np.float32, np.float64, "float32", "f8"], ids=str)
@pytest.mark.parametrize("xt", [np.int32, np.float16, np.float64, np.bool_], ids=str)
def test_dtype_forces_the_computation_dtype(xt, forced):
    x = values(xt)
    want_dt = np.dtype(forced)
    got = actfn.elu(x, 0.5, dtype=forced)
    assert got.dtype == want_dt
    np.testing.assert_array_equal(got, native(lambda a: actfn.elu(a, 0.5), [x], want_dt))
    dx = actfn.elu_backward(x, values(np.float64), dtype=forced)
    assert dx.dtype == want_dt
    assert actfn.softmax(x, dtype=forced).dtype == want_dt
    assert actfn.maxout(x, 3, dtype=forced).dtype == want_dt


def test_dtype_with_longdouble_input_casts_same_kind():
    x = values(np.longdouble)
    np.testing.assert_array_equal(actfn.silu(x, dtype=np.float64), actfn.silu(x.astype(np.float64)))


@pytest.mark.parametrize("forced", [np.int32, np.complex128, np.longdouble, object, bool], ids=str)
def test_dtype_outside_the_float_kernels_raises(forced):
    with pytest.raises(TypeError, match=f"actfn.relu cannot compute in dtype {np.dtype(forced)}"):
        actfn.relu(values(np.float64), dtype=forced)


def test_dtype_does_not_cast_complex_input():
    message = "Cannot cast actfn.gelu input from dtype('complex128') to dtype('float64') with casting rule 'same_kind'"
    with pytest.raises(TypeError, match=re.escape(message)):
        actfn.gelu(np.ones(3, np.complex128), dtype=np.float64)


# ---- rejected dtypes -----------------------------------------------------------------------

REJECTED = [np.complex64, np.complex128, object, "U3", "S3", np.longdouble, "M8[s]", "m8[s]",
            np.dtype([("a", np.float32)])]


# Every op family, with every array argument made from a (4, 6) array x.
ALL_ARRAYS = {
    "unary": lambda x: actfn.gelu(x),
    "unary_params": lambda x: actfn.softplus(x, 2.0, 5.0),
    "unary_backward": lambda x: actfn.silu_backward(x, x),
    "softmax": lambda x: actfn.softmax(x),
    "softmax_backward": lambda x: actfn.log_softmax_backward(x, x, axis=0),
    "prelu": lambda x: actfn.prelu(x, x[0]),
    "prelu_backward": lambda x: actfn.prelu_backward(x, x[0], x),
    "maxout": lambda x: actfn.maxout(x, 2),
    "maxout_backward": lambda x: actfn.maxout_backward(x, x[:, :3], 2),
}


@pytest.mark.parametrize("bad", REJECTED, ids=str)
@pytest.mark.parametrize("family", ALL_ARRAYS)
def test_rejected_dtypes_raise_type_error_naming_the_dtype(family, bad):
    x = np.zeros((4, 6), dtype=bad)
    with pytest.raises(TypeError, match=r"actfn\.\w+ does not support .* of dtype " + re.escape(str(x.dtype))) as info:
        ALL_ARRAYS[family](x)
    assert "float16, float32 or float64" in str(info.value)


@pytest.mark.parametrize("bad", [np.complex128, np.longdouble, object], ids=str)
def test_rejected_dtype_in_the_second_argument(bad):
    x = values(np.float32)
    with pytest.raises(TypeError, match=f"actfn.relu_backward does not support dy of dtype {np.dtype(bad)}"):
        actfn.relu_backward(x, x.astype(bad))
    with pytest.raises(TypeError, match=f"actfn.prelu does not support alpha of dtype {np.dtype(bad)}"):
        actfn.prelu(x, np.ones(3, bad))


# ---- out= ----------------------------------------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES)
def test_non_contiguous_out_is_written_through_a_buffer(family, dtype):
    x = sample(dtype)
    want = FAMILIES[family](x)
    base = np.full((8, 12), -7.0, dtype)
    out = base[::2, ::2]
    assert FAMILIES[family](x, out=out) is out
    np.testing.assert_array_equal(out, want)
    untouched = np.ones(base.shape, bool)
    untouched[::2, ::2] = False
    assert (base[untouched] == -7).all()
    fortran = np.empty(x.shape, dtype, order="F")
    assert FAMILIES[family](x, out=fortran) is fortran
    np.testing.assert_array_equal(fortran, want)


@pytest.mark.parametrize("family", FAMILIES)
def test_out_of_another_float_dtype(family, dtype):
    x = sample(dtype)
    want = FAMILIES[family](x)
    for outt in (np.float16, np.float32, np.float64, np.complex128):
        out = np.empty(x.shape, outt)
        assert FAMILIES[family](x, out=out) is out
        np.testing.assert_array_equal(out, want.astype(outt))


def test_float16_result_into_a_float32_out_is_rounded_to_float16_first():
    x = np.linspace(-3, 3, 101).astype(np.float16)
    out = np.empty(x.shape, np.float32)
    actfn.gelu(x, out=out)
    np.testing.assert_array_equal(out, actfn.gelu(x).astype(np.float32))


def test_out_tuple_of_one():
    x = values(np.float64)
    out = np.empty_like(x)
    assert actfn.relu(x, out=(out,)) is out
    np.testing.assert_array_equal(out, np.maximum(x, 0))


def test_in_place_does_not_copy():
    x = np.linspace(-4, 4, 1 << 20, dtype=np.float32)  # 4 MB
    want = actfn.silu(x)
    for call in (lambda: actfn.silu(x, out=x), lambda: actfn.softmax(x.reshape(1024, -1), out=x.reshape(1024, -1))):
        tracemalloc.start()
        try:
            call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < x.nbytes // 4, f"{peak} bytes allocated by an in-place call"
        x[:] = np.linspace(-4, 4, x.size, dtype=np.float32)
    assert actfn.silu(x, out=x) is x
    np.testing.assert_array_equal(x, want)


def test_non_contiguous_in_place():
    base = np.linspace(-3, 3, 24).reshape(4, 6)
    view = base[:, ::2]
    want = actfn.gelu(view.copy())
    assert actfn.gelu(view, out=view) is view
    np.testing.assert_array_equal(base[:, ::2], want)
    np.testing.assert_array_equal(base[:, 1::2], np.linspace(-3, 3, 24).reshape(4, 6)[:, 1::2])


def test_out_partially_overlapping_an_input_is_computed_as_numpy_does(dtype):
    buf = np.arange(12, dtype=dtype) - 6
    want = actfn.relu(buf[:10].copy())
    assert actfn.relu(buf[:10], out=buf[2:]) is not None
    np.testing.assert_array_equal(buf[2:], want)
    buf = np.linspace(-2, 2, 12).astype(dtype)
    want = actfn.softmax(buf[:10].copy())
    actfn.softmax(buf[:10], out=buf[1:11])
    np.testing.assert_array_equal(buf[1:11], want)


@pytest.mark.parametrize("family", FAMILIES)
def test_out_errors_are_worded_as_numpy_words_them(family, dtype):
    x = sample(dtype)
    with pytest.raises(ValueError, match=re.escape("operands could not be broadcast together with shapes "
                                                   "(4,6) (4,7)")):
        FAMILIES[family](x, out=np.empty((4, 7), dtype))
    with pytest.raises(ValueError, match=re.escape("with shapes (4,6) (24,)")):
        FAMILIES[family](x, out=np.empty(24, dtype))
    with pytest.raises(ValueError, match="output array is read-only"):
        FAMILIES[family](x, out=np.frombuffer(bytes(x.nbytes), dtype=dtype).reshape(x.shape))
    with pytest.raises(TypeError, match="return arrays must be of ArrayType"):
        FAMILIES[family](x, out=x.tolist())
    with pytest.raises(ValueError, match="exactly one entry"):
        FAMILIES[family](x, out=(np.empty_like(x), np.empty_like(x)))
    with pytest.raises(TypeError, match=re.escape("to dtype('int64') with casting rule 'same_kind'")):
        FAMILIES[family](x, out=np.empty(x.shape, np.int64))


def test_numpy_messages_match_numpy():
    """Our out= messages are NumPy's own, with actfn.<op> for the ufunc name."""
    x = np.ones((4, 6))
    for out, exc in [(np.empty((4, 7)), ValueError), (np.frombuffer(bytes(192)).reshape(4, 6), ValueError),
                     ([1.0], TypeError), (np.empty((4, 6), np.int64), TypeError)]:
        with pytest.raises(exc) as theirs:
            np.tanh(x, out=out)
        with pytest.raises(exc) as ours:
            actfn.tanh(x, out=out)
        assert str(ours.value).strip() == str(theirs.value).strip().replace("ufunc 'tanh'", "actfn.tanh")


# ---- scalars, 0-d arrays, lists and tuples ---------------------------------------------

@pytest.mark.parametrize("value, want_type", [(-2.5, np.float64), (3, np.float64), (True, np.float64),
                                              (np.float32(-2.5), np.float32), (np.float16(1.5), np.float16),
                                              (np.int8(-3), np.float64), (np.array(2.0, np.float32), np.float32),
                                              (np.array(-1.0), np.float64)], ids=repr)
def test_scalars_and_0d_arrays_give_numpy_scalars(value, want_type):
    for op in (actfn.relu, actfn.sigmoid):
        got = op(value)
        assert type(got) is want_type and not isinstance(got, np.ndarray)
        assert got == op(np.array([value]))[0]
    got = actfn.tanh_backward(value, value)
    assert type(got) is want_type
    assert got == actfn.tanh_backward(np.array([value]), np.array([value]))[0]


def test_0d_out_is_returned_as_the_array():
    out = np.zeros((), np.float32)
    assert actfn.relu(np.float32(2.0), out=out) is out and out == 2


def test_lists_and_tuples_are_arrays():
    np.testing.assert_array_equal(actfn.relu([-1.0, 2.0]), [0.0, 2.0])
    assert actfn.relu([-1, 2]).dtype == F64  # integers compute in float64
    np.testing.assert_array_equal(actfn.relu((-1, 2)), [0.0, 2.0])
    np.testing.assert_array_equal(actfn.relu_backward([[1, -1]], ((2.0, 3.0),)), [[2.0, 0.0]])
    np.testing.assert_allclose(actfn.softmax([[0, 0], [1, 1]]), 0.5)
    dx, dalpha = actfn.prelu_backward([[-1.0, 2.0]], [0.5, 0.5], [[1.0, 1.0]])
    np.testing.assert_array_equal(dx, [[0.5, 1.0]])
    np.testing.assert_array_equal(actfn.maxout([1, 5, 2, 7], 2), [5.0, 7.0])


def test_fast_and_general_paths_agree(dtype, rng):
    """The same call through the fast path (contiguous, native) and the
    general one (a strided view of the same values) gives the same bits."""
    x = (rng.standard_normal(1001) * 5).astype(dtype)
    strided = np.repeat(x, 2)[::2]
    for op in (actfn.gelu, actfn.hardtanh, actfn.swish):
        np.testing.assert_array_equal(op(x), op(strided))
    np.testing.assert_array_equal(actfn.mish_backward(x, x), actfn.mish_backward(strided, strided))


def test_the_fast_path_is_available_on_cpython():
    from actfn import _core
    assert _core.FAST == (sys.implementation.name == "cpython")
