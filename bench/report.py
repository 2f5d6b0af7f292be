#!/usr/bin/python3
"""report.py — turns the benchmark's JSON (bench/actfn_bench and
bench/peers_torch.py, Google Benchmark's format) into what ./scripts/bench
shows: a table per dtype and size (ns/element per libactfn ISA, the best
ISA's Gelem/s, speed-up over scalar and % of memcpy bandwidth, the peers and
the ratio to the fastest), the speed targets of the x86 kernels issue, the
fused ops' target (issue 16: the gated ops and bias_<op>, each at least 1.5x
the fastest unfused peer, f32 at 64K and 1M), the 16-bit types' targets
(issue 13: a bf16 or f16 call at least as fast per element as the f32 call at
64K, faster at 16M, and at least 1.1x the fastest peer of its type) with the
peers' 16-bit support, and optionally a merged JSON file, a markdown summary
and a PNG plot.

    report.py RESULT.json... [--json OUT.json] [--markdown OUT.md] [--plot OUT.png]
    report.py --scaling RESULT.json... [--markdown OUT.md]

Times are the minimum over repetitions of the CPU time per call (the machine
may be shared: preemption does not count, and the best run is the one least
disturbed). A benchmark whose CPU time exceeds its wall time by more than
half used more than one thread; it is flagged with '!'.

With --scaling (./scripts/bench --threads), the inputs are runs at several
thread counts (each file's context says its count: "actfn_threads" from
actfn_bench, "threads" from peers_torch.py); times are wall-clock, and the
report is the scaling table: ns/element per thread count and the speed-up
of the most threads over one, for libactfn, each peer and memcpy.
"""
import argparse
import json
import math
import sys
from collections import defaultdict

PEERS = ("onednn", "xnnpack", "torch")
ISA_ORDER = ("scalar", "avx2", "avx512", "neon")
SIZE_NAMES = {1 << 10: "1K", 1 << 16: "64K", 1 << 20: "1M", 1 << 24: "16M"}
# Element types in table order, and their sizes.
DTYPE_ORDER = ("f32", "f64", "bf16", "f16")
ELEM_SIZE = {"f32": 4, "f64": 8, "bf16": 2, "f16": 2}
HALF_DTYPES = ("bf16", "f16")
# Backward passes that take the forward output y (SPEC §3): memory-bound.
BWD_FROM_Y = {"sigmoid", "tanh", "softmax", "log_softmax"}
# Ops whose fastest peer already runs at the memory-bandwidth limit (issue 3:
# "relu family, hardswish"): the target there is to match it.
BANDWIDTH_OPS = {"relu", "relu6", "hardtanh", "leaky_relu", "prelu", "hardsigmoid", "hardswish", "maxout",
                 "maxout_nchw"}
# A peer "at the bandwidth limit" (issue 12): it runs within 1.3x of memcpy of
# the same bytes. There the f32 target is a tie instead of 1.1x, and the f64
# target a tie with PyTorch instead of 2x ("a tie where it is").
AT_BANDWIDTH = 1 / 1.3


# What issue 3 measured hand-written kernels reaching on this machine type
# (f32, n = 64K, ns/element): shown beside the targets for perspective.
# The fused ops of SPEC §11 (issue 16): the gated ops (src/oplist.h
# ACTFN_GLU_OPS) and every bias_<op>. A peer's row of one of them is "fused"
# when its label says so (oneDNN's post-ops, XNNPACK's add with clamp),
# else unfused (PyTorch's ATen ops one after another, labelled "unfused: ...").
GLU_OPS = {"glu", "swiglu", "geglu", "geglu_tanh", "reglu"}
FUSED_NEED = 1.5
FUSED_SIZES = (1 << 16, 1 << 20)


def is_fused_op(op):
    return op in GLU_OPS or op.startswith("bias_")


ACHIEVABLE = {("sigmoid", "fwd"): 0.20, ("tanh", "fwd"): 0.22, ("silu", "fwd"): 0.22, ("gelu", "fwd"): 0.32,
              ("mish", "fwd"): 0.34, ("softmax", "fwd"): 0.27, ("sigmoid", "bwd"): 0.09, ("silu", "bwd"): 0.28,
              ("gelu", "bwd"): 0.39}


def size_name(n):
    return SIZE_NAMES.get(n, str(n))


class Results:
    """Benchmarks keyed by (op, pass, dtype, impl, n) -> best time per call."""

    def __init__(self, clock="cpu_time"):
        self.clock = clock    # "cpu_time", or "real_time" for multi-threaded runs
        self.best = {}        # key -> ns per call (min over repetitions)
        self.threads = {}     # key -> True when cpu time > 1.5 x real time
        self.labels = {}      # key -> label
        self.errors = {}      # key -> message
        self.bytes = {}       # key -> bytes per call
        self.contexts = []
        self.raw = []

    def load(self, path):
        with open(path) as f:
            data = json.load(f)
        self.contexts.append(data.get("context", {}))
        for b in data.get("benchmarks", []):
            self.raw.append(b)
            if b.get("run_type", "iteration") != "iteration":
                continue
            # Google Benchmark's suffixes (e.g. "/repeats:1", "/real_time") follow the five fields.
            parts = [p for p in b["name"].split("/") if ":" not in p and p != "real_time"]
            if len(parts) != 5:
                continue
            op, pass_, dtype, impl, n = parts
            key = (op, pass_, dtype, impl, int(n))
            if b.get("error_occurred"):
                self.errors[key] = b.get("error_message", "error")
                continue
            unit = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
            t, real = float(b[self.clock]) * unit, float(b["real_time"]) * unit
            if key not in self.best or t < self.best[key]:
                self.best[key] = t
                self.threads[key] = t > 1.5 * real
            self.bytes[key] = int(b.get("bytes", 0))
            if b.get("label"):
                self.labels[key] = b["label"]

    def cases(self):
        """(op, pass, dtype, n) in the order first seen, memcpy left out."""
        seen = {}
        for (op, pass_, dtype, impl, n) in list(self.best) + list(self.errors):
            if op != "memcpy":
                seen.setdefault((op, pass_, dtype, n), None)
        return list(seen)

    def impls(self):
        found = {k[3] for k in list(self.best) + list(self.errors) if k[0] != "memcpy"}
        isas = [i for i in ISA_ORDER if i in found] + sorted(found - set(ISA_ORDER) - set(PEERS) - {"libc"})
        peers = [p for p in PEERS if p in found]
        return isas, peers

    def is_fused_peer(self, case, impl):
        op, pass_, dtype, n = case
        return self.labels.get((op, pass_, dtype, impl, n), "").startswith("fused")

    def ns_per_elem(self, case, impl):
        op, pass_, dtype, n = case
        t = self.best.get((op, pass_, dtype, impl, n))
        return None if t is None else t / n

    def fastest(self, case, impls):
        """(impl, ns/elem) of the fastest of `impls` for a case, or (None, None)."""
        cands = [(self.ns_per_elem(case, i), i) for i in impls]
        cands = [(t, i) for t, i in cands if t is not None]
        if not cands:
            return None, None
        t, i = min(cands)
        return i, t

    def memcpy_time(self, case, isas):
        """ns per call of the memcpy with the same footprint as this case."""
        op, pass_, dtype, n = case
        nbytes = next((self.bytes[(op, pass_, dtype, i, n)] for i in isas
                       if (op, pass_, dtype, i, n) in self.bytes), None)
        if nbytes is None:
            return None
        return self.best.get(("memcpy", "copy", "u8", "libc", nbytes))


def fmt_ns(t, width=7):
    if t is None:
        return "-".rjust(width)
    if t >= 100:
        return ("%.0f" % t).rjust(width)
    if t >= 10:
        return ("%.1f" % t).rjust(width)
    return ("%.3f" % t).rjust(width)


def print_tables(res, out):
    isas, peers = res.impls()
    groups = defaultdict(list)
    for case in res.cases():
        groups[(case[2], case[3])].append(case)
    for (dtype, n) in sorted(groups, key=lambda g: (dtype_rank(g[0]), g[1])):
        cases = groups[(dtype, n)]
        elem = ELEM_SIZE.get(dtype, 4)
        half = dtype in HALF_DTYPES
        out.write("\n%s, n = %s (%s KiB per array): ns per element, lower is better\n"
                  % (dtype, size_name(n), n * elem // 1024))
        # a column per ISA, wide enough for names like "avx512-repro"
        width = {i: max(8, len(i) + 1) for i in isas}
        head = "%-22s" % "op/pass" + "".join(i.rjust(width[i]) for i in isas)
        head += " | %7s %8s %6s" % ("Gelem/s", "xscalar", "%copy") + (" %6s" % "xf32" if half else "")
        if peers:
            head += " |" + "".join("%8s" % p for p in peers) + " | vs fastest peer"
        out.write(head + "\n" + "-" * len(head) + "\n")
        for case in cases:
            op, pass_ = case[0], case[1]
            row = "%-22s" % (op + "/" + pass_)
            for i in isas:
                key = (op, pass_, dtype, i, n)
                mark = "!" if res.threads.get(key) else ("E" if key in res.errors else " ")
                row += fmt_ns(res.ns_per_elem(case, i), width[i] - 1) + mark
            best_i, best_t = res.fastest(case, isas)
            scalar_t = res.ns_per_elem(case, "scalar")
            copy = res.memcpy_time(case, isas)
            gel = 1 / best_t if best_t else None
            row += " | %7s %8s %6s" % (
                "%.2f" % gel if gel else "-",
                "%.1fx" % (scalar_t / best_t) if best_t and scalar_t else "-",
                "%.0f%%" % (100 * copy / (best_t * n)) if best_t and copy else "-")
            if half:
                _, f32_t = res.fastest((op, pass_, "f32", n), isas)
                row += " %6s" % ("%.2fx" % (f32_t / best_t) if best_t and f32_t else "-")
            if peers:
                row += " |"
                for p in peers:
                    key = (op, pass_, dtype, p, n)
                    row += fmt_ns(res.ns_per_elem(case, p)) + peer_mark(res, key)
                fp, ft = res.fastest(case, peers)
                if fp and best_t:
                    row += " | %.2fx %s" % (ft / best_t, "faster" if ft >= best_t else "SLOWER") + " (%s)" % fp
                else:
                    row += " |"
            out.write(row + "\n")
    out.write("\nColumns: ns/element per libactfn ISA; the best ISA's Gelem/s, its speed-up over scalar and its\n"
              "bandwidth as % of memcpy of the same bytes (inputs + outputs); peers' ns/element; the fastest\n"
              "peer's time over libactfn's best (>1: libactfn is faster). Marks: E error, ! used more than one\n"
              "thread, a allocates its result (no out= form); for the fused ops (gated, bias_<op>): f a fused\n"
              "peer (one primitive), u an unfused one (ATen ops one after another, intermediates preallocated);\n"
              "bf16/f16: xf32 is libactfn's best f32 time over its best time in this type (>1: the 16-bit call\n"
              "is faster per element), ~ a peer less accurate than 8 ULPs of the type (its label says how much).\n")
    if res.errors:
        out.write("\nErrors:\n")
        for key, msg in sorted(res.errors.items()):
            out.write("  %s: %s\n" % ("/".join(map(str, key)), msg))


def dtype_rank(dtype):
    return DTYPE_ORDER.index(dtype) if dtype in DTYPE_ORDER else len(DTYPE_ORDER)


def peer_mark(res, key):
    label = res.labels.get(key, "")
    if res.threads.get(key):
        return "!"
    if key in res.errors:
        return "E"
    if "less accurate" in label:
        return "~"
    if "alloc" in label:
        return "a"
    if label.startswith("fused"):
        return "f"
    if label.startswith("unfused"):
        return "u"
    return " "


NOISE = 0.05


def target_status(need, got):
    if got >= need:
        return "met"
    return "noise" if need == 1.0 and got >= 1.0 - NOISE else "missed"


def target_summary(rows):
    count = {k: sum(1 for r in rows if r[3] == k) for k in ("met", "noise", "missed")}
    return "%d of %d met, %d within %.0f%% of matching (run-to-run noise), %d missed" % (
        count["met"], len(rows), count["noise"], 100 * NOISE, count["missed"])


def copy_share(res, case, isas, t):
    """memcpy's time for the bytes of case over a time t ns/element, or None
    without a memcpy row: >= AT_BANDWIDTH means t is at the bandwidth limit."""
    copy = res.memcpy_time(case, isas)
    return None if copy is None else copy / (t * case[3])


def targets(res):
    """The speed targets of the x86 kernels issue, checked against this run:
    [(what, needed, got, status, note)] with status "met", "noise" (a
    'match the peer' target missed by less than NOISE, which is how much
    memory-bound figures move between runs on a shared machine) or "missed"."""
    isas, peers = res.impls()
    rows = []
    if not peers:
        return rows
    for case in res.cases():
        op, pass_, dtype, n = case
        best_i, best_t = res.fastest(case, isas)
        if best_t is None or is_fused_op(op):  # the fused ops have their own target: fused_targets
            continue
        if dtype == "f32" and n in (1 << 16, 1 << 24):
            fp, ft = res.fastest(case, [p for p in peers])
            if fp is None:
                continue
            share = copy_share(res, case, isas, ft)
            peer_at_bw = share is not None and share >= AT_BANDWIDTH
            if n == 1 << 24:
                need, why = 1.0, "out of cache: at least as fast"
            elif op in BANDWIDTH_OPS or (pass_ == "bwd" and op in BWD_FROM_Y) or peer_at_bw:
                need, why = 1.0, "peer at the bandwidth limit: match it"
            else:
                need, why = 1.1, "1.1x the fastest peer"
            got = ft / best_t
            note = "libactfn %s %.3f vs %s %.3f ns/el; %s" % (best_i, best_t, fp, ft, why)
            if n == 1 << 16 and (op, pass_) in ACHIEVABLE:
                note += "; issue's hand-written figure %.2f" % ACHIEVABLE[(op, pass_)]
            rows.append(("%s/%s f32 %s" % (op, pass_, size_name(n)), need, got, target_status(need, got), note))
        if dtype == "f64" and n == 1 << 16 and "torch" in peers:
            tt = res.ns_per_elem(case, "torch")
            if tt is None:
                continue
            got = tt / best_t
            share = copy_share(res, case, isas, tt)
            if share is not None and share >= AT_BANDWIDTH:
                need, why = 1.0, "PyTorch at %.0f%% of memcpy, the bandwidth limit: a tie" % (100 * share)
            else:
                need, why = 2.0, "2x PyTorch"
            note = "libactfn %s %.3f vs torch %.3f ns/el; %s" % (best_i, best_t, tt, why)
            rows.append(("%s/%s f64 %s" % (op, pass_, size_name(n)), need, got, target_status(need, got), note))
    return rows


def print_targets(res, out):
    rows = targets(res)
    if not rows:
        return
    isas, _ = res.impls()
    table = " — the AVX2 table (./scripts/bench --avx2: AVX2 kernels, peers held to AVX2)" if isas == ["avx2"] else ""
    out.write("\nSpeed targets (x86 kernels issue)%s, as measured in this run: %s\n" % (table, target_summary(rows)))
    for what, need, got, status, note in rows:
        short = "" if status == "met" else " (short by %.0f%%)" % (100 * (1 - got / need))
        out.write("  %-6s %-28s need %.1fx, got %.2fx%s — %s\n" % (status, what, need, got, short, note))


def fused_targets(res):
    """Issue 16's target for the fused ops, checked against this run: every
    gated op and bias_<op>, each pass, f32 at 64K and 1M, at least FUSED_NEED
    times the fastest unfused peer. [(what, need, got, status, note, lib, peer)]
    (lib, peer: ns/element or None); got is None and status "no peer" or
    "error" where it cannot be judged (listed, never left out)."""
    isas, peers = res.impls()
    rows = []
    for case in res.cases():
        op, pass_, dtype, n = case
        if not is_fused_op(op) or dtype != "f32" or n not in FUSED_SIZES:
            continue
        what = "%s/%s f32 %s" % (op, pass_, size_name(n))
        best_i, best_t = res.fastest(case, isas)
        unfused = [p for p in peers if not res.is_fused_peer(case, p)]
        fused = [p for p in peers if res.is_fused_peer(case, p)]
        up, ut = res.fastest(case, unfused)
        fp, ft = res.fastest(case, fused)
        errors = ["%s: %s" % (i, res.errors[(op, pass_, dtype, i, n)]) for i in isas + peers
                  if (op, pass_, dtype, i, n) in res.errors]
        extra = "; fastest fused peer %s %.3f ns/el (%.2fx)" % (fp, ft, ft / best_t) if fp and best_t else ""
        if errors:
            extra += "; errors: " + "; ".join(errors)
        if best_t is None:
            rows.append((what, FUSED_NEED, None, "error", "no libactfn result" + extra, None, ut))
        elif up is None:
            rows.append((what, FUSED_NEED, None, "no peer", "libactfn %s %.3f ns/el, no unfused peer measured%s"
                         % (best_i, best_t, extra), best_t, None))
        else:
            got = ut / best_t
            label = res.labels.get((op, pass_, dtype, up, n), "")
            rows.append((what, FUSED_NEED, got, "met" if got >= FUSED_NEED else "missed",
                         "libactfn %s %.3f vs %s %.3f ns/el%s%s" % (best_i, best_t, up, ut,
                                                                   " (%s)" % label if label else "", extra),
                         best_t, ut))
    return rows


def fused_summary(rows):
    count = {k: sum(1 for r in rows if r[3] == k) for k in ("met", "missed", "no peer", "error")}
    text = "%d of %d met, %d missed" % (count["met"], len(rows), count["missed"])
    if count["no peer"]:
        text += ", %d without an unfused peer" % count["no peer"]
    if count["error"]:
        text += ", %d without a libactfn result" % count["error"]
    return text


FUSED_PEERS_NOTE = ("Unfused peer: PyTorch, the op's ATen expression one op after another into preallocated "
                    "buffers (a backward recomputes the activation from the same inputs as libactfn's). Fused "
                    "peers, shown for perspective, not judged: oneDNN bias_<op> forward (binary add + eltwise "
                    "post-op), XNNPACK bias_relu forward (add with output clamp); oneDNN 2.6 runs the gated ops' "
                    "form (eltwise + binary post-op) only in its reference code, so it is not timed, and neither "
                    "library has a fused backward.")


def wrap(text, width, indent):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = word if not line else line + " " + word
    lines.append(line)
    return "".join(indent + l + "\n" for l in lines)


def print_fused_targets(res, out):
    rows = fused_targets(res)
    if not rows:
        return
    if not res.impls()[1]:
        out.write("\nFused ops (issue 16): %d case(s) at f32 64K / 1M, not judged: no peer in this run "
                  "(./scripts/bench --peers)\n" % len(rows))
        return
    out.write("\nFused ops (issue 16): each call at least %.1fx the fastest unfused peer, f32 at %s, as measured "
              "in this run: %s\n" % (FUSED_NEED, " and ".join(size_name(n) for n in FUSED_SIZES),
                                     fused_summary(rows)))
    width = max(len(r[0]) for r in rows)
    out.write("  %-*s %9s %9s %7s  %s\n" % (width, "op/pass size", "libactfn", "unfused", "ratio", "status"))
    for what, need, got, status, note, lib, peer in rows:
        out.write("  %-*s %9s %9s %7s  %s\n" % (width, what, fmt_ns(lib), fmt_ns(peer),
                                               "%.2fx" % got if got is not None else "-", status))
    out.write("  (ns per element; ratio = the fastest unfused peer's time / libactfn's best ISA's)\n")
    out.write(wrap(FUSED_PEERS_NOTE, 104, "  "))
    misses = [r for r in rows if r[3] != "met"]
    if misses:
        out.write("Fused-op misses:\n")
        for what, need, got, status, note, lib, peer in misses:
            short = " (short by %.0f%%)" % (100 * (1 - got / need)) if got is not None else ""
            out.write("  %-7s %-*s need %.1fx, got %s%s — %s\n" % (
                status, width, what, need, "%.2fx" % got if got is not None else "-", short, note))


# ---- 16-bit storage types (issue 13) -----------------------------------------------------------

HALF_SIZES = (1 << 16, 1 << 24)
HALF_PEER_NEED = 1.1


def half_targets(res):
    """Issue 13's targets for the 16-bit types, checked against this run, for
    every bf16 and f16 case at 64K and 16M:
      vs f32   libactfn's best time per element in the type against its best
               f32 time for the same op, pass and n: at least as fast at 64K
               (need 1.0), and faster at 16M, where the 16-bit call moves half
               the bytes (need 1.0; a bandwidth-bound op can reach nearly 2);
      vs peer  at least HALF_PEER_NEED times the fastest peer running the same
               type (any peer: fused, unfused, or less accurate, as labelled).
    Returns a dict per case: what, dtype, n, lib (ns/el), isa, f32, vs_f32,
    status_f32 ("met", "noise", "missed", "no f32"), peer, peer_t, vs_peer,
    status_peer ("met", "missed", "no peer") and notes (why it may miss)."""
    isas, peers = res.impls()
    rows = []
    for case in res.cases():
        op, pass_, dtype, n = case
        if dtype not in HALF_DTYPES or n not in HALF_SIZES:
            continue
        isa, lib = res.fastest(case, isas)
        if lib is None:
            continue
        f32_case = (op, pass_, "f32", n)
        _, f32 = res.fastest(f32_case, isas)
        row = dict(what="%s/%s %s %s" % (op, pass_, dtype, size_name(n)), dtype=dtype, n=n, lib=lib, isa=isa,
                   f32=f32, vs_f32=None, status_f32="no f32", peer=None, peer_t=None, vs_peer=None,
                   status_peer="no peer", notes=[])
        copy = res.memcpy_time(case, isas)
        copy32 = res.memcpy_time(f32_case, isas)
        if f32 is not None:
            row["vs_f32"] = f32 / lib
            row["status_f32"] = target_status(1.0, f32 / lib)
            if row["status_f32"] != "met":
                row["notes"].append("%s costs %+.3f ns/el over f32 (%.3f)" % (dtype, lib - f32, f32))
                if copy and copy32:
                    row["notes"].append("%% of memcpy: %s %.0f%%, f32 %.0f%%" % (
                        dtype, 100 * copy / (lib * n), 100 * copy32 / (f32 * n)))
        peer, peer_t = res.fastest(case, peers)
        if peer is not None:
            row.update(peer=peer, peer_t=peer_t, vs_peer=peer_t / lib,
                       status_peer="met" if peer_t / lib >= HALF_PEER_NEED else "missed")
            label = res.labels.get((op, pass_, dtype, peer, n), "")
            if row["status_peer"] != "met":
                if label:
                    row["notes"].append("%s runs: %s" % (peer, label))
                if copy:
                    row["notes"].append("%s at %.0f%% of memcpy" % (peer, 100 * copy / (peer_t * n)))
        rows.append(row)
    return rows


def half_summary(rows, key):
    """ "bf16 a of b met, ..." for one of the two targets (key "f32" or "peer")."""
    parts = []
    for dtype in HALF_DTYPES:
        sel = [r for r in rows if r["dtype"] == dtype]
        if not sel:
            continue
        st = [r["status_" + key] for r in sel]
        judged = [x for x in st if x in ("met", "noise", "missed")]
        text = "%s %d of %d met" % (dtype, st.count("met"), len(judged))
        if st.count("noise"):
            text += ", %d within %.0f%% (noise)" % (st.count("noise"), 100 * NOISE)
        if len(st) > len(judged):
            text += " (%d without %s)" % (len(st) - len(judged), "an f32 result" if key == "f32" else "a peer")
        parts.append(text)
    return "; ".join(parts)


def half_support(res):
    """Lines on what each peer runs in the 16-bit types in this run: its
    measured rows per type (and how many are less accurate), its own
    description (oneDNN and XNNPACK say what they implement), and the cases
    PyTorch does not implement for the type (its JSON's "unsupported")."""
    _, peers = res.impls()
    unsupported = set()
    described = {}
    for c in res.contexts:
        unsupported.update(c.get("unsupported", []))
        if c.get("peer", "").startswith("torch"):
            described["torch"] = c["peer"]
        # actfn_bench's "peers": "onednn 2.6.3 (...; ...); xnnpack (...)"; each
        # description runs to the parenthesis that closes its first one.
        text = c.get("peers", "")
        for p in ("onednn", "xnnpack"):
            start = text.find(p)
            if start < 0:
                continue
            depth = 0
            for end in range(start, len(text)):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if text[end] == ")" and depth == 0:
                    described[p] = text[start:end + 1]
                    break
    lines = []
    for p in PEERS:
        counts = []
        for dtype in HALF_DTYPES:
            keys = [k for k in res.best if k[3] == p and k[2] == dtype]
            if keys:
                less = sum(1 for k in keys if "less accurate" in res.labels.get(k, ""))
                counts.append("%s %d rows%s" % (dtype, len(keys), " (%d less accurate)" % less if less else ""))
        if counts or p in described or p in peers:
            lines.append("%s: %s%s" % (p, ", ".join(counts) if counts else "no 16-bit rows",
                                       " — " + described[p] if p in described else ""))
    for dtype in HALF_DTYPES:
        sel = sorted(u.split(":")[0] for u in unsupported if u.split(":")[0].split("/")[-1] == dtype)
        if sel:
            lines.append("torch, not implemented for %s on the CPU (%d op/pass): %s" % (
                dtype, len(sel), ", ".join(x.rsplit("/", 1)[0] for x in sel)))
    return lines


def print_half_targets(res, out):
    rows = half_targets(res)
    if not rows:
        return
    out.write("\n16-bit storage types (issue 13), as measured in this run: vs f32 (at least as fast per element at "
              "64K, faster at 16M): %s. vs the fastest peer of the type (>= %.1fx): %s\n"
              % (half_summary(rows, "f32"), HALF_PEER_NEED, half_summary(rows, "peer")))
    width = max(len(r["what"]) for r in rows)
    out.write("  %-*s %9s %-7s %9s %7s %-7s | %9s %-8s %7s %s\n" % (
        width, "op/pass dtype size", "libactfn", "(ISA)", "f32", "xf32", "status", "peer", "", "xpeer", "status"))
    for r in rows:
        out.write("  %-*s %9s %-7s %9s %7s %-7s | %9s %-8s %7s %s\n" % (
            width, r["what"], fmt_ns(r["lib"]), r["isa"], fmt_ns(r["f32"]),
            "%.2fx" % r["vs_f32"] if r["vs_f32"] else "-", r["status_f32"], fmt_ns(r["peer_t"]), r["peer"] or "-",
            "%.2fx" % r["vs_peer"] if r["vs_peer"] else "-", r["status_peer"]))
    out.write("  (ns per element; xf32 = libactfn's best f32 time / its best time in the type; xpeer = the fastest\n"
              "  peer's time in the type / libactfn's)\n")
    misses = [r for r in rows if r["status_f32"] in ("missed", "noise") or r["status_peer"] == "missed"]
    if misses:
        out.write("16-bit misses:\n")
        for r in misses:
            what = []
            if r["status_f32"] in ("missed", "noise"):
                what.append("vs f32 %.2fx (%s)" % (r["vs_f32"], r["status_f32"]))
            if r["status_peer"] == "missed":
                what.append("vs %s %.2fx, needs %.1fx" % (r["peer"], r["vs_peer"], HALF_PEER_NEED))
            out.write("  %-*s %s — %s\n" % (width, r["what"], "; ".join(what), "; ".join(r["notes"])))
    support = half_support(res)
    if support:
        out.write("Peers' 16-bit support in this run:\n")
        for line in support:
            out.write(wrap(line, 104, "  ").replace("\n  ", "\n    "))


def markdown_half(res, out):
    """The 16-bit part of the markdown: per type, 64K and 16M against f32 and
    the fastest peer of the type, then the targets and the peers' support."""
    isas, peers = res.impls()
    rows = half_targets(res)
    if not rows:
        return
    for dtype in HALF_DTYPES:
        for n in HALF_SIZES:
            sel = [r for r in rows if r["dtype"] == dtype and r["n"] == n]
            if not sel:
                continue
            out.write("**%s, n = %s** (× f32 = libactfn's f32 time / its %s time per element; × peer = the fastest "
                      "%s peer's time / libactfn's)\n\n| op/pass | libactfn ns/elem (ISA) | f32 ns/elem | × f32 | "
                      "fastest peer ns/elem | × peer |\n|---|---|---|---|---|---|\n" % (dtype, size_name(n), dtype,
                                                                                         dtype))
            for r in sel:
                out.write("| %s | %.3f (%s) | %s | %s | %s | %s |\n" % (
                    r["what"].split(" ")[0], r["lib"], r["isa"], "%.3f" % r["f32"] if r["f32"] else "–",
                    "%.2f×" % r["vs_f32"] if r["vs_f32"] else "–",
                    "%.3f (%s)" % (r["peer_t"], r["peer"]) if r["peer"] else "–",
                    "%.2f×" % r["vs_peer"] if r["vs_peer"] else "–"))
            out.write("\n")
    out.write("**16-bit targets (issue 13), in this run.** vs f32 (at least as fast per element at 64K, faster at "
              "16M): %s. vs the fastest peer of the type (≥ %.1f×): %s.\n\n"
              % (half_summary(rows, "f32"), HALF_PEER_NEED, half_summary(rows, "peer")))
    for r in rows:
        what = []
        if r["status_f32"] in ("missed", "noise"):
            what.append("vs f32 %.2f× (%s)" % (r["vs_f32"], r["status_f32"]))
        if r["status_peer"] == "missed":
            what.append("vs %s %.2f×" % (r["peer"], r["vs_peer"]))
        if what:
            out.write("- %s: %s; %s\n" % (r["what"], ", ".join(what), "; ".join(r["notes"])))
    support = half_support(res)
    if support:
        out.write("\nPeers' 16-bit support:\n\n" + "".join("- %s\n" % line for line in support))
    out.write("\n")


def markdown(res, out, command):
    """The README's speed section: f32 at 64K against the fastest peer, a few
    16M figures, f64 against PyTorch, and the targets."""
    isas, peers = res.impls()
    ctx = {}
    for c in res.contexts:
        ctx.update(c)
    out.write("Measured with `%s` on %s (%s, %s CPUs); peers: %s%s.\n"
              "Single thread, CPU time per call, best of the repetitions.\n\n"
              % (command, ctx.get("cpu_model", "?"), ctx.get("host_name", "?"), ctx.get("num_cpus", "?"),
                 ctx.get("peers", "none"), "; " + ctx["peer"] if "peer" in ctx else ""))

    def table(dtype, n, peer_list, title):
        out.write("%s\n\n| op/pass | libactfn ns/elem (ISA) | fastest peer ns/elem | ratio |\n|---|---|---|---|\n"
                  % title)
        for case in res.cases():
            if case[2] != dtype or case[3] != n:
                continue
            bi, bt = res.fastest(case, isas)
            fp, ft = res.fastest(case, peer_list)
            if bt is None:
                continue
            out.write("| %s/%s | %.3f (%s) | %s | %s |\n" % (
                case[0], case[1], bt, bi, "%.3f (%s)" % (ft, fp) if fp else "–",
                "%.2f×" % (ft / bt) if fp else "–"))
        out.write("\n")

    table("f32", 1 << 16, peers, "**f32, n = 64K** (ratio = fastest peer's time / libactfn's; > 1 means libactfn "
                                 "is faster)")
    if any(c[3] == 1 << 24 for c in res.cases()):
        table("f32", 1 << 24, peers, "**f32, n = 16M** (out of cache)")
    if "torch" in peers:
        table("f64", 1 << 16, ["torch"], "**f64, n = 64K, against PyTorch**")
    rows = targets(res)
    if rows:
        out.write("**Speed targets of the x86 kernels issue, in this run: %s.**\n\n" % target_summary(rows))
        for what, need, got, status, note in rows:
            if status != "met":
                out.write("- %s: %s — needs %.1f×, got %.2f× (short by %.0f%%); %s\n"
                          % (status, what, need, got, 100 * (1 - got / need), note))
        out.write("\n")
    rows = fused_targets(res)
    if rows:
        out.write("**Fused ops (issue 16), each at least %.1f× the fastest unfused peer, f32 at 64K and 1M, in this "
                  "run: %s.**\n\n" % (FUSED_NEED, fused_summary(rows)))
        for what, need, got, status, note, lib, peer in rows:
            if status != "met":
                out.write("- %s: %s — needs %.1f×, got %s; %s\n"
                          % (status, what, need, "%.2f×" % got if got is not None else "–", note))
        out.write("\n" + FUSED_PEERS_NOTE + "\n\n")
    markdown_half(res, out)


def plot(res, path, dtype="f32"):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    isas, peers = res.impls()
    ops = []
    for case in res.cases():
        if case[2] == dtype and (case[0], case[1]) not in ops:
            ops.append((case[0], case[1]))
    if not ops:
        return
    cols = 6
    rows = (len(ops) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 3.6, rows * 2.7), squeeze=False)
    colors = {"scalar": "#999999", "avx2": "#1f77b4", "avx512": "#d62728", "neon": "#2ca02c",
              "onednn": "#ff7f0e", "xnnpack": "#9467bd", "torch": "#8c564b", "memcpy": "#444444"}
    for ax, (op, pass_) in zip(axes.flat, ops):
        sizes = sorted({c[3] for c in res.cases() if c[0] == op and c[1] == pass_ and c[2] == dtype})
        for impl in isas + peers + ["memcpy"]:
            xs, ys = [], []
            for n in sizes:
                case = (op, pass_, dtype, n)
                if impl == "memcpy":
                    t = res.memcpy_time(case, isas)
                    t = None if t is None else t / n
                else:
                    t = res.ns_per_elem(case, impl)
                if t:
                    xs.append(n)
                    ys.append(1 / t)
            if xs:
                style = dict(color=colors.get(impl, None), marker="o", markersize=3, linewidth=1.5)
                if impl in peers:
                    style.update(linestyle="--")
                if impl == "memcpy":
                    style.update(linestyle=":", marker=None, linewidth=1)
                ax.plot(xs, ys, label=impl if impl != "memcpy" else "memcpy (same bytes)", **style)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title("%s %s" % (op, pass_), fontsize=10)
        ax.set_xticks(sizes)
        ax.set_xticklabels([size_name(n) for n in sizes], fontsize=8)
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "%g" % v))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.tick_params(axis="y", labelsize=8)
        ax.set_ylabel("Gelem/s", fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(ops):]:
        ax.axis("off")
    handles, labels = [], []
    for ax in axes.flat:
        for h, l in zip(*ax.get_legend_handles_labels()):
            if l not in labels:
                handles.append(h)
                labels.append(l)
    ctx = {}
    for c in res.contexts:
        ctx.update(c)
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=11, frameon=False,
               bbox_to_anchor=(0.5, 1.0))
    fig.suptitle("libactfn %s throughput, Gelem/s vs n (%s, %s, single thread; higher is better)"
                 % (dtype, ctx.get("cpu_model", "?"), "log scales"), y=1.015, fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 0.975))
    fig.savefig(path, dpi=80, bbox_inches="tight")


# ---- scaling (./scripts/bench --threads) -------------------------------------------------------

# A row is compute-bound when its single-thread time is more than this many
# times memcpy's for the same bytes: there, threads should scale the time down.
COMPUTE_BOUND = 2.0
SCALING_GOAL = 1.8  # issue 14: 2 threads at 16M, compute-bound ops


def file_threads(path):
    with open(path) as f:
        ctx = json.load(f).get("context", {})
    return int(ctx.get("actfn_threads", ctx.get("threads", 0)))


def load_scaling(paths):
    """{threads: Results} from runs at several thread counts (wall-clock)."""
    runs = {}
    for path in paths:
        t = file_threads(path)
        if t < 1:
            sys.exit("%s: no thread count in its context (not a ./scripts/bench --threads run)" % path)
        runs.setdefault(t, Results("real_time")).load(path)
    return runs


def scaling_rows(runs):
    """[(case, {impl: {threads: ns/elem}}, copy {threads: ns/elem})] for every case."""
    counts = sorted(runs)
    cases = []
    for t in counts:
        for case in runs[t].cases():
            if case not in cases:
                cases.append(case)
    rows = []
    for case in cases:
        per = defaultdict(dict)
        copy = {}
        for t in counts:
            res = runs[t]
            isas, peers = res.impls()
            _, bt = res.fastest(case, isas)
            if bt is not None:
                per["libactfn"][t] = bt
            for p in peers:
                v = res.ns_per_elem(case, p)
                if v is not None:
                    per[p][t] = v
            m = res.memcpy_time(case, isas)
            if m is not None:
                copy[t] = m / case[3]
        rows.append((case, per, copy))
    return rows


def speedup(times, lo, hi):
    return times[lo] / times[hi] if lo in times and hi in times else None


def scaling_targets(runs):
    """[(what, need, got, status, note)]: compute-bound rows at 16M scale by
    SCALING_GOAL on the most threads, and libactfn is at least as fast as
    the fastest peer at that count on every row."""
    counts = sorted(runs)
    lo, hi = counts[0], counts[-1]
    rows = []
    for case, per, copy in scaling_rows(runs):
        op, pass_, dtype, n = case
        ours = per.get("libactfn", {})
        what = "%s/%s %s %s" % (op, pass_, dtype, size_name(n))
        if hi > lo and n >= 1 << 24 and lo in ours and lo in copy and ours[lo] > COMPUTE_BOUND * copy[lo]:
            got = speedup(ours, lo, hi)
            if got is not None:
                rows.append((what + " scaling", SCALING_GOAL, got, target_status(SCALING_GOAL, got),
                             "compute-bound (%.1fx memcpy's time on %d thread); %d threads over %d" % (
                                 ours[lo] / copy[lo], lo, hi, lo)))
        peers = [(v[hi], p) for p, v in per.items() if p != "libactfn" and hi in v]
        if peers and hi in ours:
            ft, fp = min(peers)
            rows.append((what + " vs peers", 1.0, ft / ours[hi], target_status(1.0, ft / ours[hi]),
                         "on %d threads: libactfn %.3f vs %s %.3f ns/el" % (hi, ours[hi], fp, ft)))
    return rows


def print_scaling(runs, out, markdown_out=None, command=""):
    counts = sorted(runs)
    lo, hi = counts[0], counts[-1]
    rows = scaling_rows(runs)
    impls = ["libactfn"] + [p for p in PEERS if any(p in per for _, per, _ in rows)]
    tc = "/".join(str(t) for t in counts)
    ctx = {}
    for res in runs.values():
        for c in res.contexts:
            ctx.update(c)
    groups = defaultdict(list)
    for row in rows:
        groups[(row[0][2], row[0][3])].append(row)
    md = markdown_out
    if md:
        md.write("Measured with `%s` on %s (%s CPUs); libactfn ISA %s; peers: %s%s. Wall-clock time per call, "
                 "best of the repetitions; ns per element on %s threads, and the speed-up of %d threads over "
                 "%d.\n\n" % (command, ctx.get("cpu_model", "?"), ctx.get("num_cpus", "?"),
                              ctx.get("actfn_default_isa", "?"), ctx.get("peers", "none"),
                              "; " + ctx["peer"] if "peer" in ctx else "", tc, hi, lo))
    for (dtype, n) in sorted(groups, key=lambda g: (dtype_rank(g[0]), g[1])):
        out.write("\n%s, n = %s: wall-clock ns per element on %s threads, and the speed-up of %d over %d\n"
                  % (dtype, size_name(n), tc, hi, lo))
        head = "%-22s" % "op/pass" + "".join(" | %-*s" % (8 * len(counts) + 6, i) for i in impls) + \
            " | %-*s | vs fastest peer" % (6 * len(counts) + 6, "memcpy")
        out.write(head + "\n" + "-" * len(head) + "\n")
        if md:
            md.write("**%s, n = %s**\n\n| op/pass | %s | memcpy × | fastest peer at %d ÷ libactfn |\n|---|%s---|---|\n"
                     % (dtype, size_name(n), " | ".join("%s (×)" % i for i in impls), hi, "---|" * len(impls)))
        for case, per, copy in groups[(dtype, n)]:
            line = "%-22s" % (case[0] + "/" + case[1])
            cells = []
            for i in impls:
                v = per.get(i, {})
                sp = speedup(v, lo, hi)
                line += " | " + "".join(fmt_ns(v.get(t)) + " " for t in counts) + \
                    ("%5.2fx" % sp if sp else "     -")
                cells.append("%s (%s)" % ("/".join("%.3f" % v[t] if t in v else "–" for t in counts),
                                          "%.2f×" % sp if sp else "–") if v else "–")
            sp = speedup(copy, lo, hi)
            line += " | " + "".join(fmt_ns(copy.get(t), 5) + " " for t in counts) + ("%5.2fx" % sp if sp else "     -")
            ours = per.get("libactfn", {}).get(hi)
            peers = [(v[hi], p) for p, v in per.items() if p != "libactfn" and hi in v]
            ratio = ""
            if peers and ours:
                ft, fp = min(peers)
                ratio = "%.2fx %s (%s)" % (ft / ours, "faster" if ft >= ours else "SLOWER", fp)
            out.write(line + " | " + ratio + "\n")
            if md:
                md.write("| %s/%s | %s | %s | %s |\n" % (case[0], case[1], " | ".join(cells),
                                                       "%.2f×" % sp if sp else "–",
                                                       ratio.replace("x ", "× ") if ratio else "–"))
        if md:
            md.write("\n")
    out.write("\nColumns: per implementation, wall-clock ns/element on %s threads and the speed-up of %d threads\n"
              "over %d; memcpy of the same bytes on the same threads (the bandwidth bound); the fastest peer's\n"
              "time on %d threads over libactfn's (>1: libactfn is faster).\n" % (tc, hi, lo, hi))
    targets_ = scaling_targets(runs)
    if targets_:
        out.write("\nThread targets (issue 14), as measured in this run: %s\n" % target_summary(targets_))
        for what, need, got, status, note in targets_:
            if status != "met" or what.endswith("scaling"):
                short = "" if status == "met" else " (short by %.0f%%)" % (100 * (1 - got / need))
                out.write("  %-6s %-32s need %.1fx, got %.2fx%s — %s\n" % (status, what, need, got, short, note))
        if md:
            md.write("**Thread targets of issue 14, in this run: %s.**\n\n" % target_summary(targets_))
            for what, need, got, status, note in targets_:
                if status != "met":
                    md.write("- %s: %s — needs %.1f×, got %.2f×; %s\n" % (status, what, need, got, note))
            md.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--scaling", action="store_true",
                    help="the inputs are runs at several thread counts: print the scaling table")
    ap.add_argument("--json", help="write all results, merged, to this file")
    ap.add_argument("--markdown", help="write the README's speed section to this file")
    ap.add_argument("--plot", help="write a PNG plot (f32) to this file")
    ap.add_argument("--command", default="./scripts/bench", help="the command named in the markdown")
    args = ap.parse_args()

    if args.scaling:
        runs = load_scaling(args.inputs)
        md = open(args.markdown, "w") if args.markdown else None
        print_scaling(runs, sys.stdout, md, args.command)
        if md:
            md.close()
        return

    res = Results()
    for path in args.inputs:
        res.load(path)
    if not res.best and not res.errors:
        sys.exit("no benchmark results in " + ", ".join(args.inputs))
    ctx = {}
    for c in res.contexts:
        ctx.update(c)
        # the peers run on one thread: so must libactfn (the calling thread's
        # CPU time would not even count its workers)
        if int(c.get("actfn_threads", 0)) > 1:
            sys.exit("libactfn ran on %s threads in a single-threaded run (actfn_bench sets 1)"
                     % c["actfn_threads"])
    sys.stdout.write("libactfn %s on %s, ISAs %s; peers: %s%s\n" % (
        ctx.get("actfn_version", "?"), ctx.get("cpu_model", "?"), ctx.get("actfn_isas", "?"),
        ctx.get("peers", "none"), "; " + ctx["peer"] if "peer" in ctx else ""))
    print_tables(res, sys.stdout)
    print_targets(res, sys.stdout)
    print_fused_targets(res, sys.stdout)
    print_half_targets(res, sys.stdout)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"context": ctx, "benchmarks": res.raw}, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            markdown(res, f, args.command)
    if args.plot:
        plot(res, args.plot)
        sys.stdout.write("plot written to %s\n" % args.plot)


if __name__ == "__main__":
    main()
