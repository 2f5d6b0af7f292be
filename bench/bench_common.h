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

enum class Kind { unary, prelu, softmax, log_softmax, maxout };
enum class Pass { fwd, bwd };
enum class DType { f32, f64 };

// Shapes the issue fixes for the shaped ops.
constexpr size_t kSoftmaxCols = 1024;   // softmax / log_softmax rows of 1024
constexpr size_t kPreluChannels = 64;   // prelu (1, 64, n/64)
constexpr size_t kMaxoutK = 4;          // maxout pieces

template <typename T> using UnaryFwd = int (*)(const T *x, T *y, size_t n, const double *p);
template <typename T> using UnaryBwd = int (*)(const T *in, const T *dy, T *dx, size_t n, const double *p);

struct OpSpec {
    const char *name;
    Kind kind;
    bool bwd_from_y;      // backward takes the forward output y (else x)
    double params[ACTFN_MAX_PARAMS + 1];  // the defaults users expect (src/oplist.h), then 0
    size_t maxout_inner;  // maxout only: 1 = dense-layer, > 1 = channel maxout
    UnaryFwd<float> fwd_f32;
    UnaryBwd<float> bwd_f32;
    UnaryFwd<double> fwd_f64;
    UnaryBwd<double> bwd_f64;
};

// Every operation, in the order of SPEC §3.
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
std::string case_name(const Case &c, const std::string &impl);
// Bytes one call reads and writes (the footprint the memcpy reference copies).
size_t case_bytes(const Case &c);
// Output elements of the forward pass (n, except maxout: n / k).
size_t forward_out_count(const Case &c);

// The buffers of one case, aligned to 64 bytes and touched before timing.
//   fwd: in = x,             out = y
//   bwd: in = x (or y), dy,  out = dx (and dalpha for prelu)
// For a backward from y, `in` holds the forward output of realistic x.
class Workload {
public:
    explicit Workload(const Case &c);
    const Case &c() const { return case_; }
    template <typename T> T *in() const { return static_cast<T *>(in_.get()); }
    template <typename T> T *dy() const { return static_cast<T *>(dy_.get()); }
    template <typename T> T *out() const { return static_cast<T *>(out_.get()); }
    template <typename T> T *alpha() const { return static_cast<T *>(alpha_.get()); }
    template <typename T> T *dalpha() const { return static_cast<T *>(dalpha_.get()); }
    size_t out_count() const { return out_count_; }

    // One call of libactfn's public API for this case, with the ISA that is
    // active now; returns its status.
    int run_actfn() const;
    // After a peer has written out() (and, if `with_dalpha`, dalpha()):
    // compares with libactfn's result. Returns "" when they agree within
    // `rel_tol`, else a message saying where they differ.
    std::string compare_with_actfn(double rel_tol, bool with_dalpha) const;

private:
    struct Free {
        void operator()(void *p) const;
    };
    using Buffer = std::unique_ptr<void, Free>;
    static Buffer alloc(size_t bytes);

    Case case_;
    size_t out_count_;
    Buffer in_, dy_, out_, alpha_, dalpha_;
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
