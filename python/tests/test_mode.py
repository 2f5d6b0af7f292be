"""Reproducible mode (SPEC §8) through Python: get_mode / set_mode, and the
same bits on every ISA in reproducible mode."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import actfn

OPS = ["sigmoid", "tanh", "elu", "selu", "silu", "swish", "softplus", "logsigmoid", "mish", "gelu", "gelu_tanh"]


@pytest.fixture
def reproducible():
    before = actfn.get_mode()
    actfn.set_mode("reproducible")
    yield
    actfn.set_mode(before)


def test_mode_names():
    before = actfn.get_mode()
    assert before in ("fast", "reproducible")
    actfn.set_mode("reproducible")
    assert actfn.get_mode() == "reproducible"
    with pytest.raises(ValueError):
        actfn.set_mode("exact")
    with pytest.raises(ValueError):
        actfn.set_mode("Fast")
    assert actfn.get_mode() == "reproducible"  # nothing changed
    actfn.set_mode("fast")
    assert actfn.get_mode() == "fast"
    actfn.set_mode(before)


def test_mode_from_environment():
    code = "import actfn; print(actfn.get_mode())"
    env = dict(os.environ, ACTFN_MODE="reproducible")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "reproducible"
    env["ACTFN_MODE"] = "bogus"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "fast"
    assert out.stderr.count("\n") == 1 and "ACTFN_MODE" in out.stderr


def _inputs(dtype, n=1003):
    rng = np.random.default_rng(8)
    x = (rng.standard_normal(n) * np.exp2(rng.integers(-10, 8, n))).astype(dtype)
    x[:6] = [0.0, -0.0, np.inf, -np.inf, 30.0, -100.0]
    dy = rng.standard_normal(n).astype(dtype)
    return x, dy


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_same_bits_on_every_isa(reproducible, dtype):
    x, dy = _inputs(dtype)
    rows = x[: 17 * 59].reshape(17, 59)
    before = actfn.get_isa()
    results = {}
    try:
        for isa in actfn.supported_isas():
            actfn.set_isa(isa)
            got = []
            for op in OPS:
                f, b = getattr(actfn, op), getattr(actfn, op + "_backward")
                y = f(x)
                got += [y, b(y if op in ("sigmoid", "tanh") else x, dy)]
            s = actfn.softmax(rows)
            got += [s, actfn.softmax_backward(s, rows), actfn.log_softmax(rows)]
            got += list(actfn.prelu_backward(rows, np.linspace(-1, 1, 59, dtype=dtype), rows, axis=1))
            results[isa] = [g.view(np.uint32 if dtype == np.float32 else np.uint64) for g in got]
    finally:
        actfn.set_isa(before)
    first = next(iter(results.values()))
    for isa, got in results.items():
        for a, b in zip(first, got):
            np.testing.assert_array_equal(a, b, err_msg=f"{isa} differs")
