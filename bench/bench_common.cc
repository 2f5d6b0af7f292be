/*
 * bench_common.cc — the operation list, the buffers of a benchmark case
 * (realistic values, aligned, touched before timing), the libactfn call for
 * a case and the check that a peer computed the same result, for f32, f64
 * and the 16-bit storage types bf16 and f16 (SPEC §9).
 */
#include "bench_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#include "half.h"  // src/half.h: the library's scalar bf16 / f16 conversions

namespace bench {

// ---------------------------------------------------------------------------
// The operations. Unary ops and the fused bias ops go through four small
// adapters each, generated here so every op is one line; the gated ops'
// entry points have the benchmark's signature already; shaped ops are called
// in call_actfn.

// Parameters in signature order from p[] (src/oplist.h), and the defaults:
// double for f64, float for the others (f32, bf16, f16).
#define BENCH_PARG_FLOAT(op, index, pname, def, domain) , static_cast<float>(p[index])
#define BENCH_PARG_DOUBLE(op, index, pname, def, domain) , p[index]
#define BENCH_PDEFAULT(op, index, pname, def, domain) def,
#define BENCH_PARG_f32 BENCH_PARG_FLOAT
#define BENCH_PARG_f64 BENCH_PARG_DOUBLE
#define BENCH_PARG_bf16 BENCH_PARG_FLOAT
#define BENCH_PARG_f16 BENCH_PARG_FLOAT

// The entry points of elementwise op `op` for element type T, suffix sfx.
#define BENCH_UNARY_FNS(op, T, sfx)                                                                          \
    TypedFns<T>                                                                                              \
    {                                                                                                        \
        [](const T *x, T *y, size_t n, const double *p) {                                                    \
            (void)p;                                                                                         \
            return actfn_##op##_##sfx(x, y, n ACTFN_PARAMS_##op(BENCH_PARG_##sfx));                          \
        },                                                                                                   \
            [](const T *in, const T *dy, T *dx, size_t n, const double *p) {                                 \
                (void)p;                                                                                     \
                return actfn_##op##_backward_##sfx(in, dy, dx, n ACTFN_PARAMS_##op(BENCH_PARG_##sfx));       \
            },                                                                                               \
            nullptr, nullptr, nullptr, nullptr                                                               \
    }
#define ACTFN_UNARY(op, NAME, from, cls, family)                                                              \
    OpSpec{#op,                                                                                              \
           Kind::unary,                                                                                      \
           BENCH_FROM_##from,                                                                                \
           {ACTFN_PARAMS_##op(BENCH_PDEFAULT) 0},                                                            \
           0,                                                                                                \
           nullptr,                                                                                          \
           false,                                                                                            \
           BENCH_UNARY_FNS(op, float, f32),                                                                  \
           BENCH_UNARY_FNS(op, double, f64),                                                                 \
           BENCH_UNARY_FNS(op, actfn_bf16, bf16),                                                            \
           BENCH_UNARY_FNS(op, actfn_f16, f16)},
#define BENCH_FROM_X false
#define BENCH_FROM_Y true
#define ACTFN_SHAPED(name, kind, from_y, inner)                                                              \
    OpSpec { name, kind, from_y, {0, 0}, inner, nullptr, false, {}, {}, {}, {} }

// The gated ops (ACTFN_GLU_OPS): the backward takes a and b, never y.
#define BENCH_GATE_A false
#define BENCH_GATE_B true
#define BENCH_GLU_FNS(op, T, sfx)                                                                            \
    TypedFns<T> { nullptr, nullptr, actfn_##op##_##sfx, actfn_##op##_backward_##sfx, nullptr, nullptr }
#define BENCH_GLU(op, NAME, act, ACT, gate)                                                                  \
    OpSpec{#op,                                                                                              \
           Kind::glu,                                                                                        \
           false,                                                                                            \
           {0, 0},                                                                                           \
           0,                                                                                                \
           #act,                                                                                             \
           BENCH_GATE_##gate,                                                                                \
           BENCH_GLU_FNS(op, float, f32),                                                                    \
           BENCH_GLU_FNS(op, double, f64),                                                                   \
           BENCH_GLU_FNS(op, actfn_bf16, bf16),                                                              \
           BENCH_GLU_FNS(op, actfn_f16, f16)},

// bias_<op> for every elementwise op, with the op's parameters and defaults;
// the backward takes x for every op (SPEC §11), sigmoid and tanh included.
#define BENCH_BIAS_FNS(op, T, sfx)                                                                           \
    TypedFns<T>                                                                                              \
    {                                                                                                        \
        nullptr, nullptr, nullptr, nullptr,                                                                  \
            [](const T *x, const T *bias, T *y, size_t o, size_t c, size_t i, const double *p) {             \
                (void)p;                                                                                     \
                return actfn_bias_##op##_##sfx(x, bias, y, o, c, i ACTFN_PARAMS_##op(BENCH_PARG_##sfx));     \
            },                                                                                               \
            [](const T *x, const T *bias, const T *dy, T *dx, T *db, size_t o, size_t c, size_t i,           \
               const double *p) {                                                                            \
                (void)p;                                                                                     \
                return actfn_bias_##op##_backward_##sfx(x, bias, dy, dx, db, o, c, i                         \
                                                            ACTFN_PARAMS_##op(BENCH_PARG_##sfx));            \
            }                                                                                                \
    }
#define BENCH_BIAS(op, NAME, from, cls, family)                                                              \
    OpSpec{"bias_" #op,                                                                                      \
           Kind::bias,                                                                                       \
           false,                                                                                            \
           {ACTFN_PARAMS_##op(BENCH_PDEFAULT) 0},                                                            \
           0,                                                                                                \
           #op,                                                                                              \
           false,                                                                                            \
           BENCH_BIAS_FNS(op, float, f32),                                                                   \
           BENCH_BIAS_FNS(op, double, f64),                                                                  \
           BENCH_BIAS_FNS(op, actfn_bf16, bf16),                                                             \
           BENCH_BIAS_FNS(op, actfn_f16, f16)},

namespace {
// The fused bias ops that are benchmarked: the six the fused path is for
// (dense-layer activations: relu, gelu, gelu_tanh, silu, sigmoid, tanh),
// plus one op of each kernel family not among them (elu; hardswish for the
// hard ops; mish for softplus/logsigmoid/mish), so that every family's bias
// path is measured, and a full run (4 sizes x 3 repetitions) stays about
// three minutes shorter than with all 17. Every name must be an op of ACTFN_UNARY_OPS; adding one here is
// all it takes to benchmark it (and peers_torch.py's BIAS_OPS for PyTorch).
const char *const kBiasOps[] = {"sigmoid", "tanh", "relu", "elu", "silu", "hardswish", "mish", "gelu", "gelu_tanh"};
}  // namespace

const std::vector<OpSpec> &all_ops()
{
    static const std::vector<OpSpec> ops = [] {
        std::vector<OpSpec> list = {
            ACTFN_UNARY_OPS(ACTFN_UNARY)
            ACTFN_SHAPED("prelu", Kind::prelu, false, 0),
            ACTFN_SHAPED("softmax", Kind::softmax, true, 0),
            ACTFN_SHAPED("log_softmax", Kind::log_softmax, true, 0),
            // Dense-layer maxout (pieces adjacent) and channel maxout (NCHW with
            // H*W = 256): the two layouts a kernel has to handle differently.
            ACTFN_SHAPED("maxout", Kind::maxout, false, 1),
            ACTFN_SHAPED("maxout_nchw", Kind::maxout, false, 256),
            ACTFN_GLU_OPS(BENCH_GLU)
        };
        const std::vector<OpSpec> bias = {ACTFN_UNARY_OPS(BENCH_BIAS)};
        for (const char *name : kBiasOps) {
            auto it = std::find_if(bias.begin(), bias.end(),
                                   [name](const OpSpec &op) { return std::strcmp(op.act, name) == 0; });
            if (it == bias.end())
                throw std::logic_error(std::string("kBiasOps names ") + name + ", not an elementwise op");
            list.push_back(*it);
        }
        return list;
    }();
    return ops;
}

// ---------------------------------------------------------------------------
// Names and sizes.

const char *pass_name(Pass p) { return p == Pass::fwd ? "fwd" : "bwd"; }
const char *dtype_name(DType d)
{
    switch (d) {
    case DType::f32: return "f32";
    case DType::f64: return "f64";
    case DType::bf16: return "bf16";
    case DType::f16: return "f16";
    }
    return "?";
}

size_t dtype_size(DType d)
{
    switch (d) {
    case DType::f32: return sizeof(float);
    case DType::f64: return sizeof(double);
    case DType::bf16: return sizeof(actfn_bf16);
    case DType::f16: return sizeof(actfn_f16);
    }
    return 0;
}

bool is_half(DType d) { return d == DType::bf16 || d == DType::f16; }

double peer_tolerance(DType d)
{
    switch (d) {
    case DType::bf16: return 8 * 0x1p-8;   // 8 ULPs at 1: bfloat16 has 8 significant bits
    case DType::f16: return 8 * 0x1p-11;   // binary16 has 11
    default: return 1e-3;
    }
}

std::string case_name(const Case &c, const std::string &impl)
{
    return std::string(c.op->name) + "/" + pass_name(c.pass) + "/" + dtype_name(c.dtype) + "/" + impl + "/" +
           std::to_string(c.n);
}

size_t forward_out_count(const Case &c) { return c.op->kind == Kind::maxout ? c.n / kMaxoutK : c.n; }

size_t channel_count(const Case &c)
{
    return c.op->kind == Kind::prelu ? kPreluChannels : c.op->kind == Kind::bias ? kBiasChannels : 0;
}

bool has_second_output(const Case &c)
{
    return c.pass == Pass::bwd && (c.op->kind == Kind::prelu || c.op->kind == Kind::glu || c.op->kind == Kind::bias);
}

size_t case_bytes(const Case &c)
{
    const size_t s = dtype_size(c.dtype);
    const size_t y = forward_out_count(c);
    const bool fwd = c.pass == Pass::fwd;
    size_t elements = fwd ? c.n + y   // x in, y out
                          : c.n + y + c.n;  // x (or y) and dy in, dx out
    switch (c.op->kind) {
    case Kind::glu:
        elements = fwd ? 2 * c.n + c.n          // a, b in; y out
                       : 3 * c.n + 2 * c.n;     // a, b, dy in; da, db out
        break;
    case Kind::prelu:
    case Kind::bias:
        // alpha (bias) in; backward: dalpha (dbias) out as well
        elements += fwd ? channel_count(c) : 2 * channel_count(c);
        break;
    default:
        break;
    }
    return elements * s;
}

namespace {
std::vector<std::string> &names_store()
{
    static std::vector<std::string> names;
    return names;
}
int threads_ = 0;
}  // namespace

int threads() { return threads_; }
void set_threads(int n) { threads_ = n; }

benchmark::internal::Benchmark *register_benchmark(const std::string &name,
                                                   std::function<void(benchmark::State &)> body, int repetitions)
{
    auto *b = benchmark::RegisterBenchmark(name.c_str(), std::move(body))->Unit(benchmark::kNanosecond);
    if (threads_ > 0) b->UseRealTime();
    if (repetitions > 0) {
        // Google Benchmark names such a benchmark with this suffix.
        b->Repetitions(repetitions);
        names_store().push_back(name + "/repeats:" + std::to_string(repetitions));
    } else {
        names_store().push_back(name);
    }
    return b;
}

const std::vector<std::string> &registered_names() { return names_store(); }

void report_counters(benchmark::State &state, size_t items, size_t bytes)
{
    const auto iterations = static_cast<int64_t>(state.iterations());
    state.SetItemsProcessed(iterations * static_cast<int64_t>(items));
    state.SetBytesProcessed(iterations * static_cast<int64_t>(bytes));
    state.counters["n"] = static_cast<double>(items);
    state.counters["bytes"] = static_cast<double>(bytes);
}

// ---------------------------------------------------------------------------
// Element types. The 16-bit types are raw bit patterns; the benchmark widens
// and narrows them with src/half.h, the scalar conversions the library's
// kernels must match bit for bit (narrowing rounds to nearest even).

namespace {

template <typename T> struct Elem;
template <> struct Elem<float> {
    static float from_float(float v) { return v; }
    static double to_double(float v) { return v; }
    static float nan() { return std::numeric_limits<float>::quiet_NaN(); }
};
template <> struct Elem<double> {
    static double from_float(float v) { return v; }
    static double to_double(double v) { return v; }
    static double nan() { return std::numeric_limits<double>::quiet_NaN(); }
};
template <> struct Elem<actfn_bf16> {
    static actfn_bf16 from_float(float v) { return actfn_bf16{half_f32_to_bf16(v)}; }
    static double to_double(actfn_bf16 v) { return half_bf16_to_f32(v.bits); }
    static actfn_bf16 nan() { return actfn_bf16{0x7fc0}; }
};
template <> struct Elem<actfn_f16> {
    static actfn_f16 from_float(float v) { return actfn_f16{half_f32_to_f16(v)}; }
    static double to_double(actfn_f16 v) { return half_f16_to_f32(v.bits); }
    static actfn_f16 nan() { return actfn_f16{0x7e00}; }
};

// Calls f with a value of the element type of d (f(float{}), f(actfn_bf16{}), ...).
template <typename F> auto with_type(DType d, F &&f)
{
    switch (d) {
    case DType::f64: return f(double{});
    case DType::bf16: return f(actfn_bf16{});
    case DType::f16: return f(actfn_f16{});
    case DType::f32: break;
    }
    return f(float{});
}

}  // namespace

// ---------------------------------------------------------------------------
// Realistic input values, generated once per (dtype, n, role) and copied into
// each workload (generating 16M normals takes far longer than copying them).
// f32 and f64 draw the same doubles and round them to their type; bf16 and
// f16 take the f32 values and round those, to nearest even, once: every type
// sees the same distribution, and the 16-bit inputs are exactly the f32
// inputs rounded.

namespace {

enum class Role { x, dy, alpha, b, bias };

template <typename T> const std::vector<T> &random_values(Role role, size_t count)
{
    static std::map<std::pair<int, size_t>, std::vector<T>> cache;
    auto key = std::make_pair(static_cast<int>(role), count);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    // Keep only the latest size per role: cases run size by size.
    for (auto i = cache.begin(); i != cache.end();)
        i = i->first.first == key.first ? cache.erase(i) : std::next(i);

    std::vector<T> values(count);
    if constexpr (std::is_same_v<T, actfn_bf16> || std::is_same_v<T, actfn_f16>) {
        // The f32 values (generated here if need be, and kept: the f32 cases of
        // this size usually run next), rounded.
        const std::vector<float> &f = random_values<float>(role, count);
        for (size_t i = 0; i < count; i++) values[i] = Elem<T>::from_float(f[i]);
    } else {
        std::mt19937_64 rng(0x5eed0000u + static_cast<unsigned>(role));
        if (role == Role::alpha) {
            std::uniform_real_distribution<double> slope(0.05, 0.3);
            for (auto &v : values) v = static_cast<T>(slope(rng));
        } else if (role == Role::bias) {
            // A trained layer's biases are small next to its pre-activations.
            std::normal_distribution<double> normal(0.0, 0.5);
            for (auto &v : values) v = static_cast<T>(normal(rng));
        } else {
            // b, the other half of a gated op's projection, is distributed as x.
            // Pre-activations of a trained network are roughly normal with a
            // spread of a few units; gradients are smaller.
            std::normal_distribution<double> normal(0.0, role == Role::dy ? 1.0 : 3.0);
            for (auto &v : values) v = static_cast<T>(normal(rng));
        }
    }
    return cache.emplace(key, std::move(values)).first->second;
}

template <typename T> void fill_random(void *dst, Role role, size_t count)
{
    const auto &values = random_values<T>(role, count);
    std::memcpy(dst, values.data(), count * sizeof(T));
}

// The libactfn calls of the shaped ops, one overload per element type.
#define BENCH_SHAPED_CALLS(T, sfx)                                                                           \
    int prelu_fwd(const T *x, const T *a, T *y, size_t o, size_t c, size_t i)                                \
    {                                                                                                        \
        return actfn_prelu_##sfx(x, a, y, o, c, i);                                                          \
    }                                                                                                        \
    int prelu_bwd(const T *x, const T *a, const T *dy, T *dx, T *da, size_t o, size_t c, size_t i)           \
    {                                                                                                        \
        return actfn_prelu_backward_##sfx(x, a, dy, dx, da, o, c, i);                                        \
    }                                                                                                        \
    int softmax_fwd(const T *x, T *y, size_t r, size_t c) { return actfn_softmax_##sfx(x, y, r, c); }         \
    int softmax_bwd(const T *y, const T *dy, T *dx, size_t r, size_t c)                                      \
    {                                                                                                        \
        return actfn_softmax_backward_##sfx(y, dy, dx, r, c);                                                \
    }                                                                                                        \
    int log_softmax_fwd(const T *x, T *y, size_t r, size_t c) { return actfn_log_softmax_##sfx(x, y, r, c); } \
    int log_softmax_bwd(const T *y, const T *dy, T *dx, size_t r, size_t c)                                  \
    {                                                                                                        \
        return actfn_log_softmax_backward_##sfx(y, dy, dx, r, c);                                            \
    }                                                                                                        \
    int maxout_fwd(const T *x, T *y, size_t o, size_t k, size_t i) { return actfn_maxout_##sfx(x, y, o, k, i); } \
    int maxout_bwd(const T *x, const T *dy, T *dx, size_t o, size_t k, size_t i)                             \
    {                                                                                                        \
        return actfn_maxout_backward_##sfx(x, dy, dx, o, k, i);                                              \
    }
BENCH_SHAPED_CALLS(float, f32)
BENCH_SHAPED_CALLS(double, f64)
BENCH_SHAPED_CALLS(actfn_bf16, bf16)
BENCH_SHAPED_CALLS(actfn_f16, f16)
#undef BENCH_SHAPED_CALLS

// The arrays of one call (see Workload): in = x (or y; a for glu), b = glu's
// b, alpha = prelu's alpha or the bias; out = y or dx (da), out2 = glu's db,
// dalpha = prelu's dalpha or the dbias.
template <typename T> struct Arrays {
    const T *in, *b, *dy, *alpha;
    T *out, *out2, *dalpha;
};

// One libactfn call of case c: forward reads x = in, writes out; backward
// reads in and dy, writes out (and the second output).
template <typename T> int call_actfn(const Case &c, const Arrays<T> &p)
{
    const OpSpec &op = *c.op;
    const TypedFns<T> &f = op.fns<T>();
    const bool fwd = c.pass == Pass::fwd;
    const T *in = p.in, *dy = p.dy, *alpha = p.alpha;
    T *out = p.out, *dalpha = p.dalpha;
    switch (op.kind) {
    case Kind::unary:
        return fwd ? f.fwd(in, out, c.n, op.params) : f.bwd(in, dy, out, c.n, op.params);
    case Kind::glu:
        return fwd ? f.glu_fwd(in, p.b, out, c.n) : f.glu_bwd(in, p.b, dy, out, p.out2, c.n);
    case Kind::bias: {
        const size_t rows = c.n / kBiasChannels;
        return fwd ? f.bias_fwd(in, alpha, out, rows, kBiasChannels, 1, op.params)
                   : f.bias_bwd(in, alpha, dy, out, dalpha, rows, kBiasChannels, 1, op.params);
    }
    case Kind::prelu: {
        const size_t inner = c.n / kPreluChannels;
        return fwd ? prelu_fwd(in, alpha, out, 1, kPreluChannels, inner)
                   : prelu_bwd(in, alpha, dy, out, dalpha, 1, kPreluChannels, inner);
    }
    case Kind::softmax:
        return fwd ? softmax_fwd(in, out, c.n / kSoftmaxCols, kSoftmaxCols)
                   : softmax_bwd(in, dy, out, c.n / kSoftmaxCols, kSoftmaxCols);
    case Kind::log_softmax:
        return fwd ? log_softmax_fwd(in, out, c.n / kSoftmaxCols, kSoftmaxCols)
                   : log_softmax_bwd(in, dy, out, c.n / kSoftmaxCols, kSoftmaxCols);
    case Kind::maxout: {
        const size_t inner = op.maxout_inner, outer = c.n / (kMaxoutK * inner);
        return fwd ? maxout_fwd(in, out, outer, kMaxoutK, inner) : maxout_bwd(in, dy, out, outer, kMaxoutK, inner);
    }
    }
    return -1;
}

// Compares a peer's result with libactfn's: relative differences, with
// values far below the array's magnitude judged against that magnitude. A
// few elements may differ: libraries disagree on the value exactly at a kink
// (oneDNN's clip backward passes dy at x == max, SPEC §3 gives 0), and 16M
// normal samples do land on such points; in a 16-bit type far more samples
// share a value (bf16 has 128 per binade; about 0.1% of the x of a bf16 case
// are exactly 3, hardswish's kink), so up to 0.5% of them may. A wrong
// formula differs almost everywhere.
//
// A 16-bit peer may also round intermediates to the storage type (PyTorch's
// unfused expressions do, and some of its bf16 kernels compute in bf16):
// its results are then several ULPs off where the op cancels (1 - y^2 from
// a bf16 y). Such a result is accepted, with `note` saying how far it is,
// when every element but the allowance is within rel_tol of the array's
// largest magnitude (an absolute error of 8 ULPs at the top of the range);
// the formula and parameters themselves are checked strictly on the f32
// rows, which run the same mapping. A reduction (dalpha, dbias: a sum over
// the rows) adds up such errors, and is allowed 4 times as much
// (`reduction`). Returns "" when they agree, else where they differ.
template <typename T>
std::string compare_arrays(const char *what, const T *got, const T *want, size_t count, double rel_tol,
                           std::string *note, bool reduction = false)
{
    double scale = 0;
    for (size_t i = 0; i < count; i++) scale = std::max(scale, std::fabs(Elem<T>::to_double(want[i])));
    const double floor = std::max(scale * 1e-3, 1e-30);
    size_t differing = 0, far = 0, worst_at = 0;
    double worst = 0;
    for (size_t i = 0; i < count; i++) {
        const double g = Elem<T>::to_double(got[i]), w = Elem<T>::to_double(want[i]);
        double d = std::fabs(g - w) / std::max(std::fabs(w), floor);
        double a = std::fabs(g - w) / std::max(scale, 1e-30);
        if (std::isnan(g) != std::isnan(w)) d = a = INFINITY;
        if (std::isnan(d)) d = a = 0;  // both NaN, or the same infinity
        if (d > rel_tol) differing++;
        if (a > (reduction ? 4 : 1) * rel_tol) far++;
        if (d > worst) {
            worst = d;
            worst_at = i;
        }
    }
    const bool half = sizeof(T) == 2;
    const size_t allowed = 2 + count / (half ? 200 : 1000000);
    const std::string where = std::to_string(differing) + " of " + std::to_string(count) +
                              " elements, by up to " + std::to_string(worst) + " (relative) at [" +
                              std::to_string(worst_at) + "]: " +
                              std::to_string(Elem<T>::to_double(got[worst_at])) + " vs " +
                              std::to_string(Elem<T>::to_double(want[worst_at]));
    if (differing <= allowed) return "";
    if (half && far <= allowed) {
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * static_cast<double>(differing) / static_cast<double>(count));
        if (note) *note = std::string("less accurate: ") + what + " beyond 8 ULPs in " + pct + " of elements";
        return "";
    }
    return std::string(what) + " differs from libactfn in " + where;
}

}  // namespace

// ---------------------------------------------------------------------------
// Workload.

void Workload::Free::operator()(void *p) const { std::free(p); }

Workload::Buffer Workload::alloc(size_t bytes)
{
    const size_t rounded = (bytes + 63) / 64 * 64;
    void *p = std::aligned_alloc(64, rounded ? rounded : 64);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, rounded);  // fault every page in before timing
    return Buffer(p);
}

namespace {
template <typename T> void fill_workload(const Case &c, T *in, T *dy, T *alpha, T *b)
{
    const bool bwd = c.pass == Pass::bwd;
    if (c.op->kind == Kind::prelu) fill_random<T>(alpha, Role::alpha, kPreluChannels);
    if (c.op->kind == Kind::bias) fill_random<T>(alpha, Role::bias, kBiasChannels);
    if (c.op->kind == Kind::glu) fill_random<T>(b, Role::b, c.n);
    if (bwd) fill_random<T>(dy, Role::dy, forward_out_count(c));
    if (bwd && c.op->bwd_from_y) {
        // The backward takes y: make it the forward output of realistic x,
        // computed in the case's own type.
        std::vector<T> x(c.n);
        fill_random<T>(x.data(), Role::x, c.n);
        Case forward = c;
        forward.pass = Pass::fwd;
        int status = call_actfn<T>(forward, {x.data(), b, nullptr, alpha, in, nullptr, nullptr});
        if (status != 0) throw std::runtime_error("forward pass for the backward input failed");
    } else {
        fill_random<T>(in, Role::x, c.n);
    }
}
}  // namespace

Workload::Workload(const Case &c) : case_(c)
{
    const size_t s = dtype_size(c.dtype);
    const size_t y = forward_out_count(c);
    const bool bwd = c.pass == Pass::bwd;
    out_count_ = bwd ? c.n : y;
    in_ = alloc(c.n * s);
    dy_ = alloc((bwd ? y : 0) * s);
    out_ = alloc(out_count_ * s);
    alpha_ = alloc(channel_count(c) * s);
    dalpha_ = alloc(channel_count(c) * s);
    const bool glu = c.op->kind == Kind::glu;
    b_ = alloc((glu ? c.n : 0) * s);
    out2_ = alloc((glu && bwd ? c.n : 0) * s);
    with_type(c.dtype, [this, &c](auto tag) {
        using T = decltype(tag);
        fill_workload<T>(c, in<T>(), dy<T>(), alpha<T>(), b<T>());
    });
}

int Workload::run_actfn() const
{
    return with_type(case_.dtype, [this](auto tag) {
        using T = decltype(tag);
        return call_actfn<T>(case_, {in<T>(), b<T>(), dy<T>(), alpha<T>(), out<T>(), out2<T>(), dalpha<T>()});
    });
}

void Workload::poison_outputs() const
{
    with_type(case_.dtype, [this](auto tag) {
        using T = decltype(tag);
        std::fill(out<T>(), out<T>() + out_count(), Elem<T>::nan());
        if (!has_second_output(case_)) return;
        if (case_.op->kind == Kind::glu)
            std::fill(out2<T>(), out2<T>() + case_.n, Elem<T>::nan());
        else
            std::fill(dalpha<T>(), dalpha<T>() + channel_count(case_), Elem<T>::nan());
    });
}

std::string Workload::compare_with_actfn(double rel_tol, bool with_second, std::string *note) const
{
    return with_type(case_.dtype, [&](auto tag) {
        using T = decltype(tag);
        const Case &c = case_;
        const bool glu = c.op->kind == Kind::glu;
        // The second output: glu's db (n), else dalpha / dbias (one per channel).
        const size_t second = glu ? c.n : channel_count(c);
        std::vector<T> want(out_count()), want2(has_second_output(c) ? second : 0);
        T *want_out2 = glu ? want2.data() : nullptr, *want_dalpha = glu ? nullptr : want2.data();
        int status =
            call_actfn<T>(c, {in<T>(), b<T>(), dy<T>(), alpha<T>(), want.data(), want_out2, want_dalpha});
        if (status != 0) return "libactfn failed with status " + std::to_string(status);
        const char *first = c.pass == Pass::fwd ? "output" : glu ? "da" : "dx";
        std::string note1, note2;
        std::string why = compare_arrays(first, out<T>(), want.data(), out_count(), rel_tol, &note1);
        if (why.empty() && with_second && has_second_output(c)) {
            const char *what = glu ? "db" : c.op->kind == Kind::bias ? "dbias" : "dalpha";
            why = compare_arrays(what, glu ? out2<T>() : dalpha<T>(), want2.data(), second, rel_tol, &note2, !glu);
        }
        if (note) *note = note1.empty() ? note2 : note2.empty() ? note1 : note1 + "; " + note2;
        return why;
    });
}

const Workload &workload_for(const Case &c)
{
    static std::unique_ptr<Workload> current;
    if (!current || current->c().op != c.op || current->c().pass != c.pass || current->c().dtype != c.dtype ||
        current->c().n != c.n) {
        current.reset();  // free the previous buffers first: 16M cases are large
        current = std::make_unique<Workload>(c);
    }
    return *current;
}

}  // namespace bench
