#!/usr/bin/python3
"""peers_torch.py — the PyTorch peer of libactfn's benchmark.

Times the same cases as bench/bench.cc (op/pass/dtype/n, the same shapes and
input distributions) through PyTorch's ATen operators on one thread
(torch.set_num_threads(1), or --threads N), using their out= / grad_input= forms so that no
allocation is timed (mish_backward has no such form: its rows say "alloc").
Each case is checked once against libactfn (loaded with ctypes from --lib)
before it is timed. Writes Google Benchmark's JSON shape, with the names
op/pass/dtype/torch/n, so bench/report.py reads both alike.

The fused ops of SPEC §11 (the gated ops and bias_<op>) are timed as the
unfused ATen expressions a PyTorch model runs for them, one op after another
(labelled "unfused: ..."): every intermediate goes to a buffer allocated
before timing through the ops' out= forms, so that no allocation is timed
(eager PyTorch allocates each intermediate, which costs more at 1M). A backward computes the same outputs from the same inputs as
libactfn's (a, b, dy -> da, db; x, bias, dy -> dx, dbias), so it recomputes
the activation (and for bias_<op>, x + bias) as libactfn does. Gated ops take
a and b as dense arrays of n (the benchmark's n is elements of a); bias_<op>
takes x as (n/1024, 1024) with a bias of 1024, as bench_common.cc.
torch.nn.functional.glu on a (2, n) tensor is one fused ATen kernel, not an
unfused expression, and is not timed (in one measurement on the bench
machine, torch 1.13, it was 10% faster than sigmoid + mul at 64K, 30% at 1M).

The 16-bit types of SPEC §9 run on torch.bfloat16 and torch.float16 tensors
(inputs drawn as for f32, rounded to the type once; an unfused expression's
intermediates are in the 16-bit type too, as in a PyTorch model). An ATen
operator that this PyTorch does not implement for the type on the CPU
("... not implemented for 'Half'": torch 1.13 lacks nearly every f16
activation) is no row: the JSON context lists it under "unsupported".

    peers_torch.py --lib build/bench/src/libactfn.so --out torch.json \
        [--sizes 1K,64K] [--min-time 0.1] [--repetitions 3] [--filter REGEX] [--threads N]
"""
import argparse
import ctypes
import json
import math
import os
import re
import sys
import time

import torch

A = torch.ops.aten
SOFTMAX_COLS = 1024
PRELU_CHANNELS = 64
MAXOUT_K = 4
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717

# The ops in bench_common.cc's order: name, kind, backward from y, params.
OPS = [
    ("sigmoid", "unary", True, ()),
    ("tanh", "unary", True, ()),
    ("relu", "unary", False, ()),
    ("relu6", "unary", False, ()),
    ("hardtanh", "unary", False, (-1.0, 1.0)),
    ("leaky_relu", "unary", False, (0.01,)),
    ("elu", "unary", False, (1.0,)),
    ("selu", "unary", False, ()),
    ("silu", "unary", False, ()),
    ("swish", "unary", False, (1.0,)),
    ("hardsigmoid", "unary", False, ()),
    ("hardswish", "unary", False, ()),
    ("softplus", "unary", False, (1.0, 20.0)),
    ("logsigmoid", "unary", False, ()),
    ("mish", "unary", False, ()),
    ("gelu", "unary", False, ()),
    ("gelu_tanh", "unary", False, ()),
    ("prelu", "prelu", False, ()),
    ("softmax", "softmax", True, ()),
    ("log_softmax", "log_softmax", True, ()),
    ("maxout", "maxout", False, (1,)),        # inner = 1
    ("maxout_nchw", "maxout", False, (256,)),  # inner = 256
]
# The gated ops (src/oplist.h ACTFN_GLU_OPS): name, the gate's activation,
# whether it is applied to b (glu) rather than to a.
GLU_OPS = [
    ("glu", "sigmoid", True),
    ("swiglu", "silu", False),
    ("geglu", "gelu", False),
    ("geglu_tanh", "gelu_tanh", False),
    ("reglu", "relu", False),
]
# The fused bias ops benchmarked: bench_common.cc's kBiasOps, in its order.
BIAS_OPS = ["sigmoid", "tanh", "relu", "elu", "silu", "hardswish", "mish", "gelu", "gelu_tanh"]
BIAS_CHANNELS = 1024
UNARY = {name: (from_y, params) for name, kind, from_y, params in OPS if kind == "unary"}
# The dtypes as the benchmark names them, and their element sizes.
DTYPES = [("f32", torch.float32), ("f64", torch.float64), ("bf16", torch.bfloat16), ("f16", torch.float16)]
DTYPE_NAME = {dtype: name for name, dtype in DTYPES}
ELEM_SIZE = {"f32": 4, "f64": 8, "bf16": 2, "f16": 2}
HALF = (torch.bfloat16, torch.float16)
# The ATen operator each row runs (forward_fn / backward_fn), for the labels
# of the 16-bit rows.
ATEN_OP_FWD = {"relu6": "hardtanh", "selu": "elu", "logsigmoid": "log_sigmoid", "gelu_tanh": "gelu[tanh]",
               "softmax": "_softmax", "log_softmax": "_log_softmax", "maxout": "amax", "maxout_nchw": "amax"}
ATEN_OP_BWD = {"relu": "threshold_backward", "relu6": "hardtanh_backward", "selu": "elu_backward",
               "logsigmoid": "log_sigmoid_backward", "gelu_tanh": "gelu_backward[tanh]",
               "softmax": "_softmax_backward_data", "log_softmax": "_log_softmax_backward_data"}
# The ATen names of the ops forward_fn / backward_fn call, for the labels.
ATEN_FWD = {"gelu_tanh": "gelu[tanh]"}
ATEN_BWD = {"relu": "threshold_backward", "gelu_tanh": "gelu_backward[tanh]"}


def forward_fn(name, params):
    """The out= form of the forward pass: f(x, y, alpha) writes y."""
    p = params
    table = {
        "sigmoid": lambda x, y, a: torch.sigmoid(x, out=y),
        "tanh": lambda x, y, a: torch.tanh(x, out=y),
        "relu": lambda x, y, a: A.relu.out(x, out=y),
        "relu6": lambda x, y, a: A.hardtanh.out(x, 0.0, 6.0, out=y),
        "hardtanh": lambda x, y, a: A.hardtanh.out(x, p[0] if p else -1.0, p[1] if p else 1.0, out=y),
        "leaky_relu": lambda x, y, a: A.leaky_relu.out(x, p[0] if p else 0.01, out=y),
        "elu": lambda x, y, a: A.elu.out(x, p[0] if p else 1.0, 1.0, 1.0, out=y),
        # torch.selu is elu with these scales; its out= form is elu's.
        "selu": lambda x, y, a: A.elu.out(x, SELU_ALPHA, SELU_LAMBDA, 1.0, out=y),
        "silu": lambda x, y, a: A.silu.out(x, out=y),
        "hardsigmoid": lambda x, y, a: A.hardsigmoid.out(x, out=y),
        "hardswish": lambda x, y, a: A.hardswish.out(x, out=y),
        "softplus": lambda x, y, a: A.softplus.out(x, p[0], p[1], out=y),
        "logsigmoid": lambda x, y, a: A.log_sigmoid.out(x, out=y),
        "mish": lambda x, y, a: A.mish.out(x, out=y),
        "gelu": lambda x, y, a: A.gelu.out(x, approximate="none", out=y),
        "gelu_tanh": lambda x, y, a: A.gelu.out(x, approximate="tanh", out=y),
        "prelu": lambda x, y, a: A.prelu.out(x, a, out=y),
        "softmax": lambda x, y, a: A._softmax.out(x, -1, False, out=y),
        "log_softmax": lambda x, y, a: A._log_softmax.out(x, -1, False, out=y),
        "maxout": lambda x, y, a: A.amax.out(x, [1], False, out=y),
        "maxout_nchw": lambda x, y, a: A.amax.out(x, [1], False, out=y),
    }
    return table.get(name)


def backward_fn(name, params, dtype):
    """The grad_input= / out= form of the backward pass: g(inp, dy, dx, alpha,
    dalpha, buffer) writes dx (and dalpha). `inp` is x or y as libactfn takes.
    Returns (function, label)."""
    p = params
    table = {
        "sigmoid": lambda i, d, o, a, da, b: A.sigmoid_backward.grad_input(d, i, grad_input=o),
        "tanh": lambda i, d, o, a, da, b: A.tanh_backward.grad_input(d, i, grad_input=o),
        "relu": lambda i, d, o, a, da, b: A.threshold_backward.grad_input(d, i, 0.0, grad_input=o),
        "relu6": lambda i, d, o, a, da, b: A.hardtanh_backward.grad_input(d, i, 0.0, 6.0, grad_input=o),
        "hardtanh": lambda i, d, o, a, da, b: A.hardtanh_backward.grad_input(d, i, p[0], p[1], grad_input=o),
        "leaky_relu": lambda i, d, o, a, da, b: A.leaky_relu_backward.grad_input(d, i, p[0], False, grad_input=o),
        "elu": lambda i, d, o, a, da, b: A.elu_backward.grad_input(d, p[0], 1.0, 1.0, False, i, grad_input=o),
        "selu": lambda i, d, o, a, da, b: A.elu_backward.grad_input(d, SELU_ALPHA, SELU_LAMBDA, 1.0, False, i,
                                                                    grad_input=o),
        "silu": lambda i, d, o, a, da, b: A.silu_backward.grad_input(d, i, grad_input=o),
        "hardsigmoid": lambda i, d, o, a, da, b: A.hardsigmoid_backward.grad_input(d, i, grad_input=o),
        "hardswish": lambda i, d, o, a, da, b: A.hardswish_backward.out(d, i, out=o),
        "softplus": lambda i, d, o, a, da, b: A.softplus_backward.grad_input(d, i, p[0], p[1], grad_input=o),
        "logsigmoid": lambda i, d, o, a, da, b: A.log_sigmoid_backward.grad_input(d, i, b, grad_input=o),
        # No out= form: the allocation of the result is timed too.
        "mish": lambda i, d, o, a, da, b: A.mish_backward(d, i),
        "gelu": lambda i, d, o, a, da, b: A.gelu_backward.grad_input(d, i, approximate="none", grad_input=o),
        "gelu_tanh": lambda i, d, o, a, da, b: A.gelu_backward.grad_input(d, i, approximate="tanh", grad_input=o),
        "prelu": lambda i, d, o, a, da, b: A.prelu_backward.out(d, i, a, out0=o, out1=da),
        "softmax": lambda i, d, o, a, da, b: A._softmax_backward_data.out(d, i, -1, dtype, grad_input=o),
        "log_softmax": lambda i, d, o, a, da, b: A._log_softmax_backward_data.out(d, i, -1, dtype, out=o),
    }
    label = "alloc" if name == "mish" else ""
    return table.get(name), label


def shape_of(kind, params, n):
    """The tensor shapes of x, y (forward output) and alpha for a case."""
    if kind in ("softmax", "log_softmax"):
        return (n // SOFTMAX_COLS, SOFTMAX_COLS), (n // SOFTMAX_COLS, SOFTMAX_COLS)
    if kind == "prelu":
        return (1, PRELU_CHANNELS, n // PRELU_CHANNELS), (1, PRELU_CHANNELS, n // PRELU_CHANNELS)
    if kind == "maxout":
        inner = params[0]
        outer = n // (MAXOUT_K * inner)
        return (outer, MAXOUT_K, inner), (outer, inner)
    return (n,), (n,)


class Actfn:
    """libactfn through ctypes, to check that PyTorch computes the same thing."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)

    def run(self, name, kind, pass_, dtype, params, n, inp, dy, out, alpha, dalpha):
        t = DTYPE_NAME[dtype]
        ctype = ctypes.c_double if t == "f64" else ctypes.c_float  # bf16 and f16 take float parameters
        ptr = lambda tensor: ctypes.c_void_p(tensor.data_ptr()) if tensor is not None else None
        size = ctypes.c_size_t
        base = name.replace("_nchw", "")
        fn = getattr(self.lib, "actfn_%s%s_%s" % (base, "" if pass_ == "fwd" else "_backward", t))
        fn.restype = ctypes.c_int
        if kind == "unary":
            args = [ptr(inp)] + ([] if pass_ == "fwd" else [ptr(dy)]) + [ptr(out), size(n)]
            args += [ctype(v) for v in params]
        elif kind == "glu":  # inp = a, alpha = b; backward: out = da, dalpha = db
            args = [ptr(inp), ptr(alpha)] + ([ptr(out)] if pass_ == "fwd" else [ptr(dy), ptr(out), ptr(dalpha)])
            args += [size(n)]
        elif kind == "bias":  # alpha = bias; backward: dalpha = dbias
            args = [ptr(inp), ptr(alpha)] + ([ptr(out)] if pass_ == "fwd" else [ptr(dy), ptr(out), ptr(dalpha)])
            args += [size(n // BIAS_CHANNELS), size(BIAS_CHANNELS), size(1)] + [ctype(v) for v in params]
        elif kind == "prelu":
            inner = n // PRELU_CHANNELS
            args = [ptr(inp), ptr(alpha)] + ([] if pass_ == "fwd" else [ptr(dy)]) + [ptr(out)]
            args += ([] if pass_ == "fwd" else [ptr(dalpha)]) + [size(1), size(PRELU_CHANNELS), size(inner)]
        elif kind in ("softmax", "log_softmax"):
            args = [ptr(inp)] + ([] if pass_ == "fwd" else [ptr(dy)]) + [ptr(out)]
            args += [size(n // SOFTMAX_COLS), size(SOFTMAX_COLS)]
        else:  # maxout
            inner = params[0]
            args = [ptr(inp)] + ([] if pass_ == "fwd" else [ptr(dy)]) + [ptr(out)]
            args += [size(n // (MAXOUT_K * inner)), size(MAXOUT_K), size(inner)]
        status = fn(*args)
        if status != 0:
            raise RuntimeError("libactfn %s failed with status %d" % (fn.__name__, status))


def tolerance(dtype):
    """As bench_common.cc's peer_tolerance: 1e-3, or 8 ULPs of a 16-bit type."""
    return {torch.bfloat16: 8 * 2.0 ** -8, torch.float16: 8 * 2.0 ** -11}.get(dtype, 1e-3)


def compare(got, want, notes=None, what="output", reduction=False):
    """As bench_common.cc's compare_arrays: relative differences, with values
    far below the array's magnitude judged against that magnitude; a few
    elements may differ (libraries disagree exactly at kinks; in a 16-bit
    type, up to 0.5%). A 16-bit result within 8 ULPs of the array's largest
    magnitude everywhere else (PyTorch rounding intermediates to the type)
    agrees too, and a note saying how far it is goes to `notes`; a
    reduction (dalpha, dbias: a sum over the rows) is allowed 4 times that.
    Returns "" or a message."""
    half = want.dtype in HALF
    rel_tol = tolerance(want.dtype)
    got = got.double().flatten()
    want = want.double().flatten()
    if not want.numel():
        return ""
    scale = want.abs().max().item()
    floor = max(scale * 1e-3, 1e-30)
    delta = (got - want).abs()
    diff = delta / torch.clamp(want.abs(), min=floor)
    far = delta / max(scale, 1e-30)
    for d in (diff, far):
        d[torch.isnan(got) & torch.isnan(want)] = 0
        d[torch.isnan(got) != torch.isnan(want)] = math.inf
        d[torch.isnan(d)] = 0  # the same infinity
    differing = int((diff > rel_tol).sum().item())
    allowed = 2 + want.numel() // (200 if half else 1000000)
    if differing <= allowed:
        return ""
    if half and int((far > (4 if reduction else 1) * rel_tol).sum().item()) <= allowed:
        if notes is not None:
            notes.append("less accurate: %s beyond 8 ULPs in %.1f%% of elements" % (
                what, 100.0 * differing / want.numel()))
        return ""
    return "PyTorch %s differs from libactfn in %d of %d elements, by up to %.3g (relative)" % (
        what, differing, want.numel(), diff.max().item())


def random_tensor(shape, std, dtype, seed):
    """Normal values; a 16-bit type gets the f32 values rounded (as bench_common.cc)."""
    g = torch.Generator().manual_seed(seed)
    values = torch.randn(shape, generator=g, dtype=torch.float64) * std
    return values.to(torch.float32).to(dtype) if dtype in HALF else values.to(dtype)


def time_call(call, min_time, repetitions):
    """Google Benchmark's way: grow the iteration count until one run lasts
    min_time, then time `repetitions` runs of that many iterations.
    Returns [(iterations, real_ns, cpu_ns)] per repetition."""
    call()
    iterations = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(iterations):
            call()
        elapsed = (time.perf_counter_ns() - t0) * 1e-9
        if elapsed >= min_time or iterations >= 10 ** 9:
            break
        grow = min_time * 1.4 / max(elapsed, 1e-9)
        iterations = max(iterations + 1, int(iterations * min(grow, 10)))
    runs = []
    for _ in range(repetitions):
        r0, c0 = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(iterations):
            call()
        runs.append((iterations, time.perf_counter_ns() - r0, time.process_time_ns() - c0))
    return runs


def case_bytes(kind, pass_, n, y_count, elem):
    """As bench_common.cc: bytes of the inputs and outputs of one call."""
    elements = n + y_count if pass_ == "fwd" else n + y_count + n
    if kind == "prelu":
        elements += PRELU_CHANNELS if pass_ == "fwd" else 2 * PRELU_CHANNELS
    if kind == "glu":
        elements = 3 * n if pass_ == "fwd" else 5 * n
    if kind == "bias":
        elements += BIAS_CHANNELS if pass_ == "fwd" else 2 * BIAS_CHANNELS
    return elements * elem


def fused_case(name, kind, act, gate_b, pass_, dtype, n, actfn, notes):
    """A gated or bias_<op> case as its unfused ATen expression on buffers
    allocated here. Checks it against libactfn; returns (call, label, why)."""
    from_y, params = UNARY[act]
    act_fwd = forward_fn(act, params)
    act_bwd, act_label = backward_fn(act, params, dtype)
    # The activation's backward takes its output for sigmoid and tanh (from_y), else its input.
    fwd_name, bwd_name = ATEN_FWD.get(act, act), ATEN_BWD.get(act, act + "_backward")
    if kind == "glu":
        shape = (n,)
        a = random_tensor(shape, 3.0, dtype, 1)
        b = random_tensor(shape, 3.0, dtype, 4)
        gate, other = (b, a) if gate_b else (a, b)
    else:
        shape = (n // BIAS_CHANNELS, BIAS_CHANNELS)
        x = random_tensor(shape, 3.0, dtype, 1)
        bias = random_tensor((BIAS_CHANNELS,), 0.5, dtype, 5)
    t = torch.empty(shape, dtype=dtype)   # act(gate), or x + bias
    u = torch.empty(shape, dtype=dtype)   # a second intermediate
    if pass_ == "fwd":
        y = torch.empty(shape, dtype=dtype)
        if kind == "glu":
            def call():
                act_fwd(gate, t, None)
                torch.mul(t, other, out=y)
            label_ops = [fwd_name, "mul"]
        else:
            def call():
                torch.add(x, bias, out=t)
                act_fwd(t, y, None)
            label_ops = ["add", fwd_name]
        call()
        want = torch.empty_like(y)
        if kind == "glu":
            actfn.run(name, kind, "fwd", dtype, (), n, a, None, want, b, None)
        else:
            actfn.run(name, kind, "fwd", dtype, params, n, x, None, want, bias, None)
        why = compare(y, want, notes)
    else:
        dy = random_tensor(shape, 1.0, dtype, 2)
        result = {}
        if kind == "glu":
            # y = act(g) * v: dv = dy * act(g), dg = act'(g) * (dy * v).
            dgate, dother = torch.empty(shape, dtype=dtype), torch.empty(shape, dtype=dtype)

            def call():
                act_fwd(gate, t, None)
                torch.mul(dy, t, out=dother)
                torch.mul(dy, other, out=u)
                result["dgate"] = act_bwd(t if from_y else gate, u, dgate, None, None, None)
            label_ops = [fwd_name, "mul", "mul", bwd_name]
        else:
            dx, dbias = torch.empty(shape, dtype=dtype), torch.empty(BIAS_CHANNELS, dtype=dtype)
            # logsigmoid's backward would need log_sigmoid_forward's buffer; it is not in BIAS_OPS.
            if act == "logsigmoid":
                raise RuntimeError("bias_logsigmoid: no unfused PyTorch form here (log_sigmoid_backward "
                                   "takes log_sigmoid_forward's buffer)")

            def call():
                torch.add(x, bias, out=t)
                if from_y:
                    act_fwd(t, u, None)
                result["dx"] = act_bwd(u if from_y else t, dy, dx, None, None, None)
                torch.sum(result["dx"], 0, out=dbias)
            label_ops = ["add"] + ([fwd_name] if from_y else []) + [bwd_name, "sum"]
        call()
        want, want2 = torch.empty(shape, dtype=dtype), torch.empty(shape if kind == "glu" else BIAS_CHANNELS,
                                                                  dtype=dtype)
        if kind == "glu":
            actfn.run(name, kind, "bwd", dtype, (), n, a, dy, want, b, want2)
            got_dgate = result["dgate"]
            da, db = (dother, got_dgate) if gate_b else (got_dgate, dother)
            why = compare(da, want, notes, "da") or compare(db, want2, notes, "db")
        else:
            actfn.run(name, kind, "bwd", dtype, params, n, x, dy, want, bias, want2)
            why = compare(result["dx"], want, notes, "dx") or compare(dbias, want2, notes, "dbias", True)
    label = "unfused: %s (%d ATen ops" % (" + ".join(label_ops), len(label_ops))
    if dtype in HALF:
        label += " on %s, intermediates %s too" % (dtype, DTYPE_NAME[dtype])
    if pass_ == "bwd" and act_label == "alloc":
        label += "; %s has no out= form and allocates" % bwd_name
    return call, label + ")", why


def parse_sizes(text):
    sizes = []
    for part in text.split(","):
        mult = {"K": 1 << 10, "M": 1 << 20}.get(part[-1:].upper(), 1)
        sizes.append(int(part[:-1] if mult > 1 else part) * mult)
    return sizes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lib", required=True, help="libactfn.so to check results against")
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--sizes", default="1K,64K,1M,16M")
    ap.add_argument("--min-time", type=float, default=0.1)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--filter", default="", help="regex over the benchmark names")
    ap.add_argument("--progress", action="store_true", help="a progress line on stderr")
    ap.add_argument("--threads", type=int, default=1, help="intra-op threads (torch.set_num_threads)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.set_grad_enabled(False)
    actfn = Actfn(args.lib)
    name_filter = re.compile(args.filter) if args.filter else None

    cases = []
    for n in parse_sizes(args.sizes):
        for name, kind, from_y, params in OPS:
            for pass_ in ("fwd", "bwd"):
                for t, dtype in DTYPES:
                    bench_name = "%s/%s/%s/torch/%d" % (name, pass_, t, n)
                    fn = forward_fn(name, params) if pass_ == "fwd" else backward_fn(name, params, dtype)[0]
                    if fn is None or (name_filter and not name_filter.search(bench_name)):
                        continue
                    cases.append((bench_name, name, kind, from_y, params, pass_, dtype, n))
        # The fused ops of SPEC §11, in bench_common.cc's order.
        fused = [(name, "glu", act, gate_b) for name, act, gate_b in GLU_OPS]
        fused += [("bias_" + act, "bias", act, False) for act in BIAS_OPS]
        for name, kind, act, gate_b in fused:
            for pass_ in ("fwd", "bwd"):
                for t, dtype in DTYPES:
                    bench_name = "%s/%s/%s/torch/%d" % (name, pass_, t, n)
                    if name_filter and not name_filter.search(bench_name):
                        continue
                    cases.append((bench_name, name, kind, False, (act, gate_b), pass_, dtype, n))

    capability = next((l.split(":", 1)[1].strip() for l in torch.__config__.show().splitlines()
                       if "CPU capability" in l), "unknown")
    results = []
    unsupported = []  # cases whose ATen operator this PyTorch lacks for the dtype
    start = time.time()
    for index, (bench_name, name, kind, from_y, params, pass_, dtype, n) in enumerate(cases):
        if kind not in ("glu", "bias"):  # fused_case makes its own tensors
            x_shape, y_shape = shape_of(kind, params, n)
            x = random_tensor(x_shape, 3.0, dtype, 1)
        alpha = (torch.rand(PRELU_CHANNELS, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
                 * 0.25 + 0.05).to(dtype)
        record = {"name": bench_name, "run_name": bench_name, "run_type": "iteration", "threads": args.threads,
                  "time_unit": "ns", "repetitions": args.repetitions}
        notes = []  # how far a 16-bit result is, when it is less accurate (compare)
        try:
            label = ""
            if kind in ("glu", "bias"):
                call, label, why = fused_case(name, kind, params[0], params[1], pass_, dtype, n, actfn, notes)
            elif pass_ == "fwd":
                y = torch.empty(y_shape, dtype=dtype)
                fwd = forward_fn(name, params)
                call = lambda: fwd(x, y, alpha)
                call()
                want = torch.empty_like(y)
                actfn.run(name, kind, "fwd", dtype, params, n, x, None, want, alpha, None)
                why = compare(y, want, notes)
            else:
                dy = random_tensor(y_shape, 1.0, dtype, 2)
                dx = torch.empty(x_shape, dtype=dtype)
                dalpha = torch.empty(PRELU_CHANNELS, dtype=dtype)
                inp = x
                if from_y:
                    inp = torch.empty(y_shape, dtype=dtype)
                    forward_fn(name, params)(x, inp, alpha)
                buffer = torch.empty_like(x)
                if name == "logsigmoid":
                    A.log_sigmoid_forward.output(x, output=torch.empty_like(x), buffer=buffer)
                bwd, label = backward_fn(name, params, dtype)
                result = {}
                call = lambda: result.__setitem__("dx", bwd(inp, dy, dx, alpha, dalpha, buffer))
                call()
                got = result["dx"][0] if isinstance(result["dx"], tuple) else result["dx"]
                want = torch.empty_like(dx)
                want_dalpha = torch.empty_like(dalpha)
                actfn.run(name, kind, "bwd", dtype, params, n, inp, dy, want, alpha, want_dalpha)
                why = compare(got, want, notes, "dx")
                if kind == "prelu" and not why:
                    why = compare(dalpha, want_dalpha, notes, "dalpha", True)
            if why:
                raise RuntimeError(why)
            if dtype in HALF and kind not in ("glu", "bias"):
                aten = (ATEN_OP_FWD if pass_ == "fwd" else ATEN_OP_BWD).get(
                    name, name if pass_ == "fwd" else name + "_backward")
                label = "; ".join(l for l in (label, "aten %s on %s" % (aten, dtype)) if l)
            label = "; ".join(l for l in [label] + notes if l)
            elem = ELEM_SIZE[DTYPE_NAME[dtype]]
            y_count = n // MAXOUT_K if kind == "maxout" else n
            nbytes = case_bytes(kind, pass_, n, y_count, elem)
            for rep, (iterations, real_ns, cpu_ns) in enumerate(time_call(call, args.min_time, args.repetitions)):
                r = dict(record, repetition_index=rep, iterations=iterations, real_time=real_ns / iterations,
                         cpu_time=cpu_ns / iterations, n=n, bytes=nbytes,
                         items_per_second=n * iterations / (cpu_ns * 1e-9),
                         bytes_per_second=nbytes * iterations / (cpu_ns * 1e-9))
                if label:
                    r["label"] = label
                results.append(r)
        except Exception as e:  # one failing case must not end the run
            message = str(e).splitlines()[0] if str(e) else repr(e)
            if "not implemented for" in message:
                unsupported.append("%s/%s/%s: %s" % (name, pass_, DTYPE_NAME[dtype], message))
            else:
                results.append(dict(record, error_occurred=True, error_message=str(e), repetition_index=0))
        if args.progress:
            done = index + 1
            left = (time.time() - start) / done * (len(cases) - done)
            sys.stderr.write("\r\033[K[%5d/%d] %-44s about %d:%02d left" % (
                done, len(cases), bench_name, int(left) // 60, int(left) % 60))
            sys.stderr.flush()
    if args.progress:
        sys.stderr.write("\n")

    out = {
        "context": {"peer": "torch %s (CPU capability %s, %d thread%s)" % (
            torch.__version__, capability, torch.get_num_threads(), "s" if torch.get_num_threads() > 1 else ""),
            "date": time.strftime("%Y-%m-%dT%H:%M:%S"), "host_name": os.uname().nodename,
            "threads": str(torch.get_num_threads()),
            "unsupported": sorted(set(unsupported))},
        "benchmarks": results,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
