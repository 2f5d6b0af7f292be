/*
 * peer_xnnpack.cc — the benchmark's XNNPACK peer: the forward f32 cases
 * XNNPACK has operators for (sigmoid, elu, leaky_relu, hardswish, clamp as
 * relu / relu6 / hardtanh, softmax; and the fused bias_relu, bias_relu6
 * and bias_hardtanh as one add operator with its output clamp, the bias
 * broadcast over the rows: a fused peer, labelled "fused: ..."), created
 * and set up once per run and timed with xnn_run_operator on a NULL
 * threadpool (single-threaded) or, with --threads=N, on a pthreadpool of N
 * threads.
 *
 * f16 (SPEC §9's binary16): the operators this XNNPACK has in f16 — clamp
 * (relu, relu6, hardtanh), hardswish, leaky_relu, and add with clamp
 * (bias_relu) — forward, when f16 operators run on this CPU (probed once:
 * xnn_create_*_f16 returns xnn_status_unsupported_hardware where they do
 * not). On x86 this XNNPACK has no f16 arithmetic (its code holds
 * vcvtph2ps/vcvtps2ph but no AVX512-FP16 instruction): its f16 kernels
 * widen with F16C, compute in f32 and narrow, as libactfn's do; the rows
 * say so. It has no bf16 operators.
 *
 * Debian's XNNPACK is a 2022 snapshot: operators are created with
 * (channels, input_stride, output_stride) and set up with the batch size
 * and pointers in one call. Each operator is checked once against libactfn's
 * result before it is timed.
 */
#include <cmath>
#include <memory>
#include <string>
#include <pthreadpool.h>
#include <xnnpack.h>

#include "bench_common.h"

namespace bench {
namespace {

enum class XOp { sigmoid, elu, leaky_relu, hardswish, clamp, softmax, bias_clamp, none };

struct XMap {
    XOp op;
    float a, b;  // elu alpha, leaky_relu slope, clamp bounds
};

XMap xnnpack_op_any(const Case &c)
{
    if (c.pass != Pass::fwd || (c.dtype != DType::f32 && c.dtype != DType::f16)) return {XOp::none, 0, 0};
    if (c.op->kind == Kind::bias) {
        const std::string act = c.op->act;
        if (act == "relu") return {XOp::bias_clamp, 0, INFINITY};
        if (act == "relu6") return {XOp::bias_clamp, 0, 6};
        if (act == "hardtanh")
            return {XOp::bias_clamp, static_cast<float>(c.op->params[0]), static_cast<float>(c.op->params[1])};
        return {XOp::none, 0, 0};
    }
    if (c.op->kind != Kind::unary && c.op->kind != Kind::softmax) return {XOp::none, 0, 0};
    const std::string name = c.op->name;
    if (name == "sigmoid") return {XOp::sigmoid, 0, 0};
    if (name == "elu") return {XOp::elu, static_cast<float>(c.op->params[0]), 0};
    if (name == "leaky_relu") return {XOp::leaky_relu, static_cast<float>(c.op->params[0]), 0};
    if (name == "hardswish") return {XOp::hardswish, 0, 0};
    if (name == "relu") return {XOp::clamp, 0, INFINITY};
    if (name == "relu6") return {XOp::clamp, 0, 6};
    if (name == "hardtanh")
        return {XOp::clamp, static_cast<float>(c.op->params[0]), static_cast<float>(c.op->params[1])};
    if (name == "softmax") return {XOp::softmax, 0, 0};
    return {XOp::none, 0, 0};
}

// The f16 operators of this XNNPACK: clamp, hardswish, leaky_relu and add.
bool has_f16_operator(XOp op)
{
    return op == XOp::clamp || op == XOp::hardswish || op == XOp::leaky_relu || op == XOp::bias_clamp;
}

XMap xnnpack_op(const Case &c)
{
    const XMap m = xnnpack_op_any(c);
    if (c.dtype == DType::f16 && !has_f16_operator(m.op)) return {XOp::none, 0, 0};
    return m;
}

bool initialized()
{
    static const bool ok = xnn_initialize(nullptr) == xnn_status_success;
    return ok;
}

// Whether f16 operators run on this CPU: the status of creating one (success,
// or xnn_status_unsupported_hardware where the CPU lacks what they need).
xnn_status f16_status()
{
    static const xnn_status status = [] {
        if (!initialized()) return xnn_status_uninitialized;
        xnn_operator_t op = nullptr;
        const xnn_status s = xnn_create_clamp_nc_f16(64, 64, 64, 0.0f, 6.0f, 0, &op);
        if (op) xnn_delete_operator(op);
        return s;
    }();
    return status;
}

// NULL (the caller's thread) unless --threads asks for more than one.
pthreadpool_t threadpool()
{
    static const pthreadpool_t pool =
        threads() > 1 ? pthreadpool_create(static_cast<size_t>(threads())) : nullptr;
    return pool;
}

struct OperatorDeleter {
    void operator()(xnn_operator *op) const { xnn_delete_operator(op); }
};
using Operator = std::unique_ptr<xnn_operator, OperatorDeleter>;

// Creates and sets up the operator of case c on the workload's buffers.
xnn_status make_operator(const Case &c, const Workload &w, Operator *out)
{
    const XMap m = xnnpack_op(c);
    const bool f16 = c.dtype == DType::f16;
    // Elementwise ops see the array as one row of n channels; softmax as
    // rows of 1024.
    const size_t channels = m.op == XOp::softmax ? kSoftmaxCols : c.n;
    const size_t batch = c.n / channels;
    const void *x = w.in<void>();
    void *y = w.out<void>();
    const float *xf = static_cast<const float *>(x);
    float *yf = static_cast<float *>(y);
    xnn_operator_t op = nullptr;
    xnn_status s = xnn_status_unsupported_parameter;
    switch (m.op) {
    case XOp::sigmoid:
        s = xnn_create_sigmoid_nc_f32(channels, channels, channels, 0, &op);
        if (s == xnn_status_success) s = xnn_setup_sigmoid_nc_f32(op, batch, xf, yf, threadpool());
        break;
    case XOp::elu:
        s = xnn_create_elu_nc_f32(channels, channels, channels, m.a, 0, &op);
        if (s == xnn_status_success) s = xnn_setup_elu_nc_f32(op, batch, xf, yf, threadpool());
        break;
    case XOp::leaky_relu:
        if (f16) {
            s = xnn_create_leaky_relu_nc_f16(channels, channels, channels, m.a, 0, &op);
            if (s == xnn_status_success) s = xnn_setup_leaky_relu_nc_f16(op, batch, x, y, threadpool());
        } else {
            s = xnn_create_leaky_relu_nc_f32(channels, channels, channels, m.a, 0, &op);
            if (s == xnn_status_success) s = xnn_setup_leaky_relu_nc_f32(op, batch, xf, yf, threadpool());
        }
        break;
    case XOp::hardswish:
        if (f16) {
            s = xnn_create_hardswish_nc_f16(channels, channels, channels, 0, &op);
            if (s == xnn_status_success) s = xnn_setup_hardswish_nc_f16(op, batch, x, y, threadpool());
        } else {
            s = xnn_create_hardswish_nc_f32(channels, channels, channels, 0, &op);
            if (s == xnn_status_success) s = xnn_setup_hardswish_nc_f32(op, batch, xf, yf, threadpool());
        }
        break;
    case XOp::clamp:
        if (f16) {
            s = xnn_create_clamp_nc_f16(channels, channels, channels, m.a, m.b, 0, &op);
            if (s == xnn_status_success) s = xnn_setup_clamp_nc_f16(op, batch, x, y, threadpool());
        } else {
            s = xnn_create_clamp_nc_f32(channels, channels, channels, m.a, m.b, 0, &op);
            if (s == xnn_status_success) s = xnn_setup_clamp_nc_f32(op, batch, xf, yf, threadpool());
        }
        break;
    case XOp::softmax:
        s = xnn_create_softmax_nc_f32(channels, channels, channels, 0, &op);
        if (s == xnn_status_success) s = xnn_setup_softmax_nc_f32(op, batch, xf, yf, threadpool());
        break;
    case XOp::bias_clamp: {
        // x as (rows, 1024) plus the bias as (1, 1024), clamped on output.
        const size_t x_shape[2] = {c.n / kBiasChannels, kBiasChannels}, bias_shape[2] = {1, kBiasChannels};
        if (f16) {
            s = xnn_create_add_nd_f16(m.a, m.b, 0, &op);
            if (s == xnn_status_success)
                s = xnn_setup_add_nd_f16(op, 2, x_shape, 2, bias_shape, x, w.bias<void>(), y, threadpool());
        } else {
            s = xnn_create_add_nd_f32(m.a, m.b, 0, &op);
            if (s == xnn_status_success)
                s = xnn_setup_add_nd_f32(op, 2, x_shape, 2, bias_shape, xf, w.bias<float>(), yf, threadpool());
        }
        break;
    }
    case XOp::none:
        break;
    }
    out->reset(op);
    return s;
}

// What a row runs: the operator, and for f16 how (see the top of the file).
std::string row_label(const Case &c)
{
    const XMap m = xnnpack_op(c);
    std::string label = m.op == XOp::bias_clamp ? "fused: add with output clamp" : "";
    if (c.dtype == DType::f16) {
        const char *name = m.op == XOp::clamp ? "clamp" : m.op == XOp::hardswish ? "hardswish"
                           : m.op == XOp::leaky_relu ? "leaky_relu" : "add";
        label += std::string(label.empty() ? "" : "; ") + "xnn_" + name +
                 "_f16: F16C widen, f32 math, narrow (no f16 arithmetic on x86)";
    }
    return label;
}

}  // namespace

void xnnpack_register(const Case &c)
{
    if (xnnpack_op(c).op == XOp::none || !initialized()) return;
    if (c.dtype == DType::f16 && f16_status() != xnn_status_success) return;  // the description says why
    register_benchmark(case_name(c, "xnnpack"), [c](benchmark::State &state) {
        const Workload &w = workload_for(c);
        Operator op;
        xnn_status s = make_operator(c, w, &op);
        if (s != xnn_status_success) {
            state.SkipWithError(("XNNPACK create/setup failed with status " + std::to_string(s)).c_str());
            return;
        }
        auto call = [&op] { return xnn_run_operator(op.get(), threadpool()) == xnn_status_success ? 0 : -1; };
        w.poison_outputs();
        if (call() != 0) {
            state.SkipWithError("xnn_run_operator failed");
            return;
        }
        std::string note;
        std::string why = w.compare_with_actfn(peer_tolerance(c.dtype), false, &note);
        if (!why.empty()) {
            state.SkipWithError(("XNNPACK " + why).c_str());
            return;
        }
        run_timed(state, c, call);
        std::string label = row_label(c);
        if (!note.empty()) label += (label.empty() ? "" : "; ") + note;
        if (!label.empty()) state.SetLabel(label);
    });
}

std::string xnnpack_describe()
{
    if (!initialized()) return "xnnpack (xnn_initialize failed)";
    const xnn_status f16 = f16_status();
    return "xnnpack (" +
           (threadpool() ? "pthreadpool of " + std::to_string(pthreadpool_get_threads_count(threadpool())) + " threads"
                         : std::string("NULL threadpool")) +
           "; f16: " +
           (f16 == xnn_status_success ? std::string("clamp, hardswish, leaky_relu, add (F16C, f32 math)")
            : f16 == xnn_status_unsupported_hardware
                ? std::string("unsupported hardware")
                : "not available (status " + std::to_string(f16) + ")") +
           "; no bf16 operators)";
}

}  // namespace bench
