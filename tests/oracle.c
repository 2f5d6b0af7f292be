/*
 * oracle.c — the tests' independent long-double model of every op (see
 * oracle.h). Written from SPEC §3, not from src/: each formula is arranged
 * so long double loses no more than a few of its own ULPs (no cancellation
 * of nearly equal terms), which keeps its error far below one ULP of T.
 * Infinite inputs return the mathematical limit explicitly wherever the
 * plain formula would form inf·0 or inf − inf.
 */
#include <math.h>

#include "oracle.h"

#define SQRT1_2_L 0.70710678118654752440084436210484904L   /* 1/√2 */
#define SQRT2_PI_L 0.79788456080286535587989211986876373L  /* √(2/π) */
#define INV_SQRT_2PI_L 0.39894228040143267793994605993438187L /* 1/√(2π) */
#define GELU_TANH_C 0.044715L
#define SELU_LAMBDA_L 1.0507009873554804934193349852946L
#define SELU_ALPHA_L 1.6732632423543772848170429916717L

/* σ(t) without cancellation or overflow. */
static long double sigmoid_l(long double t)
{
    if (t >= 0)
        return 1.0L / (1.0L + expl(-t));
    const long double e = expl(t);
    return e / (1.0L + e);
}

/* a·b, except that an exact zero times ±inf is the limit of 0·v: a zero
 * whose sign is the product of the signs (the header's "zero factors"). */
long double oracle_lim_mul(long double a, long double b)
{
    if ((a == 0 && isinf(b)) || (isinf(a) && b == 0))
        return copysignl(0.0L, a) * copysignl(1.0L, b);
    return a * b;
}

/* a·b rounded once to T, zero factors as oracle_lim_mul: the exact result of
 * a piecewise-linear op. For bf16 / f16 the exact product itself (a float
 * parameter times a 16-bit value, or two 16-bit values, has at most 35
 * significant bits: exact in long double), which the checks round once to
 * the storage type — "correctly rounded" (SPEC §9), not rounded to the
 * compute type first. */
static long double mul_in_t(tc_dtype dt, long double a, long double b)
{
    if ((a == 0 && isinf(b)) || (isinf(a) && b == 0))
        return oracle_lim_mul(a, b);
    switch (dt) {
    case TC_F32:
        return (float)a * (float)b;
    case TC_F64:
        return (double)a * (double)b;
    case TC_BF16:
    case TC_F16:
        break;
    }
    return a * b;
}

/* a·b as the compute type computes it (a condition's operand). */
static long double mul_in_compute(tc_dtype dt, long double a, long double b)
{
    return mul_in_t(tc_compute_type(dt), a, b);
}

/* The softplus branch condition, as SPEC §3 writes it: beta·x > threshold
 * with beta·x computed in T (in float for the 16-bit types, SPEC §9). */
static int softplus_linear(tc_dtype dt, long double x, const tc_params *par)
{
    return mul_in_compute(dt, par->p[0], x) > (long double)par->p[1];
}

/* log(1 + e^t) without overflow or cancellation. */
static long double log1pexp_l(long double t)
{
    return t > 0 ? t + log1pl(expl(-t)) : log1pl(expl(t));
}

/* mish's t = tanh(softplus(x)) and 1 − t, both cancellation-free:
 * with u = e^x, t = u(u+2) / (u(u+2) + 2); for x > 0 use w = e^−x. */
static void mish_t(long double x, long double *t, long double *one_minus_t)
{
    if (x > 0) {
        const long double w = expl(-x);
        const long double den = 1.0L + 2.0L * w + 2.0L * w * w;
        *t = (1.0L + 2.0L * w) / den;
        *one_minus_t = 2.0L * w * w / den;
    } else {
        const long double u = expl(x);
        const long double num = u * (u + 2.0L);
        *t = num / (num + 2.0L);
        *one_minus_t = 2.0L / (num + 2.0L);
    }
}

/* gelu_tanh's inner argument u = √(2/π)(x + c·x³) and its derivative. */
static long double gelu_tanh_u(long double x)
{
    return SQRT2_PI_L * (x + GELU_TANH_C * x * x * x);
}

static long double gelu_tanh_du(long double x)
{
    return SQRT2_PI_L * (1.0L + 3.0L * GELU_TANH_C * x * x);
}

/* The forward limit at −inf of the ops that tend to −0 there. */
static long double neg_zero(void)
{
    return -0.0L;
}

long double oracle_unary_fwd(tc_unary op, tc_dtype dt, long double x, const tc_params *par)
{
    const long double p0 = par->p[0], p1 = par->p[1];
    if (isnan(x))
        return NAN; /* every forward pass propagates NaN */
    switch (op) {
    case TC_SIGMOID:
        return sigmoid_l(x);
    case TC_TANH:
        return tanhl(x);
    case TC_RELU:
        return x > 0 ? x : 0.0L;
    case TC_RELU6:
        return x > 6 ? 6.0L : x > 0 ? x : 0.0L;
    case TC_HARDTANH:
        return x < p0 ? p0 : x > p1 ? p1 : x;
    case TC_LEAKY_RELU:
        return x > 0 ? x : mul_in_t(dt, p0, x);
    case TC_ELU:
        return x > 0 ? x : p0 * expm1l(x);
    case TC_SELU:
        return SELU_LAMBDA_L * (x > 0 ? x : SELU_ALPHA_L * expm1l(x));
    case TC_SILU:
        return isinf(x) ? (x > 0 ? x : neg_zero()) : x * sigmoid_l(x);
    case TC_SWISH: {
        if (p0 == 0)
            return 0.5L * x;
        const long double s = sigmoid_l(p0 * x);
        if (isinf(x) && s == 0)
            return x > 0 ? 0.0L : neg_zero();
        return x * s;
    }
    case TC_HARDSIGMOID:
        return x <= -3 ? 0.0L : x >= 3 ? 1.0L : (x + 3.0L) / 6.0L; /* x + 3 exact near −3 */
    case TC_HARDSWISH:
        return x <= -3 ? 0.0L : x >= 3 ? x : x * (x + 3.0L) / 6.0L;
    case TC_SOFTPLUS:
        if (softplus_linear(dt, x, par))
            return x;
        return log1pexp_l(p0 * x) / p0;
    case TC_LOGSIGMOID:
        return x >= 0 ? -log1pl(expl(-x)) : x - log1pl(expl(x));
    case TC_MISH: {
        if (isinf(x))
            return x > 0 ? x : neg_zero();
        long double t, omt;
        mish_t(x, &t, &omt);
        return x * t;
    }
    case TC_GELU:
        if (isinf(x))
            return x > 0 ? x : neg_zero();
        return 0.5L * x * erfcl(-x * SQRT1_2_L);
    case TC_GELU_TANH:
        if (isinf(x))
            return x > 0 ? x : neg_zero();
        return x * sigmoid_l(2.0L * gelu_tanh_u(x));
    case TC_UNARY_COUNT:
        break;
    }
    (void)p1;
    return NAN;
}

/* f'(x) (the factor multiplying dy) of the ops whose backward reads x. */
static long double derivative_from_x(tc_unary op, tc_dtype dt, long double x, long double dy,
                                     const tc_params *par)
{
    const long double p0 = par->p[0], p1 = par->p[1];
    switch (op) {
    case TC_RELU:
        return x > 0 ? dy : 0.0L;
    case TC_RELU6:
        return (x > 0 && x < 6) ? dy : 0.0L;
    case TC_HARDTANH:
        return (x > p0 && x < p1) ? dy : 0.0L;
    case TC_LEAKY_RELU:
        return x > 0 ? dy : mul_in_t(dt, p0, dy);
    case TC_ELU: /* alpha = 0: a zero factor, even against dy = ±inf */
        return x > 0 ? dy : p0 == 0 ? oracle_lim_mul(dy, p0 * expl(x)) : dy * p0 * expl(x);
    case TC_SELU:
        return SELU_LAMBDA_L * (x > 0 ? dy : dy * SELU_ALPHA_L * expl(x));
    case TC_SILU:
        if (isinf(x))
            return dy * (x > 0 ? 1.0L : 0.0L);
        return dy * sigmoid_l(x) * (1.0L + x * sigmoid_l(-x));
    case TC_SWISH: {
        if (p0 == 0) /* f = x/2 */
            return isnan(x) ? NAN : 0.5L * dy;
        const long double t = p0 * x;
        if (isinf(t))
            return dy * (t > 0 ? 1.0L : 0.0L);
        const long double s = sigmoid_l(t), sm = sigmoid_l(-t);
        return dy * (s + t * s * sm);
    }
    case TC_HARDSIGMOID:
        return (x > -3 && x < 3) ? dy / 6.0L : 0.0L;
    case TC_HARDSWISH:
        return x <= -3 ? 0.0L : x < 3 ? dy * (2.0L * x + 3.0L) / 6.0L : dy;
    case TC_SOFTPLUS:
        if (softplus_linear(dt, x, par))
            return dy;
        return dy * sigmoid_l(p0 * x);
    case TC_LOGSIGMOID:
        return dy * sigmoid_l(-x);
    case TC_MISH: {
        if (isinf(x))
            return dy * (x > 0 ? 1.0L : 0.0L);
        long double t, omt;
        mish_t(x, &t, &omt);
        return dy * (t + x * sigmoid_l(x) * omt * (1.0L + t));
    }
    case TC_GELU:
        if (isinf(x))
            return dy * (x > 0 ? 1.0L : 0.0L);
        return dy * (0.5L * erfcl(-x * SQRT1_2_L) + x * INV_SQRT_2PI_L * expl(-0.5L * x * x));
    case TC_GELU_TANH: {
        if (isinf(x))
            return dy * (x > 0 ? 1.0L : 0.0L);
        const long double u2 = 2.0L * gelu_tanh_u(x);
        const long double s = sigmoid_l(u2), sm = sigmoid_l(-u2);
        return dy * (s + x * 2.0L * s * sm * gelu_tanh_du(x));
    }
    case TC_SIGMOID: /* from x: the fused and gated ops */
        return dy * (sigmoid_l(x) * sigmoid_l(-x));
    case TC_TANH: /* 1 − tanh² = 4·σ(2x)·σ(−2x) */
        return 4.0L * (dy * (sigmoid_l(2.0L * x) * sigmoid_l(-2.0L * x)));
    default:
        return NAN;
    }
}

long double oracle_unary_dx(tc_unary op, tc_dtype dt, long double x, long double dy, const tc_params *par)
{
    return derivative_from_x(op, dt, x, dy, par);
}

long double oracle_unary_bwd(tc_unary op, tc_dtype dt, long double in, long double dy, const tc_params *par)
{
    switch (op) {
    case TC_SIGMOID: /* from y */
        return dy * in * (1.0L - in);
    case TC_TANH: /* from y */
        return dy * (1.0L - in) * (1.0L + in);
    default:
        return derivative_from_x(op, dt, in, dy, par);
    }
}

long double oracle_unary_fwd_sens(tc_unary op, tc_dtype dt, long double x, const tc_params *par)
{
    const long double p0 = par->p[0];
    if (!isfinite(x))
        return 0;
    switch (op) {
    case TC_SWISH: {
        const long double t = p0 * x; /* |t · x·σ(t)σ(−t)| */
        return fabsl(t * x * sigmoid_l(t) * sigmoid_l(-t));
    }
    case TC_SOFTPLUS: {
        if (softplus_linear(dt, x, par))
            return 0;
        const long double t = p0 * x; /* |t · σ(t)/β| */
        return fabsl(t * sigmoid_l(t) / p0);
    }
    case TC_GELU: /* t = x/√2: t·∂f/∂t = x²·φ(x) */
        return x * x * INV_SQRT_2PI_L * expl(-0.5L * x * x);
    case TC_GELU_TANH: {
        const long double u = gelu_tanh_u(x); /* f = x·σ(2u): |u · 2x·σ(2u)σ(−2u)| */
        return fabsl(u * 2.0L * x * sigmoid_l(2.0L * u) * sigmoid_l(-2.0L * u));
    }
    default:
        return 0;
    }
}

long double oracle_unary_bwd_sens(tc_unary op, tc_dtype dt, long double x, const tc_params *par)
{
    const long double p0 = par->p[0];
    if (!isfinite(x))
        return 0;
    switch (op) {
    case TC_SWISH: {
        /* f'(t) = s + t·s·(1−s): ∂f'/∂t = s(1−s)(2 + t(1 − 2s)) */
        const long double t = p0 * x, s = sigmoid_l(t), sm = sigmoid_l(-t);
        return fabsl(t * s * sm * (2.0L + t * (sm - s)));
    }
    case TC_SOFTPLUS: {
        if (softplus_linear(dt, x, par))
            return 0;
        const long double t = p0 * x; /* f' = σ(t) */
        return fabsl(t * sigmoid_l(t) * sigmoid_l(-t));
    }
    case TC_GELU: /* t = x/√2: t·∂f'/∂t = x·f''(x) = x(2 − x²)φ(x) */
        return fabsl(x * (2.0L - x * x) * INV_SQRT_2PI_L * expl(-0.5L * x * x));
    case TC_GELU_TANH: {
        /* f = x·S, S = σ(2u); f'' = 2S' + x·S'', t·∂f'/∂t = (u/u')·f'' */
        const long double u = gelu_tanh_u(x), du = gelu_tanh_du(x);
        const long double d2u = 6.0L * SQRT2_PI_L * GELU_TANH_C * x;
        const long double s = sigmoid_l(2.0L * u), sm = sigmoid_l(-2.0L * u);
        const long double ds = 2.0L * s * sm * du;
        const long double d2s = 2.0L * s * sm * (2.0L * (sm - s) * du * du + d2u);
        return fabsl(u / du * (2.0L * ds + x * d2s));
    }
    default:
        return 0;
    }
}

void oracle_softmax_row(int log, const long double *x, long double *y, long double *sens, size_t cols)
{
    size_t nan_count = 0, pinf_count = 0;
    long double m = -INFINITY;
    for (size_t j = 0; j < cols; j++) {
        if (isnan(x[j]))
            nan_count++;
        else if (isinf(x[j]) && x[j] > 0)
            pinf_count++;
        if (x[j] > m)
            m = x[j];
    }
    if (nan_count > 0 || m == -INFINITY) {
        /* A NaN row, or a row of only −inf: a NaN row. */
        for (size_t j = 0; j < cols; j++) {
            y[j] = NAN;
            if (sens)
                sens[j] = 0;
        }
        return;
    }
    if (pinf_count > 0) {
        /* The limit where all +inf entries grow together. */
        const long double share = 1.0L / (long double)pinf_count;
        for (size_t j = 0; j < cols; j++) {
            const int big = isinf(x[j]) && x[j] > 0;
            y[j] = log ? (big ? -logl((long double)pinf_count) : -INFINITY) : (big ? share : 0.0L);
            if (sens)
                sens[j] = 0;
        }
        return;
    }
    long double sum = 0, abs_t_weighted = 0;
    for (size_t j = 0; j < cols; j++)
        sum += expl(x[j] - m);
    for (size_t j = 0; j < cols; j++) {
        const long double t = x[j] - m, w = expl(t) / sum;
        if (w != 0) /* a -inf entry adds |t|·e^t -> 0, not inf·0 */
            abs_t_weighted += fabsl(t) * w;
    }
    const long double log_sum = logl(sum);
    for (size_t j = 0; j < cols; j++) {
        const long double t = x[j] - m, p = expl(t) / sum;
        y[j] = log ? t - log_sum : p;
        if (sens) {
            /* Σ_k |t_k ∂y_j/∂t_k|: log_softmax ∂y_j/∂t_k = δ_jk − p_k;
             * softmax = p_j times that. */
            const long double s = fabsl(t) * (1.0L - p) + (abs_t_weighted - fabsl(t) * p);
            /* a −inf entry's result (0 / −inf) is exact: no allowance */
            sens[j] = isinf(t) ? 0 : log ? s : p * s;
        }
    }
}

void oracle_softmax_bwd_row(int log, tc_dtype dt, const long double *y, const long double *dy, long double *dx,
                            long double *floor, size_t cols)
{
    const long double eps = tc_eps(tc_compute_type(dt)); /* the floor of the compute type's budget */
    long double dot = 0, dot_abs = 0, sum = 0, sum_abs = 0;
    for (size_t j = 0; j < cols; j++) {
        dot += dy[j] * y[j];
        dot_abs += fabsl(dy[j] * y[j]);
        sum += dy[j];
        sum_abs += fabsl(dy[j]);
    }
    for (size_t j = 0; j < cols; j++) {
        if (log) {
            const long double e = expl(y[j]);
            dx[j] = dy[j] - e * sum;
            if (floor)
                floor[j] = eps * (fabsl(dy[j]) + e * sum_abs);
        } else {
            dx[j] = y[j] * (dy[j] - dot);
            if (floor)
                floor[j] = eps * fabsl(y[j]) * (fabsl(dy[j]) + dot_abs);
        }
    }
}

long double oracle_prelu_fwd(tc_dtype dt, long double x, long double a)
{
    return x > 0 ? x : mul_in_t(dt, a, x);
}

long double oracle_prelu_bwd(tc_dtype dt, long double x, long double a, long double dy)
{
    return x > 0 ? dy : mul_in_t(dt, a, dy);
}

size_t oracle_maxout_select(tc_dtype dt, const void *x, size_t stride, size_t k)
{
    size_t best = 0;
    double best_v = tc_get(dt, x, 0);
    for (size_t j = 1; j < k && !isnan(best_v); j++) {
        const double v = tc_get(dt, x, j * stride);
        if (isnan(v) || v > best_v) {
            best = j;
            best_v = v;
        }
    }
    return best;
}
