/*
 * peer_onednn.cc — the benchmark's oneDNN peer: the same cases through
 * oneDNN's eltwise, softmax (v2: softmax and logsoftmax) and PReLU
 * primitives, forward and backward, f32 (oneDNN 2.6 has no f64),
 * single-threaded, or on --threads=N threads.
 *
 * Debian's libdnnl threads with OpenMP, so the peer sets its thread count
 * with omp_set_num_threads before the first primitive (./scripts/bench
 * also exports OMP_NUM_THREADS to the same count). Each primitive is checked once against
 * libactfn's result before it is timed, so the table compares the same math.
 */
#include <map>
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>

#include "bench_common.h"

namespace bench {
namespace {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;

// How oneDNN computes each libactfn op; ops it lacks (selu, hardsigmoid,
// maxout) are absent.
struct EltwiseMap {
    algorithm fwd, bwd;  // bwd: the *_use_dst_for_bwd form where libactfn's backward takes y
    float alpha, beta;
};

const std::map<std::string, EltwiseMap> &eltwise_ops()
{
    static const std::map<std::string, EltwiseMap> ops = {
        {"sigmoid", {algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd, 0, 0}},
        {"tanh", {algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd, 0, 0}},
        {"relu", {algorithm::eltwise_relu, algorithm::eltwise_relu, 0, 0}},
        {"relu6", {algorithm::eltwise_clip, algorithm::eltwise_clip, 0, 6}},
        {"hardtanh", {algorithm::eltwise_clip, algorithm::eltwise_clip, -1, 1}},
        {"leaky_relu", {algorithm::eltwise_relu, algorithm::eltwise_relu, 0.01f, 0}},
        {"elu", {algorithm::eltwise_elu, algorithm::eltwise_elu, 1, 0}},
        {"silu", {algorithm::eltwise_swish, algorithm::eltwise_swish, 1, 0}},
        {"swish", {algorithm::eltwise_swish, algorithm::eltwise_swish, 1, 0}},
        {"hardswish", {algorithm::eltwise_hardswish, algorithm::eltwise_hardswish, 0, 0}},
        {"softplus", {algorithm::eltwise_soft_relu, algorithm::eltwise_soft_relu, 0, 0}},
        {"logsigmoid", {algorithm::eltwise_logsigmoid, algorithm::eltwise_logsigmoid, 0, 0}},
        {"mish", {algorithm::eltwise_mish, algorithm::eltwise_mish, 0, 0}},
        {"gelu", {algorithm::eltwise_gelu_erf, algorithm::eltwise_gelu_erf, 0, 0}},
        {"gelu_tanh", {algorithm::eltwise_gelu_tanh, algorithm::eltwise_gelu_tanh, 0, 0}},
    };
    return ops;
}

dnnl::engine &engine()
{
    static dnnl::engine eng = [] {
        omp_set_num_threads(threads() > 0 ? threads() : 1);
        return dnnl::engine(dnnl::engine::kind::cpu, 0);
    }();
    return eng;
}

dnnl::stream &stream()
{
    static dnnl::stream s(engine());
    return s;
}

// This oneDNN has no f64 data type at all: the peer covers f32 only.
constexpr memory::data_type kF32 = memory::data_type::f32;

// The memory descriptor of the op's data: flat for eltwise, (rows, 1024) for
// softmax, (1, 64, n/64) for prelu.
memory::desc data_desc(const Case &c)
{
    const auto n = static_cast<memory::dim>(c.n);
    switch (c.op->kind) {
    case Kind::softmax:
    case Kind::log_softmax:
        return memory::desc({n / static_cast<memory::dim>(kSoftmaxCols), static_cast<memory::dim>(kSoftmaxCols)},
                            kF32, memory::format_tag::ab);
    case Kind::prelu:
        return memory::desc({1, static_cast<memory::dim>(kPreluChannels), n / static_cast<memory::dim>(kPreluChannels)},
                            kF32, memory::format_tag::abc);
    default:
        return memory::desc({n}, kF32, memory::format_tag::a);
    }
}

memory::desc weights_desc()
{
    return memory::desc({1, static_cast<memory::dim>(kPreluChannels), 1}, kF32, memory::format_tag::abc);
}

// A primitive ready to run on a workload's buffers.
struct Bound {
    dnnl::primitive prim;
    std::unordered_map<int, memory> args;
};

// Builds the primitive of case c; with a workload, binds its buffers (without,
// only checks that oneDNN implements the case: it throws if not).
Bound build(const Case &c, const Workload *w)
{
    dnnl::engine &eng = engine();
    const memory::desc md = data_desc(c);
    const bool fwd = c.pass == Pass::fwd;
    auto mem = [&](const memory::desc &d, void *p) { return w ? memory(d, eng, p) : memory(); };
    void *in = w ? w->in<void>() : nullptr;
    void *dy = w ? w->dy<void>() : nullptr;
    void *out = w ? w->out<void>() : nullptr;
    Bound b;

    if (c.op->kind == Kind::unary) {
        const EltwiseMap &e = eltwise_ops().at(c.op->name);
        dnnl::eltwise_forward::primitive_desc fpd(
            dnnl::eltwise_forward::desc(fwd ? prop_kind::forward_inference : prop_kind::forward_training, e.fwd, md,
                                        e.alpha, e.beta),
            eng);
        if (fwd) {
            b.prim = dnnl::eltwise_forward(fpd);
            b.args = {{DNNL_ARG_SRC, mem(md, in)}, {DNNL_ARG_DST, mem(md, out)}};
            return b;
        }
        dnnl::eltwise_backward::primitive_desc bpd(dnnl::eltwise_backward::desc(e.bwd, md, md, e.alpha, e.beta), eng,
                                                   fpd);
        b.prim = dnnl::eltwise_backward(bpd);
        b.args = {{c.op->bwd_from_y ? DNNL_ARG_DST : DNNL_ARG_SRC, mem(md, in)},
                  {DNNL_ARG_DIFF_DST, mem(md, dy)},
                  {DNNL_ARG_DIFF_SRC, mem(md, out)}};
        return b;
    }
    if (c.op->kind == Kind::softmax || c.op->kind == Kind::log_softmax) {
        const algorithm alg = c.op->kind == Kind::softmax ? algorithm::softmax_accurate : algorithm::softmax_log;
        dnnl::softmax_v2_forward::primitive_desc fpd(
            dnnl::softmax_v2_forward::desc(fwd ? prop_kind::forward_inference : prop_kind::forward_training, alg, md,
                                           md, 1),
            eng);
        if (fwd) {
            b.prim = dnnl::softmax_v2_forward(fpd);
            b.args = {{DNNL_ARG_SRC, mem(md, in)}, {DNNL_ARG_DST, mem(md, out)}};
            return b;
        }
        dnnl::softmax_v2_backward::primitive_desc bpd(dnnl::softmax_v2_backward::desc(alg, md, md, md, 1), eng, fpd);
        b.prim = dnnl::softmax_v2_backward(bpd);
        b.args = {{DNNL_ARG_DST, mem(md, in)}, {DNNL_ARG_DIFF_DST, mem(md, dy)}, {DNNL_ARG_DIFF_SRC, mem(md, out)}};
        return b;
    }
    if (c.op->kind == Kind::prelu) {
        const memory::desc wd = weights_desc();
        void *alpha = w ? w->alpha<void>() : nullptr;
        void *dalpha = w ? w->dalpha<void>() : nullptr;
        dnnl::prelu_forward::primitive_desc fpd(
            dnnl::prelu_forward::desc(fwd ? prop_kind::forward_inference : prop_kind::forward_training, md, wd), eng);
        if (fwd) {
            b.prim = dnnl::prelu_forward(fpd);
            b.args = {{DNNL_ARG_SRC, mem(md, in)}, {DNNL_ARG_WEIGHTS, mem(wd, alpha)}, {DNNL_ARG_DST, mem(md, out)}};
            return b;
        }
        dnnl::prelu_backward::primitive_desc bpd(dnnl::prelu_backward::desc(md, wd, md, wd), eng, fpd);
        b.prim = dnnl::prelu_backward(bpd);
        b.args = {{DNNL_ARG_SRC, mem(md, in)},
                  {DNNL_ARG_WEIGHTS, mem(wd, alpha)},
                  {DNNL_ARG_DIFF_DST, mem(md, dy)},
                  {DNNL_ARG_DIFF_SRC, mem(md, out)},
                  {DNNL_ARG_DIFF_WEIGHTS, mem(wd, dalpha)}};
        return b;
    }
    throw std::invalid_argument("no oneDNN primitive for this op");
}

bool implemented(const Case &c)
{
    if (c.dtype != DType::f32 || c.op->kind == Kind::maxout) return false;
    if (c.op->kind == Kind::unary && !eltwise_ops().count(c.op->name)) return false;
    try {
        build(c, nullptr);
        return true;
    } catch (const dnnl::error &) {
        return false;  // this build lacks the primitive
    }
}

const char *isa_name(dnnl::cpu_isa isa)
{
    switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
    }
}

}  // namespace

void onednn_register(const Case &c)
{
    if (!implemented(c)) return;
    register_benchmark(case_name(c, "onednn"), [c](benchmark::State &state) {
        try {
            const Workload &w = workload_for(c);
            Bound b = build(c, &w);
            auto call = [&b] {
                b.prim.execute(stream(), b.args);
                stream().wait();
                return 0;
            };
            call();
            std::string why = w.compare_with_actfn(1e-3, c.op->kind == Kind::prelu && c.pass == Pass::bwd);
            if (!why.empty()) {
                state.SkipWithError(("oneDNN " + why).c_str());
                return;
            }
            run_timed(state, c, call);
        } catch (const dnnl::error &e) {
            state.SkipWithError((std::string("oneDNN error: ") + e.what()).c_str());
        }
    });
}

std::string onednn_describe()
{
    engine();
    const dnnl_version_t *v = dnnl::version();
    return "onednn " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
           " (" + isa_name(dnnl::get_effective_cpu_isa()) + ", OpenMP max threads " +
           std::to_string(omp_get_max_threads()) + ")";
}

}  // namespace bench
