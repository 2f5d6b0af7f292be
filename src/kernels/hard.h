/*
 * hard.h — hardsigmoid and hardswish: piecewise ops with a rational middle
 * piece, within 2 ULP (SPEC §4). The middle piece (−3 < x < 3) is computed
 * with x + 3 carried exactly as a sum t + e (Fast2Sum: |x| <= 3 there) and
 * the division by 6 as a product by 1/6 split in two parts, so only the
 * final rounding and one inner rounding remain (about 1 ULP).
 */

/* 1/6 as a head in T and the tail that the head misses. */
#define HARD_SIXTH_HI ((T)(1.0L / 6))
#define HARD_SIXTH_LO ((T)(1.0L / 6 - (long double)HARD_SIXTH_HI))

/* a/6 to about one rounding, for finite a. */
static inline V hard_sixth(V a)
{
    return vfma(a, vset1(HARD_SIXTH_HI), vmul(a, vset1(HARD_SIXTH_LO)));
}

/* hardsigmoid: x <= −3 ? 0 : x >= 3 ? 1 : (x + 3)/6 — min(max(x+3,0),6)/6
 * with the clamps decided on x; NaN fails both tests and stays NaN. */
static inline V hardsigmoid_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    const V t = vadd(x, three);
    const V e = vadd(vsub(three, t), x); /* x + 3 = t + e exactly */
    const V mid = vfma(e, vset1(HARD_SIXTH_HI), hard_sixth(t));
    return vsel(vle(x, vneg(three)), vzero(), vsel(vge(x, three), vset1((T)1), mid));
}

/* (x > −3 && x < 3) ? dy/6 : 0 */
static inline V hardsigmoid_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    const M inside = mand(vgt(x, vneg(three)), vlt(x, three));
    /* dy may be ±inf, where the split product would form inf − inf. */
    return vsel(inside, vmul(dy, vset1(HARD_SIXTH_HI)), vzero());
}

/* hardswish: x <= −3 ? −0 (x·0) : x >= 3 ? x : x·(x + 3)/6. NaN fails both
 * tests and the middle piece keeps it. */
static inline V hardswish_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    const V t = vadd(x, three);
    const V e = vadd(vsub(three, t), x); /* x + 3 = t + e exactly */
    const V mid = hard_sixth(vfma(x, t, vmul(x, e)));
    return vsel(vle(x, vneg(three)), vset1((T)-0.0), vsel(vge(x, three), x, mid));
}

/* x <= −3 ? 0 : x < 3 ? dy·(x/3 + 0.5) : dy */
static inline V hardswish_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V three = vset1((T)3);
    /* x/3 + 0.5 as written: exactly 0 at x = −1.5, where dy = inf gives NaN
     * as in the formula. */
    const V slope = vadd(vdiv(x, vset1((T)3)), vset1((T)0.5));
    return vsel(vle(x, vneg(three)), vzero(), vsel(vlt(x, three), vmul(dy, slope), dy));
}
