/*
 * repro_math.h — what the reproducible kernel set (SPEC §8) is built from,
 * as vmath.h is what the fast set is built from: kernels.h includes one or
 * the other, and each family file holds both bodies of its ops side by side
 * (#ifdef ACTFN_REPRO).
 *
 * Every result depends only on its own lane's input, through the same IEEE
 * operations in the same written order on every ISA (the project compiles
 * with -ffp-contract=off, so vfma is fused exactly where it is written and
 * nowhere else), and through SLEEF's deterministic Sleef_finz_* functions,
 * which return the same bits on every ISA. So scalar, AVX2, AVX-512 and NEON
 * give bit-identical results for any n and any alignment.
 *
 * The unit defines ACTFN_REPRO and, besides its vocabulary, either
 * REPRO_U10(fn) / REPRO_U15(fn): the name of the SLEEF finz vector function
 * for V of that accuracy class (e.g. Sleef_finz_expf8_u10avx2), or
 * REPRO_SLEEF_PURECFMA: SLEEF's scalar purecfma functions for T, applied lane
 * by lane (the scalar path, and NEON through SIMDe, where any finz variant
 * gives the same bits).
 *
 * The piecewise-linear ops, hardsigmoid/hardswish, maxout and the prelu
 * forward are already exact and lane-independent: both sets share their
 * bodies. Reductions (softmax sums and maxima, prelu dalpha) use RV = 16
 * virtual lanes on every ISA (below): element i of a row goes to lane
 * i mod 16, each lane sums pairwise (the block counter of struct vsum, per
 * lane), and the 16 lanes meet in one fixed tree.
 */
#ifndef ACTFN_KERNELS_REPRO_MATH_H
#define ACTFN_KERNELS_REPRO_MATH_H

#include <math.h>
#include <stddef.h>
#include <string.h>

/*
 * NaN results. IEEE leaves the sign and payload of a NaN to the hardware: a
 * NaN input keeps its payload on some paths and not others, and a NaN made
 * by an operation (inf − inf, 0·inf) is negative on x86 and positive on
 * AArch64. So every NaN this kernel set stores is the one canonical quiet
 * NaN, positive, payload 0 (0x7fc00000 / 0x7ff8000000000000; rounded to a
 * 16-bit type, 0x7fc0 / 0x7e00): the stores to the caller's arrays
 * (storage.h: sstore, sstore_part, and sput for single values) are
 * redefined here, before any kernel body (the fast set's shared bodies
 * included), so no result can bypass that. vstore stays the vocabulary's
 * own, for scratch buffers of T.
 */
static inline V r_canonical_nan(V v) { return vsel(visnan(v), vset1((T)NAN), v); }
static inline T r_canonical_nan1(T v) { return v != v ? (T)NAN : v; }
#define sstore(p, v) (sstore)((p), r_canonical_nan(v))
#define sstore_part(p, v, n) (sstore_part)((p), r_canonical_nan(v), (n))
#define sput(v) (sput)(r_canonical_nan1(v))

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
        vstore(lanes, a);                                                                          \
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

/* ---- Constants of this set only ----------------------------------------- */

/* Below this argument e^t may be subnormal while x·e^t is normal; there
 * e^t is taken as (e^(t/2))², and 1 + e^t rounds to 1. */
#ifdef ACTFN_TYPE_F32
#define REPRO_TAIL (-80.0f)
#else
#define REPRO_TAIL (-700.0)
#endif
/* |x| beyond which every derivative below equals its limit at ±inf (e^-800
 * is 0 in both types): x is clamped there so inf·0 never forms. */
#define REPRO_BIG ((T)800)

/* ---- Shared pieces ------------------------------------------------------ */

/* x clamped to [−bound, bound]; NaN stays NaN (vmax/vmin return their
 * second operand on NaN). */

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
static T r_row_max(const S *x, size_t n)
{
    V acc[RVEC];
    for (size_t k = 0; k < RVEC; k++)
        acc[k] = vset1((T)-INFINITY);
    size_t i = 0;
    for (; i + RV <= n; i += RV)
        for (size_t k = 0; k < RVEC; k++)
            acc[k] = vmax(sload(x + i + k * VW), acc[k]);
    T lanes[RV];
    for (size_t k = 0; k < RVEC; k++)
        vstore(lanes + k * VW, acc[k]);
    for (size_t j = 0; i + j < n; j++)
        lanes[j] = r_max(sget(x[i + j]), lanes[j]);
    return r_tree_max(lanes);
}

#endif /* ACTFN_KERNELS_REPRO_MATH_H */
