"""Threads (SPEC §10) through Python: get_num_threads / set_num_threads,
ACTFN_NUM_THREADS, the same bits for every thread count, and a
multiprocessing child forked after the parent's pool started."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import numpy as np
import pytest

import actfn

# Large enough that every op below is split (the thresholds: README "Threads").
N = 1 << 21


@pytest.fixture
def restore_threads():
    before = actfn.get_num_threads()
    yield
    actfn.set_num_threads(before)


def test_default_is_the_affinity_mask():
    if os.environ.get("ACTFN_NUM_THREADS"):
        pytest.skip("the run sets ACTFN_NUM_THREADS (test_env_sets_the_count covers it)")
    assert actfn.get_num_threads() == len(os.sched_getaffinity(0))


def test_set_and_get(restore_threads):
    for n in (1, 2, 3, 8, 2**31 - 1):
        actfn.set_num_threads(n)
        assert actfn.get_num_threads() == n
    actfn.set_num_threads(np.int64(4))  # any integer type
    assert actfn.get_num_threads() == 4


@pytest.mark.parametrize("bad, error", [
    (0, actfn.ActfnParamError), (-1, actfn.ActfnParamError), (-2**40, actfn.ActfnParamError),
    (2**31, OverflowError), (2.0, TypeError), ("2", TypeError), (True, TypeError), (None, TypeError),
])
def test_bad_counts_change_nothing(restore_threads, bad, error):
    actfn.set_num_threads(3)
    with pytest.raises(error):
        actfn.set_num_threads(bad)
    assert actfn.get_num_threads() == 3


def test_param_error_is_a_value_error(restore_threads):
    with pytest.raises(ValueError, match="actfn_set_num_threads"):
        actfn.set_num_threads(0)


@pytest.mark.parametrize("value, want", [("3", 3), ("1", 1)])
def test_env_sets_the_count(value, want):
    env = dict(os.environ, ACTFN_NUM_THREADS=value)
    out = subprocess.run([sys.executable, "-c", "import actfn; print(actfn.get_num_threads())"], env=env,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(want)
    assert out.stderr == ""


def test_env_bad_value_warns_once():
    env = dict(os.environ, ACTFN_NUM_THREADS="many")
    out = subprocess.run([sys.executable, "-c", "import actfn; print(actfn.get_num_threads())"], env=env,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(len(os.sched_getaffinity(0)))
    assert out.stderr.count("\n") == 1 and "ACTFN_NUM_THREADS" in out.stderr


def calls(x):
    """Some of every kind of split: elementwise, rows, channels, outer rows."""
    rows = x.reshape(-1, 1024)
    return [
        actfn.gelu(x), actfn.sigmoid_backward(actfn.sigmoid(x), x), actfn.relu(x), actfn.hardswish(x),
        actfn.softmax(rows), actfn.log_softmax_backward(actfn.log_softmax(rows), rows),
        actfn.prelu(x.reshape(64, 32, -1), np.linspace(-1, 1, 32).astype(x.dtype)),
        *actfn.prelu_backward(x.reshape(64, 32, -1), np.linspace(-1, 1, 32).astype(x.dtype),
                              x.reshape(64, 32, -1)),
        actfn.maxout(x.reshape(-1, 256), 4),
    ]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_same_bits_for_every_count(restore_threads, dtype):
    x = np.random.default_rng(5).standard_normal(N).astype(dtype)
    actfn.set_num_threads(1)
    want = calls(x)
    for n in (2, 3, 5):
        actfn.set_num_threads(n)
        for w, got in zip(want, calls(x)):
            assert got.dtype == w.dtype
            np.testing.assert_array_equal(got.view(np.uint8), w.view(np.uint8))


def _child_gelu(x):
    return actfn.gelu(x)


def test_fork_child_after_the_pool_started(restore_threads):
    """Python's multiprocessing forks: a child of a parent whose pool runs
    must compute (not hang), and get the parent's bits."""
    actfn.set_num_threads(2)
    x = np.random.default_rng(6).standard_normal(N).astype(np.float32)
    want = actfn.gelu(x)  # the pool's workers now exist in the parent
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        results = pool.map_async(_child_gelu, [x, x]).get(timeout=120)
    for got in results:
        np.testing.assert_array_equal(got, want)
