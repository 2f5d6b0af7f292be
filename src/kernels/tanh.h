/*
 * tanh.h — tanh and gelu_tanh, forward and backward. tanh is vm_tanh
 * (vmath.h: f32 a doubled-argument rational, f64 through expm1; neither
 * cancels near 0); gelu_tanh uses
 * 0.5·(1 + tanh(u)) = σ(2u), i.e. gelu_tanh(x) = x·σ(t) with
 * t = 2√(2/π)·(x + 0.044715·x³), and shares the logistic pieces of silu
 * (forward: the fast path of vmath.h where every |t| <= VM_FAST_EXP_MAX;
 * backward: always the general pieces, which measured faster on AVX2).
 */
#ifndef ACTFN_KERNELS_TANH_H
#define ACTFN_KERNELS_TANH_H

#ifndef ACTFN_REPRO
KERNEL_INLINE V tanh_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return vm_tanh(x);
}

/* from y = tanh(x): dy·(1 - y²), 1 - y² in one rounding */
KERNEL_INLINE V tanh_bwd_v(V y, V dy, const struct vparams *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, vm_one()));
}

/* from x (fused.h): 1 − tanh²(x) = 4·σ(2x)·σ(−2x); 2x and the 4 are exact
 * (the 4 applied last, so dy near T_MAX does not overflow early). */
KERNEL_INLINE V tanh_dx_v(V x, V dy, const struct vparams *p)
{
    return vmul(vset1((T)4), sigmoid_dx_v(vadd(x, x), dy, p));
}

/* t = x·w, w = C1 + C2·x², as hi + *lo: x² and C2·x² split exactly, w by
 * Fast2Sum of its two positive parts (larger first), the products' errors
 * by fma. lo is 0 where |t| is beyond the exp clamp (or not finite). */
KERNEL_INLINE V gelu_tanh_arg(V x, V *lo)
{
    const V s = vmul(x, x);
    const V s_lo = vfms(x, x, s);
    const V m = vmul(vset1(GELU_TANH_C2), s);
    const V m_lo = vfms(vset1(GELU_TANH_C2), s, m);
    const V big = vmax(vset1(GELU_TANH_C1), m), small = vmin(vset1(GELU_TANH_C1), m);
    const V w = vadd(big, small);
    const V w_sum_lo = vsub(small, vsub(w, big));
    const V w_const_lo = vfma(vset1(GELU_TANH_C2_LO), s, vset1(GELU_TANH_C1_LO));
    const V w_lo = vadd(vadd(w_sum_lo, w_const_lo), vfma(vset1(GELU_TANH_C2), s_lo, m_lo));
    V t_lo;
    const V t = vm_mul_exact(x, w, &t_lo);
    *lo = vsel(vle(vabs(t), vset1(VM_EXP_ARG_MAX)), vfma(x, w_lo, t_lo), vzero());
    return t;
}

KERNEL_INLINE V gelu_tanh_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    V lo;
    const V t = gelu_tanh_arg(x, &lo);
    if (vm_logistic_fast_ok(t))
        return logistic_times_fast(x, vm_exp_neg_fast(t, lo, 1));
    return logistic_times(x, t, vm_logistic_parts(t, lo, 1));
}

/* d/dx x·σ(t) = σ(t)·(1 + x·t'·σ(-t)), t' = C1 + 3·C2·x² */
KERNEL_INLINE V gelu_tanh_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    V lo;
    const V t = gelu_tanh_arg(x, &lo);
    const V xc = vclamp(x, -VM_EXP_ARG_MAX, VM_EXP_ARG_MAX);
    const V dt = vfma(vset1((T)3 * GELU_TANH_C2), vmul(xc, xc), vset1(GELU_TANH_C1));
    return vmul(dy, logistic_slope(t, vmul(xc, dt), vm_logistic_parts(t, lo, 1)));
}

#else /* ACTFN_REPRO: SLEEF tanh; gelu_tanh through the logistic pieces */

KERNEL_INLINE V tanh_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return rtanh(x);
}

/* from y: dy·(1 − y²), 1 − y² in one rounding */
KERNEL_INLINE V tanh_bwd_v(V y, V dy, const struct vparams *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, vset1((T)1)));
}

/* from x (fused.h): 1 − tanh²(x) = 4·σ(2x)·σ(−2x); 2x and the 4 are exact
 * (the 4 applied last, so dy near T_MAX does not overflow early). */
KERNEL_INLINE V tanh_dx_v(V x, V dy, const struct vparams *p)
{
    return vmul(vset1((T)4), sigmoid_dx_v(vadd(x, x), dy, p));
}

/* gelu_tanh: 0.5·x·(1 + tanh(u)) = x·σ(2u), 2u = x·(C1 + C3·x²): no
 * cancellation of 1 + tanh for u < 0. */
static inline V r_gelu_tanh_arg(V x) { return vmul(x, vfma(vset1(GELU_TANH_C2), vmul(x, x), vset1(GELU_TANH_C1))); }

KERNEL_INLINE V gelu_tanh_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return r_x_sigma(x, r_gelu_tanh_arg(x));
}

/* d/dx x·σ(t) = σ(t)·(1 + x·σ(−t)·t'), t' = C1 + 3·C3·x² */
KERNEL_INLINE V gelu_tanh_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V xc = vclamp(x, -REPRO_BIG, REPRO_BIG);
    V s, c;
    r_logistic(r_gelu_tanh_arg(xc), &s, &c);
    const V slope = vfma(vset1(GELU_TANH_3C2), vmul(xc, xc), vset1(GELU_TANH_C1));
    return vmul(dy, vmul(s, vfma(vmul(xc, c), slope, vset1((T)1))));
}

#endif /* ACTFN_REPRO */

#endif /* ACTFN_KERNELS_TANH_H */
