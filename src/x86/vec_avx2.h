/*
 * vec_avx2.h — the vector vocabulary of src/kernels/VOCABULARY.md for AVX2
 * + FMA, for float (ACTFN_TYPE_F32: 8 lanes of __m256) or double
 * (ACTFN_TYPE_F64: 4 lanes of __m256d). Masks are full-width vectors whose
 * lanes are all ones or all zeros. Registers live here; activations do not.
 */
#ifndef ACTFN_VEC_AVX2_H
#define ACTFN_VEC_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#if defined(ACTFN_TYPE_F32) == defined(ACTFN_TYPE_F64)
#error "define exactly one of ACTFN_TYPE_F32 / ACTFN_TYPE_F64 before including vec_avx2.h"
#endif

#ifdef ACTFN_TYPE_F32
/* ======================================================================= */
/* float, 8 lanes                                                           */
/* ======================================================================= */
typedef float T;
typedef __m256 V;
typedef __m256 M;
#define VW 8
#define ACTFN_KTAB actfn_ktab_f32_avx2
#define ACTFN_KTAB_T struct actfn_ktab_f32

static inline V vload(const T *p) { return _mm256_loadu_ps(p); }
static inline void vstore(T *p, V v) { _mm256_storeu_ps(p, v); }

/* Integer lane mask with lanes 0..n-1 set: maskload/maskstore never touch
 * the memory of a clear lane (no fault, no write). */
static inline __m256i lanes_below(size_t n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline V vload_part(const T *p, size_t n) { return _mm256_maskload_ps(p, lanes_below(n)); }
static inline void vstore_part(T *p, V v, size_t n) { _mm256_maskstore_ps(p, lanes_below(n), v); }

static inline V vset1(T c) { return _mm256_set1_ps(c); }
static inline V vzero(void) { return _mm256_setzero_ps(); }

static inline V vadd(V a, V b) { return _mm256_add_ps(a, b); }
static inline V vsub(V a, V b) { return _mm256_sub_ps(a, b); }
static inline V vmul(V a, V b) { return _mm256_mul_ps(a, b); }
static inline V vdiv(V a, V b) { return _mm256_div_ps(a, b); }
static inline V vfma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
static inline V vfms(V a, V b, V c) { return _mm256_fmsub_ps(a, b, c); }
static inline V vfnma(V a, V b, V c) { return _mm256_fnmadd_ps(a, b, c); }
static inline V vsqrt(V a) { return _mm256_sqrt_ps(a); }

static inline V vneg(V a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
static inline V vabs(V a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
/* maxps/minps return their second operand when either is NaN (and for
 * ±0 ties): exactly the contract's a > b ? a : b / a < b ? a : b. */
static inline V vmax(V a, V b) { return _mm256_max_ps(a, b); }
static inline V vmin(V a, V b) { return _mm256_min_ps(a, b); }

static inline M vgt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
static inline M vge(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
static inline M vlt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline M vle(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
static inline M veq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
static inline M vne(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_NEQ_UQ); }
static inline M visnan(V a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }

static inline M mand(M a, M b) { return _mm256_and_ps(a, b); }
static inline M mor(M a, M b) { return _mm256_or_ps(a, b); }
static inline M mandnot(M a, M b) { return _mm256_andnot_ps(b, a); }
static inline M mnot(M a) { return _mm256_xor_ps(a, _mm256_castsi256_ps(_mm256_set1_epi32(-1))); }
static inline int many(M m) { return _mm256_movemask_ps(m) != 0; }
static inline V vsel(M m, V a, V b) { return _mm256_blendv_ps(b, a, m); }

static inline V vand(V a, V b) { return _mm256_and_ps(a, b); }
static inline V vor(V a, V b) { return _mm256_or_ps(a, b); }
static inline V vxor(V a, V b) { return _mm256_xor_ps(a, b); }

static inline V vround(V a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

/* 2^k for integral k in [-126, 127]: adding 1.5·2^23 + 127 leaves k + 127 in
 * the low mantissa bits; shifting them into the exponent field gives 2^k. */
static inline V vpow2i(V k)
{
    const __m256i biased = _mm256_castps_si256(_mm256_add_ps(k, _mm256_set1_ps(12582912.0f + 127.0f)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(biased, 23));
}

/*
 * a·2^k. When every lane's k is within the normal exponent range, one
 * product by 2^k is exact, or rounds once (subnormal result), or overflows
 * to ±inf. Otherwise a product of three normal powers of two: the factor
 * applied last is k clamped to the normal range, so for k < 0 it is the most
 * negative one and a result that must round rounds once, at the end (when
 * an earlier product already fell below the normal range, the exact result
 * lies far below the smallest subnormal and both give ±0); for k >= 0 every
 * step is exact or overflows. Beyond |k| = 300 every finite a gives 0 or
 * inf, so k is clamped there, which keeps the first factor normal.
 */
static inline V vscale(V a, V k)
{
    const V lo = _mm256_set1_ps(-126.0f), hi = _mm256_set1_ps(127.0f);
    const V last = _mm256_min_ps(_mm256_max_ps(k, lo), hi);
    const V scale_last = vpow2i(last);
    if (_mm256_movemask_ps(_mm256_cmp_ps(last, k, _CMP_NEQ_UQ)) == 0)
        return _mm256_mul_ps(a, scale_last);
    const V k_in_range = _mm256_min_ps(_mm256_max_ps(k, _mm256_set1_ps(-300.0f)), _mm256_set1_ps(300.0f));
    const V rest = _mm256_sub_ps(k_in_range, last);
    const V middle = _mm256_min_ps(_mm256_max_ps(rest, lo), hi);
    const V first = _mm256_sub_ps(rest, middle);
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(a, vpow2i(first)), vpow2i(middle)), scale_last);
}

static inline V vgetexp(V a)
{
    const __m256i e = _mm256_srli_epi32(_mm256_castps_si256(a), 23);
    return _mm256_cvtepi32_ps(_mm256_sub_epi32(e, _mm256_set1_epi32(127)));
}

static inline V vgetmant(V a)
{
    const __m256i mant = _mm256_and_si256(_mm256_castps_si256(a), _mm256_set1_epi32(0x007fffff));
    return _mm256_castsi256_ps(_mm256_or_si256(mant, _mm256_castps_si256(_mm256_set1_ps(1.0f))));
}

/* Pairwise tree: lane i + lane i+4, then i + i+2, then 0 + 1. */
static inline T vreduce_add(V v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline T vreduce_max(V v)
{
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#else
/* ======================================================================= */
/* double, 4 lanes                                                          */
/* ======================================================================= */
typedef double T;
typedef __m256d V;
typedef __m256d M;
#define VW 4
#define ACTFN_KTAB actfn_ktab_f64_avx2
#define ACTFN_KTAB_T struct actfn_ktab_f64

static inline V vload(const T *p) { return _mm256_loadu_pd(p); }
static inline void vstore(T *p, V v) { _mm256_storeu_pd(p, v); }

/* Integer lane mask with lanes 0..n-1 set (see the float version). */
static inline __m256i lanes_below(size_t n)
{
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n), _mm256_setr_epi64x(0, 1, 2, 3));
}
static inline V vload_part(const T *p, size_t n) { return _mm256_maskload_pd(p, lanes_below(n)); }
static inline void vstore_part(T *p, V v, size_t n) { _mm256_maskstore_pd(p, lanes_below(n), v); }

static inline V vset1(T c) { return _mm256_set1_pd(c); }
static inline V vzero(void) { return _mm256_setzero_pd(); }

static inline V vadd(V a, V b) { return _mm256_add_pd(a, b); }
static inline V vsub(V a, V b) { return _mm256_sub_pd(a, b); }
static inline V vmul(V a, V b) { return _mm256_mul_pd(a, b); }
static inline V vdiv(V a, V b) { return _mm256_div_pd(a, b); }
static inline V vfma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
static inline V vfms(V a, V b, V c) { return _mm256_fmsub_pd(a, b, c); }
static inline V vfnma(V a, V b, V c) { return _mm256_fnmadd_pd(a, b, c); }
static inline V vsqrt(V a) { return _mm256_sqrt_pd(a); }

static inline V vneg(V a) { return _mm256_xor_pd(a, _mm256_set1_pd(-0.0)); }
static inline V vabs(V a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
static inline V vmax(V a, V b) { return _mm256_max_pd(a, b); }
static inline V vmin(V a, V b) { return _mm256_min_pd(a, b); }

static inline M vgt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
static inline M vge(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
static inline M vlt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
static inline M vle(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
static inline M veq(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
static inline M vne(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_NEQ_UQ); }
static inline M visnan(V a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }

static inline M mand(M a, M b) { return _mm256_and_pd(a, b); }
static inline M mor(M a, M b) { return _mm256_or_pd(a, b); }
static inline M mandnot(M a, M b) { return _mm256_andnot_pd(b, a); }
static inline M mnot(M a) { return _mm256_xor_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))); }
static inline int many(M m) { return _mm256_movemask_pd(m) != 0; }
static inline V vsel(M m, V a, V b) { return _mm256_blendv_pd(b, a, m); }

static inline V vand(V a, V b) { return _mm256_and_pd(a, b); }
static inline V vor(V a, V b) { return _mm256_or_pd(a, b); }
static inline V vxor(V a, V b) { return _mm256_xor_pd(a, b); }

static inline V vround(V a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

/* 2^k for integral k in [-1022, 1023]: adding 1.5·2^52 + 1023 leaves
 * k + 1023 in the low mantissa bits; shift them into the exponent field. */
static inline V vpow2i(V k)
{
    const __m256i biased = _mm256_castpd_si256(_mm256_add_pd(k, _mm256_set1_pd(6755399441055744.0 + 1023.0)));
    return _mm256_castsi256_pd(_mm256_slli_epi64(biased, 52));
}

/* a·2^k as for float (normal range [-1022, 1023]; clamp at |k| = 2200). */
static inline V vscale(V a, V k)
{
    const V lo = _mm256_set1_pd(-1022.0), hi = _mm256_set1_pd(1023.0);
    const V last = _mm256_min_pd(_mm256_max_pd(k, lo), hi);
    const V scale_last = vpow2i(last);
    if (_mm256_movemask_pd(_mm256_cmp_pd(last, k, _CMP_NEQ_UQ)) == 0)
        return _mm256_mul_pd(a, scale_last);
    const V k_in_range = _mm256_min_pd(_mm256_max_pd(k, _mm256_set1_pd(-2200.0)), _mm256_set1_pd(2200.0));
    const V rest = _mm256_sub_pd(k_in_range, last);
    const V middle = _mm256_min_pd(_mm256_max_pd(rest, lo), hi);
    const V first = _mm256_sub_pd(rest, middle);
    return _mm256_mul_pd(_mm256_mul_pd(_mm256_mul_pd(a, vpow2i(first)), vpow2i(middle)), scale_last);
}

/* The biased exponent e (a positive) is OR-ed into the mantissa of 2^52,
 * giving the double 2^52 + e exactly; subtracting 2^52 + 1023 leaves e - 1023. */
static inline V vgetexp(V a)
{
    const __m256i e = _mm256_srli_epi64(_mm256_castpd_si256(a), 52);
    const V two52_plus_e = _mm256_castsi256_pd(_mm256_or_si256(e, _mm256_castpd_si256(_mm256_set1_pd(4503599627370496.0))));
    return _mm256_sub_pd(two52_plus_e, _mm256_set1_pd(4503599627370496.0 + 1023.0));
}

static inline V vgetmant(V a)
{
    const __m256i mant = _mm256_and_si256(_mm256_castpd_si256(a), _mm256_set1_epi64x(0x000fffffffffffffLL));
    return _mm256_castsi256_pd(_mm256_or_si256(mant, _mm256_castpd_si256(_mm256_set1_pd(1.0))));
}

/* Pairwise tree: (lane 0 + lane 2) + (lane 1 + lane 3). */
static inline T vreduce_add(V v)
{
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    s = _mm_add_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}

static inline T vreduce_max(V v)
{
    __m128d s = _mm_max_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    s = _mm_max_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}

#endif /* ACTFN_TYPE_F32 / ACTFN_TYPE_F64 */

#endif /* ACTFN_VEC_AVX2_H */
