/*
 * bench.cc — the throughput benchmark of libactfn (Google Benchmark).
 *
 * Drives the public C API: every op × pass × dtype × ISA this CPU and build
 * support (switched with actfn_set_isa), at n = 1K, 64K, 1M and 16M elements,
 * for f32, f64 and the 16-bit storage types bf16 and f16 of SPEC §9 (inputs
 * drawn as for f32 and rounded to the type once, before timing),
 * with a memcpy of the same footprint as the bandwidth reference and, when
 * built with them, the same cases through oneDNN and XNNPACK. All
 * implementations of one case run back to back on the same buffers, so a
 * noisy machine disturbs them alike. Single-threaded and timed by CPU time,
 * unless --threads=N: then libactfn (actfn_set_num_threads), oneDNN
 * (OpenMP), XNNPACK (a pthreadpool) and the memcpy reference (OpenMP, one
 * contiguous piece per thread) all run on N threads, timed by the wall
 * clock, for ./scripts/bench --threads.
 *
 * The fused ops of SPEC §11 run as any other op: the gated ops (glu, swiglu,
 * geglu, geglu_tanh, reglu) on a and b of n elements each (n is the size of
 * a), bias_<op> on x as (rows, features) = (n/1024, 1024) with 1024 biases,
 * the dense-layer (MLP) case (bench_common.h, kBiasChannels).
 *
 * Names are op/pass/dtype/impl/n (memcpy: memcpy/copy/u8/libc/<bytes>); the
 * scalar reference at 16M and more runs once, not --benchmark_repetitions
 * times, and carries Google Benchmark's suffix "/repeats:1".
 * Options of its own (the rest go to Google Benchmark, e.g.
 * --benchmark_filter=REGEX, --benchmark_format=json, --benchmark_out=FILE):
 *   --sizes=N,N,...   element counts (default 1024,65536,1048576,16777216)
 *   --no-peers        leave the peers out even when built in
 *   --no-xnnpack      leave XNNPACK out (./scripts/bench --avx2: it picks its
 *                     kernels from the CPU, with no way to hold it to AVX2)
 *   --repro           also every ISA in reproducible mode (impl "<isa>-repro")
 *   --progress        one progress line on stderr instead of the console table
 *   --threads=N       run everything on N threads, timed by the wall clock
 *   --isa=NAME        only this libactfn ISA ("default": the one dispatch picks)
 *   --list            print the names the filter selects and exit
 */
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#ifdef ACTFN_BENCH_OPENMP
#include <omp.h>
#endif

#include "bench_common.h"

namespace {

using namespace bench;

struct Options {
    std::vector<size_t> sizes{1024, 65536, 1048576, 16777216};
    bool peers = true;
    bool xnnpack = true;     // --no-xnnpack: the other peers only (it cannot be limited to an ISA)
    bool repro = false;
    bool progress = false;
    bool list = false;
    int threads = 0;         // 0: the single-threaded run
    std::string isa;         // "" every ISA, else one name or "default"
};

// Every ISA the library knows of, in the order of the enum; new ones are
// picked up as soon as actfn_isa_name knows them.
std::vector<actfn_isa> supported_isas()
{
    std::vector<actfn_isa> isas;
    for (int i = 0; std::strcmp(actfn_isa_name(static_cast<actfn_isa>(i)), "unknown") != 0; i++)
        if (actfn_isa_supported(static_cast<actfn_isa>(i))) isas.push_back(static_cast<actfn_isa>(i));
    return isas;
}

// The ISAs to benchmark: all, or the one --isa names.
std::vector<actfn_isa> benchmarked_isas(const Options &opt)
{
    if (opt.isa.empty()) return supported_isas();
    const actfn_isa chosen = actfn_get_isa();  // dispatch's choice, before any actfn_set_isa
    for (actfn_isa isa : supported_isas())
        if (opt.isa == actfn_isa_name(isa) || (opt.isa == "default" && isa == chosen)) return {isa};
    return {};
}

constexpr size_t kLongScalarN = size_t(1) << 24;

// One ISA in one mode; reproducible mode is named "<isa>-repro".
void register_actfn(const Case &c, actfn_isa isa, actfn_mode mode)
{
    const std::string impl =
        std::string(actfn_isa_name(isa)) + (mode == ACTFN_MODE_REPRODUCIBLE ? "-repro" : "");
    const std::string name = case_name(c, impl.c_str());
    // The scalar reference takes up to seconds per call out of cache: one
    // repetition of such a long call is steady enough, and saves minutes.
    const int repetitions = isa == ACTFN_ISA_SCALAR && c.n >= kLongScalarN ? 1 : 0;
    register_benchmark(
        name,
        [c, isa, mode](benchmark::State &state) {
            if (actfn_set_isa(isa) != ACTFN_OK || actfn_set_mode(mode) != ACTFN_OK) {
                state.SkipWithError("actfn_set_isa / actfn_set_mode failed");
                return;
            }
            const Workload &w = workload_for(c);
            run_timed(state, c, [&w] { return w.run_actfn(); });
        },
        repetitions);
}

// memcpy of `footprint` bytes of traffic: copies footprint/2 bytes, so it
// reads and writes as many bytes as an op whose inputs plus outputs are that
// large. glibc switches to non-temporal stores for large copies by itself.
// With --threads=N > 1, N OpenMP threads copy one contiguous piece each
// (cut at multiples of 64 bytes): the bandwidth N threads can reach.
void copy(unsigned char *dst, const unsigned char *src, size_t bytes)
{
    const int t = threads();
    if (t <= 1) {
        std::memcpy(dst, src, bytes);
        return;
    }
#ifdef ACTFN_BENCH_OPENMP
#pragma omp parallel num_threads(t)
    {
        const size_t lines = (bytes + 63) / 64, i = static_cast<size_t>(omp_get_thread_num());
        const size_t n = static_cast<size_t>(omp_get_num_threads());
        const size_t lo = std::min(bytes, lines * i / n * 64), hi = std::min(bytes, lines * (i + 1) / n * 64);
        std::memcpy(dst + lo, src + lo, hi - lo);
    }
#endif
}

void register_memcpy(size_t footprint)
{
    const std::string name = "memcpy/copy/u8/libc/" + std::to_string(footprint);
    register_benchmark(name, [footprint](benchmark::State &state) {
#ifndef ACTFN_BENCH_OPENMP
        if (threads() > 1) {
            state.SkipWithError("a multi-threaded memcpy needs OpenMP, and the benchmark was built without it");
            return;
        }
#endif
        const size_t half = footprint / 2;
        std::vector<unsigned char> src(half), dst(half);
        for (size_t i = 0; i < half; i++) src[i] = static_cast<unsigned char>(i * 131u);
        copy(dst.data(), src.data(), half);
        for (auto _ : state) {
            copy(dst.data(), src.data(), half);
            benchmark::DoNotOptimize(dst.data());
            benchmark::ClobberMemory();
        }
        report_counters(state, footprint, footprint);
    });
}

void register_peers(const Case &c, const Options &opt)
{
#ifdef ACTFN_BENCH_ONEDNN
    onednn_register(c);
#endif
#ifdef ACTFN_BENCH_XNNPACK
    if (opt.xnnpack) xnnpack_register(c);
#endif
    (void)c, (void)opt;
}

// The benchmark filter (--benchmark_filter) as Google Benchmark reads it (its
// matcher is not public): a POSIX extended regex, a leading '-' negates, ""
// and "all" select everything. Throws std::regex_error if it does not compile.
struct Filter {
    explicit Filter(std::string text)
    {
        if (!text.empty() && text[0] == '-') {
            negate = true;
            text.erase(0, 1);
        }
        if (text.empty() || text == "all") text = ".";
        re = std::regex(text, std::regex::extended);
    }
    bool selects(const std::string &name) const { return std::regex_search(name, re) != negate; }
    bool negate = false;
    std::regex re;
};

// Registration order is run order: per size, the memcpy references first,
// then per case every ISA and every peer back to back. The memcpy footprints
// are those of the cases the filter selects (as one of the ISAs or peers), so
// that a filtered run copies no more than its cases move.
void register_all(const Options &opt)
{
    const auto isas = benchmarked_isas(opt);
    const Filter filter(benchmark::GetBenchmarkFilter());
    std::vector<std::string> impls;
    for (actfn_isa isa : isas) {
        impls.push_back(actfn_isa_name(isa));
        if (opt.repro) impls.push_back(std::string(actfn_isa_name(isa)) + "-repro");
    }
    if (opt.peers) impls.push_back("onednn");
    if (opt.peers && opt.xnnpack) impls.push_back("xnnpack");
    for (size_t n : opt.sizes) {
        std::vector<Case> cases;
        std::set<size_t> footprints;
        for (const OpSpec &op : all_ops())
            for (Pass pass : {Pass::fwd, Pass::bwd})
                for (DType dtype : kAllDTypes) {
                    Case c{&op, pass, dtype, n};
                    cases.push_back(c);
                    for (const std::string &impl : impls)
                        if (filter.selects(case_name(c, impl))) {
                            footprints.insert(case_bytes(c));
                            break;
                        }
                }
        for (size_t f : footprints) register_memcpy(f);
        for (const Case &c : cases) {
            for (actfn_isa isa : isas) {
                register_actfn(c, isa, ACTFN_MODE_FAST);
                if (opt.repro) register_actfn(c, isa, ACTFN_MODE_REPRODUCIBLE);
            }
            if (opt.peers) register_peers(c, opt);
        }
    }
}

std::string cpu_model()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

void add_context(const Options &opt)
{
    std::string isas;
    for (actfn_isa isa : supported_isas()) isas += std::string(isas.empty() ? "" : ",") + actfn_isa_name(isa);
    benchmark::AddCustomContext("actfn_version", actfn_version());
    benchmark::AddCustomContext("actfn_isas", isas);
    benchmark::AddCustomContext("actfn_default_isa", actfn_isa_name(actfn_get_isa()));
    benchmark::AddCustomContext("actfn_threads", std::to_string(actfn_get_num_threads()));
    benchmark::AddCustomContext("cpu_model", cpu_model());
    std::string peers;
    if (opt.peers) {
#ifdef ACTFN_BENCH_ONEDNN
        peers += onednn_describe() + "; ";
#endif
#ifdef ACTFN_BENCH_XNNPACK
        peers += xnnpack_describe() + "; ";
#endif
    }
    benchmark::AddCustomContext("peers", peers.empty() ? "none" : peers.substr(0, peers.size() - 2));
}

// The registered benchmarks the filter selects.
std::vector<std::string> selected_names(const std::string &filter)
{
    const Filter f(filter);
    std::vector<std::string> names;
    for (const auto &name : registered_names())
        if (f.selects(name)) names.push_back(name);
    return names;
}

// A one-line progress display on stderr: how far, the last result, time left.
class ProgressReporter : public benchmark::BenchmarkReporter {
public:
    explicit ProgressReporter(size_t total) : total_(total), tty_(isatty(2)) {}
    bool ReportContext(const Context &) override
    {
        start_ = std::chrono::steady_clock::now();
        return true;
    }
    void ReportRuns(const std::vector<Run> &runs) override
    {
        for (const Run &run : runs) {
            if (run.run_type != Run::RT_Iteration) continue;
            if (run.repetition_index <= 0) done_++;
            show(run);
        }
    }
    void Finalize() override
    {
        if (tty_) std::fprintf(stderr, "\n");
        std::fprintf(stderr, "ran %zu benchmarks in %s\n", done_, elapsed_text(seconds()).c_str());
    }

private:
    double seconds() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    static std::string elapsed_text(double s)
    {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
        return buf;
    }
    void show(const Run &run)
    {
        const double s = seconds();
        const size_t total = std::max(total_, done_);
        std::string left = done_ ? elapsed_text(s / static_cast<double>(done_) * static_cast<double>(total - done_))
                                 : "?";
        std::string result = "error";
        if (!run.error_occurred) {
            auto n = run.counters.find("n");
            const double t = threads() > 0 ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime();
            double per = n == run.counters.end() ? 0 : t / n->second.value;
            char buf[48];
            std::snprintf(buf, sizeof buf, "%.3f ns/%s", per,
                          run.benchmark_name().rfind("memcpy/", 0) == 0 ? "byte" : "elem");
            result = buf;
        }
        char line[256];
        std::snprintf(line, sizeof line, "[%5zu/%zu %3d%%] %-44s %-18s elapsed %s, about %s left", done_, total,
                      static_cast<int>(100.0 * static_cast<double>(done_) / static_cast<double>(total)),
                      run.benchmark_name().c_str(), result.c_str(), elapsed_text(s).c_str(), left.c_str());
        if (tty_) {
            std::fprintf(stderr, "\r\033[K%s", line);
        } else if ((done_ % 100 == 0 || done_ == total) && done_ != last_printed_) {
            // Not a terminal (a log): one line per hundred benchmarks.
            std::fprintf(stderr, "%s\n", line);
            last_printed_ = done_;
        }
        std::fflush(stderr);
    }

    size_t total_, done_ = 0, last_printed_ = 0;
    bool tty_;
    std::chrono::steady_clock::time_point start_;
};

bool parse_sizes(const char *text, std::vector<size_t> *sizes)
{
    sizes->clear();
    const char *p = text;
    while (*p) {
        char *end;
        unsigned long long v = std::strtoull(p, &end, 10);
        if (end == p || v == 0) return false;
        if (*end == 'K' || *end == 'k') v <<= 10, end++;
        else if (*end == 'M' || *end == 'm') v <<= 20, end++;
        // Shaped ops need whole rows, channels and pieces.
        if (v % 1024 != 0) return false;
        sizes->push_back(static_cast<size_t>(v));
        if (*end == ',') end++;
        else if (*end) return false;
        p = end;
    }
    return !sizes->empty();
}

// Takes this program's own options out of argv; returns false on a bad one.
bool parse_options(int *argc, char **argv, Options *opt)
{
    int kept = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (std::strncmp(a, "--sizes=", 8) == 0) {
            if (!parse_sizes(a + 8, &opt->sizes)) {
                std::fprintf(stderr, "bad --sizes (multiples of 1024, e.g. 1K,64K,1M): %s\n", a + 8);
                return false;
            }
        } else if (std::strcmp(a, "--no-peers") == 0) {
            opt->peers = false;
        } else if (std::strcmp(a, "--no-xnnpack") == 0) {
            opt->xnnpack = false;
        } else if (std::strcmp(a, "--repro") == 0) {
            opt->repro = true;
        } else if (std::strcmp(a, "--progress") == 0) {
            opt->progress = true;
        } else if (std::strncmp(a, "--threads=", 10) == 0) {
            char *end;
            long t = std::strtol(a + 10, &end, 10);
            if (end == a + 10 || *end || t < 1 || t > 1024) {
                std::fprintf(stderr, "bad --threads (1 to 1024): %s\n", a + 10);
                return false;
            }
            opt->threads = static_cast<int>(t);
        } else if (std::strncmp(a, "--isa=", 6) == 0) {
            opt->isa = a + 6;
        } else if (std::strcmp(a, "--list") == 0) {
            opt->list = true;
        } else {
            argv[kept++] = argv[i];
        }
    }
    *argc = kept;
    return true;
}

}  // namespace

int main(int argc, char **argv)
{
    Options opt;
    if (!parse_options(&argc, argv, &opt)) return 2;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

    // The single-threaded run holds libactfn to the calling thread too: by
    // default it splits large calls over every CPU (SPEC §10), which CPU time
    // of the calling thread would not even count.
    if (opt.threads > 0) set_threads(opt.threads);
    if (actfn_set_num_threads(opt.threads > 0 ? opt.threads : 1) != ACTFN_OK) {
        std::fprintf(stderr, "actfn_set_num_threads(%d) failed\n", opt.threads);
        return 2;
    }
    if (!opt.isa.empty() && benchmarked_isas(opt).empty()) {
        std::fprintf(stderr, "--isa=%s: not an ISA this CPU and build support\n", opt.isa.c_str());
        return 2;
    }
    try {
        Filter check(benchmark::GetBenchmarkFilter());
    } catch (const std::regex_error &) {
        // Google Benchmark would only say so and run nothing.
        std::fprintf(stderr, "bad --benchmark_filter (a POSIX extended regex, no lookahead): %s\n",
                     benchmark::GetBenchmarkFilter().c_str());
        return 2;
    }
    register_all(opt);
    if (opt.list) {
        for (const auto &name : selected_names(benchmark::GetBenchmarkFilter())) std::printf("%s\n", name.c_str());
        return 0;
    }
    add_context(opt);
    if (opt.progress) {
        ProgressReporter progress(selected_names(benchmark::GetBenchmarkFilter()).size());
        benchmark::RunSpecifiedBenchmarks(&progress);
    } else {
        benchmark::RunSpecifiedBenchmarks();
    }
    benchmark::Shutdown();
    return 0;
}
