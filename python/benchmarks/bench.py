#!/usr/bin/python3
"""bench.py — the actfn package timed from Python, next to NumPy/SciPy and PyTorch.

Two parts, both single-threaded, each figure the best of --repetitions runs
of a loop that lasts at least --min-time seconds:

* overhead: the fixed cost of one call on 16 float32 elements (actfn with
  and without out=, forward and backward, next to np.tanh and friends), and
  the time per call from 16 to 64K elements, showing where actfn overtakes
  the NumPy/SciPy way of computing the same op;
* ops: every op, forward and backward, at --sizes (1K, 64K, 1M) through
  the package (out= preallocated), its NumPy/SciPy equivalent
  (scipy.special.expit / log_expit / softmax / log_softmax, NumPy
  expressions for the rest) and PyTorch (torch.from_numpy views, ATen
  operators); every peer's result is compared with actfn's once first.

    ACTFN_LIBRARY=build/bench/src/libactfn.so PYTHONPATH=python \\
        /usr/bin/python3 python/benchmarks/bench.py [--part overhead|ops|all] [--sizes 1K,64K,1M]
        [--dtypes f32,f64] [--filter REGEX] [--min-time S] [--repetitions N] [--no-torch]

./scripts/bench --python runs it on a release build of the library.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import sys
import time

import numpy as np
import scipy
import scipy.special as sp

import actfn

SQRT2 = math.sqrt(2.0)
SQRT_2PI = math.sqrt(2.0 * math.pi)
GELU_C = math.sqrt(2.0 / math.pi)
GELU_K = 0.044715
SELU_L = 1.0507009873554804934
SELU_A = 1.6732632423543772848
SOFTMAX_COLS = 1024
PRELU_CHANNELS = 64
MAXOUT_K = 4


def loop_ns(call, iterations: int) -> float:
    """Nanoseconds per call of one loop of ``iterations`` calls."""
    t0 = time.perf_counter_ns()
    for _ in range(iterations):
        call()
    return (time.perf_counter_ns() - t0) / iterations


def calibrate(call, min_time: float) -> int:
    """The number of iterations for which a loop of ``call`` lasts min_time."""
    call()
    iterations = 1
    while True:
        elapsed = loop_ns(call, iterations) * iterations
        if elapsed >= min_time * 1e9:
            return iterations
        iterations = max(iterations * 2, int(iterations * min_time * 1e9 / max(elapsed, 1) * 1.2))


def best_interleaved(calls, min_time: float, repetitions: int):
    """Nanoseconds per call of each of ``calls``: the best of ``repetitions``
    loops of min_time, one loop of each call in turn per round, so that
    every call sees the same quiet and busy moments of a shared machine."""
    iterations = [calibrate(call, min_time) for call in calls]
    best = [math.inf] * len(calls)
    for _ in range(repetitions):
        for k, call in enumerate(calls):
            best[k] = min(best[k], loop_ns(call, iterations[k]))
    return best


# ---- NumPy / SciPy equivalents ------------------------------------------------------
# Forward: f(x, y) -> result, writing y where the NumPy function takes out=.
# Backward: g(inp, dy) -> dx (inp is y for sigmoid, tanh, softmax, log_softmax).

def _gelu_bwd(x, dy):
    return dy * (0.5 * sp.erfc(-x / SQRT2) + x * np.exp(-0.5 * x * x) / SQRT_2PI)


def _gelu_tanh_bwd(x, dy):
    t = np.tanh(GELU_C * (x + GELU_K * x ** 3))
    return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x))


def _mish_bwd(x, dy):
    t = np.tanh(np.logaddexp(0, x))
    return dy * (t + x * sp.expit(x) * (1 - t * t))


def _silu_bwd(x, dy):
    s = sp.expit(x)
    return dy * s * (1 + x * (1 - s))


def _maxout_bwd(x, dy):
    g = x.reshape(x.shape[0], -1, MAXOUT_K)
    dx = np.zeros_like(g)
    np.put_along_axis(dx, g.argmax(-1)[..., None], dy[..., None], -1)
    return dx.reshape(x.shape)


NUMPY_FWD = {
    "sigmoid": lambda x, y: sp.expit(x, out=y),
    "tanh": lambda x, y: np.tanh(x, out=y),
    "relu": lambda x, y: np.maximum(x, 0, out=y),
    "relu6": lambda x, y: np.clip(x, 0, 6, out=y),
    "hardtanh": lambda x, y: np.clip(x, -1, 1, out=y),
    "leaky_relu": lambda x, y: np.where(x > 0, x, x * x.dtype.type(0.01)),
    "elu": lambda x, y: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x, y: x.dtype.type(SELU_L) * np.where(x > 0, x, x.dtype.type(SELU_A) * np.expm1(x)),
    "silu": lambda x, y: x * sp.expit(x),
    "swish": lambda x, y: x * sp.expit(x),
    "hardsigmoid": lambda x, y: np.clip(x + 3, 0, 6) / 6,
    "hardswish": lambda x, y: x * np.clip(x + 3, 0, 6) / 6,
    "softplus": lambda x, y: np.logaddexp(0, x, out=y),
    "logsigmoid": lambda x, y: sp.log_expit(x, out=y),
    "mish": lambda x, y: x * np.tanh(np.logaddexp(0, x)),
    "gelu": lambda x, y: 0.5 * x * sp.erfc(-x / x.dtype.type(SQRT2)),
    "gelu_tanh": lambda x, y: 0.5 * x * (1 + np.tanh(x.dtype.type(GELU_C) * (x + x.dtype.type(GELU_K) * x ** 3))),
    "softmax": lambda x, y: sp.softmax(x, axis=-1),
    "log_softmax": lambda x, y: sp.log_softmax(x, axis=-1),
    "prelu": lambda x, y, a: np.where(x > 0, x, a[:, None] * x),
    "maxout": lambda x, y: x.reshape(x.shape[0], -1, MAXOUT_K).max(axis=-1),
}
NUMPY_BWD = {
    "sigmoid": lambda y, dy: dy * y * (1 - y),
    "tanh": lambda y, dy: dy * (1 - y * y),
    "relu": lambda x, dy: np.where(x > 0, dy, 0),
    "relu6": lambda x, dy: np.where((x > 0) & (x < 6), dy, 0),
    "hardtanh": lambda x, dy: np.where((x > -1) & (x < 1), dy, 0),
    "leaky_relu": lambda x, dy: np.where(x > 0, dy, dy * x.dtype.type(0.01)),
    "elu": lambda x, dy: np.where(x > 0, dy, dy * np.exp(x)),
    "selu": lambda x, dy: x.dtype.type(SELU_L) * np.where(x > 0, dy, dy * x.dtype.type(SELU_A) * np.exp(x)),
    "silu": _silu_bwd,
    "swish": _silu_bwd,
    "hardsigmoid": lambda x, dy: np.where((x > -3) & (x < 3), dy / 6, 0),
    "hardswish": lambda x, dy: np.where(x <= -3, 0, np.where(x < 3, dy * (x / 3 + 0.5), dy)),
    "softplus": lambda x, dy: dy * sp.expit(x),
    "logsigmoid": lambda x, dy: dy * sp.expit(-x),
    "mish": _mish_bwd,
    "gelu": _gelu_bwd,
    "gelu_tanh": _gelu_tanh_bwd,
    "softmax": lambda y, dy: y * (dy - (dy * y).sum(axis=-1, keepdims=True)),
    "log_softmax": lambda y, dy: dy - np.exp(y) * dy.sum(axis=-1, keepdims=True),
    "prelu": lambda x, dy, a: np.where(x > 0, dy, a[:, None] * dy),
    "maxout": _maxout_bwd,
}
FROM_Y = {"sigmoid", "tanh", "softmax", "log_softmax"}
OPS = list(NUMPY_FWD)


# ---- PyTorch ---------------------------------------------------------------------------

def torch_tables():
    """(forward, backward) tables of ATen calls on tensors, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    A = torch.ops.aten
    fwd = {
        "sigmoid": lambda x, y: torch.sigmoid(x, out=y),
        "tanh": lambda x, y: torch.tanh(x, out=y),
        "relu": lambda x, y: A.relu(x),
        "relu6": lambda x, y: A.hardtanh.out(x, 0.0, 6.0, out=y),
        "hardtanh": lambda x, y: A.hardtanh.out(x, -1.0, 1.0, out=y),
        "leaky_relu": lambda x, y: A.leaky_relu.out(x, 0.01, out=y),
        "elu": lambda x, y: A.elu.out(x, 1.0, 1.0, 1.0, out=y),
        "selu": lambda x, y: A.elu.out(x, SELU_A, SELU_L, 1.0, out=y),
        "silu": lambda x, y: A.silu.out(x, out=y),
        "swish": lambda x, y: A.silu.out(x, out=y),
        "hardsigmoid": lambda x, y: A.hardsigmoid.out(x, out=y),
        "hardswish": lambda x, y: A.hardswish.out(x, out=y),
        "softplus": lambda x, y: A.softplus.out(x, 1.0, 20.0, out=y),
        "logsigmoid": lambda x, y: A.log_sigmoid.out(x, out=y),
        "mish": lambda x, y: A.mish.out(x, out=y),
        "gelu": lambda x, y: A.gelu.out(x, approximate="none", out=y),
        "gelu_tanh": lambda x, y: A.gelu.out(x, approximate="tanh", out=y),
        "softmax": lambda x, y: A._softmax.out(x, -1, False, out=y),
        "log_softmax": lambda x, y: A._log_softmax.out(x, -1, False, out=y),
        "prelu": lambda x, y, a: A.prelu(x, a),
        "maxout": lambda x, y: A.amax(x.reshape(x.shape[0], -1, MAXOUT_K), [2], False),
    }
    bwd = {
        "sigmoid": lambda y, dy: A.sigmoid_backward(dy, y),
        "tanh": lambda y, dy: A.tanh_backward(dy, y),
        "relu": lambda x, dy: A.threshold_backward(dy, x, 0.0),
        "relu6": lambda x, dy: A.hardtanh_backward(dy, x, 0.0, 6.0),
        "hardtanh": lambda x, dy: A.hardtanh_backward(dy, x, -1.0, 1.0),
        "leaky_relu": lambda x, dy: A.leaky_relu_backward(dy, x, 0.01, False),
        "elu": lambda x, dy: A.elu_backward(dy, 1.0, 1.0, 1.0, False, x),
        "selu": lambda x, dy: A.elu_backward(dy, SELU_A, SELU_L, 1.0, False, x),
        "silu": lambda x, dy: A.silu_backward(dy, x),
        "swish": lambda x, dy: A.silu_backward(dy, x),
        "hardsigmoid": lambda x, dy: A.hardsigmoid_backward(dy, x),
        "hardswish": lambda x, dy: A.hardswish_backward(dy, x),
        "softplus": lambda x, dy: A.softplus_backward(dy, x, 1.0, 20.0),
        "logsigmoid": lambda x, dy: A.log_sigmoid_backward(dy, x, A.log_sigmoid_forward(x)[1]),
        "mish": lambda x, dy: A.mish_backward(dy, x),
        "gelu": lambda x, dy: A.gelu_backward(dy, x, approximate="none"),
        "gelu_tanh": lambda x, dy: A.gelu_backward(dy, x, approximate="tanh"),
        "softmax": lambda y, dy: A._softmax_backward_data(dy, y, -1, y.dtype),
        "log_softmax": lambda y, dy: A._log_softmax_backward_data(dy, y, -1, y.dtype),
        "prelu": lambda x, dy, a: A.prelu_backward(dy, x, a)[0],
    }
    return torch, fwd, bwd


# ---- the cases ---------------------------------------------------------------------------

def inputs(op, n, dtype, rng):
    """The forward input x of ``op`` for n elements: rows of 1024 for softmax,
    log_softmax and (dense, k = 4) maxout, (1, 64, n/64) for prelu."""
    if op in ("softmax", "log_softmax"):
        shape = (n // SOFTMAX_COLS, SOFTMAX_COLS)
    elif op == "prelu":
        shape = (1, PRELU_CHANNELS, n // PRELU_CHANNELS)
    elif op == "maxout":
        shape = (n // SOFTMAX_COLS, SOFTMAX_COLS)  # maxout over adjacent groups of MAXOUT_K
    else:
        shape = (n,)
    x = (rng.standard_normal(shape) * 3).astype(dtype)
    return x


def actfn_calls(op, x, dtype, rng):
    """(forward(), backward(), y, dy, the backward's input): actfn with out= preallocated."""
    f, b = getattr(actfn, op), getattr(actfn, op + "_backward")
    if op == "prelu":
        alpha = np.linspace(0.05, 0.3, PRELU_CHANNELS).astype(dtype)
        y = f(x, alpha)
        out, dx = np.empty_like(y), np.empty_like(x)
        dy = rng.standard_normal(x.shape).astype(dtype)
        return (lambda: f(x, alpha, out=out)), (lambda: b(x, alpha, dy, out=dx)), y, dy, x, alpha
    if op == "maxout":
        y = f(x, MAXOUT_K)
        out, dx, dy = np.empty_like(y), np.empty_like(x), rng.standard_normal(y.shape).astype(dtype)
        return (lambda: f(x, MAXOUT_K, out=out)), (lambda: b(x, dy, MAXOUT_K, out=dx)), y, dy, x, None
    y = f(x)
    dy = rng.standard_normal(x.shape).astype(dtype)
    inp = y if op in FROM_Y else x
    out, dx = np.empty_like(y), np.empty_like(x)
    return (lambda: f(x, out=out)), (lambda: b(inp, dy, out=dx)), y, dy, inp, None


def agree(got, want):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    scale = max(float(np.max(np.abs(want))), 1e-30)
    return bool(np.all(np.abs(got - want) <= 2e-3 * np.maximum(np.abs(want), 1e-3 * scale)))


def run_ops(args, torch_parts):
    rng = np.random.default_rng(7)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    header = "| op/pass | dtype | n | actfn ns/elem | NumPy/SciPy ns/elem | × NumPy | PyTorch ns/elem | × PyTorch |"
    print("\n" + header + "\n|" + "---|" * 8)
    for dtype_name in args.dtypes.split(","):
        dtype = {"f32": np.float32, "f64": np.float64}[dtype_name]
        for op in OPS:
            for pass_ in ("fwd", "bwd"):
                if args.filter and not re.search(args.filter, f"{op}/{pass_}/{dtype_name}"):
                    continue
                for n in sizes:
                    print(measure(op, pass_, dtype, dtype_name, n, rng, args, torch_parts), flush=True)


def measure(op, pass_, dtype, dtype_name, n, rng, args, torch_parts):
    x = inputs(op, n, dtype, rng)
    fwd, bwd, y, dy, inp, alpha = actfn_calls(op, x, dtype, rng)
    ours = fwd if pass_ == "fwd" else bwd
    extra = (alpha,) if alpha is not None else ()
    if pass_ == "fwd":
        y_np = np.empty_like(y)
        theirs = (lambda: NUMPY_FWD[op](x, y_np, *extra))
        want = y
    else:
        theirs = (lambda: NUMPY_BWD[op](inp, dy, *extra))
        want = ours()[0] if op == "prelu" else ours()
    notes = []
    if not agree(theirs(), want):
        notes.append("NumPy result differs")
    calls = [ours, theirs]
    if torch_parts is not None:
        torch, tfwd, tbwd = torch_parts
        table = tfwd if pass_ == "fwd" else tbwd
        if op in table:
            tx, tinp, tdy = torch.from_numpy(x), torch.from_numpy(inp), torch.from_numpy(np.ascontiguousarray(dy))
            targs = (torch.from_numpy(alpha),) if alpha is not None else ()
            ty = torch.from_numpy(np.empty_like(y))
            tcall = (lambda: table[op](tx, ty, *targs)) if pass_ == "fwd" else (lambda: table[op](tinp, tdy, *targs))
            if not agree(tcall().numpy(), want):
                notes.append("PyTorch result differs")
            calls.append(tcall)
    times = [t / x.size for t in best_interleaved(calls, args.min_time, args.repetitions)]
    t_ours, t_np = times[:2]
    torch_cell = f"{times[2]:.3f} | {times[2] / t_ours:.2f}×" if len(times) > 2 else "– | –"
    note = f" ({'; '.join(notes)})" if notes else ""
    return (f"| {op}/{pass_}{note} | {dtype_name} | {size_name(n)} | {t_ours:.3f} | {t_np:.3f} | "
            f"{t_np / t_ours:.2f}× | {torch_cell} |")


# ---- overhead --------------------------------------------------------------------------------

def run_overhead(args):
    x = np.linspace(-3, 3, 16, dtype=np.float32)
    out, dy = np.empty_like(x), np.ones_like(x)
    print("\nFixed cost of one call on 16 float32 elements (ns per call, best of the interleaved runs):\n")
    calls = [
        ("np.tanh(x, out=o)", lambda: np.tanh(x, out=out)),
        ("np.maximum(x, 0, out=o)", lambda: np.maximum(x, 0, out=out)),
        ("scipy.special.expit(x, out=o)", lambda: sp.expit(x, out=out)),
        ("actfn.relu(x, out=o)", lambda: actfn.relu(x, out=out)),
        ("actfn.tanh(x, out=o)", lambda: actfn.tanh(x, out=out)),
        ("actfn.leaky_relu(x, 0.1, out=o)", lambda: actfn.leaky_relu(x, 0.1, out=out)),
        ("actfn.relu(x)", lambda: actfn.relu(x)),
        ("actfn.relu_backward(x, dy, out=o)", lambda: actfn.relu_backward(x, dy, out=out)),
        ("actfn.softmax(x, out=o)", lambda: actfn.softmax(x, out=out)),
    ]
    times = best_interleaved([call for _, call in calls], args.min_time, 3 * args.repetitions)
    print("| call | ns | ÷ np.tanh |\n|---|---|---|")
    for (label, _), t in zip(calls, times):
        print(f"| `{label}` | {t:.0f} | {t / times[0]:.2f} |")

    print("\nTime per call (µs) by size, float32 with out=, and the smallest size where actfn is faster:\n")
    sizes = [16, 64, 256, 1024, 4096, 16384, 65536]
    pairs = [
        ("tanh", "np.tanh", lambda a, o: actfn.tanh(a, out=o), lambda a, o: np.tanh(a, out=o)),
        ("sigmoid", "scipy.special.expit", lambda a, o: actfn.sigmoid(a, out=o), lambda a, o: sp.expit(a, out=o)),
        ("relu", "np.maximum(x, 0)", lambda a, o: actfn.relu(a, out=o), lambda a, o: np.maximum(a, 0, out=o)),
        ("gelu", "0.5·x·erfc(−x/√2)", lambda a, o: actfn.gelu(a, out=o), lambda a, o: NUMPY_FWD["gelu"](a, o)),
        ("softmax", "scipy.special.softmax", lambda a, o: actfn.softmax(a, out=o),
         lambda a, o: sp.softmax(a, axis=-1)),
    ]
    print("| op | vs | " + " | ".join(size_name(n) for n in sizes) + " | actfn faster from |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    for op, peer, ours, theirs in pairs:
        cells, first = [], None
        for n in sizes:
            a = np.linspace(-3, 3, n, dtype=np.float32)
            o = np.empty_like(a)
            t_ours, t_theirs = (t / 1000 for t in best_interleaved([lambda: ours(a, o), lambda: theirs(a, o)],
                                                                     args.min_time, args.repetitions))
            cells.append(f"{t_ours:.2f} / {t_theirs:.2f}")
            if first is None and t_ours < t_theirs:
                first = size_name(n)
        print(f"| {op} | {peer} | " + " | ".join(cells) + f" | {first or 'never up to 64K'} |", flush=True)
    print("\n(cells: actfn / peer, µs per call)")


# ---- main ---------------------------------------------------------------------------------

def parse_size(text: str) -> int:
    m = re.fullmatch(r"(\d+)([KM]?)", text.strip())
    if not m:
        raise SystemExit(f"bad size {text!r}: use e.g. 1K, 64K, 1M")
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1 << 20}[m.group(2)]


def size_name(n: int) -> str:
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20}M"
    if n >= 1024 and n % 1024 == 0:
        return f"{n >> 10}K"
    return str(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["overhead", "ops", "all"], default="all")
    parser.add_argument("--sizes", default="1K,64K,1M")
    parser.add_argument("--dtypes", default="f32")
    parser.add_argument("--filter", default="", help="only ops whose op/pass/dtype matches this regex")
    parser.add_argument("--min-time", type=float, default=0.05)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()
    # single-threaded as every peer here: actfn splits calls of 1M elements
    # over every CPU by default (SPEC §10)
    actfn.set_num_threads(1)
    torch_parts = None if args.no_torch or args.part == "overhead" else torch_tables()
    versions = f"numpy {np.__version__}, scipy {scipy.__version__}"
    if torch_parts is not None:
        versions += f", torch {torch_parts[0].__version__} (1 thread)"
    print(f"actfn {actfn.__version__} ({actfn.get_isa()}, {actfn.get_mode()} mode, "
          f"{actfn.get_num_threads()} thread, {actfn.library_path}); "
          f"Python {platform.python_version()}, {versions}; {os.cpu_count()} CPUs; "
          f"best of {args.repetitions} runs of >= {args.min_time}s")
    if args.part in ("overhead", "all"):
        run_overhead(args)
    if args.part in ("ops", "all"):
        run_ops(args, torch_parts)
        print("\n(ns per element; × = peer time / actfn time, > 1 means actfn is faster; actfn and PyTorch "
              "write preallocated outputs where they can, NumPy expressions allocate)")


if __name__ == "__main__":
    sys.exit(main())
