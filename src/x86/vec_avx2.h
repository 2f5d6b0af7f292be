/*
 * vec_avx2.h — the vector vocabulary of src/kernels/VOCABULARY.md for AVX2
 * + FMA, for float (ACTFN_TYPE_F32: 8 lanes of __m256) or double
 * (ACTFN_TYPE_F64: 4 lanes of __m256d). Masks are full-width vectors whose
 * lanes are all ones or all zeros. Registers live here; activations do not.
 *
 * Each operation is written once: AVX2_F(op) names the _ps or _pd form of
 * an intrinsic, and the few constants and integer operations that differ
 * between the types are defined first.
 */
#ifndef ACTFN_VEC_AVX2_H
#define ACTFN_VEC_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(ACTFN_TYPE_F32) == defined(ACTFN_TYPE_F64)
#error "define exactly one of ACTFN_TYPE_F32 / ACTFN_TYPE_F64 before including vec_avx2.h"
#endif

#ifdef ACTFN_TYPE_F32
typedef float T;
typedef __m256 V;
typedef __m256 M;
#define VW 8

#define AVX2_F(op) _mm256_##op##_ps
#define AVX2_AS_I(v) _mm256_castps_si256(v)
#define AVX2_AS_V(i) _mm256_castsi256_ps(i)
#define AVX2_SET1_I(c) _mm256_set1_epi32(c)
#define AVX2_SLLI_MANT(i) _mm256_slli_epi32(i, 23)
#define AVX2_POW2_MAGIC (12582912.0f + 127.0f) /* 1.5·2^23 + bias */

/* Integer lane mask with lanes 0..n-1 set: maskload/maskstore never touch
 * the memory of a clear lane (no fault, no write). */
static inline __m256i lanes_below(size_t n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
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

/* Lane l = p[l·stride] (vgatherdps); VOCAB_GATHER_MAX_STRIDE bounds stride. */
static inline V vgather(const T *p, size_t stride)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_i32gather_ps(p, _mm256_mullo_epi32(lane, _mm256_set1_epi32((int)stride)), 4);
}

#else
typedef double T;
typedef __m256d V;
typedef __m256d M;
#define VW 4

#define AVX2_F(op) _mm256_##op##_pd
#define AVX2_AS_I(v) _mm256_castpd_si256(v)
#define AVX2_AS_V(i) _mm256_castsi256_pd(i)
#define AVX2_SET1_I(c) _mm256_set1_epi64x(c)
#define AVX2_SLLI_MANT(i) _mm256_slli_epi64(i, 52)
#define AVX2_POW2_MAGIC (6755399441055744.0 + 1023.0) /* 1.5·2^52 + bias */

static inline __m256i lanes_below(size_t n)
{
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n), _mm256_setr_epi64x(0, 1, 2, 3));
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

/* Lane l = p[l·stride] (vgatherdpd); VOCAB_GATHER_MAX_STRIDE bounds stride. */
static inline V vgather(const T *p, size_t stride)
{
    const __m128i lane = _mm_setr_epi32(0, 1, 2, 3);
    return _mm256_i32gather_pd(p, _mm_mullo_epi32(lane, _mm_set1_epi32((int)stride)), 8);
}

#endif /* ACTFN_TYPE_F32 / ACTFN_TYPE_F64 */

/* vgather's lane indices are 32-bit: (VW - 1)·stride must fit. */
#define VOCAB_HAS_GATHER 1
#define VOCAB_GATHER_MAX_STRIDE ((size_t)INT32_MAX / VW)

/* ---- Both types ---------------------------------------------------------- */

static inline V vload(const T *p) { return AVX2_F(loadu)(p); }
static inline void vstore(T *p, V v) { AVX2_F(storeu)(p, v); }
static inline V vload_part(const T *p, size_t n) { return AVX2_F(maskload)(p, lanes_below(n)); }
static inline void vstore_part(T *p, V v, size_t n) { AVX2_F(maskstore)(p, lanes_below(n), v); }
/* A full vector to a 32-byte aligned p, bypassing the caches (vmovntps/pd);
 * vstream_fence orders these stores before any later store. */
#define VOCAB_HAS_STREAM 1
static inline void vstore_stream(T *p, V v) { AVX2_F(stream)(p, v); }
static inline void vstream_fence(void) { _mm_sfence(); }

static inline V vset1(T c) { return AVX2_F(set1)(c); }
static inline V vzero(void) { return AVX2_F(setzero)(); }

static inline V vadd(V a, V b) { return AVX2_F(add)(a, b); }
static inline V vsub(V a, V b) { return AVX2_F(sub)(a, b); }
static inline V vmul(V a, V b) { return AVX2_F(mul)(a, b); }
static inline V vdiv(V a, V b) { return AVX2_F(div)(a, b); }
static inline V vfma(V a, V b, V c) { return AVX2_F(fmadd)(a, b, c); }
static inline V vfms(V a, V b, V c) { return AVX2_F(fmsub)(a, b, c); }
static inline V vfnma(V a, V b, V c) { return AVX2_F(fnmadd)(a, b, c); }
static inline V vneg(V a) { return AVX2_F(xor)(a, vset1((T)-0.0)); }
static inline V vabs(V a) { return AVX2_F(andnot)(vset1((T)-0.0), a); }
/* maxps/minps return their second operand when either is NaN (and for
 * ±0 ties): exactly the contract's a > b ? a : b / a < b ? a : b. */
static inline V vmax(V a, V b) { return AVX2_F(max)(a, b); }
static inline V vmin(V a, V b) { return AVX2_F(min)(a, b); }

static inline M vgt(V a, V b) { return AVX2_F(cmp)(a, b, _CMP_GT_OQ); }
static inline M vge(V a, V b) { return AVX2_F(cmp)(a, b, _CMP_GE_OQ); }
static inline M vlt(V a, V b) { return AVX2_F(cmp)(a, b, _CMP_LT_OQ); }
static inline M vle(V a, V b) { return AVX2_F(cmp)(a, b, _CMP_LE_OQ); }
static inline M veq(V a, V b) { return AVX2_F(cmp)(a, b, _CMP_EQ_OQ); }
static inline M vne(V a, V b) { return AVX2_F(cmp)(a, b, _CMP_NEQ_UQ); }
static inline M visnan(V a) { return AVX2_F(cmp)(a, a, _CMP_UNORD_Q); }

static inline M mand(M a, M b) { return AVX2_F(and)(a, b); }
static inline M mor(M a, M b) { return AVX2_F(or)(a, b); }
static inline M mandnot(M a, M b) { return AVX2_F(andnot)(b, a); }
static inline int many(M m) { return AVX2_F(movemask)(m) != 0; }
static inline V vsel(M m, V a, V b) { return AVX2_F(blendv)(b, a, m); }

static inline V vand(V a, V b) { return AVX2_F(and)(a, b); }
static inline V vor(V a, V b) { return AVX2_F(or)(a, b); }
static inline V vxor(V a, V b) { return AVX2_F(xor)(a, b); }

static inline V vround(V a) { return AVX2_F(round)(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

/* 2^k for integral k in the normal exponent range: adding 1.5·2^p + bias
 * (p = mantissa bits) leaves k + bias in the low mantissa bits; shifting
 * them into the exponent field gives 2^k. */
static inline V vpow2i(V k)
{
    return AVX2_AS_V(AVX2_SLLI_MANT(AVX2_AS_I(vadd(k, vset1(AVX2_POW2_MAGIC)))));
}

/* ---- 16-bit storage (SPEC §9), float only -------------------------------- */
/* Eight bf16 / f16 values are one __m128i. Every conversion gives the bits of
 * src/half.h on every input, NaNs included, whatever MXCSR holds: bf16 is
 * integer work only; F16C's vcvtps2ph takes its rounding from the immediate
 * (never MXCSR.RC), and neither F16C instruction flushes subnormals under
 * FTZ/DAZ (tests/vocab/test_vocab_half.c checks under FTZ|DAZ|RZ too).
 * The f16 operations need F16C (-mf16c), present on every AVX2 CPU. */
#ifdef ACTFN_TYPE_F32
/* vload_bf16 ... of its own, for kernels/storage.h */
#define VOCAB_HAS_HALF 1

/* bf16 → f32: the 16 bits become the top half of the float (exact). */
static inline V avx2_widen_bf16(__m128i h)
{
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

/* f32 → bf16 as half_f32_to_bf16, one result in the low half of each 32-bit
 * lane, packed into eight u16: round to nearest even at bit 16 by adding
 * 0x7fff + bit 16 (a carry into the exponent is the next binade or inf);
 * a NaN keeps its top 16 bits with the quiet bit set. */
static inline __m128i avx2_narrow_bf16(V v)
{
    const __m256i u = _mm256_castps_si256(v);
    const __m256i hi = _mm256_srli_epi32(u, 16);
    const __m256i odd = _mm256_and_si256(hi, _mm256_set1_epi32(1));
    const __m256i r = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7fff)), odd), 16);
    const __m256i q = _mm256_or_si256(hi, _mm256_set1_epi32(0x40));
    const __m256i b = _mm256_blendv_epi8(r, q, _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q)));
    return _mm_packus_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
}

static inline V avx2_widen_f16(__m128i h)
{
    return _mm256_cvtph_ps(h);
}

/* f32 → f16: vcvtps2ph, nearest even from the immediate. */
static inline __m128i avx2_narrow_f16(V v) { return _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

/* Tails: AVX2 has no 16-bit masked load/store, so a part goes through an
 * eight-element stack buffer; only p[0..n-1] is read or written (n <= 8). */
static inline __m128i avx2_load_u16_part(const uint16_t *p, size_t n)
{
    uint16_t buf[8] = {0};
    memcpy(buf, p, n * sizeof *p);
    return _mm_loadu_si128((const __m128i *)buf);
}

static inline void avx2_store_u16_part(uint16_t *p, __m128i h, size_t n)
{
    uint16_t buf[8];
    _mm_storeu_si128((__m128i *)buf, h);
    memcpy(p, buf, n * sizeof *p);
}

/* The full-vector conversions are forced inline: GCC's size heuristics left
 * vstore_bf16 out of line in big loops (prelu backward spent 38% of its time
 * in the call, measured with perf). */
static inline __attribute__((always_inline)) V vload_bf16(const uint16_t *p)
{
    return avx2_widen_bf16(_mm_loadu_si128((const __m128i *)p));
}
static inline V vload_bf16_part(const uint16_t *p, size_t n) { return avx2_widen_bf16(avx2_load_u16_part(p, n)); }
static inline __attribute__((always_inline)) void vstore_bf16(uint16_t *p, V v)
{
    _mm_storeu_si128((__m128i *)p, avx2_narrow_bf16(v));
}
static inline void vstore_bf16_part(uint16_t *p, V v, size_t n) { avx2_store_u16_part(p, avx2_narrow_bf16(v), n); }
static inline __attribute__((always_inline)) void vstore_bf16_stream(uint16_t *p, V v)
{
    _mm_stream_si128((__m128i *)p, avx2_narrow_bf16(v));
}

static inline __attribute__((always_inline)) V vload_f16(const uint16_t *p)
{
    return avx2_widen_f16(_mm_loadu_si128((const __m128i *)p));
}
static inline V vload_f16_part(const uint16_t *p, size_t n) { return avx2_widen_f16(avx2_load_u16_part(p, n)); }
static inline __attribute__((always_inline)) void vstore_f16(uint16_t *p, V v)
{
    _mm_storeu_si128((__m128i *)p, avx2_narrow_f16(v));
}
static inline void vstore_f16_part(uint16_t *p, V v, size_t n) { avx2_store_u16_part(p, avx2_narrow_f16(v), n); }
static inline __attribute__((always_inline)) void vstore_f16_stream(uint16_t *p, V v)
{
    _mm_stream_si128((__m128i *)p, avx2_narrow_f16(v));
}

#endif /* ACTFN_TYPE_F32 */

#endif /* ACTFN_VEC_AVX2_H */
