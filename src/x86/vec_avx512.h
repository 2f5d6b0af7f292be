/*
 * vec_avx512.h — the vector vocabulary of src/kernels/VOCABULARY.md for
 * AVX-512 (F/BW/DQ/VL), for float (ACTFN_TYPE_F32: 16 lanes of __m512) or
 * double (ACTFN_TYPE_F64: 8 lanes of __m512d). Masks are opmask registers;
 * tails are masked loads and stores; vscale/vgetexp/vgetmant are the
 * scalef/getexp/getmant instructions. Registers live here; activations do not.
 */
#ifndef ACTFN_VEC_AVX512_H
#define ACTFN_VEC_AVX512_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#if defined(ACTFN_TYPE_F32) == defined(ACTFN_TYPE_F64)
#error "define exactly one of ACTFN_TYPE_F32 / ACTFN_TYPE_F64 before including vec_avx512.h"
#endif

#ifdef ACTFN_TYPE_F32
/* ======================================================================= */
/* float, 16 lanes                                                          */
/* ======================================================================= */
typedef float T;
typedef __m512 V;
typedef __mmask16 M;
#define VW 16
#define ACTFN_KTAB actfn_ktab_f32_avx512
#define ACTFN_KTAB_T struct actfn_ktab_f32

static inline V vload(const T *p) { return _mm512_loadu_ps(p); }
static inline void vstore(T *p, V v) { _mm512_storeu_ps(p, v); }
/* Masked-off lanes are neither read (no fault) nor written. */
static inline V vload_part(const T *p, size_t n) { return _mm512_maskz_loadu_ps((M)((1u << n) - 1), p); }
static inline void vstore_part(T *p, V v, size_t n) { _mm512_mask_storeu_ps(p, (M)((1u << n) - 1), v); }

static inline V vset1(T c) { return _mm512_set1_ps(c); }
static inline V vzero(void) { return _mm512_setzero_ps(); }

static inline V vadd(V a, V b) { return _mm512_add_ps(a, b); }
static inline V vsub(V a, V b) { return _mm512_sub_ps(a, b); }
static inline V vmul(V a, V b) { return _mm512_mul_ps(a, b); }
static inline V vdiv(V a, V b) { return _mm512_div_ps(a, b); }
static inline V vfma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
static inline V vfms(V a, V b, V c) { return _mm512_fmsub_ps(a, b, c); }
static inline V vfnma(V a, V b, V c) { return _mm512_fnmadd_ps(a, b, c); }
static inline V vsqrt(V a) { return _mm512_sqrt_ps(a); }

static inline V vneg(V a) { return _mm512_xor_ps(a, _mm512_set1_ps(-0.0f)); }
static inline V vabs(V a) { return _mm512_andnot_ps(_mm512_set1_ps(-0.0f), a); }
/* vmaxps/vminps return their second operand when either is NaN (and for
 * ±0 ties): exactly the contract's a > b ? a : b / a < b ? a : b. */
static inline V vmax(V a, V b) { return _mm512_max_ps(a, b); }
static inline V vmin(V a, V b) { return _mm512_min_ps(a, b); }

static inline M vgt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
static inline M vge(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
static inline M vlt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline M vle(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
static inline M veq(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline M vne(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_NEQ_UQ); }
static inline M visnan(V a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }

static inline V vsel(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }

static inline V vand(V a, V b) { return _mm512_and_ps(a, b); }
static inline V vor(V a, V b) { return _mm512_or_ps(a, b); }
static inline V vxor(V a, V b) { return _mm512_xor_ps(a, b); }

static inline V vround(V a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline V vscale(V a, V k) { return _mm512_scalef_ps(a, k); }
static inline V vpow2i(V k) { return _mm512_scalef_ps(_mm512_set1_ps(1.0f), k); }
static inline V vgetexp(V a) { return _mm512_getexp_ps(a); }
static inline V vgetmant(V a) { return _mm512_getmant_ps(a, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src); }

/* Pairwise tree: 256-bit halves, then the AVX tree (i + i+4, i + i+2, 0 + 1). */
static inline T vreduce_add(V v)
{
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline T vreduce_max(V v)
{
    const __m256 h = _mm256_max_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#else
/* ======================================================================= */
/* double, 8 lanes                                                          */
/* ======================================================================= */
typedef double T;
typedef __m512d V;
typedef __mmask8 M;
#define VW 8
#define ACTFN_KTAB actfn_ktab_f64_avx512
#define ACTFN_KTAB_T struct actfn_ktab_f64

static inline V vload(const T *p) { return _mm512_loadu_pd(p); }
static inline void vstore(T *p, V v) { _mm512_storeu_pd(p, v); }
/* Masked-off lanes are neither read (no fault) nor written. */
static inline V vload_part(const T *p, size_t n) { return _mm512_maskz_loadu_pd((M)((1u << n) - 1), p); }
static inline void vstore_part(T *p, V v, size_t n) { _mm512_mask_storeu_pd(p, (M)((1u << n) - 1), v); }

static inline V vset1(T c) { return _mm512_set1_pd(c); }
static inline V vzero(void) { return _mm512_setzero_pd(); }

static inline V vadd(V a, V b) { return _mm512_add_pd(a, b); }
static inline V vsub(V a, V b) { return _mm512_sub_pd(a, b); }
static inline V vmul(V a, V b) { return _mm512_mul_pd(a, b); }
static inline V vdiv(V a, V b) { return _mm512_div_pd(a, b); }
static inline V vfma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
static inline V vfms(V a, V b, V c) { return _mm512_fmsub_pd(a, b, c); }
static inline V vfnma(V a, V b, V c) { return _mm512_fnmadd_pd(a, b, c); }
static inline V vsqrt(V a) { return _mm512_sqrt_pd(a); }

static inline V vneg(V a) { return _mm512_xor_pd(a, _mm512_set1_pd(-0.0)); }
static inline V vabs(V a) { return _mm512_andnot_pd(_mm512_set1_pd(-0.0), a); }
static inline V vmax(V a, V b) { return _mm512_max_pd(a, b); }
static inline V vmin(V a, V b) { return _mm512_min_pd(a, b); }

static inline M vgt(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
static inline M vge(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
static inline M vlt(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
static inline M vle(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
static inline M veq(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
static inline M vne(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_UQ); }
static inline M visnan(V a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }

static inline V vsel(M m, V a, V b) { return _mm512_mask_blend_pd(m, b, a); }

static inline V vand(V a, V b) { return _mm512_and_pd(a, b); }
static inline V vor(V a, V b) { return _mm512_or_pd(a, b); }
static inline V vxor(V a, V b) { return _mm512_xor_pd(a, b); }

static inline V vround(V a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline V vscale(V a, V k) { return _mm512_scalef_pd(a, k); }
static inline V vpow2i(V k) { return _mm512_scalef_pd(_mm512_set1_pd(1.0), k); }
static inline V vgetexp(V a) { return _mm512_getexp_pd(a); }
static inline V vgetmant(V a) { return _mm512_getmant_pd(a, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src); }

/* Pairwise tree: 256-bit halves, then (lane 0 + lane 2) + (lane 1 + lane 3). */
static inline T vreduce_add(V v)
{
    const __m256d h = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
    s = _mm_add_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}

static inline T vreduce_max(V v)
{
    const __m256d h = _mm256_max_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
    __m128d s = _mm_max_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
    s = _mm_max_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}

#endif /* ACTFN_TYPE_F32 / ACTFN_TYPE_F64 */

/* Mask logic on opmasks (the same for both types). */
static inline M mand(M a, M b) { return (M)(a & b); }
static inline M mor(M a, M b) { return (M)(a | b); }
static inline M mandnot(M a, M b) { return (M)(a & (M)~b); }
static inline M mnot(M a) { return (M)~a; }
static inline int many(M m) { return m != 0; }

#endif /* ACTFN_VEC_AVX512_H */
