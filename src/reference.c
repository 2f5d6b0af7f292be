/*
 * reference.c — the scalar reference path (SPEC §1): the fallback kernel set
 * and the oracle every SIMD kernel is tested against.
 *
 * Written for obvious correctness, not speed:
 *   - every elementwise op is one double-precision function, shared by the
 *     f32 table (input widened exactly, result rounded once) and the f64
 *     table, so it is written to meet the f64 budgets of SPEC §4 itself;
 *   - transcendental forms avoid cancellation (1 − σ(t) as σ(−t), softplus
 *     as max(t,0) + log1p(e^−|t|), gelu through erfc, ...), and the inner
 *     argument of swish / softplus / gelu / gelu_tanh / softmax is carried as
 *     an exact double-double (hi + lo) so no allowance A is spent on it;
 *   - gelu alone goes through long double (erfcl), because glibc's double
 *     erfc by itself exceeds gelu's budget (see gelu_cdf);
 *   - kink and NaN conditions are written exactly as SPEC §3 writes them,
 *     with max(a,b) meaning `a > b ? a : b` (the vocabulary's vmax);
 *   - ±inf inputs give the mathematical limits, forward and backward, never a
 *     NaN made by inf·0 or inf − inf;
 *   - reductions accumulate in double with Neumaier compensation (and exact
 *     products), so long rows stay far inside their budget.
 * Shares no code with src/kernels/, allocates nothing, keeps no state and
 * leaves the FP environment alone. Only the two tables are visible outside.
 */
#include <math.h>
#include <stddef.h>

#include "half.h"
#include "internal.h"

/* An elementwise op's parameters (oplist.h), in double, and which table the
 * call serves: softplus's branch test is made in the element type, as
 * SPEC §3 writes it and the kernels make it. */
#define REF_PARAM_MEMBER(pname) double pname;
struct ref_params {
    ACTFN_PARAM_NAMES(REF_PARAM_MEMBER)
    int f32;
};
#undef REF_PARAM_MEMBER

/* ---- Exact arithmetic helpers --------------------------------------------- */

/* An unevaluated sum hi + lo with |lo| <= ulp(hi)/2; lo is 0 when hi is not
 * finite, so later steps never form inf − inf. */
typedef struct {
    double hi, lo;
} dd;

/* a + b exactly (Knuth). */
static dd two_sum(double a, double b)
{
    const double s = a + b;
    if (!isfinite(s))
        return (dd){s, 0.0};
    const double bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

/* a + b exactly, for |a| >= |b| (Dekker). */
static dd fast_two_sum(double a, double b)
{
    const double s = a + b;
    if (!isfinite(s))
        return (dd){s, 0.0};
    return (dd){s, b - (s - a)};
}

/* a · b exactly (barring underflow of the low part). */
static dd two_prod(double a, double b)
{
    const double p = a * b;
    if (!isfinite(p))
        return (dd){p, 0.0};
    return (dd){p, fma(a, b, -p)};
}

static dd dd_mul(dd a, dd b)
{
    const dd p = two_prod(a.hi, b.hi);
    if (!isfinite(p.hi))
        return p;
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

static dd dd_add(dd a, dd b)
{
    const dd s = two_sum(a.hi, b.hi);
    if (!isfinite(s.hi))
        return s;
    return fast_two_sum(s.hi, s.lo + (a.lo + b.lo));
}

static dd dd_add_d(dd a, double b)
{
    return dd_add(a, (dd){b, 0.0});
}

/* a / b as hi + lo: the double quotient plus one exact correction step. */
static dd dd_div(dd a, dd b)
{
    const double q = a.hi / b.hi;
    if (!isfinite(q) || !isfinite(b.hi))
        return (dd){q, 0.0};
    const dd p = two_prod(q, b.hi);
    return fast_two_sum(q, (((a.hi - p.hi) - p.lo) + (a.lo - q * b.lo)) / b.hi);
}

/* s · (v.hi + v.lo) with one rounding at the end. */
static double mul_dd(double s, dd v)
{
    const dd p = two_prod(s, v.hi);
    if (!isfinite(p.hi))
        return p.hi;
    return p.hi + (p.lo + s * v.lo);
}

/* a · b, but an exact zero times ±inf is the limit of 0·v: a zero whose
 * sign is the product of the signs (the header's "zero factors"), never NaN. */
static int zero_factor(double a, double b)
{
    return (a == 0 && isinf(b)) || (isinf(a) && b == 0);
}

static double lim_mul(double a, double b)
{
    return zero_factor(a, b) ? copysign(0.0, a) * copysign(1.0, b) : a * b;
}

/* e^(hi + lo) = e^hi · (1 + lo) to far below one ulp, since |lo| <= 2^-43;
 * kept unevaluated as e^hi + e^hi·lo, so exp's own error is the only one. */
static dd exp_pair(double hi, double lo)
{
    const double e = exp(hi);
    return (dd){e, isinf(e) ? 0.0 : e * lo};
}

static double exp_dd(double hi, double lo)
{
    const dd e = exp_pair(hi, lo);
    return e.hi + e.lo;
}

/* σ(hi + lo) = 1 / (1 + e^−t) as hi + lo: a sum of positive terms, no
 * cancellation, the sum and quotient exact but for the last bits, so the
 * only real error is exp's. For t < 0 the form e^t / (1 + e^t) keeps
 * subnormal results. */
static dd sigmoid_pair(double hi, double lo)
{
    if (hi < 0) {
        const dd e = exp_pair(hi, lo);
        return dd_div(e, dd_add_d(e, 1.0));
    }
    return dd_div((dd){1.0, 0.0}, dd_add_d(exp_pair(-hi, -lo), 1.0));
}

static double sigmoid_dd(double hi, double lo)
{
    return sigmoid_pair(hi, lo).hi;
}

/*
 * Below t = EXP_TAIL, e^t may be subnormal while s·e^t is not; there σ(t),
 * the tanh(softplus(t)) of mish and log1p(e^t) all equal e^t to far below
 * one ulp. So e^t is formed as e^(t + k·ln2)·2^−k, with k chosen to put the
 * shifted exponential near e^−600 (normal, and no finite s can make s times
 * it overflow); k·ln2 is exact as hi + lo (Cody–Waite ln2, k < 2^11). Below
 * t = −1500 every s·e^t underflows to ±0.
 */
#define EXP_TAIL (-700.0)
#define EXP_TAIL_ZERO (-1500.0)

static const double LN2_HI = 0x1.62e42feep-1, LN2_LO = 0x1.a39ef35793c76p-33;

static dd exp_shifted_tail(double hi, double lo, int *k)
{
    *k = (int)((-600.0 - hi) / (LN2_HI + LN2_LO));
    const dd shift = {*k * LN2_HI, *k * LN2_LO};
    const dd t = dd_add((dd){hi, lo}, shift);
    return exp_pair(t.hi, t.lo);
}

/* s·e^t for t = hi + lo < EXP_TAIL and finite s, rounded once (twice only
 * where the result is subnormal). */
static double mul_exp_tail(double s, double hi, double lo)
{
    if (hi < EXP_TAIL_ZERO) /* also t = −inf: the limit s·0 */
        return copysign(0.0, s);
    int k;
    const dd e = exp_shifted_tail(hi, lo, &k);
    return ldexp(mul_dd(s, e), -k);
}

/* s · σ(hi + lo) without losing precision to a subnormal σ. */
static double mul_sigmoid(double s, double hi, double lo)
{
    if (hi < EXP_TAIL)
        return mul_exp_tail(s, hi, lo);
    return mul_dd(s, sigmoid_pair(hi, lo));
}

/* log(1 + e^t) for t = hi + lo as max(t,0) + log1p(e^−|t|): never
 * overflows, never cancels. */
static double log1p_exp_dd(double hi, double lo)
{
    if (hi > 0)
        return hi + (lo + log1p(exp_dd(-hi, -lo)));
    return log1p(exp_dd(hi, lo));
}

/* max(v, lo) then min(·, hi) with max(a,b) = a > b ? a : b and
 * min(a,b) = a < b ? a : b (SPEC §3, the kernels' vmax / vmin), NaN kept. */
static double clamp_literal(double v, double lo, double hi)
{
    if (isnan(v))
        return v;
    const double r = v > lo ? v : lo;
    return r < hi ? r : hi;
}

/* ---- Compensated sums ------------------------------------------------------ */

/* Neumaier's sum: s + c carries the running total. Non-finite partial sums
 * skip the compensation so inf stays inf (and inf + −inf stays NaN). */
struct comp_sum {
    double s, c;
};

static void comp_add(struct comp_sum *a, double v)
{
    const double t = a->s + v;
    if (isfinite(t))
        a->c += fabs(a->s) >= fabs(v) ? (a->s - t) + v : (v - t) + a->s;
    a->s = t;
}

/* Adds x·y, its rounding error included. */
static void comp_add_prod(struct comp_sum *a, double x, double y)
{
    const dd p = two_prod(x, y);
    comp_add(a, p.hi);
    a->c += p.lo;
}

static double comp_value(struct comp_sum a)
{
    return a.s + a.c;
}

/* ---- Constants -------------------------------------------------------------- */

static const dd INV_SQRT2 = {0x1.6a09e667f3bcdp-1, -0x1.bdd3413b26456p-55};      /* 1/√2 */
static const dd TWO_SQRT_2_OVER_PI = {0x1.9884533d43651p+0, -0x1.cbc0d30ebfd15p-54}; /* 2·√(2/π) */
static const dd GELU_TANH_C = {0x1.6e4e26d4801f7p-5, 0x1.441355475a31ap-59};     /* 0.044715 */
static const double INV_SQRT_2PI = 0x1.9884533d43651p-2;                           /* 1/√(2π) */
static const long double INV_SQRT_2PI_L = 0.398942280401432677939946059934381868L;
static const long double TWO_OVER_SQRT_PI = 1.12837916709551257389615890312154517L; /* 2/√π */
static const double SELU_LAMBDA_ALPHA = 0x1.c212cc640f031p+0;                      /* λ·α */

/* ---- Elementwise ops: forward f(x, p) and backward g(in, dy, p) -------------- */

static double sigmoid_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return sigmoid_dd(x, 0.0);
}

static double sigmoid_bwd(double y, double dy, const struct ref_params *p)
{
    (void)p;
    return dy * y * (1.0 - y);
}

static double tanh_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return tanh(x);
}

/* 1 − y² as (1 − y)(1 + y): exact factors near |y| = 1. */
static double tanh_bwd(double y, double dy, const struct ref_params *p)
{
    (void)p;
    return dy * ((1.0 - y) * (1.0 + y));
}

static double relu_fwd(double x, const struct ref_params *p)
{
    (void)p;
    if (isnan(x))
        return x;
    return x > 0 ? x : 0.0;
}

static double relu_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return x > 0 ? dy : 0.0;
}

static double relu6_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return clamp_literal(x, 0.0, 6.0);
}

static double relu6_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return (x > 0 && x < 6) ? dy : 0.0;
}

static double hardtanh_fwd(double x, const struct ref_params *p)
{
    return clamp_literal(x, p->min_val, p->max_val);
}

static double hardtanh_bwd(double x, double dy, const struct ref_params *p)
{
    return (x > p->min_val && x < p->max_val) ? dy : 0.0;
}

static double leaky_relu_fwd(double x, const struct ref_params *p)
{
    return x > 0 ? x : lim_mul(p->alpha, x);
}

static double leaky_relu_bwd(double x, double dy, const struct ref_params *p)
{
    return x > 0 ? dy : lim_mul(p->alpha, dy);
}

static double elu_fwd(double x, const struct ref_params *p)
{
    return x > 0 ? x : p->alpha * expm1(x);
}

static double elu_bwd(double x, double dy, const struct ref_params *p)
{
    /* alpha = 0 is a zero factor, even against dy = ±inf (NaN x stays NaN) */
    return x > 0 ? dy : p->alpha == 0 ? lim_mul(dy, p->alpha * exp(x)) : dy * p->alpha * exp(x);
}

static double selu_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return x > 0 ? ACTFN_SELU_LAMBDA * x : SELU_LAMBDA_ALPHA * expm1(x);
}

static double selu_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return x > 0 ? ACTFN_SELU_LAMBDA * dy : dy * SELU_LAMBDA_ALPHA * exp(x);
}

/* x·σ(βx), with βx exact as hi + lo. */
static double swish_value(double x, double beta)
{
    if (isinf(x)) /* the limit: x where βx → +inf (or β = 0), else ±0 */
        return (beta == 0 || beta * x > 0) ? x : copysign(0.0, x);
    const dd t = two_prod(beta, x);
    return mul_sigmoid(x, t.hi, t.lo);
}

/* d/dx x·σ(βx) = σ(t) + t·σ(t)·σ(−t) = σ(t)·(1 + t·σ(−t)), t = βx. */
static double swish_slope(double x, double beta)
{
    if (isinf(x))
        return beta == 0 ? 0.5 : (beta * x > 0 ? 1.0 : 0.0);
    const dd t = two_prod(beta, x);
    if (isinf(t.hi))
        return t.hi > 0 ? 1.0 : 0.0;
    return sigmoid_dd(t.hi, t.lo) * (1.0 + t.hi * sigmoid_dd(-t.hi, -t.lo));
}

static double silu_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return swish_value(x, 1.0);
}

static double silu_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return dy * swish_slope(x, 1.0);
}

static double swish_fwd(double x, const struct ref_params *p)
{
    return swish_value(x, p->beta);
}

static double swish_bwd(double x, double dy, const struct ref_params *p)
{
    return dy * swish_slope(x, p->beta);
}

static double hardsigmoid_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return clamp_literal(x + 3.0, 0.0, 6.0) / 6.0;
}

static double hardsigmoid_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return (x > -3 && x < 3) ? dy / 6.0 : 0.0;
}

/* x·min(max(x+3,0),6)/6, as x·(r/6) so that x >= 3 gives x exactly and huge
 * x cannot overflow; x <= −3 gives x·0 = −0, also the limit at −inf. */
static double hardswish_fwd(double x, const struct ref_params *p)
{
    (void)p;
    if (x <= -3)
        return -0.0;
    return x * (clamp_literal(x + 3.0, 0.0, 6.0) / 6.0);
}

static double hardswish_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return x <= -3 ? 0.0 : x < 3 ? dy * (x / 3.0 + 0.5) : dy;
}

/* log1p(e^(βx))/β below the threshold (the threshold test is made by the
 * caller in the element type, as the kernels make it), never through β·x
 * itself where it is positive: it may overflow while the result is x. */
static double softplus_value(double x, double beta)
{
    const dd t = two_prod(beta, x);
    if (t.hi < EXP_TAIL) {
        /* log1p(e^t) = e^t here; keep it normal until divided by β. */
        if (t.hi < EXP_TAIL_ZERO)
            return 0.0 / beta;
        int k;
        const dd e = exp_shifted_tail(t.hi, t.lo, &k);
        return ldexp(dd_div(e, (dd){beta, 0.0}).hi, -k);
    }
    /* t > 0: log1p(e^t)/β = x + log1p(e^−t)/β exactly, and x stays finite
     * where β·x overflows (t.hi = ±inf, t.lo = 0). */
    if (t.hi > 0)
        return x + log1p(exp_dd(-t.hi, -t.lo)) / beta;
    return log1p_exp_dd(t.hi, t.lo) / beta;
}

static double softplus_slope(double x, double beta)
{
    const dd t = two_prod(beta, x);
    return sigmoid_dd(t.hi, t.lo);
}

/* beta·x > threshold, with beta·x rounded to the element type (the f32
 * product of two floats is exact in double, so rounding it to float is the
 * float multiplication). */
static int softplus_linear(double x, const struct ref_params *p)
{
    const double bx = p->f32 ? (double)(float)(p->beta * x) : p->beta * x;
    return bx > p->threshold;
}

static double softplus_fwd(double x, const struct ref_params *p)
{
    return softplus_linear(x, p) ? x : softplus_value(x, p->beta);
}

static double softplus_bwd(double x, double dy, const struct ref_params *p)
{
    return softplus_linear(x, p) ? dy : dy * softplus_slope(x, p->beta);
}

/* −softplus(−x), no threshold; = x − log1p(e^x) for x < 0 (no cancellation:
 * both terms push the same way). */
static double logsigmoid_fwd(double x, const struct ref_params *p)
{
    (void)p;
    return -log1p_exp_dd(-x, 0.0);
}

static double logsigmoid_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return dy * sigmoid_dd(-x, 0.0);
}

/*
 * t = tanh(softplus(x)) (as hi + lo) and 1 − t, from sums of positive terms
 * only. With e = e^x, tanh(log(1 + e)) = n/d, n = e² + 2e, d = n + 2, so
 * 1 − t = 2/d; for x > 0, with u = e^−x, n = 1 + 2u, d = n + 2u² and
 * 1 − t = 2u²/d (no overflow).
 */
struct mish_parts {
    dd t;
    double one_minus_t;
};

static struct mish_parts mish_tanh_softplus(double x)
{
    dd num, den;
    double rest;
    if (x > 0) {
        const double u = exp(-x);
        const dd two_u2 = two_prod(2.0 * u, u);
        num = two_sum(1.0, 2.0 * u);
        den = dd_add(num, two_u2);
        rest = two_u2.hi;
    } else {
        const double e = exp(x);
        num = dd_add_d(two_prod(e, e), 2.0 * e);
        den = dd_add_d(num, 2.0);
        rest = 2.0;
    }
    return (struct mish_parts){dd_div(num, den), rest / den.hi};
}

static double mish_fwd(double x, const struct ref_params *p)
{
    (void)p;
    if (isinf(x))
        return x > 0 ? x : -0.0;
    if (x < EXP_TAIL) /* tanh(softplus(x)) = e^x to far below one ulp */
        return mul_exp_tail(x, x, 0.0);
    return mul_dd(x, mish_tanh_softplus(x).t);
}

/* f' = t + x·σ(x)·(1 − t²), 1 − t² = (1 − t)(1 + t). */
static double mish_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    if (isinf(x))
        return dy * (x > 0 ? 1.0 : 0.0);
    const struct mish_parts m = mish_tanh_softplus(x);
    return dy * (m.t.hi + x * sigmoid_dd(x, 0.0) * (m.one_minus_t * (1.0 + m.t.hi)));
}

/*
 * gelu is the one op evaluated in long double: glibc's double erfc is off by
 * up to 4.2 ulp (measured near z = 1.24), more than gelu's whole budget,
 * while erfcl is far below one double ulp (64-bit significand on x86-64,
 * 113-bit on AArch64 Linux; where long double is double this falls back to
 * the double erfc's accuracy).
 *
 * Φ(x) = erfc(z)/2 with z = −x/√2 exact as hi + lo:
 * erfc(hi + lo) = erfc(hi) − lo·(2/√π)·e^(−hi²).
 */
static long double gelu_cdf(double x)
{
    const dd p = two_prod(x, INV_SQRT2.hi);
    const long double z_hi = -p.hi, z_lo = -(p.lo + x * INV_SQRT2.lo);
    return 0.5L * (erfcl(z_hi) - z_lo * TWO_OVER_SQRT_PI * expl(-z_hi * z_hi));
}

/*
 * Below x = −37, erfc(−x/√2) nears the subnormal range while x·Φ(x) does
 * not. There x·Φ(x) = −φ(x)·S, S = Σ_k (−1)^k (2k−1)!!/x^(2k), the
 * asymptotic series of erfc; for x² >= 1369 the terms past k = 8 are below
 * 2^-68 (relative), and the partial sums are evaluated as 1 − a1(1 − a2(1 − ...)),
 * a_k = (2k−1)/x².
 */
#define GELU_SERIES_BELOW (-37.0)
#define GELU_SERIES_TERMS 8

static double gelu_far_tail(double x)
{
    const dd x2 = two_prod(x, x);
    long double series = 1.0L;
    for (int k = GELU_SERIES_TERMS; k >= 1; k--)
        series = 1.0L - ((2 * k - 1) / (long double)x2.hi) * series;
    const long double pdf = INV_SQRT_2PI_L * expl(-0.5L * x2.hi) * (1.0L - 0.5L * x2.lo);
    return (double)(-pdf * series);
}

static double gelu_fwd(double x, const struct ref_params *p)
{
    (void)p;
    if (isinf(x))
        return x > 0 ? x : -0.0;
    if (x < GELU_SERIES_BELOW)
        return gelu_far_tail(x);
    return (double)(x * gelu_cdf(x));
}

/* f' = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π) with x² exact as hi + lo. */
static double gelu_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    if (isinf(x))
        return dy * (x > 0 ? 1.0 : 0.0);
    const dd x2 = two_prod(x, x);
    const double pdf = INV_SQRT_2PI * exp_dd(-0.5 * x2.hi, -0.5 * x2.lo);
    return (double)(dy * (gelu_cdf(x) + x * pdf));
}

/* s = 2t = 2·√(2/π)·x·(1 + 0.044715·x²) as hi + lo; then
 * 0.5·x·(1 + tanh t) = x·σ(2t), free of the cancellation of 1 + tanh t. */
static dd gelu_tanh_arg(double x)
{
    const dd cx2 = dd_mul(GELU_TANH_C, two_prod(x, x));
    const dd u = dd_mul(dd_add_d(cx2, 1.0), (dd){x, 0.0});
    return dd_mul(TWO_SQRT_2_OVER_PI, u);
}

static double gelu_tanh_fwd(double x, const struct ref_params *p)
{
    (void)p;
    if (isinf(x))
        return x > 0 ? x : -0.0;
    const dd s = gelu_tanh_arg(x);
    return mul_sigmoid(x, s.hi, s.lo);
}

/* d/dx x·σ(s) = σ(s) + x·σ(s)σ(−s)·ds/dx, ds/dx = 2√(2/π)(1 + 3·0.044715·x²). */
static double gelu_tanh_bwd(double x, double dy, const struct ref_params *p)
{
    (void)p;
    if (isinf(x))
        return dy * (x > 0 ? 1.0 : 0.0);
    const dd s = gelu_tanh_arg(x);
    const double sp = sigmoid_dd(s.hi, s.lo);
    const double q = sp * sigmoid_dd(-s.hi, -s.lo);
    if (q == 0) /* saturated; also keeps x·0·inf out when x² overflows */
        return dy * sp;
    const double ds_dx = TWO_SQRT_2_OVER_PI.hi * (1.0 + 3.0 * GELU_TANH_C.hi * (x * x));
    return dy * (sp + x * q * ds_dx);
}

/* ---- Reading and writing each type -------------------------------------------- */

/* ld_<t>: an element as double (exact); st_<t>: a double result rounded
 * once to the element type (the 16-bit types through half.h's once-rounded
 * conversions, SPEC §9); ct_<t>: a value rounded to the type the kernels
 * compute in (float for f32 and the 16-bit types), where the contract
 * rounds an intermediate (the bias sum, the gate's value). */
static inline double ld_f32(float v) { return v; }
static inline double ld_f64(double v) { return v; }
static inline double ld_bf16(actfn_bf16 v) { return half_bf16_to_f32(v.bits); }
static inline double ld_f16(actfn_f16 v) { return half_f16_to_f32(v.bits); }
static inline float st_f32(double v) { return (float)v; }
static inline double st_f64(double v) { return v; }
static inline actfn_bf16 st_bf16(double v) { return (actfn_bf16){half_f64_to_bf16(v)}; }
static inline actfn_f16 st_f16(double v) { return (actfn_f16){half_f64_to_f16(v)}; }
#define ct_f32(v) ((double)(float)(v))
#define ct_f64(v) ((double)(v))
#define ct_bf16 ct_f32
#define ct_f16 ct_f32

/* ---- Elementwise loops --------------------------------------------------------- */

/* The loops of every elementwise op of oplist.h: f32 inputs and
 * parameters widen exactly to double; each result is rounded once. */
#define REF_PARAM(pname) .pname = p->pname,
#define UNARY_LOOPS_T(name, t, T, is_f32)                                                   \
    static void name##_fwd_##t(const T *x, T *y, size_t n, const struct actfn_params_##t *p) \
    {                                                                                       \
        const struct ref_params pd = {ACTFN_PARAM_NAMES(REF_PARAM).f32 = is_f32};           \
        for (size_t i = 0; i < n; i++)                                                      \
            y[i] = st_##t(name##_fwd(ld_##t(x[i]), &pd));                                  \
    }                                                                                       \
    static void name##_bwd_##t(const T *in, const T *dy, T *dx, size_t n,                   \
                               const struct actfn_params_##t *p)                            \
    {                                                                                       \
        const struct ref_params pd = {ACTFN_PARAM_NAMES(REF_PARAM).f32 = is_f32};           \
        for (size_t i = 0; i < n; i++)                                                      \
            dx[i] = st_##t(name##_bwd(ld_##t(in[i]), ld_##t(dy[i]), &pd));                  \
    }
#define UNARY_LOOPS(name, NAME, from, cls, family) \
    UNARY_LOOPS_T(name, f32, float, 1)             \
    UNARY_LOOPS_T(name, f64, double, 0)            \
    UNARY_LOOPS_T(name, bf16, actfn_bf16, 1)       \
    UNARY_LOOPS_T(name, f16, actfn_f16, 1)

ACTFN_UNARY_OPS(UNARY_LOOPS)

/* ---- Gated and fused bias ops (SPEC §11) ------------------------------------------- */

/* The derivative of each elementwise op from x, dy·f'(x): the backward
 * itself where it reads x; for sigmoid and tanh, whose backward reads y,
 * from x directly (1 − y of a rounded y near 1 would have no bits left):
 * σ'(x) = σ(x)·σ(−x) and tanh'(x) = 4·σ(2x)·σ(−2x). */
static double sigmoid_dx(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return dy * (sigmoid_dd(x, 0.0) * sigmoid_dd(-x, 0.0));
}

static double tanh_dx(double x, double dy, const struct ref_params *p)
{
    (void)p;
    return 4.0 * (dy * (sigmoid_dd(2.0 * x, 0.0) * sigmoid_dd(-2.0 * x, 0.0)));
}

#define REF_DX_X(name)                                                         \
    static double name##_dx(double x, double dy, const struct ref_params *p) { return name##_bwd(x, dy, p); }
#define REF_DX_Y(name)
#define REF_DX(name, NAME, from, cls, family) REF_DX_##from(name)
ACTFN_UNARY_OPS(REF_DX)

/* y = act(g)·v, (g, v) = (a, b) or (b, a) for glu; dv = dy·act(g),
 * dg = act'(g)·dy·v. The gate's value (act(g), or act'(g)·dy) is the op's
 * own result in T, as SPEC §11 defines the product: so a gate that rounds
 * to ±0 times v = ±inf is NaN, as an unfused act(g)·v gives. The product of
 * two values of T is then formed in double (exact for f32) and rounded once. */
#define REF_GATE_IS_B_A 0
#define REF_GATE_IS_B_B 1
#define GLU_LOOPS_T(name, act, gate, t, T, is_f32)                                                 \
    static void name##_fwd_##t(const T *a, const T *b, T *y, size_t n)                             \
    {                                                                                              \
        const struct ref_params pd = {.f32 = is_f32};                                              \
        const T *g = REF_GATE_IS_B_##gate ? b : a, *v = REF_GATE_IS_B_##gate ? a : b;              \
        for (size_t i = 0; i < n; i++)                                                             \
            y[i] = st_##t(ct_##t(act##_fwd(ld_##t(g[i]), &pd)) * ld_##t(v[i]));                   \
    }                                                                                              \
    static void name##_bwd_##t(const T *a, const T *b, const T *dy, T *da, T *db, size_t n)        \
    {                                                                                              \
        const struct ref_params pd = {.f32 = is_f32};                                              \
        const T *g = REF_GATE_IS_B_##gate ? b : a, *v = REF_GATE_IS_B_##gate ? a : b;              \
        T *dg = REF_GATE_IS_B_##gate ? db : da, *dv = REF_GATE_IS_B_##gate ? da : db;              \
        for (size_t i = 0; i < n; i++) {                                                           \
            const double gi = ld_##t(g[i]), vi = ld_##t(v[i]), d = ld_##t(dy[i]);                   \
            const T rg = st_##t(ct_##t(act##_dx(gi, d, &pd)) * vi);                                \
            const T rv = st_##t(d * ct_##t(act##_fwd(gi, &pd)));                                   \
            dg[i] = rg;                                                                            \
            dv[i] = rv;                                                                            \
        }                                                                                          \
    }
#define GLU_LOOPS(name, NAME, act, ACT, gate)            \
    GLU_LOOPS_T(name, act, gate, f32, float, 1)          \
    GLU_LOOPS_T(name, act, gate, f64, double, 0)         \
    GLU_LOOPS_T(name, act, gate, bf16, actfn_bf16, 1)    \
    GLU_LOOPS_T(name, act, gate, f16, actfn_f16, 1)
ACTFN_GLU_OPS(GLU_LOOPS)

/* bias_<op>: s = x + bias[c] rounded to T (as the contract and the kernels
 * form it), then the op in double; dbias[c] is the compensated sum of the
 * channel's rounded dx, with prelu's long double fallback beyond double. */
#define BIAS_LOOPS_T(name, t, T, is_f32)                                                           \
    static void bias_##name##_fwd_##t(const T *x, const T *bias, T *y, size_t outer, size_t channels, \
                                      size_t inner, size_t c0, size_t c1, const struct actfn_params_##t *p) \
    {                                                                                              \
        const struct ref_params pd = {ACTFN_PARAM_NAMES(REF_PARAM).f32 = is_f32};                  \
        for (size_t o = 0; o < outer; o++)                                                         \
            for (size_t c = c0; c < c1; c++) {                                                     \
                const size_t base = (o * channels + c) * inner;                                    \
                for (size_t i = 0; i < inner; i++) {                                               \
                    const double s = ct_##t(ld_##t(x[base + i]) + ld_##t(bias[c]));                \
                    y[base + i] = st_##t(name##_fwd(s, &pd));                                      \
                }                                                                                  \
            }                                                                                      \
    }                                                                                              \
    static void bias_##name##_bwd_##t(const T *x, const T *bias, const T *dy, T *dx, T *dbias,      \
                                      size_t outer, size_t channels, size_t inner, size_t c0,      \
                                      size_t c1, const struct actfn_params_##t *p)                 \
    {                                                                                              \
        const struct ref_params pd = {ACTFN_PARAM_NAMES(REF_PARAM).f32 = is_f32};                  \
        for (size_t c = c0; c < c1; c++) {                                                         \
            struct comp_sum acc = {0.0, 0.0};                                                      \
            long double wide = 0;                                                                  \
            for (size_t o = 0; o < outer; o++) {                                                   \
                const size_t base = (o * channels + c) * inner;                                    \
                for (size_t i = 0; i < inner; i++) {                                               \
                    const double s = ct_##t(ld_##t(x[base + i]) + ld_##t(bias[c]));                \
                    const double d = ld_##t(st_##t(name##_dx(s, ld_##t(dy[base + i]), &pd)));      \
                    dx[base + i] = st_##t(d);                                                      \
                    comp_add(&acc, d);                                                             \
                    wide += d;                                                                     \
                }                                                                                  \
            }                                                                                      \
            if (dbias) {                                                                           \
                const double sum = comp_value(acc);                                                \
                dbias[c] = st_##t(isfinite(sum) ? sum : (double)wide);                             \
            }                                                                                      \
        }                                                                                          \
    }
#define BIAS_LOOPS(name, NAME, from, cls, family) \
    BIAS_LOOPS_T(name, f32, float, 1)             \
    BIAS_LOOPS_T(name, f64, double, 0)            \
    BIAS_LOOPS_T(name, bf16, actfn_bf16, 1)       \
    BIAS_LOOPS_T(name, f16, actfn_f16, 1)
ACTFN_UNARY_OPS(BIAS_LOOPS)

/* ---- prelu ------------------------------------------------------------------------ */

/* Loops run channel by channel so each dalpha[c] is one compensated sum;
 * each element is read before its dx is written (dx may be x or dy). Where
 * partial sums leave double's range, a long double sum (wider exponent on
 * x86-64 and AArch64) decides the result, so ±inf is not lost to inf − inf. */
#define PRELU_LOOPS(t, T)                                                                   \
    static void prelu_fwd_##t(const T *x, const T *alpha, T *y, size_t outer, size_t channels, \
                              size_t inner, size_t c0, size_t c1)                           \
    {                                                                                       \
        for (size_t o = 0; o < outer; o++)                                                  \
            for (size_t c = c0; c < c1; c++) {                                              \
                const double a = ld_##t(alpha[c]);                                          \
                const size_t base = (o * channels + c) * inner;                             \
                for (size_t i = 0; i < inner; i++) {                                        \
                    const double v = ld_##t(x[base + i]);                                   \
                    y[base + i] = st_##t(v > 0 ? v : lim_mul(a, v));                        \
                }                                                                           \
            }                                                                               \
    }                                                                                       \
    static void prelu_bwd_##t(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha,    \
                              size_t outer, size_t channels, size_t inner, size_t c0,       \
                              size_t c1)                                                    \
    {                                                                                       \
        for (size_t c = c0; c < c1; c++) {                                                  \
            struct comp_sum acc = {0.0, 0.0};                                               \
            long double wide = 0; /* decides the sum when terms overflow double */          \
            for (size_t o = 0; o < outer; o++) {                                            \
                const double a = ld_##t(alpha[c]);                                          \
                const size_t base = (o * channels + c) * inner;                             \
                for (size_t i = 0; i < inner; i++) {                                        \
                    const double v = ld_##t(x[base + i]), g = ld_##t(dy[base + i]);         \
                    if (v > 0) {                                                            \
                        dx[base + i] = st_##t(g);                                           \
                    } else {                                                                \
                        dx[base + i] = st_##t(lim_mul(a, g));                               \
                        if (zero_factor(v, g))                                              \
                            continue; /* the term's limit is 0 */                           \
                        comp_add_prod(&acc, v, g);                                          \
                        wide += (long double)v * g;                                         \
                    }                                                                       \
                }                                                                           \
            }                                                                               \
            if (dalpha) {                                                                   \
                const double sum = comp_value(acc);                                         \
                dalpha[c] = st_##t(isfinite(sum) ? sum : (double)wide);                     \
            }                                                                               \
        }                                                                                   \
    }

PRELU_LOOPS(f32, float)
PRELU_LOOPS(f64, double)
PRELU_LOOPS(bf16, actfn_bf16)
PRELU_LOOPS(f16, actfn_f16)

/* ---- softmax and log_softmax -------------------------------------------------------- */

/* e^(v − m) as hi + lo, with v − m exact as hi + lo. */
static dd exp_shifted(double v, double m)
{
    const dd d = two_sum(v, -m);
    return exp_pair(d.hi, d.lo);
}

/* (v − m) − L with v − m exact as hi + lo; v − m and L never have opposite
 * signs (v <= m, L >= 0), so nothing cancels. */
static double log_shifted(double v, double m, double log_sum)
{
    const dd d = two_sum(v, -m);
    if (isinf(d.hi))
        return d.hi;
    return (d.hi - log_sum) + d.lo;
}

enum row_kind {
    ROW_FINITE_MAX, /* the ordinary case: max is finite */
    ROW_NAN,        /* a NaN entry, or every entry −inf: NaN row */
    ROW_POS_INF     /* +inf entries: they share the whole mass */
};

/*
 * Per row: classify, find the first maximum, and the sum of e^(x_j − max)
 * over every j except that maximum (so Σ = 1 + others and
 * log Σ = log1p(others) stays accurate when one entry dominates).
 */
#define SOFTMAX_LOOPS(t, T)                                                                  \
    static enum row_kind scan_row_##t(const T *x, size_t cols, size_t *imax, size_t *n_pos_inf) \
    {                                                                                        \
        size_t best = 0, n_inf = 0;                                                          \
        for (size_t j = 0; j < cols; j++) {                                                  \
            if (isnan(ld_##t(x[j])))                                                                 \
                return ROW_NAN;                                                              \
            if (ld_##t(x[j]) > ld_##t(x[best]))                                                              \
                best = j;                                                                    \
            if (ld_##t(x[j]) == INFINITY)                                                         \
                n_inf++;                                                                     \
        }                                                                                    \
        *imax = best;                                                                        \
        *n_pos_inf = n_inf;                                                                  \
        if (n_inf > 0)                                                                       \
            return ROW_POS_INF;                                                              \
        return ld_##t(x[best]) == -INFINITY ? ROW_NAN : ROW_FINITE_MAX;                           \
    }                                                                                        \
    static dd sum_others_##t(const T *x, size_t cols, size_t imax)                           \
    {                                                                                        \
        struct comp_sum acc = {0.0, 0.0};                                                    \
        for (size_t j = 0; j < cols; j++)                                                    \
            if (j != imax) {                                                                 \
                const dd e = exp_shifted(ld_##t(x[j]), ld_##t(x[imax]));                                     \
                comp_add(&acc, e.hi);                                                        \
                acc.c += e.lo;                                                               \
            }                                                                                \
        return two_sum(acc.s, acc.c);                                                        \
    }                                                                                        \
    /* softmax (as_log = 0) or log_softmax (as_log = 1) of every row; each            \
     * x_j is read before y_j is written, so y may be x. */                                  \
    static void softmax_rows_##t(const T *x, T *y, size_t rows, size_t cols, int as_log)     \
    {                                                                                        \
        const double not_inf_value = as_log ? -INFINITY : 0.0;                                  \
        for (size_t r = 0; r < rows && cols > 0; r++) {                                      \
            const T *xr = x + r * cols;                                                      \
            T *yr = y + r * cols;                                                            \
            size_t imax, n_inf;                                                              \
            switch (scan_row_##t(xr, cols, &imax, &n_inf)) {                                 \
            case ROW_NAN:                                                                    \
                for (size_t j = 0; j < cols; j++)                                            \
                    yr[j] = st_##t(NAN);                                                          \
                break;                                                                       \
            case ROW_POS_INF: {                                                              \
                const double share = as_log ? -log((double)n_inf) : 1.0 / (double)n_inf;     \
                for (size_t j = 0; j < cols; j++)                                            \
                    yr[j] = st_##t(ld_##t(xr[j]) == INFINITY ? share : not_inf_value);                  \
                break;                                                                       \
            }                                                                                \
            case ROW_FINITE_MAX: {                                                           \
                const double m = ld_##t(xr[imax]);                                                   \
                const dd others = sum_others_##t(xr, cols, imax);                            \
                const dd total = dd_add_d(others, 1.0);                                      \
                const double log_sum = log1p(others.hi + others.lo);                         \
                for (size_t j = 0; j < cols; j++)                                            \
                    yr[j] = st_##t(as_log ? log_shifted(ld_##t(xr[j]), m, log_sum)                      \
                                       : dd_div(exp_shifted(ld_##t(xr[j]), m), total).hi);           \
                break;                                                                       \
            }                                                                                \
            }                                                                                \
        }                                                                                    \
    }                                                                                        \
    static void softmax_fwd_##t(const T *x, T *y, size_t rows, size_t cols)                  \
    {                                                                                        \
        softmax_rows_##t(x, y, rows, cols, 0);                                               \
    }                                                                                        \
    static void log_softmax_fwd_##t(const T *x, T *y, size_t rows, size_t cols)              \
    {                                                                                        \
        softmax_rows_##t(x, y, rows, cols, 1);                                               \
    }                                                                                        \
    /* softmax backward, dx = y·(dy − Σ dy·y), or (as_log = 1) log_softmax            \
     * backward, dx = dy − e^y·Σ dy; every y_j, dy_j is read before dx_j is written. */     \
    static void softmax_bwd_rows_##t(const T *y, const T *dy, T *dx, size_t rows, size_t cols, \
                                     int as_log)                                             \
    {                                                                                        \
        for (size_t r = 0; r < rows; r++) {                                                  \
            const T *yr = y + r * cols, *gr = dy + r * cols;                                 \
            T *dxr = dx + r * cols;                                                          \
            struct comp_sum acc = {0.0, 0.0};                                                \
            for (size_t j = 0; j < cols; j++) {                                              \
                if (as_log)                                                                  \
                    comp_add(&acc, ld_##t(gr[j]));                                                   \
                else                                                                         \
                    comp_add_prod(&acc, ld_##t(gr[j]), ld_##t(yr[j]));                                       \
            }                                                                                \
            const double sum = comp_value(acc);                                              \
            for (size_t j = 0; j < cols; j++) {                                              \
                const double yj = ld_##t(yr[j]), gj = ld_##t(gr[j]);                                         \
                /* e^y·Σdy in long double: e^y may be subnormal in T while \
                 * the product is not. */                                     \
                dxr[j] = st_##t(as_log ? (double)(gj - expl(yj) * (long double)sum) : yj * (gj - sum)); \
            }                                                                                \
        }                                                                                    \
    }                                                                                        \
    static void softmax_bwd_##t(const T *y, const T *dy, T *dx, size_t rows, size_t cols)    \
    {                                                                                        \
        softmax_bwd_rows_##t(y, dy, dx, rows, cols, 0);                                      \
    }                                                                                        \
    static void log_softmax_bwd_##t(const T *y, const T *dy, T *dx, size_t rows, size_t cols) \
    {                                                                                        \
        softmax_bwd_rows_##t(y, dy, dx, rows, cols, 1);                                      \
    }

SOFTMAX_LOOPS(f32, float)
SOFTMAX_LOOPS(f64, double)
SOFTMAX_LOOPS(bf16, actfn_bf16)
SOFTMAX_LOOPS(f16, actfn_f16)

/* ---- maxout ---------------------------------------------------------------------------- */

/* The selected piece of one position (pieces k apart by `inner`): the first
 * NaN if any, else the first of the largest. Pure selection, done in T. */
#define MAXOUT_LOOPS(t, T)                                                                  \
    static size_t maxout_select_##t(const T *piece0, size_t k, size_t inner)                \
    {                                                                                       \
        size_t best = 0;                                                                    \
        for (size_t j = 0; j < k; j++) {                                                    \
            const double v = ld_##t(piece0[j * inner]);                                     \
            if (isnan(v))                                                                   \
                return j;                                                                   \
            if (v > ld_##t(piece0[best * inner]))                                           \
                best = j;                                                                   \
        }                                                                                   \
        return best;                                                                        \
    }                                                                                       \
    static void maxout_fwd_##t(const T *x, T *y, size_t outer, size_t k, size_t inner)      \
    {                                                                                       \
        for (size_t o = 0; o < outer; o++)                                                  \
            for (size_t i = 0; i < inner; i++) {                                            \
                const T *piece0 = x + o * k * inner + i;                                    \
                y[o * inner + i] = piece0[maxout_select_##t(piece0, k, inner) * inner];     \
            }                                                                               \
    }                                                                                       \
    /* All k pieces of a position are read before any of its dx is written,              \
     * and no other position shares them, so dx may be x. */                               \
    static void maxout_bwd_##t(const T *x, const T *dy, T *dx, size_t outer, size_t k,      \
                               size_t inner)                                                \
    {                                                                                       \
        for (size_t o = 0; o < outer; o++)                                                  \
            for (size_t i = 0; i < inner; i++) {                                            \
                const size_t first = o * k * inner + i;                                     \
                const size_t sel = maxout_select_##t(x + first, k, inner);                  \
                const T g = dy[o * inner + i];                                              \
                for (size_t j = 0; j < k; j++)                                              \
                    dx[first + j * inner] = j == sel ? g : st_##t(0.0);                            \
            }                                                                               \
    }

MAXOUT_LOOPS(f32, float)
MAXOUT_LOOPS(f64, double)
MAXOUT_LOOPS(bf16, actfn_bf16)
MAXOUT_LOOPS(f16, actfn_f16)

/* ---- The tables -------------------------------------------------------------------------- */

#define FWD_ENTRY(name, NAME, from, cls, family, t) [ACTFN_OP_##NAME] = name##_fwd_##t,
#define BWD_ENTRY(name, NAME, from, cls, family, t) [ACTFN_OP_##NAME] = name##_bwd_##t,
#define FWD_ENTRY_f32(...) FWD_ENTRY(__VA_ARGS__, f32)
#define BWD_ENTRY_f32(...) BWD_ENTRY(__VA_ARGS__, f32)
#define FWD_ENTRY_f64(...) FWD_ENTRY(__VA_ARGS__, f64)
#define BWD_ENTRY_f64(...) BWD_ENTRY(__VA_ARGS__, f64)
#define GLU_FWD_ENTRY(name, NAME, act, ACT, gate, t) [ACTFN_GLU_##NAME] = name##_fwd_##t,
#define GLU_BWD_ENTRY(name, NAME, act, ACT, gate, t) [ACTFN_GLU_##NAME] = name##_bwd_##t,
#define GLU_FWD_ENTRY_f32(...) GLU_FWD_ENTRY(__VA_ARGS__, f32)
#define GLU_BWD_ENTRY_f32(...) GLU_BWD_ENTRY(__VA_ARGS__, f32)
#define GLU_FWD_ENTRY_f64(...) GLU_FWD_ENTRY(__VA_ARGS__, f64)
#define GLU_BWD_ENTRY_f64(...) GLU_BWD_ENTRY(__VA_ARGS__, f64)
#define BIAS_FWD_ENTRY(name, NAME, from, cls, family, t) [ACTFN_OP_##NAME] = bias_##name##_fwd_##t,
#define BIAS_BWD_ENTRY(name, NAME, from, cls, family, t) [ACTFN_OP_##NAME] = bias_##name##_bwd_##t,
#define BIAS_FWD_ENTRY_f32(...) BIAS_FWD_ENTRY(__VA_ARGS__, f32)
#define BIAS_BWD_ENTRY_f32(...) BIAS_BWD_ENTRY(__VA_ARGS__, f32)
#define BIAS_FWD_ENTRY_f64(...) BIAS_FWD_ENTRY(__VA_ARGS__, f64)
#define BIAS_BWD_ENTRY_f64(...) BIAS_BWD_ENTRY(__VA_ARGS__, f64)
#define FWD_ENTRY_bf16(...) FWD_ENTRY(__VA_ARGS__, bf16)
#define BWD_ENTRY_bf16(...) BWD_ENTRY(__VA_ARGS__, bf16)
#define GLU_FWD_ENTRY_bf16(...) GLU_FWD_ENTRY(__VA_ARGS__, bf16)
#define GLU_BWD_ENTRY_bf16(...) GLU_BWD_ENTRY(__VA_ARGS__, bf16)
#define BIAS_FWD_ENTRY_bf16(...) BIAS_FWD_ENTRY(__VA_ARGS__, bf16)
#define BIAS_BWD_ENTRY_bf16(...) BIAS_BWD_ENTRY(__VA_ARGS__, bf16)
#define FWD_ENTRY_f16(...) FWD_ENTRY(__VA_ARGS__, f16)
#define BWD_ENTRY_f16(...) BWD_ENTRY(__VA_ARGS__, f16)
#define GLU_FWD_ENTRY_f16(...) GLU_FWD_ENTRY(__VA_ARGS__, f16)
#define GLU_BWD_ENTRY_f16(...) GLU_BWD_ENTRY(__VA_ARGS__, f16)
#define BIAS_FWD_ENTRY_f16(...) BIAS_FWD_ENTRY(__VA_ARGS__, f16)
#define BIAS_BWD_ENTRY_f16(...) BIAS_BWD_ENTRY(__VA_ARGS__, f16)

#define REFERENCE_TABLE(t)                                                                  \
    const struct actfn_ktab_##t actfn_ktab_##t##_scalar = {                                 \
        .fwd = {ACTFN_UNARY_OPS(FWD_ENTRY_##t)},                                            \
        .bwd = {ACTFN_UNARY_OPS(BWD_ENTRY_##t)},                                            \
        .prelu_fwd = prelu_fwd_##t,                                                         \
        .prelu_bwd = prelu_bwd_##t,                                                         \
        .softmax_fwd = softmax_fwd_##t,                                                     \
        .softmax_bwd = softmax_bwd_##t,                                                     \
        .log_softmax_fwd = log_softmax_fwd_##t,                                             \
        .log_softmax_bwd = log_softmax_bwd_##t,                                             \
        .maxout_fwd = maxout_fwd_##t,                                                       \
        .maxout_bwd = maxout_bwd_##t,                                                       \
        .glu_fwd = {ACTFN_GLU_OPS(GLU_FWD_ENTRY_##t)},                                      \
        .glu_bwd = {ACTFN_GLU_OPS(GLU_BWD_ENTRY_##t)},                                      \
        .bias_fwd = {ACTFN_UNARY_OPS(BIAS_FWD_ENTRY_##t)},                                  \
        .bias_bwd = {ACTFN_UNARY_OPS(BIAS_BWD_ENTRY_##t)},                                  \
    };

REFERENCE_TABLE(f32)
REFERENCE_TABLE(f64)
REFERENCE_TABLE(bf16)
REFERENCE_TABLE(f16)
