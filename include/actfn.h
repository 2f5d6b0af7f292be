/*
 * actfn.h — libactfn: neural-network activation functions for the CPU.
 *
 * Every operation has a forward and a backward (gradient) pass, for float
 * (suffix _f32) and double (suffix _f64), and for the 16-bit storage types
 * bfloat16 (_bf16) and binary16 (_f16), computed in float (see "16-bit
 * storage types" near the end of this file). Each call is routed at run time to
 * the best kernel set this CPU and OS can run (AVX-512, AVX2, NEON, or the
 * scalar reference path); see "Run-time dispatch" at the end of this file.
 *
 * Conventions shared by every function below
 * ------------------------------------------
 *  - Forward:  int actfn_<op>_<t>(const T *x, T *y, size_t n, <params>)
 *    Backward: int actfn_<op>_backward_<t>(const T *in, const T *dy, T *dx,
 *                                          size_t n, <params>)
 *    where `in` is the forward input x or the forward output y, as each
 *    function says ("from x" / "from y").
 *  - Return value: ACTFN_OK (0) or a negative actfn_status. A call that
 *    returns an error has written nothing.
 *  - In place: an output may be exactly the same array as one of its inputs
 *    (same start, same length: y == x, dx == dy, dx == in). Any other overlap
 *    between an output and another array is ACTFN_ERR_OVERLAP.
 *  - Pointers need only the natural alignment of T. A call whose element
 *    count is 0 does nothing and accepts NULL pointers.
 *  - Scalar parameters must not be NaN (ACTFN_ERR_PARAM) and must be finite
 *    unless a function says otherwise.
 *  - Checks run in this order: parameters (ACTFN_ERR_PARAM), size products
 *    (ACTFN_ERR_SIZE), NULL pointers (ACTFN_ERR_NULL), overlap
 *    (ACTFN_ERR_OVERLAP).
 *  - No call allocates memory, changes the floating-point environment
 *    (MXCSR / FPCR) or keeps state between calls; all are thread-safe.
 *  - NaN in gives NaN out in every forward pass; ±inf gives the mathematical
 *    limit; subnormal inputs are ordinary numbers (FTZ/DAZ is never assumed).
 *  - Zero factors: where a formula below multiplies by a factor that is
 *    exactly ±0 — a parameter (leaky_relu and elu alpha, prelu alpha[c],
 *    swish beta), a dy, or prelu's x in x * dy and alpha[c] * x — and the
 *    other factor is ±inf, the product is the limit of 0 * v: a zero whose
 *    sign is the product of the signs, never NaN. So leaky_relu(-inf, 0) = -0,
 *    prelu backward with alpha[c] = 0 and dy = inf gives dx = 0, a dalpha
 *    term with x = -inf and dy = 0 (or x = -0 and dy = inf) adds 0,
 *    swish(±inf, beta = 0) = ±inf (x / 2), and every backward with dy = 0 at
 *    x = ±inf is 0. A NaN factor still gives NaN. Not covered: an infinite dy
 *    meeting a slope that is zero only in the limit or by underflow
 *    (sigmoid's at ±inf, elu's at -inf): dx is then dy * 0 = NaN.
 *  - hardtanh with an infinite bound: x equal to that bound is the kink, so
 *    the strict test below gives dx = 0 there (as at a finite bound).
 *
 * Accuracy (errors in ULPs of the correctly rounded result; measured figures
 * are in docs/accuracy.md): piecewise-linear ops (relu, relu6, hardtanh,
 * leaky_relu, prelu, maxout) are exact and bit-identical on every ISA;
 * hardsigmoid and hardswish are within 2 ULP; transcendental ops within
 * 4 ULP forward and 8 ULP backward (SPEC.md §4 gives the precise budgets).
 */
#ifndef ACTFN_H
#define ACTFN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define ACTFN_API
#elif defined(__GNUC__)
#define ACTFN_API __attribute__((visibility("default")))
#else
#define ACTFN_API
#endif

#define ACTFN_VERSION_MAJOR 0
#define ACTFN_VERSION_MINOR 1
#define ACTFN_VERSION_PATCH 0
#define ACTFN_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

typedef enum {
    ACTFN_OK = 0,
    /* A required pointer is NULL while the element count is > 0. */
    ACTFN_ERR_NULL = -1,
    /* An output partially overlaps an input or another output. */
    ACTFN_ERR_OVERLAP = -2,
    /* A parameter is NaN or outside its domain. */
    ACTFN_ERR_PARAM = -3,
    /* A size product (rows*cols, outer*channels*inner, outer*k*inner)
     * overflows size_t. */
    ACTFN_ERR_SIZE = -4,
    /* An ISA was requested that this CPU, OS or build cannot run. */
    ACTFN_ERR_UNSUPPORTED = -5
} actfn_status;

/* A one-line, static, English description of a status code; never NULL
 * (an unknown code gives "unknown actfn status"). */
ACTFN_API const char *actfn_strerror(int status);

/* ------------------------------------------------------------------------ */
/* Elementwise operations. sigma(x) = 1 / (1 + e^-x).                       */
/* ------------------------------------------------------------------------ */

/* sigmoid: y = sigma(x).  Backward from y: dx = dy * y * (1 - y). */
ACTFN_API int actfn_sigmoid_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_sigmoid_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_sigmoid_backward_f32(const float *y, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_sigmoid_backward_f64(const double *y, const double *dy, double *dx, size_t n);

/* tanh: y = tanh(x).  Backward from y: dx = dy * (1 - y^2). */
ACTFN_API int actfn_tanh_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_tanh_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_tanh_backward_f32(const float *y, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_tanh_backward_f64(const double *y, const double *dy, double *dx, size_t n);

/* relu: y = x > 0 ? x : 0 (NaN gives NaN).
 * Backward from x: dx = x > 0 ? dy : 0. */
ACTFN_API int actfn_relu_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_relu_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_relu_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_relu_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* relu6: y = min(max(x, 0), 6) (NaN gives NaN).
 * Backward from x: dx = (x > 0 && x < 6) ? dy : 0. */
ACTFN_API int actfn_relu6_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_relu6_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_relu6_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_relu6_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* hardtanh: y = clamp(x, min_val, max_val) (NaN gives NaN); the usual
 * defaults are min_val = -1, max_val = 1. min_val > max_val is
 * ACTFN_ERR_PARAM; infinite bounds are allowed.
 * Backward from x: dx = (x > min_val && x < max_val) ? dy : 0. */
ACTFN_API int actfn_hardtanh_f32(const float *x, float *y, size_t n, float min_val, float max_val);
ACTFN_API int actfn_hardtanh_f64(const double *x, double *y, size_t n, double min_val, double max_val);
ACTFN_API int actfn_hardtanh_backward_f32(const float *x, const float *dy, float *dx, size_t n,
                                          float min_val, float max_val);
ACTFN_API int actfn_hardtanh_backward_f64(const double *x, const double *dy, double *dx, size_t n,
                                          double min_val, double max_val);

/* leaky_relu: y = x > 0 ? x : alpha * x; the usual default is alpha = 0.01.
 * Backward from x: dx = x > 0 ? dy : alpha * dy. */
ACTFN_API int actfn_leaky_relu_f32(const float *x, float *y, size_t n, float alpha);
ACTFN_API int actfn_leaky_relu_f64(const double *x, double *y, size_t n, double alpha);
ACTFN_API int actfn_leaky_relu_backward_f32(const float *x, const float *dy, float *dx, size_t n, float alpha);
ACTFN_API int actfn_leaky_relu_backward_f64(const double *x, const double *dy, double *dx, size_t n,
                                            double alpha);

/* elu: y = x > 0 ? x : alpha * expm1(x); the usual default is alpha = 1.
 * Backward from x: dx = x > 0 ? dy : dy * alpha * e^x. */
ACTFN_API int actfn_elu_f32(const float *x, float *y, size_t n, float alpha);
ACTFN_API int actfn_elu_f64(const double *x, double *y, size_t n, double alpha);
ACTFN_API int actfn_elu_backward_f32(const float *x, const float *dy, float *dx, size_t n, float alpha);
ACTFN_API int actfn_elu_backward_f64(const double *x, const double *dy, double *dx, size_t n, double alpha);

/* selu: y = lambda * elu(x, alpha) with lambda = 1.0507009873554804934 and
 * alpha = 1.6732632423543772848.  Backward from x: dx = lambda * elu'(x) * dy. */
ACTFN_API int actfn_selu_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_selu_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_selu_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_selu_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* silu: y = x * sigma(x).
 * Backward from x: dx = dy * sigma(x) * (1 + x * (1 - sigma(x))). */
ACTFN_API int actfn_silu_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_silu_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_silu_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_silu_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* swish: y = x * sigma(beta * x); the usual default is beta = 1 (= silu).
 * Backward from x: dx = dy * (s + beta*x * s * (1 - s)), s = sigma(beta*x). */
ACTFN_API int actfn_swish_f32(const float *x, float *y, size_t n, float beta);
ACTFN_API int actfn_swish_f64(const double *x, double *y, size_t n, double beta);
ACTFN_API int actfn_swish_backward_f32(const float *x, const float *dy, float *dx, size_t n, float beta);
ACTFN_API int actfn_swish_backward_f64(const double *x, const double *dy, double *dx, size_t n, double beta);

/* hardsigmoid: y = min(max(x + 3, 0), 6) / 6.
 * Backward from x: dx = (x > -3 && x < 3) ? dy / 6 : 0. */
ACTFN_API int actfn_hardsigmoid_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_hardsigmoid_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_hardsigmoid_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_hardsigmoid_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* hardswish: y = x * min(max(x + 3, 0), 6) / 6.
 * Backward from x: dx = x <= -3 ? 0 : x < 3 ? dy * (x/3 + 0.5) : dy. */
ACTFN_API int actfn_hardswish_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_hardswish_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_hardswish_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_hardswish_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* softplus: y = beta*x > threshold ? x : log1p(e^(beta*x)) / beta; the usual
 * defaults are beta = 1, threshold = 20. beta == 0 is ACTFN_ERR_PARAM;
 * threshold may be infinite (+inf: never linear). The value is that of the
 * exact beta*x: where beta*x overflows the type for a finite x, y is x (or a
 * zero) and dx is dy (or a zero), never an infinity from the overflow.
 * Backward from x: dx = beta*x > threshold ? dy : dy * sigma(beta*x). */
ACTFN_API int actfn_softplus_f32(const float *x, float *y, size_t n, float beta, float threshold);
ACTFN_API int actfn_softplus_f64(const double *x, double *y, size_t n, double beta, double threshold);
ACTFN_API int actfn_softplus_backward_f32(const float *x, const float *dy, float *dx, size_t n, float beta,
                                          float threshold);
ACTFN_API int actfn_softplus_backward_f64(const double *x, const double *dy, double *dx, size_t n, double beta,
                                          double threshold);

/* logsigmoid: y = -log(1 + e^-x) (no threshold).
 * Backward from x: dx = dy * sigma(-x). */
ACTFN_API int actfn_logsigmoid_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_logsigmoid_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_logsigmoid_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_logsigmoid_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* mish: y = x * tanh(softplus(x)).
 * Backward from x: dx = dy * (t + x * sigma(x) * (1 - t^2)), t = tanh(softplus(x)). */
ACTFN_API int actfn_mish_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_mish_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_mish_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_mish_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* gelu (erf form): y = x * Phi(x) = 0.5 * x * erfc(-x / sqrt(2)).
 * Backward from x: dx = dy * (Phi(x) + x * phi(x)), phi the normal density. */
ACTFN_API int actfn_gelu_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_gelu_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_gelu_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_gelu_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* gelu_tanh: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
 * Backward from x: the exact derivative of that forward. */
ACTFN_API int actfn_gelu_tanh_f32(const float *x, float *y, size_t n);
ACTFN_API int actfn_gelu_tanh_f64(const double *x, double *y, size_t n);
ACTFN_API int actfn_gelu_tanh_backward_f32(const float *x, const float *dy, float *dx, size_t n);
ACTFN_API int actfn_gelu_tanh_backward_f64(const double *x, const double *dy, double *dx, size_t n);

/* ------------------------------------------------------------------------ */
/* Operations with a shape (all arrays dense, C order).                      */
/* ------------------------------------------------------------------------ */

/* prelu: x viewed as (outer, channels, inner); alpha holds one slope per
 * channel; y = x > 0 ? x : alpha[c] * x. alpha is data: a NaN slope gives NaN
 * where it is used. Overflow of outer*channels*inner is ACTFN_ERR_SIZE.
 * y may be x; y must not overlap alpha. */
ACTFN_API int actfn_prelu_f32(const float *x, const float *alpha, float *y, size_t outer, size_t channels,
                              size_t inner);
ACTFN_API int actfn_prelu_f64(const double *x, const double *alpha, double *y, size_t outer, size_t channels,
                              size_t inner);
/* prelu backward, from x: dx = x > 0 ? dy : alpha[c] * dy, and
 * dalpha[c] = sum over outer and inner of (x > 0 ? 0 : x * dy) — overwritten,
 * not accumulated. dalpha may be NULL (then only dx is computed); when given,
 * it must not overlap any other array. dx may be x or dy. */
ACTFN_API int actfn_prelu_backward_f32(const float *x, const float *alpha, const float *dy, float *dx,
                                       float *dalpha, size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_prelu_backward_f64(const double *x, const double *alpha, const double *dy, double *dx,
                                       double *dalpha, size_t outer, size_t channels, size_t inner);

/* softmax along the contiguous last axis of a (rows, cols) array:
 * y = e^(x - max) / sum e^(x - max) per row. A row holding NaN gives a NaN
 * row; a row of -inf with one finite value gives a one-hot row; a row of
 * only -inf gives a NaN row. */
ACTFN_API int actfn_softmax_f32(const float *x, float *y, size_t rows, size_t cols);
ACTFN_API int actfn_softmax_f64(const double *x, double *y, size_t rows, size_t cols);
/* softmax backward, from y: dx = y * (dy - sum(dy * y)) per row. */
ACTFN_API int actfn_softmax_backward_f32(const float *y, const float *dy, float *dx, size_t rows, size_t cols);
ACTFN_API int actfn_softmax_backward_f64(const double *y, const double *dy, double *dx, size_t rows,
                                         size_t cols);

/* log_softmax per row: y = x - max - log(sum e^(x - max)). */
ACTFN_API int actfn_log_softmax_f32(const float *x, float *y, size_t rows, size_t cols);
ACTFN_API int actfn_log_softmax_f64(const double *x, double *y, size_t rows, size_t cols);
/* log_softmax backward, from y: dx = dy - e^y * sum(dy) per row. */
ACTFN_API int actfn_log_softmax_backward_f32(const float *y, const float *dy, float *dx, size_t rows,
                                             size_t cols);
ACTFN_API int actfn_log_softmax_backward_f64(const double *y, const double *dy, double *dx, size_t rows,
                                             size_t cols);

/* maxout: x viewed as (outer, k, inner), y as (outer, inner); y is the max
 * over the k pieces. Ties go to the lowest piece index; a NaN piece wins (the
 * first NaN is the selected piece). k == 0 is ACTFN_ERR_PARAM. Dense-layer
 * maxout (pieces adjacent) is inner = 1; channel maxout in NCHW is
 * outer = N*C_out, inner = H*W. y may alias x only when k == 1. */
ACTFN_API int actfn_maxout_f32(const float *x, float *y, size_t outer, size_t k, size_t inner);
ACTFN_API int actfn_maxout_f64(const double *x, double *y, size_t outer, size_t k, size_t inner);
/* maxout backward, from x: dx (shape of x) is dy at the selected piece and 0
 * elsewhere. dx may be x; it may alias dy only when k == 1. */
ACTFN_API int actfn_maxout_backward_f32(const float *x, const float *dy, float *dx, size_t outer, size_t k,
                                        size_t inner);
ACTFN_API int actfn_maxout_backward_f64(const double *x, const double *dy, double *dx, size_t outer, size_t k,
                                        size_t inner);

/* ------------------------------------------------------------------------ */
/* Gated operations (SPEC §11): two arrays a, b of n elements each.          */
/* ------------------------------------------------------------------------ */

/* y = act(g) * v: the gate's activation, its value in T as actfn_<act>
 * returns it, times the other half, rounded once — so the error is the
 * activation's (SPEC §4) plus one rounding, and IEEE products decide the
 * specials: a gate that rounds to ±0 times v = ±inf is NaN, as an unfused
 * act(g) * v is. The backward forms act'(g) * dy first (in T), then times
 * v; dv = dy * act(g). Every gate's derivative is taken from its input
 * (sigmoid's too: no 1 - y of a rounded y). y may be a or b; da and
 * db may each be a, b or dy (exactly), and must not overlap each other.
 * Split a (rows, 2h) tensor into its halves yourself (the Python package's
 * actfn.glu(x, axis) does): a and b are dense arrays of n. */
/* glu: y = a * sigmoid(b) (torch.nn.functional.glu with a the first half).
 * Backward: da = dy * sigmoid(b), db = dy * a * sigmoid(b) * sigmoid(-b). */
ACTFN_API int actfn_glu_f32(const float *a, const float *b, float *y, size_t n);
ACTFN_API int actfn_glu_f64(const double *a, const double *b, double *y, size_t n);
ACTFN_API int actfn_glu_backward_f32(const float *a, const float *b, const float *dy, float *da, float *db,
                                 size_t n);
ACTFN_API int actfn_glu_backward_f64(const double *a, const double *b, const double *dy, double *da, double *db,
                                 size_t n);

/* swiglu (LLaMA): y = silu(a) * b.
 * Backward: da = dy * b * silu'(a), db = dy * silu(a). */
ACTFN_API int actfn_swiglu_f32(const float *a, const float *b, float *y, size_t n);
ACTFN_API int actfn_swiglu_f64(const double *a, const double *b, double *y, size_t n);
ACTFN_API int actfn_swiglu_backward_f32(const float *a, const float *b, const float *dy, float *da, float *db,
                                 size_t n);
ACTFN_API int actfn_swiglu_backward_f64(const double *a, const double *b, const double *dy, double *da, double *db,
                                 size_t n);

/* geglu (T5, Gemma): y = gelu(a) * b, the erf form.
 * Backward: da = dy * b * gelu'(a), db = dy * gelu(a). */
ACTFN_API int actfn_geglu_f32(const float *a, const float *b, float *y, size_t n);
ACTFN_API int actfn_geglu_f64(const double *a, const double *b, double *y, size_t n);
ACTFN_API int actfn_geglu_backward_f32(const float *a, const float *b, const float *dy, float *da, float *db,
                                 size_t n);
ACTFN_API int actfn_geglu_backward_f64(const double *a, const double *b, const double *dy, double *da, double *db,
                                 size_t n);

/* geglu_tanh: y = gelu_tanh(a) * b.
 * Backward: da = dy * b * gelu_tanh'(a), db = dy * gelu_tanh(a). */
ACTFN_API int actfn_geglu_tanh_f32(const float *a, const float *b, float *y, size_t n);
ACTFN_API int actfn_geglu_tanh_f64(const double *a, const double *b, double *y, size_t n);
ACTFN_API int actfn_geglu_tanh_backward_f32(const float *a, const float *b, const float *dy, float *da, float *db,
                                 size_t n);
ACTFN_API int actfn_geglu_tanh_backward_f64(const double *a, const double *b, const double *dy, double *da, double *db,
                                 size_t n);

/* reglu: y = relu(a) * b (IEEE products: relu(a) = 0 times b = inf is NaN).
 * Backward: da = dy * b if a > 0 else 0 * b, db = dy * relu(a). */
ACTFN_API int actfn_reglu_f32(const float *a, const float *b, float *y, size_t n);
ACTFN_API int actfn_reglu_f64(const double *a, const double *b, double *y, size_t n);
ACTFN_API int actfn_reglu_backward_f32(const float *a, const float *b, const float *dy, float *da, float *db,
                                 size_t n);
ACTFN_API int actfn_reglu_backward_f64(const double *a, const double *b, const double *dy, double *da, double *db,
                                 size_t n);

/* ------------------------------------------------------------------------ */
/* Fused bias + activation (SPEC §11): bias_<op> for every elementwise op.   */
/* ------------------------------------------------------------------------ */

/* x viewed as (outer, channels, inner), one bias[c] per channel: NCHW is
 * (N, C, H*W), a (rows, features) matrix is (rows, features, 1). Forward:
 * y = op(x + bias[c]), the sum rounded to T and the op's error on it (its
 * parameters, domains and budgets as the op's own). Backward, from x for
 * every op (sigmoid and tanh included): dx = op'(x + bias[c]) * dy, and
 * dbias[c] = the sum of the channel's dx over outer and inner — overwritten,
 * pairwise, bounded as prelu's dalpha; dbias may be NULL. y may be x; dx may
 * be x or dy; bias and dbias must not overlap any other array. */
ACTFN_API int actfn_bias_sigmoid_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_sigmoid_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_sigmoid_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_sigmoid_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_tanh_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_tanh_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_tanh_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_tanh_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_relu_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_relu_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu6_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_relu6_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_relu6_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu6_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardtanh_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner, float min_val, float max_val);
ACTFN_API int actfn_bias_hardtanh_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner, double min_val, double max_val);
ACTFN_API int actfn_bias_hardtanh_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner, float min_val, float max_val);
ACTFN_API int actfn_bias_hardtanh_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner, double min_val, double max_val);
ACTFN_API int actfn_bias_leaky_relu_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner, float alpha);
ACTFN_API int actfn_bias_leaky_relu_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner, double alpha);
ACTFN_API int actfn_bias_leaky_relu_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_leaky_relu_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner, double alpha);
ACTFN_API int actfn_bias_elu_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner, float alpha);
ACTFN_API int actfn_bias_elu_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner, double alpha);
ACTFN_API int actfn_bias_elu_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_elu_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner, double alpha);
ACTFN_API int actfn_bias_selu_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_selu_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_selu_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_selu_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_silu_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_silu_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_silu_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_silu_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_swish_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner, float beta);
ACTFN_API int actfn_bias_swish_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner, double beta);
ACTFN_API int actfn_bias_swish_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner, float beta);
ACTFN_API int actfn_bias_swish_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner, double beta);
ACTFN_API int actfn_bias_hardsigmoid_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_hardsigmoid_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_hardsigmoid_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardsigmoid_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardswish_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_hardswish_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_hardswish_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardswish_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_softplus_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner, float beta, float threshold);
ACTFN_API int actfn_bias_softplus_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner, double beta, double threshold);
ACTFN_API int actfn_bias_softplus_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner, float beta, float threshold);
ACTFN_API int actfn_bias_softplus_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner, double beta, double threshold);
ACTFN_API int actfn_bias_logsigmoid_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_logsigmoid_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_logsigmoid_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_logsigmoid_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_mish_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_mish_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_mish_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_mish_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_gelu_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_gelu_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_f32(const float *x, const float *bias, float *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_f64(const double *x, const double *bias, double *y, size_t outer, size_t channels,
                               size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_backward_f32(const float *x, const float *bias, const float *dy, float *dx, float *dbias,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_backward_f64(const double *x, const double *bias, const double *dy, double *dx, double *dbias,
                                        size_t outer, size_t channels, size_t inner);
/* ------------------------------------------------------------------------ */
/* 16-bit storage types (SPEC §9): bfloat16 and IEEE binary16.               */
/* ------------------------------------------------------------------------ */

/* Every operation above also exists for two 16-bit storage types, with the
 * suffixes _bf16 (bfloat16: sign, 8 exponent bits, 7 fraction bits — the
 * top half of a float) and _f16 (IEEE 754 binary16: sign, 5 exponent bits,
 * 10 fraction bits). Arrays hold the raw bit patterns; each format has its
 * own struct type, so an array of one cannot be passed where the other is
 * expected. Scalar parameters (alpha, beta, threshold, min_val, max_val)
 * are float, as in the _f32 functions.
 *
 * Each element is widened exactly to float, computed as the _f32 function
 * computes it, and rounded once, to nearest even, to the storage type. A
 * result is within 1 ULP of the storage type of the exact result (for a
 * backward pass, or where the _f32 budget has an absolute floor, plus that
 * floor); relu, relu6, hardtanh, leaky_relu, prelu and maxout are exact
 * (correctly rounded). Overflow on rounding gives ±inf, NaN stays NaN
 * (quiet), and f16 subnormals are ordinary numbers in and out.
 * Reductions — softmax and log_softmax row sums, prelu dalpha, bias dbias —
 * accumulate in float and are rounded once to the storage type.
 *
 * Every rule above (in place, overlap, checks and their order, NULL with
 * n == 0, reproducible mode, threads) holds as for _f32; pointers need the
 * 2-byte alignment of the struct. Kernels: AVX-512 converts bfloat16 with
 * the AVX512_BF16 instructions where the CPU has them and with an exact
 * integer rounding otherwise; binary16 with F16C on AVX2 and AVX-512 and
 * with NEON's conversions on AArch64; the scalar path rounds in software.
 * The choice is made once, with the ISA. */
typedef struct actfn_bf16 {
    uint16_t bits;
} actfn_bf16;
typedef struct actfn_f16 {
    uint16_t bits;
} actfn_f16;

ACTFN_API int actfn_sigmoid_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_sigmoid_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_sigmoid_backward_bf16(const actfn_bf16 *y, const actfn_bf16 *dy, actfn_bf16 *dx,
                                          size_t n);
ACTFN_API int actfn_sigmoid_backward_f16(const actfn_f16 *y, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_tanh_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_tanh_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_tanh_backward_bf16(const actfn_bf16 *y, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_tanh_backward_f16(const actfn_f16 *y, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_relu_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_relu_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_relu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_relu_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_relu6_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_relu6_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_relu6_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_relu6_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_hardtanh_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n, float min_val, float max_val);
ACTFN_API int actfn_hardtanh_f16(const actfn_f16 *x, actfn_f16 *y, size_t n, float min_val, float max_val);
ACTFN_API int actfn_hardtanh_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n,
                                           float min_val, float max_val);
ACTFN_API int actfn_hardtanh_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n,
                                          float min_val, float max_val);
ACTFN_API int actfn_leaky_relu_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n, float alpha);
ACTFN_API int actfn_leaky_relu_f16(const actfn_f16 *x, actfn_f16 *y, size_t n, float alpha);
ACTFN_API int actfn_leaky_relu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx,
                                             size_t n, float alpha);
ACTFN_API int actfn_leaky_relu_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n,
                                            float alpha);
ACTFN_API int actfn_elu_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n, float alpha);
ACTFN_API int actfn_elu_f16(const actfn_f16 *x, actfn_f16 *y, size_t n, float alpha);
ACTFN_API int actfn_elu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n,
                                      float alpha);
ACTFN_API int actfn_elu_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n,
                                     float alpha);
ACTFN_API int actfn_selu_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_selu_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_selu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_selu_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_silu_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_silu_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_silu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_silu_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_swish_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n, float beta);
ACTFN_API int actfn_swish_f16(const actfn_f16 *x, actfn_f16 *y, size_t n, float beta);
ACTFN_API int actfn_swish_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n,
                                        float beta);
ACTFN_API int actfn_swish_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n,
                                       float beta);
ACTFN_API int actfn_hardsigmoid_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_hardsigmoid_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_hardsigmoid_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx,
                                              size_t n);
ACTFN_API int actfn_hardsigmoid_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx,
                                             size_t n);
ACTFN_API int actfn_hardswish_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_hardswish_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_hardswish_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx,
                                            size_t n);
ACTFN_API int actfn_hardswish_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_softplus_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n, float beta, float threshold);
ACTFN_API int actfn_softplus_f16(const actfn_f16 *x, actfn_f16 *y, size_t n, float beta, float threshold);
ACTFN_API int actfn_softplus_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n,
                                           float beta, float threshold);
ACTFN_API int actfn_softplus_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n,
                                          float beta, float threshold);
ACTFN_API int actfn_logsigmoid_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_logsigmoid_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_logsigmoid_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx,
                                             size_t n);
ACTFN_API int actfn_logsigmoid_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_mish_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_mish_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_mish_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_mish_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_gelu_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_gelu_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_gelu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx, size_t n);
ACTFN_API int actfn_gelu_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_gelu_tanh_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_gelu_tanh_f16(const actfn_f16 *x, actfn_f16 *y, size_t n);
ACTFN_API int actfn_gelu_tanh_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx,
                                            size_t n);
ACTFN_API int actfn_gelu_tanh_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t n);
ACTFN_API int actfn_prelu_bf16(const actfn_bf16 *x, const actfn_bf16 *alpha, actfn_bf16 *y, size_t outer,
                               size_t channels, size_t inner);
ACTFN_API int actfn_prelu_f16(const actfn_f16 *x, const actfn_f16 *alpha, actfn_f16 *y, size_t outer,
                              size_t channels, size_t inner);
ACTFN_API int actfn_prelu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *alpha, const actfn_bf16 *dy,
                                        actfn_bf16 *dx, actfn_bf16 *dalpha, size_t outer, size_t channels,
                                        size_t inner);
ACTFN_API int actfn_prelu_backward_f16(const actfn_f16 *x, const actfn_f16 *alpha, const actfn_f16 *dy,
                                       actfn_f16 *dx, actfn_f16 *dalpha, size_t outer, size_t channels,
                                       size_t inner);
ACTFN_API int actfn_softmax_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t rows, size_t cols);
ACTFN_API int actfn_softmax_f16(const actfn_f16 *x, actfn_f16 *y, size_t rows, size_t cols);
ACTFN_API int actfn_softmax_backward_bf16(const actfn_bf16 *y, const actfn_bf16 *dy, actfn_bf16 *dx,
                                          size_t rows, size_t cols);
ACTFN_API int actfn_softmax_backward_f16(const actfn_f16 *y, const actfn_f16 *dy, actfn_f16 *dx, size_t rows,
                                         size_t cols);
ACTFN_API int actfn_log_softmax_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t rows, size_t cols);
ACTFN_API int actfn_log_softmax_f16(const actfn_f16 *x, actfn_f16 *y, size_t rows, size_t cols);
ACTFN_API int actfn_log_softmax_backward_bf16(const actfn_bf16 *y, const actfn_bf16 *dy, actfn_bf16 *dx,
                                              size_t rows, size_t cols);
ACTFN_API int actfn_log_softmax_backward_f16(const actfn_f16 *y, const actfn_f16 *dy, actfn_f16 *dx,
                                             size_t rows, size_t cols);
ACTFN_API int actfn_maxout_bf16(const actfn_bf16 *x, actfn_bf16 *y, size_t outer, size_t k, size_t inner);
ACTFN_API int actfn_maxout_f16(const actfn_f16 *x, actfn_f16 *y, size_t outer, size_t k, size_t inner);
ACTFN_API int actfn_maxout_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *dy, actfn_bf16 *dx,
                                         size_t outer, size_t k, size_t inner);
ACTFN_API int actfn_maxout_backward_f16(const actfn_f16 *x, const actfn_f16 *dy, actfn_f16 *dx, size_t outer,
                                        size_t k, size_t inner);
ACTFN_API int actfn_glu_bf16(const actfn_bf16 *a, const actfn_bf16 *b, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_glu_f16(const actfn_f16 *a, const actfn_f16 *b, actfn_f16 *y, size_t n);
ACTFN_API int actfn_glu_backward_bf16(const actfn_bf16 *a, const actfn_bf16 *b, const actfn_bf16 *dy,
                                      actfn_bf16 *da, actfn_bf16 *db, size_t n);
ACTFN_API int actfn_glu_backward_f16(const actfn_f16 *a, const actfn_f16 *b, const actfn_f16 *dy,
                                     actfn_f16 *da, actfn_f16 *db, size_t n);
ACTFN_API int actfn_swiglu_bf16(const actfn_bf16 *a, const actfn_bf16 *b, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_swiglu_f16(const actfn_f16 *a, const actfn_f16 *b, actfn_f16 *y, size_t n);
ACTFN_API int actfn_swiglu_backward_bf16(const actfn_bf16 *a, const actfn_bf16 *b, const actfn_bf16 *dy,
                                         actfn_bf16 *da, actfn_bf16 *db, size_t n);
ACTFN_API int actfn_swiglu_backward_f16(const actfn_f16 *a, const actfn_f16 *b, const actfn_f16 *dy,
                                        actfn_f16 *da, actfn_f16 *db, size_t n);
ACTFN_API int actfn_geglu_bf16(const actfn_bf16 *a, const actfn_bf16 *b, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_geglu_f16(const actfn_f16 *a, const actfn_f16 *b, actfn_f16 *y, size_t n);
ACTFN_API int actfn_geglu_backward_bf16(const actfn_bf16 *a, const actfn_bf16 *b, const actfn_bf16 *dy,
                                        actfn_bf16 *da, actfn_bf16 *db, size_t n);
ACTFN_API int actfn_geglu_backward_f16(const actfn_f16 *a, const actfn_f16 *b, const actfn_f16 *dy,
                                       actfn_f16 *da, actfn_f16 *db, size_t n);
ACTFN_API int actfn_geglu_tanh_bf16(const actfn_bf16 *a, const actfn_bf16 *b, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_geglu_tanh_f16(const actfn_f16 *a, const actfn_f16 *b, actfn_f16 *y, size_t n);
ACTFN_API int actfn_geglu_tanh_backward_bf16(const actfn_bf16 *a, const actfn_bf16 *b, const actfn_bf16 *dy,
                                             actfn_bf16 *da, actfn_bf16 *db, size_t n);
ACTFN_API int actfn_geglu_tanh_backward_f16(const actfn_f16 *a, const actfn_f16 *b, const actfn_f16 *dy,
                                            actfn_f16 *da, actfn_f16 *db, size_t n);
ACTFN_API int actfn_reglu_bf16(const actfn_bf16 *a, const actfn_bf16 *b, actfn_bf16 *y, size_t n);
ACTFN_API int actfn_reglu_f16(const actfn_f16 *a, const actfn_f16 *b, actfn_f16 *y, size_t n);
ACTFN_API int actfn_reglu_backward_bf16(const actfn_bf16 *a, const actfn_bf16 *b, const actfn_bf16 *dy,
                                        actfn_bf16 *da, actfn_bf16 *db, size_t n);
ACTFN_API int actfn_reglu_backward_f16(const actfn_f16 *a, const actfn_f16 *b, const actfn_f16 *dy,
                                       actfn_f16 *da, actfn_f16 *db, size_t n);
ACTFN_API int actfn_bias_sigmoid_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                      size_t channels, size_t inner);
ACTFN_API int actfn_bias_sigmoid_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                     size_t channels, size_t inner);
ACTFN_API int actfn_bias_sigmoid_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                               const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                               size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_sigmoid_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                              actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                              size_t inner);
ACTFN_API int actfn_bias_tanh_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_tanh_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                  size_t channels, size_t inner);
ACTFN_API int actfn_bias_tanh_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                            actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_tanh_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                           actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                           size_t inner);
ACTFN_API int actfn_bias_relu_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                  size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                            actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_relu_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                           actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                           size_t inner);
ACTFN_API int actfn_bias_relu6_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                    size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu6_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_relu6_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                             actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                             size_t inner);
ACTFN_API int actfn_bias_relu6_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                            actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_hardtanh_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                       size_t outer, size_t channels, size_t inner, float min_val,
                                       float max_val);
ACTFN_API int actfn_bias_hardtanh_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                      size_t channels, size_t inner, float min_val, float max_val);
ACTFN_API int actfn_bias_hardtanh_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                size_t outer, size_t channels, size_t inner, float min_val,
                                                float max_val);
ACTFN_API int actfn_bias_hardtanh_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                               actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                               size_t inner, float min_val, float max_val);
ACTFN_API int actfn_bias_leaky_relu_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                         size_t outer, size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_leaky_relu_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                        size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_leaky_relu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                  const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                  size_t outer, size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_leaky_relu_backward_f16(const actfn_f16 *x, const actfn_f16 *bias,
                                                 const actfn_f16 *dy, actfn_f16 *dx, actfn_f16 *dbias,
                                                 size_t outer, size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_elu_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                  size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_elu_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                 size_t channels, size_t inner, float alpha);
ACTFN_API int actfn_bias_elu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                           actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                           size_t inner, float alpha);
ACTFN_API int actfn_bias_elu_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                          actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                          size_t inner, float alpha);
ACTFN_API int actfn_bias_selu_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_selu_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                  size_t channels, size_t inner);
ACTFN_API int actfn_bias_selu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                            actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_selu_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                           actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                           size_t inner);
ACTFN_API int actfn_bias_silu_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_silu_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                  size_t channels, size_t inner);
ACTFN_API int actfn_bias_silu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                            actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_silu_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                           actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                           size_t inner);
ACTFN_API int actfn_bias_swish_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                    size_t channels, size_t inner, float beta);
ACTFN_API int actfn_bias_swish_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                   size_t channels, size_t inner, float beta);
ACTFN_API int actfn_bias_swish_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                             actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                             size_t inner, float beta);
ACTFN_API int actfn_bias_swish_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                            actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                            size_t inner, float beta);
ACTFN_API int actfn_bias_hardsigmoid_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                          size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardsigmoid_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                         size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardsigmoid_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                   const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                   size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardsigmoid_backward_f16(const actfn_f16 *x, const actfn_f16 *bias,
                                                  const actfn_f16 *dy, actfn_f16 *dx, actfn_f16 *dbias,
                                                  size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardswish_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardswish_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                       size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardswish_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                 const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                 size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_hardswish_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                                actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                                size_t inner);
ACTFN_API int actfn_bias_softplus_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                       size_t outer, size_t channels, size_t inner, float beta,
                                       float threshold);
ACTFN_API int actfn_bias_softplus_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                      size_t channels, size_t inner, float beta, float threshold);
ACTFN_API int actfn_bias_softplus_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                size_t outer, size_t channels, size_t inner, float beta,
                                                float threshold);
ACTFN_API int actfn_bias_softplus_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                               actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                               size_t inner, float beta, float threshold);
ACTFN_API int actfn_bias_logsigmoid_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                         size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_logsigmoid_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                        size_t channels, size_t inner);
ACTFN_API int actfn_bias_logsigmoid_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                  const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                  size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_logsigmoid_backward_f16(const actfn_f16 *x, const actfn_f16 *bias,
                                                 const actfn_f16 *dy, actfn_f16 *dx, actfn_f16 *dbias,
                                                 size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_mish_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_mish_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                  size_t channels, size_t inner);
ACTFN_API int actfn_bias_mish_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                            actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_mish_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                           actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                           size_t inner);
ACTFN_API int actfn_bias_gelu_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y, size_t outer,
                                   size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                  size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, const actfn_bf16 *dy,
                                            actfn_bf16 *dx, actfn_bf16 *dbias, size_t outer, size_t channels,
                                            size_t inner);
ACTFN_API int actfn_bias_gelu_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                           actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                           size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_bf16(const actfn_bf16 *x, const actfn_bf16 *bias, actfn_bf16 *y,
                                        size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_f16(const actfn_f16 *x, const actfn_f16 *bias, actfn_f16 *y, size_t outer,
                                       size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_backward_bf16(const actfn_bf16 *x, const actfn_bf16 *bias,
                                                 const actfn_bf16 *dy, actfn_bf16 *dx, actfn_bf16 *dbias,
                                                 size_t outer, size_t channels, size_t inner);
ACTFN_API int actfn_bias_gelu_tanh_backward_f16(const actfn_f16 *x, const actfn_f16 *bias, const actfn_f16 *dy,
                                                actfn_f16 *dx, actfn_f16 *dbias, size_t outer, size_t channels,
                                                size_t inner);


/* ------------------------------------------------------------------------ */
/* Run-time dispatch                                                         */
/* ------------------------------------------------------------------------ */

typedef enum { ACTFN_ISA_SCALAR, ACTFN_ISA_AVX2, ACTFN_ISA_AVX512, ACTFN_ISA_NEON } actfn_isa;

/* The ISA whose kernels calls use now. The best supported ISA is chosen once,
 * thread-safely, on first use of the library; the environment variable
 * ACTFN_ISA=scalar|avx2|avx512|neon|auto overrides that choice at start-up
 * (an unknown or unsupported value prints one warning line to stderr and
 * falls back to auto). */
ACTFN_API actfn_isa actfn_get_isa(void);
/* Switch every later call, process-wide, to `isa`: ACTFN_OK, or
 * ACTFN_ERR_UNSUPPORTED (and nothing changes) if it cannot run here. */
ACTFN_API int actfn_set_isa(actfn_isa isa);
/* 1 if this CPU, OS and build can run `isa`, else 0. A build that compiles
 * the NEON kernels through SIMDe on x86 (a test option) reports NEON as
 * supported, but never picks it on its own. */
ACTFN_API int actfn_isa_supported(actfn_isa isa);
/* "scalar", "avx2", "avx512", "neon"; "unknown" for other values. */
ACTFN_API const char *actfn_isa_name(actfn_isa isa);
/* The library version, "MAJOR.MINOR.PATCH". */
ACTFN_API const char *actfn_version(void);

/* ------------------------------------------------------------------------ */
/* Reproducible mode                                                         */
/* ------------------------------------------------------------------------ */

typedef enum { ACTFN_MODE_FAST, ACTFN_MODE_REPRODUCIBLE } actfn_mode;

/* The mode calls use now. ACTFN_MODE_FAST (the default) runs the fastest
 * kernels within the accuracy budgets; transcendental results may differ in
 * the last bits between ISAs. ACTFN_MODE_REPRODUCIBLE makes every op,
 * forward and backward, f32 and f64, return bit-identical results on every
 * ISA (scalar, AVX2, AVX-512, NEON) and every machine, for any n and any
 * pointer alignment, within the same accuracy budgets: transcendentals come
 * from SLEEF's deterministic (finz) functions, the arithmetic around them is
 * one fixed sequence of IEEE operations, and reductions (softmax and
 * log_softmax sums and maxima, prelu dalpha) use 16 virtual lanes and one
 * fixed combining tree whatever the real vector width. Every NaN result is
 * the one canonical quiet NaN (positive, no payload: 0x7fc00000 in f32,
 * 0x7ff8000000000000 in f64), whatever the sign and payload of a NaN input,
 * so checksums of outputs holding NaN agree too. It costs speed (README.md gives figures). The environment
 * variable ACTFN_MODE=fast|reproducible sets the mode at start-up (an unknown
 * value prints one warning line to stderr and keeps fast). */
ACTFN_API actfn_mode actfn_get_mode(void);
/* Switch every later call, process-wide, to `mode`: ACTFN_OK, or
 * ACTFN_ERR_PARAM (and nothing changes) for a value that is not an
 * actfn_mode. Independent of actfn_set_isa: both may be set in any order.
 * On an x86-64 CPU without FMA (which SLEEF's deterministic functions need)
 * ACTFN_MODE_REPRODUCIBLE is ACTFN_ERR_UNSUPPORTED and ACTFN_MODE=reproducible
 * warns and keeps fast. */
ACTFN_API int actfn_set_mode(actfn_mode mode);

/* ------------------------------------------------------------------------ */
/* Threads                                                                   */
/* ------------------------------------------------------------------------ */

/* A call with enough work is split over this many threads: the caller's
 * and the workers of one persistent pool, started on the first such call.
 * Smaller calls — below a per-op amount of work measured on the machine the
 * library was tuned on (README "Threads") — run on the calling thread with
 * no synchronisation at all. Every result, in both modes and for every op
 * (softmax rows and prelu dalpha included), is bit-identical for every
 * thread count: a split never changes what an element is computed from nor
 * the order of a sum. Workers sleep between calls (no spinning), run under
 * the caller's floating-point environment, and block all signals. Calls
 * from several user threads at once are correct; while one of them uses
 * the pool, the others run on their own threads instead of waiting. After
 * fork() the child starts its own pool on its first split call.
 *
 * The default is the number of CPUs the process may run on (its affinity
 * mask at first use); ACTFN_NUM_THREADS=<n> sets it at start-up (a value
 * that is not a whole number >= 1 prints one warning line to stderr and
 * keeps the default). actfn_set_num_threads takes effect from the next
 * call and never waits for calls in flight: ACTFN_OK, or ACTFN_ERR_PARAM
 * (nothing changes) for n < 1. At most 1024 threads work on one call. */
ACTFN_API int actfn_set_num_threads(int n);
ACTFN_API int actfn_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* ACTFN_H */
