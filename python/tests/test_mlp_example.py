"""The end-to-end example examples/mlp_numpy.py: its whole-network gradient
matches central finite differences in float64, and training lowers the loss."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

import actfn

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "mlp_numpy.py")


@pytest.fixture(scope="module")
def mlp():
    spec = importlib.util.spec_from_file_location("mlp_numpy", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gradient_check(mlp, isa):
    assert mlp.gradient_check() < 1e-5


def test_gradient_check_detects_a_wrong_gradient(mlp, monkeypatch):
    # The check must be able to fail: give the silu layer gelu's derivative.
    monkeypatch.setattr(mlp.actfn, "silu_backward", actfn.gelu_backward)
    assert mlp.gradient_check() > 1e-3


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_training_lowers_the_loss(mlp, isa, dtype):
    losses, accuracy = mlp.train(steps=150, dtype=dtype)
    assert losses[0] > 0.9  # about log(3) at the start
    assert losses[-1] < 0.25 * losses[0]
    assert np.all(np.isfinite(losses))
    assert accuracy > 0.9


def test_spirals_are_balanced(mlp):
    x, labels = mlp.make_spirals(50)
    assert x.shape == (150, 2) and np.bincount(labels).tolist() == [50, 50, 50]
