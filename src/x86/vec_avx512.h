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

/* A 16-entry table lookup (vpermps: the index is the low 4 bits of each
 * lane's bit pattern), for the table exp of kernels/vmath.h. With it, this
 * vocabulary's vscale also takes a non-integral k: vscalef scales by
 * 2^floor(k). */
#define VOCAB_HAS_LUT16 1
static inline V vlut16(V j, const T *tab) { return _mm512_permutexvar_ps(_mm512_castps_si512(j), _mm512_loadu_ps(tab)); }

/* Lane l = p[l·stride] (vgatherdps); VOCAB_GATHER_MAX_STRIDE bounds stride. */
static inline V vgather(const T *p, size_t stride)
{
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    return _mm512_i32gather_ps(_mm512_mullo_epi32(lane, _mm512_set1_epi32((int)stride)), p, 4);
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

/* Lane l = p[l·stride] (vgatherdpd); VOCAB_GATHER_MAX_STRIDE bounds stride. */
static inline V vgather(const T *p, size_t stride)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm512_i32gather_pd(_mm256_mullo_epi32(lane, _mm256_set1_epi32((int)stride)), p, 8);
}

#endif /* ACTFN_TYPE_F32 / ACTFN_TYPE_F64 */

/* vgather's lane indices are 32-bit: (VW - 1)·stride must fit. */
#define VOCAB_HAS_GATHER 1
#define VOCAB_GATHER_MAX_STRIDE ((size_t)INT32_MAX / VW)

/* ---- Both types ---------------------------------------------------------- */

static inline V vload(const T *p) { return AVX512_F(loadu)(p); }
static inline void vstore(T *p, V v) { AVX512_F(storeu)(p, v); }
/* Masked-off lanes are neither read (no fault) nor written. */
static inline V vload_part(const T *p, size_t n) { return AVX512_F(maskz_loadu)((M)((1u << n) - 1), p); }
static inline void vstore_part(T *p, V v, size_t n) { AVX512_F(mask_storeu)(p, (M)((1u << n) - 1), v); }
/* A full vector to a 64-byte aligned p, bypassing the caches (vmovntps/pd);
 * vstream_fence orders these stores before any later store. */
#define VOCAB_HAS_STREAM 1
static inline void vstore_stream(T *p, V v) { AVX512_F(stream)(p, v); }
static inline void vstream_fence(void) { _mm_sfence(); }

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

/* ---- 16-bit storage (SPEC §9), float only -------------------------------- */
/* Sixteen bf16 / f16 values are one __m256i; tails are masked 16-bit loads
 * and stores (AVX512BW+VL), so a masked-off element is neither read (no
 * fault) nor written. Every conversion gives the bits of src/half.h on every
 * input, NaNs included, whatever MXCSR holds (FTZ, DAZ, RC): the bf16
 * integer path is integer work; vcvtps2ph takes its rounding from the
 * immediate; vcvtph2ps and vcvtps2ph do not flush subnormals; and
 * vcvtneps2bf16 always rounds to nearest even (MXCSR.RC ignored) but
 * flushes f32 subnormal inputs to ±0 whatever MXCSR says (measured on Zen 4,
 * as Intel's SDM describes), which the native path repairs.
 *
 * bf16 stores: the integer path by default; with ACTFN_BF16_NATIVE (a unit
 * compiled with -mavx512bf16 too, for CPUs with AVX512_BF16) vcvtneps2bf16. */
#ifdef ACTFN_TYPE_F32
/* vload_bf16 ... of its own, for kernels/storage.h */
#define VOCAB_HAS_HALF 1

#if defined(ACTFN_BF16_NATIVE) && !defined(__AVX512BF16__)
#error "ACTFN_BF16_NATIVE needs -mavx512bf16"
#endif

static inline __mmask16 avx512_lanes_below(size_t n) { return (__mmask16)((1u << n) - 1); }

/* bf16 → f32: the 16 bits become the top half of the float (exact). */
static inline V avx512_widen_bf16(__m256i h)
{
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

/* f32 → bf16 as half_f32_to_bf16, by integer operations: round to nearest
 * even at bit 16 by adding 0x7fff + bit 16 (a carry into the exponent is the
 * next binade or inf); a NaN keeps its top 16 bits with the quiet bit set.
 * Then vpmovdw keeps the low half of each lane. */
static inline __m256i avx512_narrow_bf16_int(V v)
{
    const __m512i u = _mm512_castps_si512(v);
    const __m512i hi = _mm512_srli_epi32(u, 16);
    const __m512i odd = _mm512_and_si512(hi, _mm512_set1_epi32(1));
    const __m512i r = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)), odd), 16);
    const __m512i b = _mm512_mask_or_epi32(r, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), hi, _mm512_set1_epi32(0x40));
    return _mm512_cvtepi32_epi16(b);
}

#ifdef ACTFN_BF16_NATIVE
/* Rare path: vcvtneps2bf16 gave ±0 for the f32 subnormal lanes in sub;
 * take those from the integer path. */
static __attribute__((noinline, cold, unused)) __m256i avx512_bf16_subnormal_fix(V v, __m256i r, __mmask16 sub)
{
    return _mm256_mask_blend_epi16(sub, r, avx512_narrow_bf16_int(v));
}

/* vcvtneps2bf16 (nearest even, NaN quieted keeping sign and top payload),
 * then the subnormal repair when some lane is an f32 subnormal: two integer
 * tests (exponent field zero, then fraction non-zero) and a branch. Not
 * vfpclassps: under MXCSR.DAZ it classes a subnormal as zero (measured on
 * Zen 4). */
static inline __m256i avx512_narrow_bf16(V v)
{
    const __m256i r = (__m256i)_mm512_cvtneps_pbh(v);
    const __m512i u = _mm512_castps_si512(v);
    const __mmask16 sub = _mm512_mask_test_epi32_mask(_mm512_testn_epi32_mask(u, _mm512_set1_epi32(0x7f800000)), u,
                                                      _mm512_set1_epi32(0x007fffff));
    if (__builtin_expect(sub != 0, 0))
        return avx512_bf16_subnormal_fix(v, r, sub);
    return r;
}
#else
static inline __m256i avx512_narrow_bf16(V v) { return avx512_narrow_bf16_int(v); }
#endif

/* f16 → f32: vcvtph2ps (exact; a signalling NaN comes out quiet, as
 * half_f16_to_f32 defines). */
static inline V avx512_widen_f16(__m256i h)
{
    return _mm512_cvtph_ps(h);
}

/* f32 → f16: vcvtps2ph, nearest even from the immediate. */
static inline __m256i avx512_narrow_f16(V v)
{
    return _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

/* The full-vector conversions are forced inline: GCC's size heuristics left
 * vstore_bf16 out of line in big loops (prelu backward spent 38% of its time
 * in the call, measured with perf). */
static inline __attribute__((always_inline)) V vload_bf16(const uint16_t *p)
{
    return avx512_widen_bf16(_mm256_loadu_si256((const __m256i *)p));
}
static inline V vload_bf16_part(const uint16_t *p, size_t n)
{
    return avx512_widen_bf16(_mm256_maskz_loadu_epi16(avx512_lanes_below(n), p));
}
static inline __attribute__((always_inline)) void vstore_bf16(uint16_t *p, V v)
{
    _mm256_storeu_si256((__m256i *)p, avx512_narrow_bf16(v));
}
static inline void vstore_bf16_part(uint16_t *p, V v, size_t n)
{
    _mm256_mask_storeu_epi16(p, avx512_lanes_below(n), avx512_narrow_bf16(v));
}
static inline __attribute__((always_inline)) void vstore_bf16_stream(uint16_t *p, V v)
{
    _mm256_stream_si256((__m256i *)p, avx512_narrow_bf16(v));
}

static inline __attribute__((always_inline)) V vload_f16(const uint16_t *p)
{
    return avx512_widen_f16(_mm256_loadu_si256((const __m256i *)p));
}
static inline V vload_f16_part(const uint16_t *p, size_t n)
{
    return avx512_widen_f16(_mm256_maskz_loadu_epi16(avx512_lanes_below(n), p));
}
static inline __attribute__((always_inline)) void vstore_f16(uint16_t *p, V v)
{
    _mm256_storeu_si256((__m256i *)p, avx512_narrow_f16(v));
}
static inline void vstore_f16_part(uint16_t *p, V v, size_t n)
{
    _mm256_mask_storeu_epi16(p, avx512_lanes_below(n), avx512_narrow_f16(v));
}
static inline __attribute__((always_inline)) void vstore_f16_stream(uint16_t *p, V v)
{
    _mm256_stream_si256((__m256i *)p, avx512_narrow_f16(v));
}

#endif /* ACTFN_TYPE_F32 */

#endif /* ACTFN_VEC_AVX512_H */
