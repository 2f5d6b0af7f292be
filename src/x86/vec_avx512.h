/*
 * vec_avx512.h — the vector vocabulary of src/kernels/VOCABULARY.md for
 * AVX-512 (F/BW/DQ/VL), for float (ACTFN_TYPE_F32: 16 lanes of __m512) or
 * double (ACTFN_TYPE_F64: 8 lanes of __m512d). Masks are opmask registers;
 * tails are masked loads and stores; vscale/vgetexp/vgetmant are the
 * scalef/getexp/getmant instructions. Registers live here; activations do not.
 *
 * Each operation is written once: AVX512_F(op) names the _ps or _pd form of
 * an intrinsic; only the horizontal reductions differ between the types.
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
typedef float T;
typedef __m512 V;
typedef __mmask16 M;
#define VW 16

#define AVX512_F(op) _mm512_##op##_ps
#define AVX512_CMP(a, b, pred) _mm512_cmp_ps_mask(a, b, pred)

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
typedef double T;
typedef __m512d V;
typedef __mmask8 M;
#define VW 8

#define AVX512_F(op) _mm512_##op##_pd
#define AVX512_CMP(a, b, pred) _mm512_cmp_pd_mask(a, b, pred)

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

/* ---- Both types ---------------------------------------------------------- */

static inline V vload(const T *p) { return AVX512_F(loadu)(p); }
static inline void vstore(T *p, V v) { AVX512_F(storeu)(p, v); }
/* Masked-off lanes are neither read (no fault) nor written. */
static inline V vload_part(const T *p, size_t n) { return AVX512_F(maskz_loadu)((M)((1u << n) - 1), p); }
static inline void vstore_part(T *p, V v, size_t n) { AVX512_F(mask_storeu)(p, (M)((1u << n) - 1), v); }

static inline V vset1(T c) { return AVX512_F(set1)(c); }
static inline V vzero(void) { return AVX512_F(setzero)(); }

static inline V vadd(V a, V b) { return AVX512_F(add)(a, b); }
static inline V vsub(V a, V b) { return AVX512_F(sub)(a, b); }
static inline V vmul(V a, V b) { return AVX512_F(mul)(a, b); }
static inline V vdiv(V a, V b) { return AVX512_F(div)(a, b); }
static inline V vfma(V a, V b, V c) { return AVX512_F(fmadd)(a, b, c); }
static inline V vfms(V a, V b, V c) { return AVX512_F(fmsub)(a, b, c); }
static inline V vfnma(V a, V b, V c) { return AVX512_F(fnmadd)(a, b, c); }
static inline V vneg(V a) { return AVX512_F(xor)(a, vset1((T)-0.0)); }
static inline V vabs(V a) { return AVX512_F(andnot)(vset1((T)-0.0), a); }
/* vmaxps/vminps return their second operand when either is NaN (and for
 * ±0 ties): exactly the contract's a > b ? a : b / a < b ? a : b. */
static inline V vmax(V a, V b) { return AVX512_F(max)(a, b); }
static inline V vmin(V a, V b) { return AVX512_F(min)(a, b); }

static inline M vgt(V a, V b) { return AVX512_CMP(a, b, _CMP_GT_OQ); }
static inline M vge(V a, V b) { return AVX512_CMP(a, b, _CMP_GE_OQ); }
static inline M vlt(V a, V b) { return AVX512_CMP(a, b, _CMP_LT_OQ); }
static inline M vle(V a, V b) { return AVX512_CMP(a, b, _CMP_LE_OQ); }
static inline M veq(V a, V b) { return AVX512_CMP(a, b, _CMP_EQ_OQ); }
static inline M vne(V a, V b) { return AVX512_CMP(a, b, _CMP_NEQ_UQ); }
static inline M visnan(V a) { return AVX512_CMP(a, a, _CMP_UNORD_Q); }

static inline M mand(M a, M b) { return (M)(a & b); }
static inline M mor(M a, M b) { return (M)(a | b); }
static inline M mandnot(M a, M b) { return (M)(a & (M)~b); }
static inline int many(M m) { return m != 0; }
static inline V vsel(M m, V a, V b) { return AVX512_F(mask_blend)(m, b, a); }

static inline V vand(V a, V b) { return AVX512_F(and)(a, b); }
static inline V vor(V a, V b) { return AVX512_F(or)(a, b); }
static inline V vxor(V a, V b) { return AVX512_F(xor)(a, b); }

static inline V vround(V a) { return AVX512_F(roundscale)(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/* vscale natively (kernels/derived.h has the portable one) */
#define VOCAB_HAS_VSCALE 1
static inline V vscale(V a, V k) { return AVX512_F(scalef)(a, k); }
static inline V vpow2i(V k) { return AVX512_F(scalef)(vset1((T)1), k); }
#endif /* ACTFN_VEC_AVX512_H */
