/*
 * gelu.h — gelu (the erf form), forward and backward. With a = |x|,
 * Φ(-a) = G(a)·e^{-a²/2}/2 where G(a) = erfc(a/√2)·e^{a²/2} is smooth and
 * slowly varying (vmath.h), and e^{-a²/2} takes a² split exactly into
 * hi + lo: no rounded inner argument, no 1 - Φ cancellation. For x > 0,
 * Φ(x) = 1 - Φ(-x).
 */
#ifndef ACTFN_KERNELS_GELU_H
#define ACTFN_KERNELS_GELU_H

#ifndef ACTFN_REPRO
KERNEL_INLINE V gelu_fwd_from(V x, struct vm_gauss s)
{
    const V xc = vclamp(x, -VM_GELU_ABS_MAX, VM_GELU_ABS_MAX);
    const M neg = vle(x, vzero());
    /* q·2^k = Φ(-|x|) */
    const V q = vmul(vmul(s.g, vset1((T)0.5)), s.p);
    const V sc = vm_scale_wide(vsel(neg, vmul(xc, q), q), s.k);
    /* x <= 0: x·Φ(-|x|);  x > 0: x - x·Φ(-x) */
    return vsel(neg, sc, vfnma(xc, sc, x));
}

/* Φ(x) + x·φ(x): for x <= 0, e^{-x²/2}·(G/2 + x/√(2π)); for x > 0,
 * 1 + e^{-x²/2}·(x/√(2π) - G/2). */
KERNEL_INLINE V gelu_bwd_from(V x, V dy, struct vm_gauss s)
{
    const V xc = vclamp(x, -VM_GELU_ABS_MAX, VM_GELU_ABS_MAX);
    const M neg = vle(x, vzero());
    const V half_g = vmul(s.g, vset1((T)0.5));
    const V m = vfma(xc, vset1(INV_SQRT_2PI), vsel(neg, half_g, vneg(half_g)));
    const V sc = vm_scale_wide(vmul(s.p, m), s.k);
    return vmul(dy, vsel(neg, sc, vadd(sc, vm_one())));
}

#if VM_GELU_PLAIN
/* f32: the plain pieces (vm_gauss_parts, dual = 0) first, the dual ones for
 * a vector with a lane far in the negative tail (rare: x < -10), as sigmoid
 * takes its fast path (the result formed before the test). One wrapper
 * for both passes with a bwd flag gave the same bits but a 3.5% slower
 * backward (f32 AVX-512, 64K): GCC no longer inlined it into the loop. */
KERNEL_COLD V gelu_fwd_dual(V x) { return gelu_fwd_from(x, vm_gauss_parts(x, 1)); }
KERNEL_COLD V gelu_bwd_dual(V x, V dy) { return gelu_bwd_from(x, dy, vm_gauss_parts(x, 1)); }

KERNEL_INLINE V gelu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V y = gelu_fwd_from(x, vm_gauss_parts(x, 0));
    if (KERNEL_UNLIKELY(!vm_gauss_plain_ok(x)))
        return gelu_fwd_dual(x);
    return y;
}

KERNEL_INLINE V gelu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V d = gelu_bwd_from(x, dy, vm_gauss_parts(x, 0));
    if (KERNEL_UNLIKELY(!vm_gauss_plain_ok(x)))
        return gelu_bwd_dual(x, dy);
    return d;
}
#else
/* f64: the dual pieces on every vector, inline. */
KERNEL_INLINE V gelu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return gelu_fwd_from(x, vm_gauss_parts(x, 1));
}

KERNEL_INLINE V gelu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    return gelu_bwd_from(x, dy, vm_gauss_parts(x, 1));
}
#endif

#else /* ACTFN_REPRO: SLEEF erfc */

/* gelu: 0.5·x·erfc(−x/√2); gelu(−inf) = −0 (not −inf·0). */
KERNEL_INLINE V gelu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V y = vmul(vmul(vset1((T)0.5), x), rerfc(vmul(x, vset1(-INV_SQRT2))));
    return vsel(veq(x, vset1((T)-INFINITY)), vset1((T)-0.0), y);
}

/* dy·(Φ(x) + x·φ(x)); x² carried as q + q_lo so e^(−x²/2) sees it exactly
 * to first order; x clamped where φ is 0, so ±inf give the limits 1 and 0. */
KERNEL_INLINE V gelu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const V xc = vclamp(x, -(T)40, (T)40);
    const V half = vset1((T)0.5);
    const V cdf = vmul(half, rerfc(vmul(x, vset1(-INV_SQRT2))));
    const V q = vmul(xc, xc);
    const V q_lo = vfms(xc, xc, q);
    const V e = rexp(vmul(vneg(half), q));
    const V pdf = vmul(vfnma(e, vmul(half, q_lo), e), vset1(INV_SQRT_2PI));
    return vmul(dy, vfma(xc, pdf, cdf));
}

#endif /* ACTFN_REPRO */

#endif /* ACTFN_KERNELS_GELU_H */
