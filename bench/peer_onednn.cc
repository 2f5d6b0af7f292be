/*
 * peer_onednn.cc — the benchmark's oneDNN peer: the same cases through
 * oneDNN's eltwise, softmax (v2: softmax and logsoftmax) and PReLU
 * primitives, forward and backward, f32 (oneDNN 2.6 has no f64) and the
 * 16-bit types where this oneDNN implements them on this CPU (Debian's 2.6.3
 * on AVX512_BF16: bf16 everywhere, with its jit:avx512_core_bf16 eltwise;
 * f16 nowhere, as it needs AVX512_FP16: onednn_describe() probes and says
 * so), single-threaded, or on --threads=N threads. Every row is labelled
 * with oneDNN's implementation name (impl_info_str).
 *
 * The fused ops of SPEC §11, forward only, as oneDNN fuses them itself with
 * post-ops (so these rows are fused peers, labelled "fused: ..."):
 *   bias_<op>  a binary add primitive (src0 x as (n/1024, 1024), src1 the
 *              bias as (1, 1024), broadcast over the rows) with an eltwise
 *              post-op of the op's algorithm, for the ops of eltwise_ops();
 *   glu family an eltwise primitive of the gate's algorithm on the gate
 *              array (b for glu, a for the others) with a binary mul
 *              post-op by the other array.
 * Their backward passes have no fused form in oneDNN (an eltwise backward
 * takes no post-ops, and dbias would be a separate reduction): not
 * registered. Nor are the gated ops while oneDNN implements their form only
 * in its reference code (2.6 does: see implemented()).
 *
 * Debian's libdnnl threads with OpenMP, so the peer sets its thread count
 * with omp_set_num_threads before the first primitive (./scripts/bench
 * also exports OMP_NUM_THREADS to the same count). Each primitive is checked once against
 * libactfn's result before it is timed, so the table compares the same math.
 */
#include <map>
#include <stdexcept>
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

// oneDNN's data type of a case (this oneDNN has no f64 at all).
memory::data_type data_type(const Case &c)
{
    switch (c.dtype) {
    case DType::bf16: return memory::data_type::bf16;
    case DType::f16: return memory::data_type::f16;
    default: return memory::data_type::f32;
    }
}

// The memory descriptor of the op's data: flat for eltwise, (rows, 1024) for
// softmax, (1, 64, n/64) for prelu.
memory::desc data_desc(const Case &c)
{
    const auto n = static_cast<memory::dim>(c.n);
    const memory::data_type dt = data_type(c);
    switch (c.op->kind) {
    case Kind::softmax:
    case Kind::log_softmax:
        return memory::desc({n / static_cast<memory::dim>(kSoftmaxCols), static_cast<memory::dim>(kSoftmaxCols)},
                            dt, memory::format_tag::ab);
    case Kind::prelu:
        return memory::desc({1, static_cast<memory::dim>(kPreluChannels), n / static_cast<memory::dim>(kPreluChannels)},
                            dt, memory::format_tag::abc);
    default:
        return memory::desc({n}, dt, memory::format_tag::a);
    }
}

memory::desc weights_desc(const Case &c)
{
    return memory::desc({1, static_cast<memory::dim>(kPreluChannels), 1}, data_type(c), memory::format_tag::abc);
}

// A primitive ready to run on a workload's buffers.
struct Bound {
    dnnl::primitive prim;
    std::unordered_map<int, memory> args;
    std::string impl;  // oneDNN's implementation name
};

// The fused ops' oneDNN forms, forward only (see the top of the file).
Bound build_fused(const Case &c, const Workload *w)
{
    dnnl::engine &eng = engine();
    if (c.pass != Pass::fwd) throw std::invalid_argument("oneDNN has no fused backward of this op");
    auto mem = [&](const memory::desc &d, void *p) { return w ? memory(d, eng, p) : memory(); };
    const auto n = static_cast<memory::dim>(c.n);
    const memory::data_type dt = data_type(c);
    const EltwiseMap &e = eltwise_ops().at(c.op->act);
    dnnl::post_ops ops;
    dnnl::primitive_attr attr;
    Bound b;
    if (c.op->kind == Kind::bias) {
        const auto channels = static_cast<memory::dim>(kBiasChannels);
        const memory::desc xd({n / channels, channels}, dt, memory::format_tag::ab);
        const memory::desc bd({1, channels}, dt, memory::format_tag::ab);
        ops.append_eltwise(1.0f, e.fwd, e.alpha, e.beta);
        attr.set_post_ops(ops);
        dnnl::binary::primitive_desc pd(dnnl::binary::desc(algorithm::binary_add, xd, bd, xd), attr, eng);
        b.prim = dnnl::binary(pd);
        b.impl = pd.impl_info_str();
        b.args = {{DNNL_ARG_SRC_0, mem(xd, w ? w->in<void>() : nullptr)},
                  {DNNL_ARG_SRC_1, mem(bd, w ? w->bias<void>() : nullptr)},
                  {DNNL_ARG_DST, mem(xd, w ? w->out<void>() : nullptr)}};
        return b;
    }
    // glu family: act(gate) * other. oneDNN 2.6 implements an eltwise with
    // post-ops only in its reference code (ref:any; the jit eltwise takes no
    // attributes), and that writes nothing for a 1-D tensor: the arrays are
    // viewed as (n/1024, 1024), which it computes correctly.
    const auto cols = static_cast<memory::dim>(kBiasChannels);
    const memory::desc md({n / cols, cols}, dt, memory::format_tag::ab);
    void *gate = w ? (c.op->gate_b ? w->b<void>() : w->in<void>()) : nullptr;
    void *other = w ? (c.op->gate_b ? w->in<void>() : w->b<void>()) : nullptr;
    ops.append_binary(algorithm::binary_mul, md);
    attr.set_post_ops(ops);
    dnnl::eltwise_forward::primitive_desc pd(
        dnnl::eltwise_forward::desc(prop_kind::forward_inference, e.fwd, md, e.alpha, e.beta), attr, eng);
    b.prim = dnnl::eltwise_forward(pd);
    b.impl = pd.impl_info_str();
    b.args = {{DNNL_ARG_SRC, mem(md, gate)},
              {DNNL_ARG_DST, mem(md, w ? w->out<void>() : nullptr)},
              {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, mem(md, other)}};
    return b;
}

// The row label of a fused form (the report tells fused peers by it).
std::string fused_label(const Case &c, const std::string &impl)
{
    if (c.op->kind == Kind::bias) return "fused: binary add + eltwise post-op (" + impl + ")";
    return std::string("fused: eltwise on ") + (c.op->gate_b ? "b" : "a") + " + binary mul post-op (" + impl + ")";
}

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
    if (c.op->kind == Kind::bias || c.op->kind == Kind::glu) return build_fused(c, w);
    Bound b;

    if (c.op->kind == Kind::unary) {
        const EltwiseMap &e = eltwise_ops().at(c.op->name);
        dnnl::eltwise_forward::primitive_desc fpd(
            dnnl::eltwise_forward::desc(fwd ? prop_kind::forward_inference : prop_kind::forward_training, e.fwd, md,
                                        e.alpha, e.beta),
            eng);
        if (fwd) {
            b.prim = dnnl::eltwise_forward(fpd);
            b.impl = fpd.impl_info_str();
            b.args = {{DNNL_ARG_SRC, mem(md, in)}, {DNNL_ARG_DST, mem(md, out)}};
            return b;
        }
        dnnl::eltwise_backward::primitive_desc bpd(dnnl::eltwise_backward::desc(e.bwd, md, md, e.alpha, e.beta), eng,
                                                   fpd);
        b.prim = dnnl::eltwise_backward(bpd);
        b.impl = bpd.impl_info_str();
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
            b.impl = fpd.impl_info_str();
            b.args = {{DNNL_ARG_SRC, mem(md, in)}, {DNNL_ARG_DST, mem(md, out)}};
            return b;
        }
        dnnl::softmax_v2_backward::primitive_desc bpd(dnnl::softmax_v2_backward::desc(alg, md, md, md, 1), eng, fpd);
        b.prim = dnnl::softmax_v2_backward(bpd);
        b.impl = bpd.impl_info_str();
        b.args = {{DNNL_ARG_DST, mem(md, in)}, {DNNL_ARG_DIFF_DST, mem(md, dy)}, {DNNL_ARG_DIFF_SRC, mem(md, out)}};
        return b;
    }
    if (c.op->kind == Kind::prelu) {
        const memory::desc wd = weights_desc(c);
        void *alpha = w ? w->alpha<void>() : nullptr;
        void *dalpha = w ? w->dalpha<void>() : nullptr;
        dnnl::prelu_forward::primitive_desc fpd(
            dnnl::prelu_forward::desc(fwd ? prop_kind::forward_inference : prop_kind::forward_training, md, wd), eng);
        if (fwd) {
            b.prim = dnnl::prelu_forward(fpd);
            b.impl = fpd.impl_info_str();
            b.args = {{DNNL_ARG_SRC, mem(md, in)}, {DNNL_ARG_WEIGHTS, mem(wd, alpha)}, {DNNL_ARG_DST, mem(md, out)}};
            return b;
        }
        dnnl::prelu_backward::primitive_desc bpd(dnnl::prelu_backward::desc(md, wd, md, wd), eng, fpd);
        b.prim = dnnl::prelu_backward(bpd);
        b.impl = bpd.impl_info_str();
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
    if (c.dtype == DType::f64 || c.op->kind == Kind::maxout) return false;
    if (c.op->kind == Kind::unary && !eltwise_ops().count(c.op->name)) return false;
    const bool fused = c.op->kind == Kind::bias || c.op->kind == Kind::glu;
    if (fused && (c.pass != Pass::fwd || !eltwise_ops().count(c.op->act))) return false;
    // The gated ops: oneDNN 2.6 runs an eltwise with a binary post-op only in
    // its reference code (ref:any, about 130 ns/element here, hundreds of
    // times slower than its jit eltwise): no peer anyone would use, and minutes of a full
    // run. Left out while the implementation is a reference one (report.py
    // says so under its fused-ops summary); a oneDNN with a jit form is
    // timed.
    if (c.op->kind == Kind::glu) {
        try {
            return build(c, nullptr).impl.rfind("ref", 0) != 0;
        } catch (const dnnl::error &) {
            return false;
        }
    }
    // An f32 bias form this oneDNN cannot build is registered all the same:
    // its row then says why (oneDNN error: ...), rather than going missing.
    // A 16-bit one is not (oneDNN 2.6 has no f16 at all on most CPUs: the
    // description says so once, instead of a row of errors per op).
    if (fused && c.dtype == DType::f32) return true;
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
            w.poison_outputs();
            call();
            std::string note;
            std::string why = w.compare_with_actfn(peer_tolerance(c.dtype), has_second_output(c), &note);
            if (!why.empty()) {
                state.SkipWithError(("oneDNN " + why).c_str());
                return;
            }
            run_timed(state, c, call);
            std::string label = c.op->kind == Kind::bias || c.op->kind == Kind::glu
                                    ? fused_label(c, b.impl)
                                    : std::string(dtype_name(c.dtype)) + " " + b.impl;
            state.SetLabel(note.empty() ? label : label + "; " + note);
        } catch (const dnnl::error &e) {
            state.SkipWithError((std::string("oneDNN error: ") + e.what()).c_str());
        }
    });
}

namespace {
// Whether this oneDNN implements a 16-bit type on this CPU: a relu eltwise
// forward of it, and the implementation it picks, or oneDNN's error.
std::string half_support(memory::data_type dt, const char *name)
{
    try {
        const memory::desc md({1024}, dt, memory::format_tag::a);
        dnnl::eltwise_forward::primitive_desc pd(
            dnnl::eltwise_forward::desc(prop_kind::forward_inference, algorithm::eltwise_relu, md, 0, 0), engine());
        return std::string(name) + " eltwise " + pd.impl_info_str();
    } catch (const dnnl::error &e) {
        return std::string(name) + " not implemented here (" + e.what() + ")";
    }
}
}  // namespace

std::string onednn_describe()
{
    engine();
    const dnnl_version_t *v = dnnl::version();
    return "onednn " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
           " (" + isa_name(dnnl::get_effective_cpu_isa()) + ", OpenMP max threads " +
           std::to_string(omp_get_max_threads()) + "; " + half_support(memory::data_type::bf16, "bf16") + "; " +
           half_support(memory::data_type::f16, "f16") + ")";
}

}  // namespace bench
