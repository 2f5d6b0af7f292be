/*
 * gelu.h — gelu (the erf form), forward and backward. With a = |x|,
 * Φ(-a) = G(a)·e^{-a²/2}/2 where G(a) = erfc(a/√2)·e^{a²/2} is smooth and
 * slowly varying (vmath.h), and e^{-a²/2} takes a² split exactly into
 * hi + lo: no rounded inner argument, no 1 - Φ cancellation. For x > 0,
 * Φ(x) = 1 - Φ(-x).
 */
#ifndef ACTFN_KERNELS_GELU_H
#define ACTFN_KERNELS_GELU_H

static inline V gelu_fwd_v(V x, const V *p)
{
    (void)p;
    const struct vm_gauss s = vm_gauss_parts(x);
    const V xc = vm_clamp(x, -VM_GELU_ABS_MAX, VM_GELU_ABS_MAX);
    const M neg = vle(x, vzero());
    /* q·2^k = Φ(-|x|) */
    const V q = vmul(vmul(s.g, vset1((T)0.5)), s.p);
    const V sc = vscale(vsel(neg, vmul(xc, q), q), s.k);
    /* x <= 0: x·Φ(-|x|);  x > 0: x - x·Φ(-x) */
    return vsel(neg, sc, vfnma(xc, sc, x));
}

/* Φ(x) + x·φ(x): for x <= 0, e^{-x²/2}·(G/2 + x/√(2π)); for x > 0,
 * 1 + e^{-x²/2}·(x/√(2π) - G/2). */
static inline V gelu_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const struct vm_gauss s = vm_gauss_parts(x);
    const V xc = vm_clamp(x, -VM_GELU_ABS_MAX, VM_GELU_ABS_MAX);
    const M neg = vle(x, vzero());
    const V half_g = vmul(s.g, vset1((T)0.5));
    const V m = vfma(xc, vset1(VM_INV_SQRT_2PI), vsel(neg, half_g, vneg(half_g)));
    const V sc = vscale(vmul(s.p, m), s.k);
    return vmul(dy, vsel(neg, sc, vadd(sc, vm_one())));
}

#endif /* ACTFN_KERNELS_GELU_H */
