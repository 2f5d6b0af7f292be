/*
 * constants.h — the per-type constants of the ops, shared by both kernel
 * sets (the fast bodies and the reproducible ones beside them): each value
 * rounded to T from SPEC §3's decimals (products and splits taken in
 * mpmath, tools/fit_coeffs.py). The vector math's own constants (ranges,
 * ln 2 splits, polynomial coefficients) stay in vmath.h.
 */
#ifndef ACTFN_KERNELS_CONSTANTS_H
#define ACTFN_KERNELS_CONSTANTS_H

#include <float.h>

#ifdef ACTFN_TYPE_F32
#define KERNEL_T_MAX FLT_MAX
/* selu: λ as hi + lo (hi alone is rounded up, and hi·x would overflow for x
 * just below T_MAX/λ), and λ·α as hi + lo, so that λ·x and λα·expm1(x)
 * each round once */
#define SELU_LAMBDA 0x1.0cfabep+0f
#define SELU_LAMBDA_LO -0x1.2adddap-25f
#define SELU_LA_HI 0x1.c212ccp+0f
#define SELU_LA_LO 0x1.903c0cp-26f
/* gelu: 1/√2 and 1/√(2π) */
#define INV_SQRT2 0x1.6a09e6p-1f
#define INV_SQRT_2PI 0x1.988454p-2f
/* gelu_tanh: t = x·(C1 + C2·x²), C1 = 2√(2/π), C2 = 2√(2/π)·0.044715, each
 * also split into hi + lo so that t can be formed to about twice T's
 * precision (in the tail every ulp of t would be |t| ulps of the result);
 * 3C2 = 3·C2 for the derivative */
#define GELU_TANH_C1 0x1.988454p+0f
#define GELU_TANH_C1_LO -0x1.857936p-25f
#define GELU_TANH_C2 0x1.2444f2p-4f
#define GELU_TANH_C2_LO 0x1.49b16ap-29f
#define GELU_TANH_3C2 0x1.b6676cp-3f
#else
#define KERNEL_T_MAX DBL_MAX
#define SELU_LAMBDA 0x1.0cfabd6a91132p+0
#define SELU_LAMBDA_LO 0x1.6fc7d272f2695p-55
#define SELU_LA_HI 0x1.c212cc640f031p+0
#define SELU_LA_LO 0x1.05161b045a1fep-56
#define INV_SQRT2 0x1.6a09e667f3bcdp-1
#define INV_SQRT_2PI 0x1.9884533d43651p-2
#define GELU_TANH_C1 0x1.9884533d43651p+0
#define GELU_TANH_C1_LO -0x1.cbc0d30ebfd15p-54
#define GELU_TANH_C2 0x1.2444f2a4d8b4bp-4
#define GELU_TANH_C2_LO -0x1.6c843a29d1c70p-61
#define GELU_TANH_3C2 0x1.b6676bf7450f0p-3
#endif

#endif /* ACTFN_KERNELS_CONSTANTS_H */
