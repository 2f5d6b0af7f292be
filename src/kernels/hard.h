/*
 * hard.h — hardsigmoid and hardswish: piecewise ops with a rational middle
 * piece, within 2 ULP (SPEC §4). hardsigmoid's middle piece (−3 < x < 3)
 * carries x + 3 exactly as a sum t + e (Fast2Sum: |x| <= 3 there) and the
 * division by 6 as a product by 1/6 split in two parts, so only the final
 * rounding and one inner rounding remain (about 1 ULP); hardswish's is the
 * product of x and a once-rounded (x + 3)/6 (below 1.5 ULP; 1.87 measured
 * over every float for the f32 fast set, which also rounds x + 3).
 */

/* 1/6 and 1/3 as a head in T and the tail that the head misses (mpmath),
 * written out: computed in long double the f64 tails differed between x86
 * (64-bit mantissa: 11 correct bits) and AArch64 (113 bits), and so did the
 * results. */
#ifdef ACTFN_TYPE_F32
#define HARD_SIXTH_HI 0x1.555556p-3f
#define HARD_SIXTH_LO -0x1.555556p-28f
#define HARD_THIRD_HI 0x1.555556p-2f
#define HARD_THIRD_LO -0x1.555556p-27f
#else
#define HARD_SIXTH_HI 0x1.5555555555555p-3
#define HARD_SIXTH_LO 0x1.5555555555555p-57
#define HARD_THIRD_HI 0x1.5555555555555p-2
#define HARD_THIRD_LO 0x1.5555555555555p-56
#endif

/* t = a + c and *e with a + c = t + e exactly (Fast2Sum: |a| <= |c|, or
 * both within neighbouring binades). */
static inline V hard_fast2sum(V a, T c, V *e)
{
    const V cv = vset1(c), t = vadd(a, cv);
    *e = vadd(vsub(cv, t), a);
    return t;
}

/* a/6 to about one rounding, for finite a. */
static inline V hard_sixth(V a)
{
    return vfma(a, vset1(HARD_SIXTH_HI), vmul(a, vset1(HARD_SIXTH_LO)));
}

/* hardsigmoid: x <= −3 ? 0 : x >= 3 ? 1 : (x + 3)/6 — min(max(x+3,0),6)/6,
 * as the middle piece of xm = x clamped to [−3, 3] (as hardswish's): at
 * xm = −3 it is exactly +0 (t = e = 0), at xm = 3 exactly 1 (6 times the
 * split 1/6 rounds to 1), so the outer pieces need no compare and no blend;
 * NaN passes through max/min (second operand). The same bits as the form
 * with two compares and two blends it replaces: 8 instructions per vector
 * instead of 10. Measured (n = 64K, AVX-512, µs per call, medians of 9,
 * two interleaved A/B rounds, Zen 4): f32 13.5–14.0 -> 12.0–12.4, f64
 * 28.6–29.8 -> 25.1–26.9 (relu6 9.6 / 22.7); AVX2 f64 31–32 -> 26–27. */
KERNEL_INLINE V hardsigmoid_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    const V xm = vmin(three, vmax(vneg(three), x));
    V e;
    const V t = hard_fast2sum(xm, (T)3, &e);
    return vfma(e, vset1(HARD_SIXTH_HI), hard_sixth(t));
}

/* (x > −3 && x < 3) ? dy/6 : 0 */
KERNEL_INLINE V hardsigmoid_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    const M inside = mand(vgt(x, vneg(three)), vlt(x, three));
    /* dy may be ±inf, where the split product would form inf − inf. */
    return vsel(inside, vmul(dy, vset1(HARD_SIXTH_HI)), vzero());
}

/* (t + e)·c to about one rounding, c = hi + lo split in T, e small. */
static inline V hard_split_times(V t, V e, T hi, T lo)
{
    return vfma(t, vset1(hi), vfma(e, vset1(hi), vmul(t, vset1(lo))));
}

/* hardswish: x <= −3 ? −0 (x·0) : x >= 3 ? x : x·(x + 3)/6, as xc·g with
 * xc = max(x, −3) and g = (xm + 3)/6, xm = min(xc, 3), rounded once: xm + 3
 * is carried exactly as t + e (Fast2Sum, |xm| <= 3) and /6 is the split
 * 1/6. g is exactly 0 at and below −3 (−3·0 = −0, also for x = −inf, which
 * xc turns into −3) and exactly 1 from 3 up (6·(1/6 split) rounds to 1),
 * so the outer pieces come out of the same product as the middle one, with
 * no compare and no blend; NaN passes through max/min (second operand) and
 * the products. Error: one rounding of g and one of the product, below
 * 1.5 ULP by construction (sweep: 1.49 f32 over every float, 1.47 f64;
 * the Fast2Sum form before, with its product split too, measured 1.00).
 * Per vector 9 arithmetic instructions (AVX-512: max, min, add, sub, add,
 * mul, fma, fma, mul) where the form it replaces used 11 (with 2 compares
 * and 2 blends); XNNPACK's avx512f kernel uses 4 (fma, max, min, mul) by
 * forming x/6 + 1/2, which cancels near x = −3 (24575 ULP there).
 *
 * The f32 fast set drops the Fast2Sum (HARDSWISH_EXACT_SUM 0): t = xm + 3
 * rounded (exact anyway for xm <= −1.5, Sterbenz, so g stays exactly 0 at
 * −3 and exact near it), g = t·(1/6 split): 6 instructions (max, min, add,
 * mul, fma, mul). Its bound is three roundings, about 2.2 ULP, but the
 * sweep over every float measures 1.87 (proof for f32, within SPEC §4's
 * 2 ULP); f64 cannot be swept exhaustively, so it keeps the 1.5 ULP
 * bound, and the reproducible set keeps its bits. On Zen 4 a 512-bit
 * max/min/add takes the add pipes and a mul/fma the FMA pipes, one per
 * cycle each: the 9-op form needs about 5 cycles per vector, above the
 * L2 copy's 4 (64 B in, 64 B out), the 6-op form 3. Measured (f32,
 * n = 64K, AVX-512, ns/elem, best of 300 interleaved runs): 0.088 ->
 * 0.0695, memcpy 0.0693, XNNPACK 0.0694.
 */
#if defined(ACTFN_TYPE_F32) && !defined(ACTFN_REPRO)
#define HARDSWISH_EXACT_SUM 0
#else
#define HARDSWISH_EXACT_SUM 1
#endif
KERNEL_INLINE V hardswish_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    const V xc = vmax(vneg(three), x);
    const V xm = vmin(three, xc);
#if HARDSWISH_EXACT_SUM
    V e;
    const V t = hard_fast2sum(xm, (T)3, &e);
    return vmul(xc, hard_split_times(t, e, HARD_SIXTH_HI, HARD_SIXTH_LO));
#else
    const V t = vadd(xm, three);
    return vmul(xc, vfma(t, vset1(HARD_SIXTH_HI), vmul(t, vset1(HARD_SIXTH_LO))));
#endif
}

/* x <= −3 ? 0 : x < 3 ? dy·(x/3 + 0.5) : dy, the slope as (x + 1.5)/3
 * with x + 1.5 carried exactly as s + e (Fast2Sum; exact for every x in
 * [−3, 3], where all three values stay within neighbouring binades) and /3
 * a product by 1/3 split in two parts: the slope is rounded about once, is
 * exactly 0 at x = −1.5 (s = e = 0, so dy = inf gives NaN as in the
 * formula) and needs no division (vdivps was this loop's bottleneck):
 * 7 ALU instructions + 2 compares and 2 blends. Measured (f32 / f64,
 * n = 64K, AVX-512, ns/elem): 0.224 -> 0.143 / 0.696 -> 0.401. */
KERNEL_INLINE V hardswish_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    V e;
    const V s = hard_fast2sum(x, (T)1.5, &e);
    const V slope = hard_split_times(s, e, HARD_THIRD_HI, HARD_THIRD_LO);
    return vsel(vle(x, vneg(three)), vzero(), vsel(vlt(x, three), vmul(dy, slope), dy));
}
