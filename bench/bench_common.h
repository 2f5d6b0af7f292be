/*
 * bench_common.h — what the libactfn benchmark and its peers (oneDNN,
 * XNNPACK) share: the list of operations with their shapes, a benchmark
 * "case" (op × pass × dtype × n), the buffers of a case filled with
 * realistic values, the call into libactfn's public API for a case, and a
 * check that a peer computed the same thing.
 *
 * Every benchmark name has five fields, op/pass/dtype/impl/n, where impl is
 * an ISA name ("scalar", "avx2", ...), a peer ("onednn", "xnnpack", "torch")
 * or "libc" for the memcpy reference; bench/report.py parses them.
 */
#ifndef ACTFN_BENCH_COMMON_H
#define ACTFN_BENCH_COMMON_H

#include <benchmark/benchmark.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actfn.h"
#include "oplist.h"

namespace bench {

// glu: the gated ops of SPEC §11 (a, b of n each); bias: bias_<op>, the fused
// bias + elementwise op of SPEC §11.
enum class Kind { unary, prelu, softmax, log_softmax, maxout, glu, bias };
enum class Pass { fwd, bwd };
// bf16 and f16: the 16-bit storage types of SPEC §9 (actfn_bf16, actfn_f16:
// raw bit patterns, computed in float).
enum class DType { f32, f64, bf16, f16 };
// Every dtype, in the order the benchmarks run.
constexpr DType kAllDTypes[] = {DType::f32, DType::f64, DType::bf16, DType::f16};

// Shapes the issue fixes for the shaped ops.
constexpr size_t kSoftmaxCols = 1024;   // softmax / log_softmax rows of 1024
constexpr size_t kPreluChannels = 64;   // prelu (1, 64, n/64)
constexpr size_t kMaxoutK = 4;          // maxout pieces
// bias_<op>: x as (rows, features) = (n/1024, 1024, inner 1), one bias per
// feature: the bias + activation after a dense layer (an MLP), the case the
// fused ops are for.
constexpr size_t kBiasChannels = 1024;

// Parameters arrive as double (OpSpec::params) and are passed to the C
// function as its type takes them: float for f32, bf16 and f16.
template <typename T> using UnaryFwd = int (*)(const T *x, T *y, size_t n, const double *p);
template <typename T> using UnaryBwd = int (*)(const T *in, const T *dy, T *dx, size_t n, const double *p);
template <typename T> using GluFwd = int (*)(const T *a, const T *b, T *y, size_t n);
template <typename T> using GluBwd = int (*)(const T *a, const T *b, const T *dy, T *da, T *db, size_t n);
template <typename T>
using BiasFwd = int (*)(const T *x, const T *bias, T *y, size_t outer, size_t channels, size_t inner,
                        const double *p);
template <typename T>
using BiasBwd = int (*)(const T *x, const T *bias, const T *dy, T *dx, T *dbias, size_t outer, size_t channels,
                        size_t inner, const double *p);

// The entry points of an elementwise op (Kind::unary), a gated op
// (Kind::glu) or a fused bias op (Kind::bias) for one element type T
// (float, double, actfn_bf16, actfn_f16); the members of other kinds are
// null. Shaped ops are called by name in bench_common.cc.
template <typename T> struct TypedFns {
    UnaryFwd<T> fwd;
    UnaryBwd<T> bwd;
    GluFwd<T> glu_fwd;
    GluBwd<T> glu_bwd;
    BiasFwd<T> bias_fwd;
    BiasBwd<T> bias_bwd;
};

struct OpSpec {
    const char *name;
    Kind kind;
    bool bwd_from_y;      // backward takes the forward output y (else x)
    double params[ACTFN_MAX_PARAMS + 1];  // the defaults users expect (src/oplist.h), then 0
    size_t maxout_inner;  // maxout only: 1 = dense-layer, > 1 = channel maxout
    // glu and bias only: the elementwise op inside ("silu" for swiglu, "relu"
    // for bias_relu), for peers that compose it; glu only: whether the
    // activation is applied to b (glu) rather than to a.
    const char *act;
    bool gate_b;
    TypedFns<float> f32;
    TypedFns<double> f64;
    TypedFns<actfn_bf16> bf16;
    TypedFns<actfn_f16> f16;
    template <typename T> const TypedFns<T> &fns() const;
};
template <> inline const TypedFns<float> &OpSpec::fns<float>() const { return f32; }
template <> inline const TypedFns<double> &OpSpec::fns<double>() const { return f64; }
template <> inline const TypedFns<actfn_bf16> &OpSpec::fns<actfn_bf16>() const { return bf16; }
template <> inline const TypedFns<actfn_f16> &OpSpec::fns<actfn_f16>() const { return f16; }

// Every operation: SPEC §3's in its order, then the gated ops and the fused
// bias ops of §11 (bias_<op> for the ops of kBiasOps only, see
// bench_common.cc).
const std::vector<OpSpec> &all_ops();

struct Case {
    const OpSpec *op;
    Pass pass;
    DType dtype;
    size_t n;  // elements of the (main) input
};

const char *pass_name(Pass p);
const char *dtype_name(DType d);
size_t dtype_size(DType d);
bool is_half(DType d);  // bf16 or f16
// How far a peer's result may be from libactfn's (relative, see
// compare_with_actfn): 1e-3 for f32 (f64 has no peer but PyTorch), 8 ULPs of
// the storage type for bf16 (3.1e-2) and f16 (3.9e-3): a peer that rounds
// an intermediate to the storage type (an unfused PyTorch expression) is
// several ULPs away where the op amplifies it, and a wrong formula is far
// further.
double peer_tolerance(DType d);
std::string case_name(const Case &c, const std::string &impl);
// Bytes one call reads and writes (the footprint the memcpy reference copies).
size_t case_bytes(const Case &c);
// Output elements of the forward pass (n, except maxout: n / k).
size_t forward_out_count(const Case &c);
// Elements of the per-channel vector: prelu's alpha (64), the bias ops' bias
// (1024), else 0.
size_t channel_count(const Case &c);
// The backward pass has a second output to check (dalpha, db or dbias).
bool has_second_output(const Case &c);

// The buffers of one case, aligned to 64 bytes and touched before timing.
//   fwd: in = x,             out = y
//   bwd: in = x (or y), dy,  out = dx (and dalpha for prelu)
//   glu fwd: in = a, b,      out = y
//   glu bwd: in = a, b, dy,  out = da, out2 = db
//   bias fwd: in = x, bias,  out = y
//   bias bwd: in = x, bias, dy, out = dx, dbias
// For a backward from y, `in` holds the forward output of realistic x (the
// bias ops' backward takes x, whatever the op). prelu's alpha and the bias
// share a buffer (alpha/bias), as do dalpha and dbias.
class Workload {
public:
    explicit Workload(const Case &c);
    const Case &c() const { return case_; }
    template <typename T> T *in() const { return static_cast<T *>(in_.get()); }
    template <typename T> T *dy() const { return static_cast<T *>(dy_.get()); }
    template <typename T> T *out() const { return static_cast<T *>(out_.get()); }
    template <typename T> T *alpha() const { return static_cast<T *>(alpha_.get()); }
    template <typename T> T *dalpha() const { return static_cast<T *>(dalpha_.get()); }
    template <typename T> T *bias() const { return alpha<T>(); }
    template <typename T> T *dbias() const { return dalpha<T>(); }
    template <typename T> T *b() const { return static_cast<T *>(b_.get()); }
    template <typename T> T *out2() const { return static_cast<T *>(out2_.get()); }
    size_t out_count() const { return out_count_; }

    // One call of libactfn's public API for this case, with the ISA that is
    // active now; returns its status.
    int run_actfn() const;
    // Fills every output buffer with NaN: a peer calls it before the run it
    // checks, so that a peer which writes nothing (or only part) cannot pass
    // on the result libactfn left in the shared buffers.
    void poison_outputs() const;
    // After a peer has written out() (and, if `with_second`, the second
    // output of a backward: dalpha for prelu, db for glu, dbias for bias):
    // compares with libactfn's result. Returns "" when they agree within
    // `rel_tol`, else a message saying where they differ. A 16-bit result
    // that is only within rel_tol of the array's largest magnitude (a peer
    // that rounds intermediates to the storage type) agrees too, and `note`
    // (when given) then says how far it is, for the row's label.
    std::string compare_with_actfn(double rel_tol, bool with_second, std::string *note = nullptr) const;

private:
    struct Free {
        void operator()(void *p) const;
    };
    using Buffer = std::unique_ptr<void, Free>;
    static Buffer alloc(size_t bytes);

    Case case_;
    size_t out_count_;
    Buffer in_, dy_, out_, alpha_, dalpha_, b_, out2_;
};

// The workload of `c`, shared by every implementation of that case: cases run
// one after another, so only the most recent workload is kept.
const Workload &workload_for(const Case &c);

// The thread count of a scaling run (--threads=N): libactfn, oneDNN,
// XNNPACK and the memcpy reference all run on that many threads, and every
// benchmark is timed by the wall clock (CPU time would add the threads up).
// 0, the default, is the single-threaded run timed by CPU time.
int threads();
void set_threads(int n);

// Registers a benchmark under `name` (nanosecond unit) and remembers the
// name, so the progress display knows how many will run. `repetitions` > 0
// overrides --benchmark_repetitions for this one (Google Benchmark then
// appends "/repeats:N" to its name).
benchmark::internal::Benchmark *register_benchmark(const std::string &name,
                                                   std::function<void(benchmark::State &)> body,
                                                   int repetitions = 0);
const std::vector<std::string> &registered_names();

// Reports the counters every benchmark of a case has: items and bytes per
// call as rates, plus n and bytes per call as plain counters for
// bench/report.py.
void report_counters(benchmark::State &state, size_t items, size_t bytes);

// Runs `call` (returning 0 on success) once to warm caches and lazy
// initialisation, then in the benchmark loop, and reports items = n and
// bytes = case_bytes.
template <typename Call> void run_timed(benchmark::State &state, const Case &c, Call &&call)
{
    int status = call();
    if (status != 0) {
        state.SkipWithError(("warm-up call failed with status " + std::to_string(status)).c_str());
        return;
    }
    for (auto _ : state) {
        status = call();
        benchmark::DoNotOptimize(status);
        benchmark::ClobberMemory();
    }
    if (status != 0) {
        state.SkipWithError(("call failed with status " + std::to_string(status)).c_str());
        return;
    }
    report_counters(state, c.n, case_bytes(c));
}

// Peer libraries: each registers the benchmark of case `c` (named with
// case_name(c, "<peer>")) when it implements that op, pass and dtype, and
// describes itself (version, threading) for the report's context.
#ifdef ACTFN_BENCH_ONEDNN
void onednn_register(const Case &c);
std::string onednn_describe();
#endif
#ifdef ACTFN_BENCH_XNNPACK
void xnnpack_register(const Case &c);
std::string xnnpack_describe();
#endif

}  // namespace bench

#endif  // ACTFN_BENCH_COMMON_H
