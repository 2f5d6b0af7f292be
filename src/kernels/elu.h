/*
 * elu.h — elu and selu, forward and backward: x > 0 ? x : alpha·expm1(x),
 * with expm1 from vmath.h (no 1 - e^x cancellation near 0). The kink test
 * is x > 0 exactly as SPEC §3 writes it, so NaN takes the expm1 branch and
 * stays NaN.
 */
#ifndef ACTFN_KERNELS_ELU_H
#define ACTFN_KERNELS_ELU_H

/* λ (rounded to T: λ·x must stay inf·λ = inf) and λ·α of selu (SPEC §3
 * decimals, product taken in mpmath), split into hi + lo so that
 * λα·expm1(x) rounds once. */
#ifdef ACTFN_TYPE_F32
#define SELU_LAMBDA 0x1.0cfabep+0f
#define SELU_LA_HI 0x1.c212ccp+0f
#define SELU_LA_LO 0x1.903c0cp-26f
#else
#define SELU_LAMBDA 0x1.0cfabd6a91132p+0
#define SELU_LA_HI 0x1.c212cc640f031p+0
#define SELU_LA_LO 0x1.05161b045a1fep-56
#endif

/* (hi + lo)·v with one rounding of the sum */
static inline V selu_times(T hi, T lo, V v) { return vfma(vset1(hi), v, vmul(vset1(lo), v)); }

static inline V elu_fwd_v(V x, const V *p)
{
    return vsel(vgt(x, vzero()), x, vmul(p[0], vm_expm1(x)));
}

/* alpha = 0 is a zero factor even against dy = ±inf (loops.h) */
static inline V elu_bwd_v(V x, V dy, const V *p)
{
    return vsel(vgt(x, vzero()), dy, vmul(vzero_factor(p[0], dy), vmul(p[0], vm_exp(x))));
}

static inline V selu_fwd_v(V x, const V *p)
{
    (void)p;
    const V m = vm_expm1(x);
    return vsel(vgt(x, vzero()), vmul(vset1(SELU_LAMBDA), x), selu_times(SELU_LA_HI, SELU_LA_LO, m));
}

static inline V selu_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const V neg = vmul(dy, selu_times(SELU_LA_HI, SELU_LA_LO, vm_exp(x)));
    return vsel(vgt(x, vzero()), vmul(vset1(SELU_LAMBDA), dy), neg);
}

#endif /* ACTFN_KERNELS_ELU_H */
