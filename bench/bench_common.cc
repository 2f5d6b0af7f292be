/*
 * bench_common.cc — the operation list, the buffers of a benchmark case
 * (realistic values, aligned, touched before timing), the libactfn call for
 * a case and the check that a peer computed the same result.
 */
#include "bench_common.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <tuple>

namespace bench {

// ---------------------------------------------------------------------------
// The operations. Unary ops and the fused bias ops go through four small
// adapters each, generated here so every op is one line; the gated ops'
// entry points have the benchmark's signature already; shaped ops are called
// in call_actfn.

// Parameters in signature order from p[] (src/oplist.h), and the defaults.
#define BENCH_PARG_F32(op, index, pname, def, domain) , static_cast<float>(p[index])
#define BENCH_PARG_F64(op, index, pname, def, domain) , p[index]
#define BENCH_PDEFAULT(op, index, pname, def, domain) def,
#define ACTFN_UNARY_FNS(op)                                                                                  \
    [](const float *x, float *y, size_t n, const double *p) {                                               \
        (void)p;                                                                                            \
        return actfn_##op##_f32(x, y, n ACTFN_PARAMS_##op(BENCH_PARG_F32));                                 \
    },                                                                                                      \
        [](const float *in, const float *dy, float *dx, size_t n, const double *p) {                       \
            (void)p;                                                                                        \
            return actfn_##op##_backward_f32(in, dy, dx, n ACTFN_PARAMS_##op(BENCH_PARG_F32));              \
        },                                                                                                  \
        [](const double *x, double *y, size_t n, const double *p) {                                        \
            (void)p;                                                                                        \
            return actfn_##op##_f64(x, y, n ACTFN_PARAMS_##op(BENCH_PARG_F64));                             \
        },                                                                                                  \
        [](const double *in, const double *dy, double *dx, size_t n, const double *p) {                    \
            (void)p;                                                                                        \
            return actfn_##op##_backward_f64(in, dy, dx, n ACTFN_PARAMS_##op(BENCH_PARG_F64));              \
        }
#define ACTFN_UNARY(op, NAME, from, cls, family)                                                              \
    OpSpec{#op, Kind::unary, BENCH_FROM_##from, {ACTFN_PARAMS_##op(BENCH_PDEFAULT) 0}, 0, ACTFN_UNARY_FNS(op),   \
           nullptr, false, {}, {}},
#define BENCH_FROM_X false
#define BENCH_FROM_Y true
#define ACTFN_SHAPED(name, kind, from_y, inner)                                                              \
    OpSpec { name, kind, from_y, {0, 0}, inner, nullptr, nullptr, nullptr, nullptr, nullptr, false, {}, {} }

// The gated ops (ACTFN_GLU_OPS): the backward takes a and b, never y.
#define BENCH_GATE_A false
#define BENCH_GATE_B true
#define BENCH_GLU(op, NAME, act, ACT, gate)                                                                  \
    OpSpec{#op,                                                                                              \
           Kind::glu,                                                                                        \
           false,                                                                                            \
           {0, 0},                                                                                           \
           0,                                                                                                \
           nullptr,                                                                                          \
           nullptr,                                                                                          \
           nullptr,                                                                                          \
           nullptr,                                                                                          \
           #act,                                                                                             \
           BENCH_GATE_##gate,                                                                                \
           {actfn_##op##_f32, actfn_##op##_backward_f32, actfn_##op##_f64, actfn_##op##_backward_f64},       \
           {}},

// bias_<op> for every elementwise op, with the op's parameters and defaults;
// the backward takes x for every op (SPEC §11), sigmoid and tanh included.
#define BENCH_BIAS_FNS(op)                                                                                   \
    [](const float *x, const float *bias, float *y, size_t o, size_t c, size_t i, const double *p) {        \
        (void)p;                                                                                            \
        return actfn_bias_##op##_f32(x, bias, y, o, c, i ACTFN_PARAMS_##op(BENCH_PARG_F32));                \
    },                                                                                                      \
        [](const float *x, const float *bias, const float *dy, float *dx, float *db, size_t o, size_t c,   \
           size_t i, const double *p) {                                                                     \
            (void)p;                                                                                        \
            return actfn_bias_##op##_backward_f32(x, bias, dy, dx, db, o, c, i                              \
                                                      ACTFN_PARAMS_##op(BENCH_PARG_F32));                   \
        },                                                                                                  \
        [](const double *x, const double *bias, double *y, size_t o, size_t c, size_t i, const double *p) { \
            (void)p;                                                                                        \
            return actfn_bias_##op##_f64(x, bias, y, o, c, i ACTFN_PARAMS_##op(BENCH_PARG_F64));            \
        },                                                                                                  \
        [](const double *x, const double *bias, const double *dy, double *dx, double *db, size_t o,        \
           size_t c, size_t i, const double *p) {                                                           \
            (void)p;                                                                                        \
            return actfn_bias_##op##_backward_f64(x, bias, dy, dx, db, o, c, i                              \
                                                      ACTFN_PARAMS_##op(BENCH_PARG_F64));                   \
        }
#define BENCH_BIAS(op, NAME, from, cls, family)                                                              \
    OpSpec{"bias_" #op,                                                                                      \
           Kind::bias,                                                                                       \
           false,                                                                                            \
           {ACTFN_PARAMS_##op(BENCH_PDEFAULT) 0},                                                            \
           0,                                                                                                \
           nullptr,                                                                                          \
           nullptr,                                                                                          \
           nullptr,                                                                                          \
           nullptr,                                                                                          \
           #op,                                                                                              \
           false,                                                                                            \
           {},                                                                                               \
           {BENCH_BIAS_FNS(op)}},

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
const char *dtype_name(DType d) { return d == DType::f32 ? "f32" : "f64"; }
size_t dtype_size(DType d) { return d == DType::f32 ? sizeof(float) : sizeof(double); }

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
// Realistic input values, generated once per (dtype, n, role) and copied into
// each workload (generating 16M normals takes far longer than copying them).

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
    return cache.emplace(key, std::move(values)).first->second;
}

template <typename T> void fill_random(void *dst, Role role, size_t count)
{
    const auto &values = random_values<T>(role, count);
    std::memcpy(dst, values.data(), count * sizeof(T));
}

// The libactfn calls of the shaped ops, one overload per type.
int prelu_fwd(const float *x, const float *a, float *y, size_t o, size_t c, size_t i)
{
    return actfn_prelu_f32(x, a, y, o, c, i);
}
int prelu_fwd(const double *x, const double *a, double *y, size_t o, size_t c, size_t i)
{
    return actfn_prelu_f64(x, a, y, o, c, i);
}
int prelu_bwd(const float *x, const float *a, const float *dy, float *dx, float *da, size_t o, size_t c, size_t i)
{
    return actfn_prelu_backward_f32(x, a, dy, dx, da, o, c, i);
}
int prelu_bwd(const double *x, const double *a, const double *dy, double *dx, double *da, size_t o, size_t c,
              size_t i)
{
    return actfn_prelu_backward_f64(x, a, dy, dx, da, o, c, i);
}
int softmax_fwd(const float *x, float *y, size_t r, size_t c) { return actfn_softmax_f32(x, y, r, c); }
int softmax_fwd(const double *x, double *y, size_t r, size_t c) { return actfn_softmax_f64(x, y, r, c); }
int softmax_bwd(const float *y, const float *dy, float *dx, size_t r, size_t c)
{
    return actfn_softmax_backward_f32(y, dy, dx, r, c);
}
int softmax_bwd(const double *y, const double *dy, double *dx, size_t r, size_t c)
{
    return actfn_softmax_backward_f64(y, dy, dx, r, c);
}
int log_softmax_fwd(const float *x, float *y, size_t r, size_t c) { return actfn_log_softmax_f32(x, y, r, c); }
int log_softmax_fwd(const double *x, double *y, size_t r, size_t c) { return actfn_log_softmax_f64(x, y, r, c); }
int log_softmax_bwd(const float *y, const float *dy, float *dx, size_t r, size_t c)
{
    return actfn_log_softmax_backward_f32(y, dy, dx, r, c);
}
int log_softmax_bwd(const double *y, const double *dy, double *dx, size_t r, size_t c)
{
    return actfn_log_softmax_backward_f64(y, dy, dx, r, c);
}
int maxout_fwd(const float *x, float *y, size_t o, size_t k, size_t i) { return actfn_maxout_f32(x, y, o, k, i); }
int maxout_fwd(const double *x, double *y, size_t o, size_t k, size_t i) { return actfn_maxout_f64(x, y, o, k, i); }
int maxout_bwd(const float *x, const float *dy, float *dx, size_t o, size_t k, size_t i)
{
    return actfn_maxout_backward_f32(x, dy, dx, o, k, i);
}
int maxout_bwd(const double *x, const double *dy, double *dx, size_t o, size_t k, size_t i)
{
    return actfn_maxout_backward_f64(x, dy, dx, o, k, i);
}

UnaryFwd<float> unary_fwd(const OpSpec &op, float *) { return op.fwd_f32; }
UnaryFwd<double> unary_fwd(const OpSpec &op, double *) { return op.fwd_f64; }
UnaryBwd<float> unary_bwd(const OpSpec &op, float *) { return op.bwd_f32; }
UnaryBwd<double> unary_bwd(const OpSpec &op, double *) { return op.bwd_f64; }
GluFwd<float> glu_fwd(const OpSpec &op, float *) { return op.glu.fwd_f32; }
GluFwd<double> glu_fwd(const OpSpec &op, double *) { return op.glu.fwd_f64; }
GluBwd<float> glu_bwd(const OpSpec &op, float *) { return op.glu.bwd_f32; }
GluBwd<double> glu_bwd(const OpSpec &op, double *) { return op.glu.bwd_f64; }
BiasFwd<float> bias_fwd(const OpSpec &op, float *) { return op.bias.fwd_f32; }
BiasFwd<double> bias_fwd(const OpSpec &op, double *) { return op.bias.fwd_f64; }
BiasBwd<float> bias_bwd(const OpSpec &op, float *) { return op.bias.bwd_f32; }
BiasBwd<double> bias_bwd(const OpSpec &op, double *) { return op.bias.bwd_f64; }

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
    const bool fwd = c.pass == Pass::fwd;
    const T *in = p.in, *dy = p.dy, *alpha = p.alpha;
    T *out = p.out, *dalpha = p.dalpha;
    switch (op.kind) {
    case Kind::unary:
        return fwd ? unary_fwd(op, out)(in, out, c.n, op.params) : unary_bwd(op, out)(in, dy, out, c.n, op.params);
    case Kind::glu:
        return fwd ? glu_fwd(op, out)(in, p.b, out, c.n) : glu_bwd(op, out)(in, p.b, dy, out, p.out2, c.n);
    case Kind::bias: {
        const size_t rows = c.n / kBiasChannels;
        return fwd ? bias_fwd(op, out)(in, alpha, out, rows, kBiasChannels, 1, op.params)
                   : bias_bwd(op, out)(in, alpha, dy, out, dalpha, rows, kBiasChannels, 1, op.params);
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
// normal samples do land on such points. A wrong formula differs almost
// everywhere. Returns "" when they agree, else where they differ.
template <typename T>
std::string compare_arrays(const char *what, const T *got, const T *want, size_t count, double rel_tol)
{
    double scale = 0;
    for (size_t i = 0; i < count; i++) scale = std::max(scale, std::fabs(static_cast<double>(want[i])));
    const double floor = std::max(scale * 1e-3, 1e-30);
    size_t differing = 0, worst_at = 0;
    double worst = 0;
    for (size_t i = 0; i < count; i++) {
        const double g = got[i], w = want[i];
        double d = std::fabs(g - w) / std::max(std::fabs(w), floor);
        if (std::isnan(g) != std::isnan(w)) d = INFINITY;
        if (std::isnan(d)) d = 0;  // both NaN
        if (d > rel_tol) differing++;
        if (d > worst) {
            worst = d;
            worst_at = i;
        }
    }
    if (differing <= 2 + count / 1000000) return "";
    return std::string(what) + " differs from libactfn in " + std::to_string(differing) + " of " +
           std::to_string(count) + " elements, by up to " + std::to_string(worst) + " (relative) at [" +
           std::to_string(worst_at) + "]: " + std::to_string(static_cast<double>(got[worst_at])) + " vs " +
           std::to_string(static_cast<double>(want[worst_at]));
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
        // The backward takes y: make it the forward output of realistic x.
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
    if (c.dtype == DType::f32)
        fill_workload<float>(c, in<float>(), dy<float>(), alpha<float>(), b<float>());
    else
        fill_workload<double>(c, in<double>(), dy<double>(), alpha<double>(), b<double>());
}

int Workload::run_actfn() const
{
    if (case_.dtype == DType::f32)
        return call_actfn<float>(case_, {in<float>(), b<float>(), dy<float>(), alpha<float>(), out<float>(),
                                         out2<float>(), dalpha<float>()});
    return call_actfn<double>(case_, {in<double>(), b<double>(), dy<double>(), alpha<double>(), out<double>(),
                                      out2<double>(), dalpha<double>()});
}

namespace {
template <typename T> void poison(T *p, size_t count)
{
    std::fill(p, p + count, std::numeric_limits<T>::quiet_NaN());
}
template <typename T> void poison_typed(const Workload &w)
{
    const Case &c = w.c();
    poison(w.out<T>(), w.out_count());
    if (!has_second_output(c)) return;
    if (c.op->kind == Kind::glu)
        poison(w.out2<T>(), c.n);
    else
        poison(w.dalpha<T>(), channel_count(c));
}
}  // namespace

void Workload::poison_outputs() const
{
    if (case_.dtype == DType::f32)
        poison_typed<float>(*this);
    else
        poison_typed<double>(*this);
}

namespace {
template <typename T> std::string compare_typed(const Workload &w, double rel_tol, bool with_second)
{
    const Case &c = w.c();
    const bool glu = c.op->kind == Kind::glu;
    // The second output: glu's db (n), else dalpha / dbias (one per channel).
    const size_t second = glu ? c.n : channel_count(c);
    std::vector<T> want(w.out_count()), want2(has_second_output(c) ? second : 0);
    T *want_out2 = glu ? want2.data() : nullptr, *want_dalpha = glu ? nullptr : want2.data();
    int status = call_actfn<T>(c, {w.in<T>(), w.b<T>(), w.dy<T>(), w.alpha<T>(), want.data(), want_out2,
                                   want_dalpha});
    if (status != 0) return "libactfn failed with status " + std::to_string(status);
    const char *first = c.pass == Pass::fwd ? "output" : glu ? "da" : "dx";
    std::string why = compare_arrays(first, w.out<T>(), want.data(), w.out_count(), rel_tol);
    if (why.empty() && with_second && has_second_output(c)) {
        const char *what = glu ? "db" : c.op->kind == Kind::bias ? "dbias" : "dalpha";
        why = compare_arrays(what, glu ? w.out2<T>() : w.dalpha<T>(), want2.data(), second, rel_tol);
    }
    return why;
}
}  // namespace

std::string Workload::compare_with_actfn(double rel_tol, bool with_second) const
{
    return case_.dtype == DType::f32 ? compare_typed<float>(*this, rel_tol, with_second)
                                     : compare_typed<double>(*this, rel_tol, with_second);
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
