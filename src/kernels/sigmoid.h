/*
 * sigmoid.h — sigmoid, silu and swish, forward and backward, on the logistic
 * pieces of vmath.h: e^{-|t|} = p·2^k and d = 1 + e^{-|t|}, so that
 * σ(|t|) = 1/d and σ(-|t|) = p·2^k/d with the 2^k applied last (a result
 * that is normal while e^t is subnormal keeps all its bits). 1 - σ is always
 * formed as σ(-t), never by subtraction.
 */
#ifndef ACTFN_KERNELS_SIGMOID_H
#define ACTFN_KERNELS_SIGMOID_H

#ifndef ACTFN_REPRO
/* The common case (every lane |x| <= VM_FAST_EXP_MAX) goes through
 * e^{-x} directly; a vector with a lane beyond takes the general pieces.
 * The fast result is formed before the test (its lanes beyond are then
 * discarded): with the test first, the 4 vectors of a loop step wait on
 * 4 compares and branches before their arithmetic, which measured 0.2387
 * against 0.2339 ns/elem (Horner exp) and 0.2310 against 0.1975 (table
 * exp; f32, n = 64K, AVX-512, Zen 4, one interleaved run).
 * dy_logistic: dy·σ(t), t + lo the argument (with_lo = 0: lo is 0; a
 * constant where inlined), dy / (1 + e^{-t}) in the common case, one
 * correctly rounded division. Sigmoid itself (dy = 1) and the backward
 * passes of softplus and logsigmoid. */
KERNEL_COLD V dy_logistic_general(V t, V lo, int with_lo, V dy)
{
    return vmul(dy, logistic_value(t, vm_logistic_parts(t, lo, with_lo)));
}

KERNEL_INLINE V dy_logistic(V t, V lo, int with_lo, V dy)
{
    const V y = vdiv(dy, vadd(vm_one(), vm_exp_neg_fast(t, lo, with_lo)));
    if (KERNEL_UNLIKELY(!vm_logistic_fast_ok(t)))
        return dy_logistic_general(t, lo, with_lo, dy);
    return y;
}

KERNEL_INLINE V sigmoid_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return dy_logistic(x, vzero(), 0, vm_one());
}

/* from y = σ(x): dy·(y - y²), y - y² in one rounding */
KERNEL_INLINE V sigmoid_bwd_v(V y, V dy, const struct vparams *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, y));
}

/* from x (the gated and fused ops, fused.h): dy·σ(x)·σ(−x) = dy·e·q², with
 * e = e^{-|x|} and q = 1/(1 + e) = σ(|x|). */
KERNEL_INLINE V sigmoid_dx_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const struct vm_logistic s = vm_logistic_parts(x, vzero(), 0);
    const V q = vdiv(vm_one(), s.d);
    return vmul(vmul(dy, vmul(s.e, q)), q);
}

/* silu and swish forward: fast result first, as sigmoid's */
KERNEL_COLD V silu_fwd_general(V x) { return logistic_times(x, x, vm_logistic_parts(x, vzero(), 0)); }

KERNEL_INLINE V silu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V y = logistic_times_fast(x, vm_exp_neg_fast(x, vzero(), 0));
    if (KERNEL_UNLIKELY(!vm_logistic_fast_ok(x)))
        return silu_fwd_general(x);
    return y;
}

KERNEL_INLINE V silu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    if (vm_logistic_fast_ok(x))
        return vmul(dy, logistic_slope_fast(x, vm_exp_neg_fast(x, vzero(), 0)));
    return vmul(dy, logistic_slope(x, x, vm_logistic_parts(x, vzero(), 0)));
}

/* swish: t = beta·x formed exactly as hi + lo, so the tails (beta·x near
 * -80) are not spoiled by the rounding of t. x = ±inf enters t as ±max
 * finite, so beta = 0 gives t = 0 (σ = 1/2, the limit) rather than NaN. */
KERNEL_INLINE V swish_arg(V beta, V x, V *lo) { return vm_mul_exact(beta, vclamp_finite(x), lo); }

KERNEL_COLD V swish_fwd_general(V x, V t, V lo) { return logistic_times(x, t, vm_logistic_parts(t, lo, 1)); }

KERNEL_INLINE V swish_fwd_v(V x, const struct vparams *p)
{
    V lo;
    const V t = swish_arg(p->beta, x, &lo);
    const V y = logistic_times_fast(x, vm_exp_neg_fast(t, lo, 1));
    if (KERNEL_UNLIKELY(!vm_logistic_fast_ok(t)))
        return swish_fwd_general(x, t, lo);
    return y;
}

KERNEL_INLINE V swish_bwd_v(V x, V dy, const struct vparams *p)
{
    V lo;
    const V t = swish_arg(p->beta, x, &lo);
    if (vm_logistic_fast_ok(t))
        return vmul(dy, logistic_slope_fast(t, vm_exp_neg_fast(t, lo, 1)));
    return vmul(dy, logistic_slope(t, t, vm_logistic_parts(t, lo, 1)));
}

#else /* ACTFN_REPRO: SLEEF exp through the shared logistic pieces of repro_math.h */

KERNEL_INLINE V sigmoid_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return r_sigma(x);
}

/* from y: dy·(y − y²), y − y² in one rounding */
KERNEL_INLINE V sigmoid_bwd_v(V y, V dy, const struct vparams *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, y));
}

/* from x (fused.h): dy·σ(x)·σ(−x) */
KERNEL_INLINE V sigmoid_dx_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    V s, c;
    r_logistic(x, &s, &c);
    return vmul(vmul(dy, s), c);
}

KERNEL_INLINE V silu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return r_x_sigma(x, x);
}

/* dy·σ(t)·(1 + t·σ(−t)) for t = x (silu) or beta·x (swish) */
static inline V r_swish_slope(V t)
{
    V s, c;
    r_logistic(t, &s, &c);
    return vmul(s, vfma(vclamp(t, -REPRO_BIG, REPRO_BIG), c, vset1((T)1)));
}

KERNEL_INLINE V silu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    return vmul(dy, r_swish_slope(x));
}

/* t = beta·x with x = ±inf entering as ±max finite, so beta = 0 gives
 * t = 0 (σ = 1/2, the limit) rather than NaN. */
static inline V r_swish_arg(V x, const struct vparams *p) { return vmul(p->beta, vclamp_finite(x)); }

KERNEL_INLINE V swish_fwd_v(V x, const struct vparams *p)
{
    return r_x_sigma(x, r_swish_arg(x, p));
}

KERNEL_INLINE V swish_bwd_v(V x, V dy, const struct vparams *p)
{
    return vmul(dy, r_swish_slope(r_swish_arg(x, p)));
}

#endif /* ACTFN_REPRO */

#endif /* ACTFN_KERNELS_SIGMOID_H */
