"""Conventions of the binding: out= and in place for every op family,
strided and N-d inputs, every error path, zero-size arrays, the ISA
controls, the version, and library discovery (in subprocesses). The NumPy
dtype / out= / scalar rules are in test_numpy_rules.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import actfn
from actfn import _core, _errors
from conftest import loaded_library_file

PKG_DIR = os.path.dirname(os.path.abspath(actfn.__file__))

# One call per op family: name -> f(x-like array) -> result, with the arrays
# the call needs built from x (shapes chosen so every family accepts (4, 6)).
FAMILIES = {
    "unary": lambda x, **kw: actfn.gelu(x, **kw),
    "unary_params": lambda x, **kw: actfn.softplus(x, 2.0, 5.0, **kw),
    "unary_backward": lambda x, **kw: actfn.silu_backward(x, x * 0.5, **kw),
    "softmax": lambda x, **kw: actfn.softmax(x, **kw),
    "softmax_axis0": lambda x, **kw: actfn.log_softmax(x, axis=0, **kw),
    "softmax_backward": lambda x, **kw: actfn.softmax_backward(x, x * 0.5, **kw),
    "prelu": lambda x, **kw: actfn.prelu(x, np.linspace(0.1, 0.6, 6).astype(x.dtype), axis=1, **kw),
    "prelu_backward": lambda x, **kw: actfn.prelu_backward(x, np.linspace(0.1, 0.6, 6).astype(x.dtype), x * 2,
                                                           axis=1, **kw)[0],
    "maxout_k1": lambda x, **kw: actfn.maxout(x, 1, **kw),
    "maxout_backward": lambda x, **kw: actfn.maxout_backward(x, x[:, ::2] * 3, 2, **kw),
}


def sample(dtype, shape=(4, 6)):
    return np.linspace(-3, 3, int(np.prod(shape))).reshape(shape).astype(dtype)


@pytest.mark.parametrize("family", FAMILIES)
def test_out_is_filled_and_returned(family, dtype):
    x = sample(dtype)
    want = FAMILIES[family](x)
    out = np.full_like(x, np.nan)
    got = FAMILIES[family](x, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)


@pytest.mark.parametrize("family", FAMILIES)
def test_in_place(family, dtype):
    x = sample(dtype)
    want = FAMILIES[family](x.copy())
    got = FAMILIES[family](x, out=x)
    assert got is x
    np.testing.assert_array_equal(x, want)


def test_backward_in_place_on_dy(dtype):
    x = sample(dtype)
    dy = x * 0.25
    want = actfn.mish_backward(x, dy.copy())
    assert actfn.mish_backward(x, dy, out=dy) is dy
    np.testing.assert_array_equal(dy, want)


@pytest.mark.parametrize("family", FAMILIES)
def test_strided_inputs_match_contiguous(family, dtype, rng):
    base = (rng.standard_normal((8, 12)) * 2).astype(dtype)
    strided = base[::2, ::2]  # (4, 6), not contiguous
    assert not strided.flags.c_contiguous
    before = base.copy()
    got = FAMILIES[family](strided)
    np.testing.assert_array_equal(got, FAMILIES[family](np.ascontiguousarray(strided)))
    np.testing.assert_array_equal(base, before)  # inputs untouched
    transposed = np.ascontiguousarray(strided.T).T  # Fortran order
    np.testing.assert_array_equal(FAMILIES[family](transposed), got)


def test_unaligned_input_is_copied(dtype):
    raw = np.zeros(np.dtype(dtype).itemsize * 9 + 1, dtype=np.uint8)
    x = raw[1:].view(dtype)  # misaligned by one byte
    x[:] = np.linspace(-2, 2, 9)
    assert not x.flags.aligned
    np.testing.assert_array_equal(actfn.tanh(x), actfn.tanh(x.copy()))


def test_nd_elementwise_keeps_shape(dtype, rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(dtype)
    y = actfn.elu(x, alpha=0.5)
    assert y.shape == x.shape
    np.testing.assert_array_equal(y.ravel(), actfn.elu(x.ravel(), 0.5))


def test_softmax_moved_axis_result_is_c_contiguous(dtype, rng):
    x = rng.standard_normal((3, 4, 5)).astype(dtype)
    y = actfn.softmax(x, axis=1)
    assert y.flags.c_contiguous
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(y, np.moveaxis(actfn.softmax(np.moveaxis(x, 1, -1)), -1, 1))


def test_positional_params_and_defaults():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(actfn.leaky_relu(x), actfn.leaky_relu(x, 0.01))
    np.testing.assert_array_equal(actfn.leaky_relu(x, alpha=0.3), actfn.leaky_relu(x, 0.3))
    np.testing.assert_array_equal(actfn.hardtanh(x, -2.0, 0.5), np.clip(x, -2.0, 0.5))
    np.testing.assert_array_equal(actfn.hardtanh(x), np.clip(x, -1, 1))
    np.testing.assert_array_equal(actfn.swish(x), actfn.silu(x))
    np.testing.assert_array_equal(actfn.softplus(x, beta=1.0, threshold=20.0), actfn.softplus(x))
    np.testing.assert_array_equal(actfn.elu(x), actfn.elu(x, alpha=1.0))


# ---- shapes ---------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda a: actfn.tanh_backward(a, a[:, :5]),
    lambda a: actfn.log_softmax_backward(a, a.T),
    lambda a: actfn.prelu(a, a[0, :5]),
    lambda a: actfn.prelu(a, a[:2, :6]),
    lambda a: actfn.prelu_backward(a, a[0, :6], a[:3]),
    lambda a: actfn.maxout_backward(a, a, 2),
    lambda a: actfn.maxout(a, 4),  # 6 is not a multiple of 4
])
def test_shape_mismatch_raises_value_error(call):
    with pytest.raises(ValueError):
        call(sample(np.float64))


# ---- out= -------------------------------------------------------------------

def test_maxout_out_has_the_reduced_shape(dtype):
    x = sample(dtype)
    out = np.empty((4, 3), dtype)
    assert actfn.maxout(x, 2, out=out) is out
    with pytest.raises(ValueError, match="broadcast"):
        actfn.maxout(x, 2, out=np.empty((4, 6), dtype))


# ---- library errors ---------------------------------------------------------

PARAM_ERRORS = [
    lambda x: actfn.hardtanh(x, min_val=1.0, max_val=-1.0),
    lambda x: actfn.hardtanh_backward(x, x, min_val=np.nan),
    lambda x: actfn.leaky_relu(x, alpha=np.nan),
    lambda x: actfn.leaky_relu_backward(x, x, alpha=np.inf),
    lambda x: actfn.elu(x, alpha=-np.inf),
    lambda x: actfn.elu_backward(x, x, alpha=np.nan),
    lambda x: actfn.swish(x, beta=np.inf),
    lambda x: actfn.swish_backward(x, x, beta=np.nan),
    lambda x: actfn.softplus(x, beta=0.0),
    lambda x: actfn.softplus(x, threshold=np.nan),
    lambda x: actfn.softplus_backward(x, x, beta=np.nan),
    lambda x: actfn.maxout(x, 0),
    lambda x: actfn.maxout(x, -2),
    lambda x: actfn.maxout_backward(x, x, 0),
]


@pytest.mark.parametrize("index", range(len(PARAM_ERRORS)))
def test_bad_params_raise_with_the_library_message(index, dtype):
    x = sample(dtype)
    before = x.copy()
    with pytest.raises(actfn.ActfnParamError) as info:
        PARAM_ERRORS[index](x)
    err = info.value
    assert isinstance(err, actfn.ActfnError) and isinstance(err, ValueError)
    assert err.status == _errors.ERR_PARAM
    assert err.message == _core.strerror(_errors.ERR_PARAM)
    assert err.message == "a parameter is NaN or outside its domain"
    assert err.function.startswith("actfn_") and err.function.endswith("_f32" if dtype == np.float32 else "_f64")
    np.testing.assert_array_equal(x, before)


def test_infinite_softplus_threshold_and_hardtanh_bounds_are_allowed(dtype):
    x = sample(dtype)
    assert np.all(actfn.softplus(x, threshold=np.inf) > 0)
    np.testing.assert_array_equal(actfn.hardtanh(x, -np.inf, np.inf), x)


@pytest.mark.parametrize("bad", ["0.1", None, [0.1]])
def test_non_numeric_params_raise_type_error(bad):
    with pytest.raises(TypeError):
        actfn.leaky_relu(np.ones(3), alpha=bad)


@pytest.mark.parametrize("bad", [1.5, "2", None])
def test_non_integer_k_and_axis_raise_type_error(bad):
    with pytest.raises(TypeError):
        actfn.maxout(np.ones((2, 4)), bad)
    with pytest.raises(TypeError):
        actfn.softmax(np.ones((2, 4)), axis=bad)


@pytest.mark.parametrize("call", [
    lambda x: actfn.softmax(x, axis=2),
    lambda x: actfn.log_softmax_backward(x, x, axis=-3),
    lambda x: actfn.prelu(x, np.ones(4), axis=5),
    lambda x: actfn.maxout(x, 1, axis=-3),
    lambda x: actfn.softmax(np.float64(1.0)),
])
def test_bad_axis_raises_axis_error(call):
    with pytest.raises(ValueError):  # numpy's AxisError is a ValueError
        call(np.ones((3, 4)))


@pytest.mark.parametrize("status, cls, base", [
    (_errors.ERR_NULL, actfn.ActfnNullError, actfn.ActfnError),
    (_errors.ERR_OVERLAP, actfn.ActfnOverlapError, ValueError),
    (_errors.ERR_PARAM, actfn.ActfnParamError, ValueError),
    (_errors.ERR_SIZE, actfn.ActfnSizeError, ValueError),
    (_errors.ERR_UNSUPPORTED, actfn.ActfnUnsupportedError, RuntimeError),
    (-99, actfn.ActfnError, actfn.ActfnError),
])
def test_every_status_maps_to_its_exception(status, cls, base):
    with pytest.raises(cls) as info:
        _core.check_status(status, "actfn_test")
    assert type(info.value) is cls and isinstance(info.value, base)
    assert info.value.status == status
    assert str(info.value) == f"actfn_test: {_core.strerror(status)}"
    _core.check_status(0, "actfn_test")  # OK raises nothing


# ---- zero-size arrays -------------------------------------------------------

@pytest.mark.parametrize("shape", [(0,), (0, 6), (4, 0), (2, 0, 3)])
def test_zero_size_elementwise(shape, dtype):
    x = np.empty(shape, dtype)
    for y in (actfn.sigmoid(x), actfn.hardtanh(x), actfn.gelu_backward(x, x), actfn.relu(x, out=x)):
        assert y.shape == shape and y.dtype == np.dtype(dtype)


@pytest.mark.parametrize("shape", [(0, 5), (3, 0), (0,), (2, 0, 3)])
def test_zero_size_softmax(shape, dtype):
    x = np.empty(shape, dtype)
    for axis in range(-len(shape), len(shape)):
        assert actfn.softmax(x, axis=axis).shape == shape
        assert actfn.log_softmax_backward(x, x, axis=axis).shape == shape


def test_zero_size_prelu(dtype):
    x = np.empty((0, 3, 2), dtype)
    alpha = np.ones(3, dtype)
    assert actfn.prelu(x, alpha).shape == x.shape
    dx, dalpha = actfn.prelu_backward(x, alpha, x)
    assert dx.shape == x.shape
    np.testing.assert_array_equal(dalpha, [0, 0, 0])  # empty sums
    x = np.empty((2, 0, 2), dtype)
    dx, dalpha = actfn.prelu_backward(x, np.empty(0, dtype), x)
    assert dx.shape == x.shape and dalpha.shape == (0,)


def test_zero_size_maxout(dtype):
    x = np.empty((2, 0), dtype)
    assert actfn.maxout(x, 3).shape == (2, 0)
    assert actfn.maxout_backward(x, np.empty((2, 0), dtype), 3).shape == (2, 0)
    x = np.empty((0, 6), dtype)
    assert actfn.maxout(x, 3).shape == (0, 2)


# ---- ISA control and version ------------------------------------------------

def test_isa_controls():
    supported = actfn.supported_isas()
    assert supported[0] == "scalar"
    assert set(supported) <= set(actfn.ISA_NAMES)
    before = actfn.get_isa()
    assert before in supported
    try:
        for name in actfn.ISA_NAMES:
            if name in supported:
                actfn.set_isa(name)
                assert actfn.get_isa() == name
            else:
                actfn.set_isa("scalar")
                with pytest.raises(actfn.ActfnUnsupportedError, match="not supported"):
                    actfn.set_isa(name)
                assert actfn.get_isa() == "scalar"  # nothing changed
        with pytest.raises(ValueError, match="unknown ISA"):
            actfn.set_isa("sse2")
    finally:
        actfn.set_isa(before)


def test_version():
    parts = actfn.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)
    assert actfn.__version__ == _core.LIB.actfn_version().decode()


# ---- library discovery ------------------------------------------------------

def run_python(code, env_changes, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("ACTFN_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the actfn package (without any library beside it) in tmp_path."""
    shutil.copytree(PKG_DIR, tmp_path / "actfn",
                    ignore=shutil.ignore_patterns("libactfn.so*", "__pycache__"))
    return tmp_path


def test_discovery_env_var_pointing_nowhere_fails_clearly(package_copy):
    missing = str(package_copy / "no" / "libactfn.so.0")
    r = run_python("import actfn", {"ACTFN_LIBRARY": missing}, package_copy)
    assert r.returncode != 0
    assert "LibraryNotFoundError" in r.stderr
    for place in ("ACTFN_LIBRARY", missing, "beside the package", str(package_copy / "actfn"),
                  "system library path"):
        assert place in r.stderr, (place, r.stderr)


def test_discovery_env_var(package_copy):
    lib = loaded_library_file()
    r = run_python("import actfn; print(actfn.library_path); print(actfn.relu([-1.0, 2.0]))",
                   {"ACTFN_LIBRARY": lib}, package_copy)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[0] == lib and "[0. 2.]" in r.stdout


def test_discovery_beside_the_package(package_copy):
    shutil.copy(loaded_library_file(), package_copy / "actfn" / "libactfn.so.0")
    r = run_python("import actfn; print(actfn.library_path); print(actfn.sigmoid([0.0]))", {}, package_copy)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[0] == str(package_copy / "actfn" / "libactfn.so.0")
    assert "[0.5]" in r.stdout


def test_discovery_system_library_path(package_copy, tmp_path):
    libdir = tmp_path / "lib"
    libdir.mkdir()
    shutil.copy(loaded_library_file(), libdir / "libactfn.so.0")
    r = run_python("import actfn; print(actfn.library_path); print(actfn.relu6([7.0]))",
                   {"LD_LIBRARY_PATH": str(libdir)}, package_copy)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[0] == "libactfn.so.0" and "[6.]" in r.stdout
