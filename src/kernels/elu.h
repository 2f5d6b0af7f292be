/*
 * elu.h — elu and selu, forward and backward: x > 0 ? x : alpha·expm1(x),
 * with expm1 from vmath.h (no 1 - e^x cancellation near 0). The kink test
 * is x > 0 exactly as SPEC §3 writes it, so NaN takes the expm1 branch and
 * stays NaN.
 */
#ifndef ACTFN_KERNELS_ELU_H
#define ACTFN_KERNELS_ELU_H

/* (hi + lo)·v with one rounding of the sum */
KERNEL_INLINE V selu_times(T hi, T lo, V v) { return vfma(vset1(hi), v, vmul(vset1(lo), v)); }

/* λ·v rounded once, for every finite v up to the overflow edge (T_MAX/λ):
 * the tail's factor is v clamped to the finite range, so v = ±inf gives
 * ±inf (inf + finite), never inf − inf; NaN stays NaN. */
KERNEL_INLINE V selu_lambda_times(V v)
{
    return vfma(vset1(SELU_LAMBDA), v, vmul(vset1(SELU_LAMBDA_LO), vclamp_finite(v)));
}

#ifndef ACTFN_REPRO

KERNEL_INLINE V elu_fwd_v(V x, const struct vparams *p)
{
    return vsel(vgt(x, vzero()), x, vmul(p->alpha, vm_expm1_fast(x)));
}

/* alpha = 0 is a zero factor even against dy = ±inf (loops.h) */
KERNEL_INLINE V elu_bwd_v(V x, V dy, const struct vparams *p)
{
    return vsel(vgt(x, vzero()), dy, vmul(vzero_factor(p->alpha, dy), vmul(p->alpha, vm_exp(x))));
}

KERNEL_INLINE V selu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V m = vm_expm1(x);
    return vsel(vgt(x, vzero()), selu_lambda_times(x), selu_times(SELU_LA_HI, SELU_LA_LO, m));
}

KERNEL_INLINE V selu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V neg = vmul(dy, selu_times(SELU_LA_HI, SELU_LA_LO, vm_exp(x)));
    return vsel(vgt(x, vzero()), selu_lambda_times(dy), neg);
}

#else /* ACTFN_REPRO: SLEEF expm1 / exp */

KERNEL_INLINE V elu_fwd_v(V x, const struct vparams *p)
{
    return vsel(vgt(x, vzero()), x, vmul(p->alpha, rexpm1(x)));
}

KERNEL_INLINE V elu_bwd_v(V x, V dy, const struct vparams *p)
{
    return vsel(vgt(x, vzero()), dy, vmul(vzero_factor(p->alpha, dy), vmul(p->alpha, rexp(x))));
}

KERNEL_INLINE V selu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return vsel(vgt(x, vzero()), selu_lambda_times(x), selu_times(SELU_LA_HI, SELU_LA_LO, rexpm1(x)));
}

KERNEL_INLINE V selu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    return vsel(vgt(x, vzero()), selu_lambda_times(dy), vmul(dy, selu_times(SELU_LA_HI, SELU_LA_LO, rexp(x))));
}

#endif /* ACTFN_REPRO */

#endif /* ACTFN_KERNELS_ELU_H */
