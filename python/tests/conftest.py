"""Shared fixtures: every test that takes ``isa`` runs once per ISA this
machine supports (switched with actfn.set_isa, restored afterwards)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import actfn  # noqa: E402

DTYPES = [np.float32, np.float64]


def loaded_library_file():
    """The real path of the libactfn this process loaded (from /proc/self/maps)."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if os.path.basename(path).startswith("libactfn.so"):
                return path
    raise AssertionError("libactfn is not mapped into this process")


@pytest.fixture(params=actfn.supported_isas())
def isa(request):
    before = actfn.get_isa()
    actfn.set_isa(request.param)
    assert actfn.get_isa() == request.param
    yield request.param
    actfn.set_isa(before)


@pytest.fixture(params=DTYPES, ids=["f32", "f64"])
def dtype(request):
    return request.param


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)
