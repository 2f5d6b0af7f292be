/*
 * repro.h — the reproducible kernel set (SPEC §8), compiled once per (ISA,
 * type) unit like kernels.h, defining that unit's table ACTFN_KTAB.
 *
 * Every result depends only on its own lane's input, through the same IEEE
 * operations in the same written order on every ISA (the project compiles
 * with -ffp-contract=off, so vfma is fused exactly where it is written and
 * nowhere else), and through SLEEF's deterministic Sleef_finz_* functions,
 * which return the same bits on every ISA. So scalar, AVX2, AVX-512 and NEON
 * give bit-identical results for any n and any alignment.
 *
 * The unit provides, besides its vocabulary, either REPRO_U10(fn) /
 * REPRO_U15(fn): the name of the SLEEF finz vector function for V of that
 * accuracy class (e.g. Sleef_finz_expf8_u10avx2), or REPRO_SLEEF_PURECFMA:
 * SLEEF's scalar purecfma functions for T, applied lane by lane (the scalar
 * path, and NEON through SIMDe, where any finz variant gives the same bits).
 *
 * The piecewise-linear ops, hardsigmoid/hardswish, maxout and the prelu
 * forward are already exact and lane-independent: their bodies are the fast
 * set's (relu.h, hard.h, maxout.h, prelu.h). Reductions (softmax sums and
 * maxima, prelu dalpha) use RV = 16 virtual lanes on every ISA: element i of
 * a row goes to lane i mod 16, each lane sums pairwise (the block counter of
 * struct vsum, per lane), and the 16 lanes meet in one fixed tree.
 */
#ifndef ACTFN_KERNELS_REPRO_H
#define ACTFN_KERNELS_REPRO_H

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

#include "loops.h"

/*
 * NaN results. IEEE leaves the sign and payload of a NaN to the hardware: a
 * NaN input keeps its payload on some paths and not others, and a NaN made
 * by an operation (inf − inf, 0·inf) is negative on x86 and positive on
 * AArch64. So every NaN this kernel set stores is the one canonical quiet
 * NaN, positive, payload 0 (0x7fc00000 / 0x7ff8000000000000): the two store
 * operations are redefined here, before any kernel body (the fast set's
 * shared bodies included), so no result can bypass that; the one scalar
 * output (dalpha) goes through r_canonical_nan1. `(vstore)` in parentheses
 * is the vocabulary's own store, for scratch buffers.
 */
static inline V r_canonical_nan(V v) { return vsel(visnan(v), vset1((T)NAN), v); }
static inline T r_canonical_nan1(T v) { return v != v ? (T)NAN : v; }
#define vstore(p, v) (vstore)((p), r_canonical_nan(v))
#define vstore_part(p, v, n) (vstore_part)((p), r_canonical_nan(v), (n))

#include "relu.h"
#include "hard.h"
#include "maxout.h"
/* prelu.h's fast backward is replaced below; only its forward and helpers
 * are used here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "prelu.h"
#pragma GCC diagnostic pop

/* ---- The SLEEF vocabulary: r<fn>(V) ------------------------------------- */

#ifdef REPRO_SLEEF_PURECFMA
#ifdef ACTFN_TYPE_F32
#define REPRO_U10(fn) Sleef_finz_##fn##f1_u10purecfma
#define REPRO_U15(fn) Sleef_finz_##fn##f1_u15purecfma
#else
#define REPRO_U10(fn) Sleef_finz_##fn##d1_u10purecfma
#define REPRO_U15(fn) Sleef_finz_##fn##d1_u15purecfma
#endif
/* sleef.h declares the purecfma functions only where FMA is the compiler's
 * baseline (FP_FAST_FMA); these units are built without -mfma, and
 * dispatch.c uses their tables only on CPUs with FMA. Identical
 * redeclarations are valid where sleef.h has them too. */
extern T REPRO_U10(exp)(T);
extern T REPRO_U10(expm1)(T);
extern T REPRO_U10(log1p)(T);
extern T REPRO_U10(log)(T);
extern T REPRO_U10(tanh)(T);
extern T REPRO_U15(erfc)(T);

#define REPRO_SLEEF_FN(name, fn)                                                                     \
    static inline V name(V a)                                                                        \
    {                                                                                                \
        T lanes[VW];                                                                                 \
        (vstore)(lanes, a);                                                                          \
        for (size_t l = 0; l < VW; l++)                                                              \
            lanes[l] = fn(lanes[l]);                                                                 \
        return vload(lanes);                                                                         \
    }
#else
#define REPRO_SLEEF_FN(name, fn)                                                                     \
    static inline V name(V a) { return fn(a); }
#endif

REPRO_SLEEF_FN(rexp, REPRO_U10(exp))
REPRO_SLEEF_FN(rexpm1, REPRO_U10(expm1))
REPRO_SLEEF_FN(rlog1p, REPRO_U10(log1p))
REPRO_SLEEF_FN(rlog, REPRO_U10(log))
REPRO_SLEEF_FN(rtanh, REPRO_U10(tanh))
REPRO_SLEEF_FN(rerfc, REPRO_U15(erfc))

/* ---- Constants ----------------------------------------------------------- */

#ifdef ACTFN_TYPE_F32
#define REPRO_T_MAX 0x1.fffffep+127f
/* Below this argument e^t may be subnormal while x·e^t is normal; there
 * e^t is taken as (e^(t/2))², and 1 + e^t rounds to 1. */
#define REPRO_TAIL (-80.0f)
/* λ of selu rounded, and λ·α as hi + lo (the values of elu.h) */
#define REPRO_SELU_LAMBDA 0x1.0cfabep+0f
#define REPRO_SELU_LA_HI 0x1.c212ccp+0f
#define REPRO_SELU_LA_LO 0x1.903c0cp-26f
#define REPRO_INV_SQRT2 0x1.6a09e6p-1f
#define REPRO_INV_SQRT2PI 0x1.988454p-2f
/* gelu_tanh: t = 2·√(2/π)·(x + 0.044715·x³) = x·(C1 + C3·x²) */
#define REPRO_GT_C1 0x1.988454p+0f
#define REPRO_GT_C3 0x1.2444f2p-4f
#define REPRO_GT_3C3 0x1.b6676cp-3f
#else
#define REPRO_T_MAX 0x1.fffffffffffffp+1023
#define REPRO_TAIL (-700.0)
#define REPRO_SELU_LAMBDA 0x1.0cfabd6a91132p+0
#define REPRO_SELU_LA_HI 0x1.c212cc640f031p+0
#define REPRO_SELU_LA_LO 0x1.05161b045a1fep-56
#define REPRO_INV_SQRT2 0x1.6a09e667f3bcdp-1
#define REPRO_INV_SQRT2PI 0x1.9884533d43651p-2
#define REPRO_GT_C1 0x1.9884533d43651p+0
#define REPRO_GT_C3 0x1.2444f2a4d8b4bp-4
#define REPRO_GT_3C3 0x1.b6676bf7450f0p-3
#endif
/* |x| beyond which every derivative below equals its limit at ±inf (e^-800
 * is 0 in both types): x is clamped there so inf·0 never forms. */
#define REPRO_BIG ((T)800)

/* ---- Shared pieces ------------------------------------------------------ */

/* x clamped to [−bound, bound]; NaN stays NaN (vmax/vmin return their
 * second operand on NaN). */
static inline V r_clamp(V x, T bound) { return vmin(vset1(bound), vmax(vset1(-bound), x)); }

/* ±0 with the sign of x */
static inline V r_signed_zero(V x) { return vand(x, vset1((T)-0.0)); }

/* x·e^t for t < REPRO_TAIL as (x·h)·h, h = e^(t/2): normal while e^t is not.
 * h == 0 (also x infinite there) gives ±0, the limit. */
static inline V r_times_exp_tail(V x, V t)
{
    const V h = rexp(vmul(t, vset1((T)0.5)));
    return vsel(veq(h, vzero()), r_signed_zero(x), vmul(vmul(x, h), h));
}

/* Lanes whose t lies in the tail get r_times_exp_tail(x, t) instead of y.
 * The test only skips work whose result no lane would select. */
static inline V r_tail_fix(V y, V x, V t)
{
    const M tail = vlt(t, vset1(REPRO_TAIL));
    return many(tail) ? vsel(tail, r_times_exp_tail(x, t), y) : y;
}

/* σ(t) and σ(−t), each as one quotient of e = e^−|t| and 1 + e: never 1 − σ. */
static inline V r_sigma(V t)
{
    const V e = rexp(vneg(vabs(t)));
    return vdiv(vsel(vgt(t, vzero()), vset1((T)1), e), vadd(vset1((T)1), e));
}

static inline void r_logistic(V t, V *s, V *c)
{
    const M pos = vgt(t, vzero());
    const V one = vset1((T)1);
    const V e = rexp(vneg(vabs(t)));
    const V d = vadd(one, e);
    *s = vdiv(vsel(pos, one, e), d);
    *c = vdiv(vsel(pos, e, one), d);
}

/* x·σ(t): (t > 0 ? x : x·e^t)/(1 + e^−|t|), tail as above. */
static inline V r_x_sigma(V x, V t)
{
    const V e = rexp(vneg(vabs(t)));
    const V y = vdiv(vsel(vgt(t, vzero()), x, vmul(x, e)), vadd(vset1((T)1), e));
    return r_tail_fix(y, x, t);
}

/* ---- Elementwise bodies ------------------------------------------------- */

static inline V sigmoid_fwd_v(V x, const V *p)
{
    (void)p;
    return r_sigma(x);
}

/* from y: dy·(y − y²), y − y² in one rounding */
static inline V sigmoid_bwd_v(V y, V dy, const V *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, y));
}

static inline V tanh_fwd_v(V x, const V *p)
{
    (void)p;
    return rtanh(x);
}

/* from y: dy·(1 − y²), 1 − y² in one rounding */
static inline V tanh_bwd_v(V y, V dy, const V *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, vset1((T)1)));
}

static inline V elu_fwd_v(V x, const V *p)
{
    return vsel(vgt(x, vzero()), x, vmul(p[0], rexpm1(x)));
}

static inline V elu_bwd_v(V x, V dy, const V *p)
{
    return vsel(vgt(x, vzero()), dy, vmul(vzero_factor(p[0], dy), vmul(p[0], rexp(x))));
}

/* (hi + lo)·v with one rounding of the sum */
static inline V r_selu_times(V v)
{
    return vfma(vset1(REPRO_SELU_LA_HI), v, vmul(vset1(REPRO_SELU_LA_LO), v));
}

static inline V selu_fwd_v(V x, const V *p)
{
    (void)p;
    return vsel(vgt(x, vzero()), vmul(vset1(REPRO_SELU_LAMBDA), x), r_selu_times(rexpm1(x)));
}

static inline V selu_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    return vsel(vgt(x, vzero()), vmul(vset1(REPRO_SELU_LAMBDA), dy), vmul(dy, r_selu_times(rexp(x))));
}

static inline V silu_fwd_v(V x, const V *p)
{
    (void)p;
    return r_x_sigma(x, x);
}

/* dy·σ(t)·(1 + t·σ(−t)) for t = x (silu) or beta·x (swish) */
static inline V r_swish_slope(V t)
{
    V s, c;
    r_logistic(t, &s, &c);
    return vmul(s, vfma(r_clamp(t, REPRO_BIG), c, vset1((T)1)));
}

static inline V silu_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    return vmul(dy, r_swish_slope(x));
}

/* t = beta·x with x = ±inf entering as ±max finite, so beta = 0 gives
 * t = 0 (σ = 1/2, the limit) rather than NaN. */
static inline V r_swish_arg(V x, const V *p) { return vmul(p[0], r_clamp(x, REPRO_T_MAX)); }

static inline V swish_fwd_v(V x, const V *p)
{
    return r_x_sigma(x, r_swish_arg(x, p));
}

static inline V swish_bwd_v(V x, V dy, const V *p)
{
    return vmul(dy, r_swish_slope(r_swish_arg(x, p)));
}

/* log(1 + e^t) = max(t, 0) + log1p(e^−|t|): no cancellation, no overflow. */
static inline V r_softplus_core(V t)
{
    return vadd(vsel(vgt(t, vzero()), t, vzero()), rlog1p(rexp(vneg(vabs(t)))));
}

static inline V softplus_fwd_v(V x, const V *p)
{
    const V t = vmul(p[0], x);
    return vsel(vgt(t, p[1]), x, vdiv(r_softplus_core(t), p[0]));
}

static inline V softplus_bwd_v(V x, V dy, const V *p)
{
    const V t = vmul(p[0], x);
    return vsel(vgt(t, p[1]), dy, vmul(dy, r_sigma(t)));
}

/* −log(1 + e^−x) = −softplus(−x) */
static inline V logsigmoid_fwd_v(V x, const V *p)
{
    (void)p;
    return vneg(r_softplus_core(vneg(x)));
}

static inline V logsigmoid_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    return vmul(dy, r_sigma(vneg(x)));
}

/*
 * mish: tanh(softplus(x)) = N/D as a rational function of e = e^−|x|,
 * every term positive:
 *   x <= 0 (e = e^x):   N = e·(2 + e),  D = N + 2,   D − N = 2
 *   x > 0  (e = e^−x):  N = 1 + 2e,     D = N + 2e², D − N = 2e²
 * and 1 − tanh² = (D − N)(D + N)/D², also without cancellation.
 */
static inline void r_mish_parts(V x, V *n, V *d, V *d_minus_n)
{
    const M pos = vgt(x, vzero());
    const V e = rexp(vneg(vabs(x)));
    const V two = vset1((T)2);
    const V two_e = vmul(two, e); /* exact */
    /* one rounding each: N = e² + 2e or 2e + 1; D = N + 2 or 2e·e + N */
    *n = vsel(pos, vadd(two_e, vset1((T)1)), vfma(e, e, two_e));
    *d = vsel(pos, vfma(two_e, e, *n), vadd(*n, two));
    *d_minus_n = vsel(pos, vmul(two_e, e), two);
}

static inline V mish_fwd_v(V x, const V *p)
{
    (void)p;
    V n, d, dmn;
    r_mish_parts(x, &n, &d, &dmn);
    return r_tail_fix(vmul(x, vdiv(n, d)), x, x);
}

/* dy·(t + x·σ(x)·(1 − t²)), t = N/D */
static inline V mish_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    V n, d, dmn;
    r_mish_parts(x, &n, &d, &dmn);
    const V t = vdiv(n, d);
    const V one_minus_t2 = vdiv(vmul(dmn, vadd(d, n)), vmul(d, d));
    const V xs = vmul(r_clamp(x, REPRO_BIG), r_sigma(x));
    return vmul(dy, vfma(xs, one_minus_t2, t));
}

/* gelu: 0.5·x·erfc(−x/√2); gelu(−inf) = −0 (not −inf·0). */
static inline V gelu_fwd_v(V x, const V *p)
{
    (void)p;
    const V y = vmul(vmul(vset1((T)0.5), x), rerfc(vmul(x, vset1(-REPRO_INV_SQRT2))));
    return vsel(veq(x, vset1((T)-INFINITY)), vset1((T)-0.0), y);
}

/* dy·(Φ(x) + x·φ(x)); x² carried as q + q_lo so e^(−x²/2) sees it exactly
 * to first order; x clamped where φ is 0, so ±inf give the limits 1 and 0. */
static inline V gelu_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const V xc = r_clamp(x, (T)40);
    const V half = vset1((T)0.5);
    const V cdf = vmul(half, rerfc(vmul(x, vset1(-REPRO_INV_SQRT2))));
    const V q = vmul(xc, xc);
    const V q_lo = vfms(xc, xc, q);
    const V e = rexp(vmul(vneg(half), q));
    const V pdf = vmul(vfnma(e, vmul(half, q_lo), e), vset1(REPRO_INV_SQRT2PI));
    return vmul(dy, vfma(xc, pdf, cdf));
}

/* gelu_tanh: 0.5·x·(1 + tanh(u)) = x·σ(2u), 2u = x·(C1 + C3·x²): no
 * cancellation of 1 + tanh for u < 0. */
static inline V r_gelu_tanh_arg(V x) { return vmul(x, vfma(vset1(REPRO_GT_C3), vmul(x, x), vset1(REPRO_GT_C1))); }

static inline V gelu_tanh_fwd_v(V x, const V *p)
{
    (void)p;
    return r_x_sigma(x, r_gelu_tanh_arg(x));
}

/* d/dx x·σ(t) = σ(t)·(1 + x·σ(−t)·t'), t' = C1 + 3·C3·x² */
static inline V gelu_tanh_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const V xc = r_clamp(x, REPRO_BIG);
    V s, c;
    r_logistic(r_gelu_tanh_arg(xc), &s, &c);
    const V slope = vfma(vset1(REPRO_GT_3C3), vmul(xc, xc), vset1(REPRO_GT_C1));
    return vmul(dy, vmul(s, vfma(vmul(xc, c), slope, vset1((T)1))));
}

ACTFN_UNARY_OPS(ACTFN_UNARY_LOOPS)

/* ---- Reductions over 16 virtual lanes ----------------------------------- */

#define RV 16
#define RVEC (RV / VW)
_Static_assert(RV % VW == 0, "the virtual width must be a multiple of every vector width");

/* Per virtual lane, the pairwise block counter of struct vsum (loops.h). */
struct rsum {
    unsigned long long full;
    unsigned in_block;
    V block[RVEC];
    V level[VSUM_LEVELS][RVEC];
};

static inline void rsum_init(struct rsum *s)
{
    s->full = 0;
    s->in_block = 0;
    for (size_t k = 0; k < RVEC; k++)
        s->block[k] = vzero();
}

/* Add the 16 terms of one full block of a row (lane k·VW + l of terms[k]). */
static inline void rsum_add(struct rsum *s, const V terms[RVEC])
{
    for (size_t k = 0; k < RVEC; k++)
        s->block[k] = vadd(s->block[k], terms[k]);
    if (++s->in_block < VSUM_BLOCK)
        return;
    unsigned l = 0;
    while (s->full >> l & 1) {
        for (size_t k = 0; k < RVEC; k++)
            s->block[k] = vadd(s->level[l][k], s->block[k]);
        s->full &= ~(1ull << l);
        l++;
    }
    for (size_t k = 0; k < RVEC; k++) {
        s->level[l][k] = s->block[k];
        s->block[k] = vzero();
    }
    s->full |= 1ull << l;
    s->in_block = 0;
}

/* Each virtual lane's sum so far. */
static inline void rsum_lanes(const struct rsum *s, T lanes[RV])
{
    V acc[RVEC];
    for (size_t k = 0; k < RVEC; k++)
        acc[k] = s->block[k];
    for (unsigned l = 0; s->full >> l; l++)
        if (s->full >> l & 1)
            for (size_t k = 0; k < RVEC; k++)
                acc[k] = vadd(s->level[l][k], acc[k]);
    for (size_t k = 0; k < RVEC; k++)
        vstore(lanes + k * VW, acc[k]);
}

/* The fixed combining trees: lane i with lane i + w, w = 8, 4, 2, 1. */
static inline T r_tree_sum(T lanes[RV])
{
    for (size_t w = RV / 2; w >= 1; w /= 2)
        for (size_t i = 0; i < w; i++)
            lanes[i] = lanes[i] + lanes[i + w];
    return lanes[0];
}

static inline T r_max(T a, T b) { return a > b ? a : b; } /* vmax's rule */

static inline T r_tree_max(T lanes[RV])
{
    for (size_t w = RV / 2; w >= 1; w /= 2)
        for (size_t i = 0; i < w; i++)
            lanes[i] = r_max(lanes[i + w], lanes[i]);
    return lanes[0];
}

/* The max of a row: virtual lane j holds vmax(x[i], lane) over i ≡ j. */
static T r_row_max(const T *x, size_t n)
{
    V acc[RVEC];
    for (size_t k = 0; k < RVEC; k++)
        acc[k] = vset1((T)-INFINITY);
    size_t i = 0;
    for (; i + RV <= n; i += RV)
        for (size_t k = 0; k < RVEC; k++)
            acc[k] = vmax(vload(x + i + k * VW), acc[k]);
    T lanes[RV];
    for (size_t k = 0; k < RVEC; k++)
        vstore(lanes + k * VW, acc[k]);
    for (size_t j = 0; i + j < n; j++)
        lanes[j] = r_max(x[i + j], lanes[j]);
    return r_tree_max(lanes);
}

/* The term a reducing row pass adds per element. */
enum rterm {
    RT_EXP_SHIFTED, /* e^(a − c) */
    RT_PRODUCT,     /* a·b */
    RT_PLAIN,       /* a */
};

KERNEL_INLINE V rterm_v(enum rterm kind, V a, V b, V c)
{
    switch (kind) {
    case RT_EXP_SHIFTED: return rexp(vsub(a, c));
    case RT_PRODUCT: return vmul(a, b);
    case RT_PLAIN: return a;
    }
    return a;
}

/* One block of up to RV elements: terms of a[0..RV) (b likewise). */
KERNEL_INLINE void rterm_block(enum rterm kind, const T *a, const T *b, V c, V terms[RVEC])
{
    for (size_t k = 0; k < RVEC; k++)
        terms[k] = rterm_v(kind, vload(a + k * VW), b ? vload(b + k * VW) : vzero(), c);
}

/* The sum of a row's terms in the 16 virtual lanes; with out, each term is
 * also stored there. The last partial block is computed from zero-padded
 * copies and only its real terms are added (a padded +0 could turn a −0
 * lane into +0). */
KERNEL_INLINE T r_row_sum(enum rterm kind, const T *a, const T *b, T *out, size_t n, T c_scalar)
{
    const V c = vset1(c_scalar);
    struct rsum sum;
    rsum_init(&sum);
    V terms[RVEC];
    size_t i = 0;
    for (; i + RV <= n; i += RV) {
        rterm_block(kind, a + i, b ? b + i : NULL, c, terms);
        if (out)
            for (size_t k = 0; k < RVEC; k++)
                vstore(out + i + k * VW, terms[k]);
        rsum_add(&sum, terms);
    }
    T lanes[RV];
    rsum_lanes(&sum, lanes);
    const size_t rest = n - i;
    if (rest) {
        T pa[RV] = {0}, pb[RV] = {0}, pt[RV];
        memcpy(pa, a + i, rest * sizeof(T));
        if (b)
            memcpy(pb, b + i, rest * sizeof(T));
        rterm_block(kind, pa, b ? pb : NULL, c, terms);
        for (size_t k = 0; k < RVEC; k++)
            vstore(pt + k * VW, terms[k]);
        if (out)
            memcpy(out + i, pt, rest * sizeof(T));
        for (size_t j = 0; j < rest; j++)
            lanes[j] = lanes[j] + pt[j];
    }
    return r_tree_sum(lanes);
}

/* Elementwise row passes (no reduction). */
enum rmap {
    RM_DIV,           /* a / c */
    RM_SHIFT2,        /* (a − c) − d */
    RM_GRAD_SOFTMAX,  /* a·(b − c) */
    RM_GRAD_LOGSOFT,  /* b − e^a·c, fused */
};

KERNEL_INLINE V rmap_v(enum rmap kind, V a, V b, V c, V d)
{
    switch (kind) {
    case RM_DIV: return vdiv(a, c);
    case RM_SHIFT2: return vsub(vsub(a, c), d);
    case RM_GRAD_SOFTMAX: return vmul(a, vsub(b, c));
    case RM_GRAD_LOGSOFT: {
        /* e^y subnormal while e^y·Σdy is not: (Σdy·h)·h, h = e^(y/2) */
        const V fused = vfnma(rexp(a), c, b);
        const M tail = vlt(a, vset1(REPRO_TAIL));
        return many(tail) ? vsel(tail, vsub(b, r_times_exp_tail(c, a)), fused) : fused;
    }
    }
    return a;
}

KERNEL_INLINE void r_row_map(enum rmap kind, const T *a, const T *b, T *out, size_t n, T c_scalar, T d_scalar)
{
    const V c = vset1(c_scalar), d = vset1(d_scalar);
    size_t i = 0;
    for (; i + VW <= n; i += VW)
        vstore(out + i, rmap_v(kind, vload(a + i), b ? vload(b + i) : vzero(), c, d));
    if (i < n) {
        const size_t r = n - i;
        vstore_part(out + i, rmap_v(kind, vload_part(a + i, r), b ? vload_part(b + i, r) : vzero(), c, d), r);
    }
}

/* log of one value through the vector function (the same bits everywhere) */
static T r_log_scalar(T v)
{
    T lanes[VW];
    vstore(lanes, rlog(vset1(v)));
    return lanes[0];
}

/* A row whose max is not finite (SPEC §3 and the decided limits). */
static void r_softmax_row_special(const T *x, T *y, size_t n, int log_form)
{
    size_t pos_inf = 0;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        nan |= x[i] != x[i];
        pos_inf += x[i] == (T)INFINITY;
    }
    T on, off;
    if (nan || pos_inf == 0) {
        on = off = (T)NAN;
    } else if (log_form) {
        on = -r_log_scalar((T)pos_inf);
        off = (T)-INFINITY;
    } else {
        on = (T)1 / (T)pos_inf;
        off = 0;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] == (T)INFINITY ? on : off;
}

KERNEL_INLINE void r_softmax_rows(const T *x, T *y, size_t rows, size_t cols, int log_form)
{
    for (size_t r = 0; r < rows; r++) {
        const T *xr = x + r * cols;
        T *yr = y + r * cols;
        const T m = r_row_max(xr, cols);
        if (!(m > (T)-INFINITY && m < (T)INFINITY)) {
            r_softmax_row_special(xr, yr, cols, log_form);
        } else if (log_form) {
            const T sum = r_row_sum(RT_EXP_SHIFTED, xr, NULL, NULL, cols, m);
            r_row_map(RM_SHIFT2, xr, NULL, yr, cols, m, r_log_scalar(sum));
        } else {
            const T sum = r_row_sum(RT_EXP_SHIFTED, xr, NULL, yr, cols, m);
            r_row_map(RM_DIV, yr, NULL, yr, cols, sum, 0);
        }
    }
}

static void r_softmax_fwd(const T *x, T *y, size_t rows, size_t cols)
{
    r_softmax_rows(x, y, rows, cols, 0);
}

static void r_log_softmax_fwd(const T *x, T *y, size_t rows, size_t cols)
{
    r_softmax_rows(x, y, rows, cols, 1);
}

static void r_softmax_bwd(const T *y, const T *dy, T *dx, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const size_t at = r * cols;
        const T s = r_row_sum(RT_PRODUCT, dy + at, y + at, NULL, cols, 0);
        r_row_map(RM_GRAD_SOFTMAX, y + at, dy + at, dx + at, cols, s, 0);
    }
}

static void r_log_softmax_bwd(const T *y, const T *dy, T *dx, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const size_t at = r * cols;
        const T s = r_row_sum(RT_PLAIN, dy + at, NULL, NULL, cols, 0);
        r_row_map(RM_GRAD_LOGSOFT, y + at, dy + at, dx + at, cols, s, 0);
    }
}

/* ---- prelu backward ----------------------------------------------------- */

/* Both dalpha sums of prelu.h (plain, and scaled against overflow) over one
 * block of RV staged elements. */
static void r_dalpha_block(struct rsum *plain, struct rsum *scaled, const T *xs, const T *dys, V terms_p[RVEC],
                           V terms_s[RVEC])
{
    for (size_t k = 0; k < RVEC; k++) {
        const V xv = vload(xs + k * VW), dv = vload(dys + k * VW);
        prelu_dalpha_terms(vgt(xv, vzero()), xv, dv, &terms_p[k], &terms_s[k]);
    }
    if (plain) {
        rsum_add(plain, terms_p);
        rsum_add(scaled, terms_s);
    }
}

/* dalpha[c]: the channel's elements in order (outer, then inner) form one
 * stream; element q goes to virtual lane q mod 16 through a staging block. */
static T r_dalpha_channel(const T *x, const T *dy, size_t outer, size_t channels, size_t inner, size_t c)
{
    struct rsum plain, scaled;
    rsum_init(&plain);
    rsum_init(&scaled);
    T xs[RV], dys[RV];
    V tp[RVEC], ts[RVEC];
    size_t fill = 0;
    for (size_t o = 0; o < outer; o++) {
        const size_t base = (o * channels + c) * inner;
        for (size_t i = 0; i < inner;) {
            size_t take = inner - i < RV - fill ? inner - i : RV - fill;
            memcpy(xs + fill, x + base + i, take * sizeof(T));
            memcpy(dys + fill, dy + base + i, take * sizeof(T));
            fill += take;
            i += take;
            if (fill == RV) {
                r_dalpha_block(&plain, &scaled, xs, dys, tp, ts);
                fill = 0;
            }
        }
    }
    T lp[RV], ls[RV];
    rsum_lanes(&plain, lp);
    rsum_lanes(&scaled, ls);
    if (fill) {
        memset(xs + fill, 0, (RV - fill) * sizeof(T));
        memset(dys + fill, 0, (RV - fill) * sizeof(T));
        r_dalpha_block(NULL, NULL, xs, dys, tp, ts);
        T pp[RV], ps[RV];
        for (size_t k = 0; k < RVEC; k++) {
            vstore(pp + k * VW, tp[k]);
            vstore(ps + k * VW, ts[k]);
        }
        for (size_t j = 0; j < fill; j++) {
            lp[j] = lp[j] + pp[j];
            ls[j] = ls[j] + ps[j];
        }
    }
    return prelu_dalpha_value(r_tree_sum(lp), r_tree_sum(ls));
}

/* dalpha first (dx may be x or dy), then dx elementwise. */
static void r_prelu_bwd(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha, size_t outer, size_t channels,
                        size_t inner)
{
    if (dalpha)
        for (size_t c = 0; c < channels; c++)
            dalpha[c] = r_canonical_nan1(r_dalpha_channel(x, dy, outer, channels, inner, c));
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++) {
            const size_t base = (o * channels + c) * inner;
            const V a = vset1(alpha[c]);
            size_t i = 0;
            for (; i + VW <= inner; i += VW) {
                const V xv = vload(x + base + i);
                vstore(dx + base + i, prelu_dx_v(vgt(xv, vzero()), vload(dy + base + i), a));
            }
            if (i < inner) {
                const size_t r = inner - i;
                const V xv = vload_part(x + base + i, r);
                vstore_part(dx + base + i, prelu_dx_v(vgt(xv, vzero()), vload_part(dy + base + i, r), a), r);
            }
        }
    }
}

/* ---- The table ---------------------------------------------------------- */

#define REPRO_FWD_ENTRY(OP, name) [ACTFN_OP_##OP] = name##_fwd,
#define REPRO_BWD_ENTRY(OP, name) [ACTFN_OP_##OP] = name##_bwd,

const ACTFN_KTAB_T ACTFN_KTAB = {
    .fwd = {ACTFN_UNARY_OPS(REPRO_FWD_ENTRY)},
    .bwd = {ACTFN_UNARY_OPS(REPRO_BWD_ENTRY)},
    .prelu_fwd = prelu_fwd,
    .prelu_bwd = r_prelu_bwd,
    .softmax_fwd = r_softmax_fwd,
    .softmax_bwd = r_softmax_bwd,
    .log_softmax_fwd = r_log_softmax_fwd,
    .log_softmax_bwd = r_log_softmax_bwd,
    .maxout_fwd = maxout_fwd,
    .maxout_bwd = maxout_bwd,
};

#endif /* ACTFN_KERNELS_REPRO_H */
