/*
 * derived.h — operations built from the vocabulary, written once for every
 * ISA: kernels use them like vocabulary operations (VOCABULARY.md). Needs a
 * vocabulary and constants.h included first.
 */
#ifndef ACTFN_KERNELS_DERIVED_H
#define ACTFN_KERNELS_DERIVED_H

#include <math.h>
#include <stdint.h>

#include "constants.h"

/* KERNEL_INLINE: for a helper that takes a constant "kind" argument
 * (inlining it is what specialises it) and for every helper of the vector
 * math a kernel body calls per vector: left to the inliner's size
 * heuristics, GCC kept vscale, vm_exp_neg_fast, vm_logistic_parts,
 * vm_gauss_parts ... out of line in the AVX2 and f64 units, so each call
 * spilled the four vectors of a loop step around it. */
/* KERNEL_COLD: a rare path kept out of line, so that the common path of
 * the loop around it stays one straight run of vector code that the
 * compiler does not reorder around the test. */
#if defined(__GNUC__) || defined(__clang__)
#define KERNEL_INLINE static inline __attribute__((always_inline))
#define KERNEL_COLD static __attribute__((noinline, cold))
#define KERNEL_UNLIKELY(c) __builtin_expect(!!(c), 0)
#else
#define KERNEL_INLINE static inline
#define KERNEL_COLD static
#define KERNEL_UNLIKELY(c) (c)
#endif

#ifndef VOCAB_HAS_VSCALE
/*
 * vscale(a, k) = a·2^k (VOCABULARY.md), for the ISAs without a native one
 * (AVX2, NEON; AVX-512 has vscalef, the scalar vocabulary ldexp). When every
 * lane's k is in the normal exponent range (the common case of exp's 2^k·p),
 * one product by 2^k is exact, rounds once (subnormal result) or overflows
 * to ±inf. Otherwise a product of three normal powers of two: the factor
 * applied last is k clamped to the normal range, so for k < 0 it is the most
 * negative one and a result that must round rounds once, at the end (when an
 * earlier product already fell below the normal range, the exact result lies
 * far below the smallest subnormal and both give ±0); for k >= 0 every step
 * is exact or overflows. Beyond |k| = DERIVED_SCALE_MAX every finite a gives
 * 0 or inf, so k is clamped there, which keeps the first factor normal.
 */
#ifdef ACTFN_TYPE_F32
#define DERIVED_EXP_MIN (-126)
#define DERIVED_EXP_MAX 127
#define DERIVED_SCALE_MAX 300
#else
#define DERIVED_EXP_MIN (-1022)
#define DERIVED_EXP_MAX 1023
#define DERIVED_SCALE_MAX 2200
#endif

KERNEL_INLINE V vscale(V a, V k)
{
    const V lo = vset1((T)DERIVED_EXP_MIN), hi = vset1((T)DERIVED_EXP_MAX);
    const V last = vmin(vmax(k, lo), hi);
    const V scale_last = vpow2i(last);
    if (!many(vne(last, k)))
        return vmul(a, scale_last);
    const V k_in_range = vmin(vmax(k, vset1((T)-DERIVED_SCALE_MAX)), vset1((T)DERIVED_SCALE_MAX));
    const V rest = vsub(k_in_range, last);
    const V middle = vmin(vmax(rest, lo), hi);
    const V first = vsub(rest, middle);
    return vmul(vmul(vmul(a, vpow2i(first)), vpow2i(middle)), scale_last);
}
#endif

#ifndef VOCAB_HAS_STREAM
/* Stores that bypass the caches (VOCABULARY.md), for the ISAs without them
 * (the scalar vocabulary; NEON, whose only form, STNP, is a hint on a pair
 * of registers that intrinsics do not reach): ordinary stores, which need
 * no fence. */
static inline void vstore_stream(T *p, V v) { vstore(p, v); }
static inline void vstream_fence(void) {}
#ifdef VOCAB_HAS_HALF
static inline void vstore_bf16_stream(uint16_t *p, V v) { vstore_bf16(p, v); }
static inline void vstore_f16_stream(uint16_t *p, V v) { vstore_f16(p, v); }
#endif
#endif

/* x clamped to [lo, hi]; NaN stays NaN (vmax and vmin return their second
 * operand on NaN). Both kernel sets use it. */
static inline V vclamp(V x, T lo, T hi) { return vmin(vset1(hi), vmax(vset1(lo), x)); }

/* v clamped to the finite range of T: ±inf to ±T_MAX. */
static inline V vclamp_finite(V v) { return vclamp(v, -KERNEL_T_MAX, KERNEL_T_MAX); }

/*
 * Zero factors (SPEC §3's limit of 0·v, decided in actfn.h): where a kernel
 * multiplies by a finite parameter a that may be exactly ±0 (leaky_relu and
 * elu alpha), a·vzero_factor(a, v) is a·v but for a = ±0 and
 * v = ±inf, where it is the zero of the limit instead of NaN: v is clamped to
 * the finite range exactly where a is zero (NaN stays NaN: vmax and vmin
 * return their second operand on NaN). For a broadcast a the bound is
 * loop-invariant, so this is two operations per vector.
 */
static inline V vzero_factor(V a, V v)
{
    const V bound = vsel(veq(a, vzero()), vset1(KERNEL_T_MAX), vset1((T)INFINITY));
    return vmin(bound, vmax(vneg(bound), v));
}

/* Where both factors are data (prelu's x and alpha[c], x·dy in dalpha):
 * the lanes where p = a·b is 0·inf, i.e. NaN while a + b is not. */
static inline M vzero_factor_lanes(V a, V b, V p)
{
    return mandnot(visnan(p), visnan(vadd(a, b)));
}

/* a·b with the zero-factor rule for data factors: 0·inf gives the zero of
 * sign(a)·sign(b). NaN products are rare, so the common case costs one test. */
static inline V vmul_zero_factor(V a, V b)
{
    const V p = vmul(a, b);
    if (!many(visnan(p)))
        return p;
    return vsel(vzero_factor_lanes(a, b, p), vand(vxor(a, b), vset1((T)-0.0)), p);
}

#endif /* ACTFN_KERNELS_DERIVED_H */
