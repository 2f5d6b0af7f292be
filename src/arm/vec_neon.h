/*
 * vec_neon.h — the vector vocabulary of src/kernels/VOCABULARY.md for AArch64
 * Advanced SIMD: float32x4_t (ACTFN_TYPE_F32) or float64x2_t (ACTFN_TYPE_F64).
 *
 * Natively this is plain <arm_neon.h>. With ACTFN_NEON_SIMDE (the meson test
 * option neon_simde) the same code is compiled on x86 through SIMDe, and the
 * block below supplies, with the exact AArch64 semantics, the intrinsics
 * SIMDe 0.7.4 lacks or gets wrong without hardware FMA. Everything after
 * that block is written once, for both builds and both types: the
 * type-specific intrinsic names come from the NEON_F/NEON_U/NEON_S name macros.
 */
#ifndef ACTFN_VEC_NEON_H
#define ACTFN_VEC_NEON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#if defined(ACTFN_TYPE_F32) == defined(ACTFN_TYPE_F64)
#error "define exactly one of ACTFN_TYPE_F32 / ACTFN_TYPE_F64 before including vec_neon.h"
#endif

#ifdef ACTFN_NEON_SIMDE
/* ---- SIMDe on x86: the missing pieces ---------------------------------- */
/* The build defines SIMDE_ENABLE_NATIVE_ALIASES, so NEON names map to SIMDe. */
#include <simde/arm/neon.h>

/* Lane-wise stand-ins: unpack, apply a correctly rounded C operation to each
 * lane, repack (C arithmetic on x86-64 is SSE: one IEEE rounding per op).
 * Every stand-in takes three operands a, b, c; the one- and two-operand
 * intrinsics below pass a repeated operand that the expression ignores. */
#define ACTFN_SIMDE_LANEWISE(name, sfx, st, lanes, expr)                                            \
    static inline float##sfx##x##lanes##_t name(float##sfx##x##lanes##_t a, float##sfx##x##lanes##_t b, \
                                               float##sfx##x##lanes##_t c)                         \
    {                                                                                              \
        st la[lanes], lb[lanes], lc[lanes];                                                        \
        vst1q_f##sfx(la, a);                                                                       \
        vst1q_f##sfx(lb, b);                                                                       \
        vst1q_f##sfx(lc, c);                                                                       \
        for (int i = 0; i < (lanes); i++)                                                          \
            la[i] = (expr);                                                                        \
        (void)lb;                                                                                  \
        (void)lc;                                                                                  \
        return vld1q_f##sfx(la);                                                                   \
    }

/* FDIV: IEEE division. */
ACTFN_SIMDE_LANEWISE(actfn_simde_vdivq_f32, 32, float, 4, la[i] / lb[i])
ACTFN_SIMDE_LANEWISE(actfn_simde_vdivq_f64, 64, double, 2, la[i] / lb[i])
/* FMLA: a + b·c with one rounding. SIMDe 0.7.4 has vfmaq_*, but without an
 * FMA-capable x86 target it computes a separate multiply and add, so it is
 * replaced as well; C's fma()/fmaf() round once on every target. */
ACTFN_SIMDE_LANEWISE(actfn_simde_vfmaq_f32, 32, float, 4, fmaf(lb[i], lc[i], la[i]))
ACTFN_SIMDE_LANEWISE(actfn_simde_vfmaq_f64, 64, double, 2, fma(lb[i], lc[i], la[i]))
/* FMLS: a − b·c with one rounding, i.e. fma(−b, c, a). */
ACTFN_SIMDE_LANEWISE(actfn_simde_vfmsq_f32, 32, float, 4, fmaf(-lb[i], lc[i], la[i]))
ACTFN_SIMDE_LANEWISE(actfn_simde_vfmsq_f64, 64, double, 2, fma(-lb[i], lc[i], la[i]))

#undef vfmaq_f32
#undef vfmaq_f64
#undef vfmsq_f32
#undef vfmsq_f64
#define vdivq_f32(a, b) actfn_simde_vdivq_f32((a), (b), (b))
#define vdivq_f64(a, b) actfn_simde_vdivq_f64((a), (b), (b))
#define vfmaq_f32(a, b, c) actfn_simde_vfmaq_f32((a), (b), (c))
#define vfmaq_f64(a, b, c) actfn_simde_vfmaq_f64((a), (b), (c))
#define vfmsq_f32(a, b, c) actfn_simde_vfmsq_f32((a), (b), (c))
#define vfmsq_f64(a, b, c) actfn_simde_vfmsq_f64((a), (b), (c))
/* FCVTNS: round to nearest, ties to even, then convert (saturating, as
 * SIMDe's vcvtq does and as the hardware does). */
#define vcvtnq_s32_f32(a) vcvtq_s32_f32(vrndnq_f32(a))
#define vcvtnq_s64_f64(a) vcvtq_s64_f64(vrndnq_f64(a))

/* FCVTL / FCVTN between binary16 and float. SIMDe 0.7.4 converts through
 * its own portable code, which turns every NaN into 0x7e00 / 0x7fc00000
 * (sign and payload lost). The stand-ins do what the instructions do with
 * FPCR at its default (RN, DN = 0): widening is exact except that a
 * signalling NaN comes out quiet (FPConvertNaN sets the quiet bit); narrowing
 * rounds to nearest even, overflows to inf, keeps subnormals and turns a NaN
 * into a quiet NaN keeping the sign and top payload bits — half_f32_to_f16. */
#include "half.h"
static inline float32x4_t actfn_simde_fcvtl(uint16x4_t h)
{
    uint16_t in[4];
    uint32_t out[4];
    vst1_u16(in, h);
    for (int i = 0; i < 4; i++) {
        out[i] = half_f32_bits(half_f16_to_f32(in[i]));
        if ((out[i] & 0x7fffffffu) > 0x7f800000u)
            out[i] |= 0x00400000u;
    }
    return vreinterpretq_f32_u32(vld1q_u32(out));
}

static inline uint16x4_t actfn_simde_fcvtn(float32x4_t v)
{
    float in[4];
    uint16_t out[4];
    vst1q_f32(in, v);
    for (int i = 0; i < 4; i++)
        out[i] = half_f32_to_f16(in[i]);
    return vld1_u16(out);
}
#define NEON_FCVTL_U16(h) actfn_simde_fcvtl(h)
#define NEON_FCVTN_U16(v) actfn_simde_fcvtn(v)
/* SHLL: SIMDe 0.7.4 declares vshll_n_u16's shift range 1..15; the
 * instruction (and this vocabulary) also shifts by 16. */
#undef vshll_n_u16
#define vshll_n_u16(a, n) vshlq_n_u32(vmovl_u16(a), (n))

#else
#include <arm_neon.h>
#define NEON_FCVTL_U16(h) vcvt_f32_f16(vreinterpret_f16_u16(h))
#define NEON_FCVTN_U16(v) vreinterpret_u16_f16(vcvt_f16_f32(v))
#endif

/* ---- Per-type names ------------------------------------------------------ */

#ifdef ACTFN_TYPE_F32
typedef float T;
typedef float32x4_t V;
typedef uint32x4_t M;  /* all-ones / all-zeros lanes */
typedef int32x4_t neon_vi;  /* same-width signed integer lanes (internal) */
#define VW 4
#define NEON_F(op) op##_f32                /* NEON_F(vaddq) is vaddq_f32 */
#define NEON_U(op) op##_u32
#define NEON_S(op) op##_s32
#define NEON_F_AS_U(v) vreinterpretq_u32_f32(v)
#define NEON_U_AS_F(u) vreinterpretq_f32_u32(u)
#define NEON_F_AS_S(v) vreinterpretq_s32_f32(v)
#define NEON_S_AS_F(s) vreinterpretq_f32_s32(s)
#define NEON_F_TO_S_NEAREST(v) vcvtnq_s32_f32(v)
#define NEON_S_TO_F(s) vcvtq_f32_s32(s)
#define NEON_M_AS_U32(m) (m)
#define NEON_U32_AS_M(u) (u)
#define NEON_MANT_BITS 23
#define NEON_EXP_BIAS 127
#else
typedef double T;
typedef float64x2_t V;
typedef uint64x2_t M;
typedef int64x2_t neon_vi;
#define VW 2
#define NEON_F(op) op##_f64
#define NEON_U(op) op##_u64
#define NEON_S(op) op##_s64
#define NEON_F_AS_U(v) vreinterpretq_u64_f64(v)
#define NEON_U_AS_F(u) vreinterpretq_f64_u64(u)
#define NEON_F_AS_S(v) vreinterpretq_s64_f64(v)
#define NEON_S_AS_F(s) vreinterpretq_f64_s64(s)
#define NEON_F_TO_S_NEAREST(v) vcvtnq_s64_f64(v)
#define NEON_S_TO_F(s) vcvtq_f64_s64(s)
#define NEON_M_AS_U32(m) vreinterpretq_u32_u64(m)
#define NEON_U32_AS_M(u) vreinterpretq_u64_u32(u)
#define NEON_MANT_BITS 52
#define NEON_EXP_BIAS 1023
#endif

/* ---- Memory ---------------------------------------------------------------- */

static inline V vload(const T *p) { return NEON_F(vld1q)(p); }
static inline void vstore(T *p, V v) { NEON_F(vst1q)(p, v); }

/* Tails go through a stack buffer, so no lane past n is ever read or written. */
static inline V vload_part(const T *p, size_t n)
{
    T buf[VW] = {0};
    memcpy(buf, p, n * sizeof(T));
    return NEON_F(vld1q)(buf);
}

static inline void vstore_part(T *p, V v, size_t n)
{
    T buf[VW];
    NEON_F(vst1q)(buf, v);
    memcpy(p, buf, n * sizeof(T));
}

static inline V vset1(T c) { return NEON_F(vdupq_n)(c); }
static inline V vzero(void) { return NEON_F(vdupq_n)((T)0); }

/* ---- Arithmetic (IEEE, one rounding each) ------------------------------- */

static inline V vadd(V a, V b) { return NEON_F(vaddq)(a, b); }
static inline V vsub(V a, V b) { return NEON_F(vsubq)(a, b); }
static inline V vmul(V a, V b) { return NEON_F(vmulq)(a, b); }
static inline V vdiv(V a, V b) { return NEON_F(vdivq)(a, b); }
static inline V vneg(V a) { return NEON_F(vnegq)(a); }
static inline V vabs(V a) { return NEON_F(vabsq)(a); }
/* a·b + c (FMLA computes acc + b·c). */
static inline V vfma(V a, V b, V c) { return NEON_F(vfmaq)(c, a, b); }
/* c − a·b (FMLS computes acc − b·c). */
static inline V vfnma(V a, V b, V c) { return NEON_F(vfmsq)(c, a, b); }
/* a·b − c as a·b + (−c): exact negation, then one fused rounding; an exact
 * zero comes out +0 like x86 vfmsub (−(c − a·b) would give −0). */
static inline V vfms(V a, V b, V c) { return NEON_F(vfmaq)(NEON_F(vnegq)(c), a, b); }

/* ---- Comparisons and masks ---------------------------------------------- */

static inline M vgt(V a, V b) { return NEON_F(vcgtq)(a, b); }
static inline M vge(V a, V b) { return NEON_F(vcgeq)(a, b); }
static inline M vlt(V a, V b) { return NEON_F(vcltq)(a, b); }
static inline M vle(V a, V b) { return NEON_F(vcleq)(a, b); }
static inline M veq(V a, V b) { return NEON_F(vceqq)(a, b); }
/* not(a == b): true where either is NaN */
static inline M neon_not(M m) { return NEON_U32_AS_M(vmvnq_u32(NEON_M_AS_U32(m))); }
static inline M vne(V a, V b) { return neon_not(NEON_F(vceqq)(a, b)); }
static inline M visnan(V a) { return neon_not(NEON_F(vceqq)(a, a)); }
static inline M mand(M a, M b) { return NEON_U(vandq)(a, b); }
static inline M mor(M a, M b) { return NEON_U(vorrq)(a, b); }
static inline M mandnot(M a, M b) { return NEON_U(vbicq)(a, b); }
static inline int many(M m) { return vmaxvq_u32(NEON_M_AS_U32(m)) != 0; }
static inline V vsel(M m, V a, V b) { return NEON_F(vbslq)(m, a, b); }

/* x86 semantics, not FMAX: compare and select, so NaN or ±0 pairs give b. */
static inline V vmax(V a, V b) { return vsel(vgt(a, b), a, b); }
static inline V vmin(V a, V b) { return vsel(vlt(a, b), a, b); }

/* ---- Bits ------------------------------------------------------------------ */

static inline V vand(V a, V b) { return NEON_U_AS_F(NEON_U(vandq)(NEON_F_AS_U(a), NEON_F_AS_U(b))); }
static inline V vor(V a, V b) { return NEON_U_AS_F(NEON_U(vorrq)(NEON_F_AS_U(a), NEON_F_AS_U(b))); }
static inline V vxor(V a, V b) { return NEON_U_AS_F(NEON_U(veorq)(NEON_F_AS_U(a), NEON_F_AS_U(b))); }

/* ---- Rounding and exponents --------------------------------------------- */

/* FRINTN: nearest, ties to even; keeps the sign of zero. */
static inline V vround(V a) { return NEON_F(vrndnq)(a); }

/* 2^k by building the exponent field: k integral in [EXP_MIN, EXP_MAX]. */
static inline V vpow2i(V k)
{
    const neon_vi biased = NEON_S(vaddq)(NEON_F_TO_S_NEAREST(k), NEON_S(vdupq_n)(NEON_EXP_BIAS));
    return NEON_S_AS_F(NEON_S(vshlq_n)(biased, NEON_MANT_BITS));
}

/* ---- Horizontal reductions ---------------------------------------------- */

#ifdef ACTFN_TYPE_F32
/* The same tree as the x86 vocabularies, halving the vector each step:
 * (l0 + l2) + (l1 + l3). */
static inline T vreduce_add(V v)
{
    const V halves = vaddq_f32(v, vextq_f32(v, v, 2));
    return vgetq_lane_f32(halves, 0) + vgetq_lane_f32(halves, 1);
}

/* vmax(vmax(l0, l2), vmax(l1, l3)). */
static inline T vreduce_max(V v)
{
    const V halves = vmax(v, vextq_f32(v, v, 2));
    return vgetq_lane_f32(vmax(halves, vrev64q_f32(halves)), 0);
}
#else
static inline T vreduce_add(V v) { return vgetq_lane_f64(v, 0) + vgetq_lane_f64(v, 1); }

static inline T vreduce_max(V v) { return vgetq_lane_f64(vmax(v, vextq_f64(v, v, 1)), 0); }
#endif

/* ---- 16-bit storage (SPEC §9), float only -------------------------------- */
/* Four bf16 / f16 values are one uint16x4_t. The conversions give the bits of
 * src/half.h on every input, NaNs included. bf16 widening is a shift; bf16
 * narrowing is integer work by default, and BFCVTN with ACTFN_BF16_NATIVE (a
 * unit compiled with +bf16, chosen where HWCAP2_BF16 says the CPU has
 * FEAT_BF16, optional from Armv8.2). f16 is FCVTL / FCVTN (AArch64
 * baseline). Of FPCR: FZ and FZ16 change nothing here (the
 * conversions unpack and round with FZ16 treated as 0, an f32 subnormal input
 * flushed by FZ would round to ±0 in binary16 anyway, and the widened values
 * are normal or zero); FCVTN rounds in FPCR.RMode, which the library never
 * changes (nearest even by default — a caller who sets another mode gets
 * that mode's f16 rounding); DN = 1 (default-NaN mode) makes FCVTL/FCVTN
 * return the default NaN (0x7fc00000 / 0x7e00: still a quiet NaN, but sign
 * and payload lost; BFCVTN too); AHP = 1 would switch to Arm's alternative half format
 * (no inf or NaN) — Linux starts every thread with it clear; AH = 1
 * (FEAT_AFP) changes neither conversion. BFCVTN reads FPCR as FCVTN does,
 * and more of it matters: with AH, RMode, FZ and DN all clear (Linux's
 * default) it rounds to nearest even and quiets NaNs keeping sign and top
 * payload — the integer path's bits exactly, f32 subnormals included (bf16
 * has f32's exponent range). FZ = 1 would flush those subnormals, another
 * RMode round otherwise, DN = 1 lose the payload; so the native store reads
 * FPCR (once per loop: the read is not volatile, and FPCR does not change
 * within a call) and takes the integer path unless those fields are clear,
 * as AVX-512's native path repairs what vcvtneps2bf16 flushes. Tails go
 * through a four-element stack buffer: only p[0..n-1] is read or written. */
#ifdef ACTFN_TYPE_F32
/* vload_bf16 ... of its own, for kernels/storage.h */
#define VOCAB_HAS_HALF 1

#if defined(ACTFN_BF16_NATIVE) && (defined(ACTFN_NEON_SIMDE) || !defined(__ARM_FEATURE_BF16_VECTOR_ARITHMETIC))
#error "ACTFN_BF16_NATIVE needs a native AArch64 build with +bf16"
#endif

/* bf16 → f32: SHLL #16, the 16 bits become the top half of the float. */
static inline V neon_widen_bf16(uint16x4_t h) { return vreinterpretq_f32_u32(vshll_n_u16(h, 16)); }

/* f32 → bf16 as half_f32_to_bf16: round to nearest even at bit 16 by
 * ADDHN of u and 0x7fff + bit 16 of u (USRA adds that bit; a carry into the
 * exponent is the next binade or inf); a NaN keeps its top 16 bits with the
 * quiet bit set. */
static inline uint16x4_t neon_narrow_bf16_int(V v)
{
    const uint32x4_t u = vreinterpretq_u32_f32(v);
    const uint32x4_t bias = vsraq_n_u32(vdupq_n_u32(0x7fff), vshlq_n_u32(u, 15), 31);
    const uint16x4_t r = vaddhn_u32(u, bias);
    const uint16x4_t q = vorr_u16(vshrn_n_u32(u, 16), vdup_n_u16(0x40));
    return vbsl_u16(vmovn_u32(vceqq_f32(v, v)), r, q);
}

#ifdef ACTFN_BF16_NATIVE
/* FPCR.AH (bit 1), RMode (22-23), FZ (24), DN (25) all clear: BFCVTN rounds
 * as half_f32_to_bf16. Not `volatile`, so the compiler may read it once
 * per loop. */
static inline int neon_bfcvtn_exact(void)
{
    uint64_t fpcr;
    __asm__("mrs %0, fpcr" : "=r"(fpcr));
    return (fpcr & 0x03c00002u) == 0;
}

/* BFCVTN: one instruction for the nine above, in the default FPCR. */
static inline uint16x4_t neon_narrow_bf16(V v)
{
    return neon_bfcvtn_exact() ? vreinterpret_u16_bf16(vcvt_bf16_f32(v)) : neon_narrow_bf16_int(v);
}
#else
static inline uint16x4_t neon_narrow_bf16(V v) { return neon_narrow_bf16_int(v); }
#endif

/* f16 → f32: FCVTL (exact; a signalling NaN comes out quiet, as
 * half_f16_to_f32 defines). */
static inline V neon_widen_f16(uint16x4_t h)
{
    return NEON_FCVTL_U16(h);
}

static inline uint16x4_t neon_load_u16_part(const uint16_t *p, size_t n)
{
    uint16_t buf[4] = {0};
    memcpy(buf, p, n * sizeof *p);
    return vld1_u16(buf);
}

static inline void neon_store_u16_part(uint16_t *p, uint16x4_t h, size_t n)
{
    uint16_t buf[4];
    vst1_u16(buf, h);
    memcpy(p, buf, n * sizeof *p);
}

/* The full-vector conversions are forced inline: GCC's size heuristics left
 * vstore_bf16 out of line in big loops (prelu backward spent 38% of its time
 * in the call, measured with perf). */
static inline __attribute__((always_inline)) V vload_bf16(const uint16_t *p)
{
    return neon_widen_bf16(vld1_u16(p));
}
static inline V vload_bf16_part(const uint16_t *p, size_t n) { return neon_widen_bf16(neon_load_u16_part(p, n)); }
static inline __attribute__((always_inline)) void vstore_bf16(uint16_t *p, V v)
{
    vst1_u16(p, neon_narrow_bf16(v));
}
static inline void vstore_bf16_part(uint16_t *p, V v, size_t n) { neon_store_u16_part(p, neon_narrow_bf16(v), n); }

static inline __attribute__((always_inline)) V vload_f16(const uint16_t *p)
{
    return neon_widen_f16(vld1_u16(p));
}
static inline V vload_f16_part(const uint16_t *p, size_t n) { return neon_widen_f16(neon_load_u16_part(p, n)); }
static inline __attribute__((always_inline)) void vstore_f16(uint16_t *p, V v)
{
    vst1_u16(p, NEON_FCVTN_U16(v));
}
static inline void vstore_f16_part(uint16_t *p, V v, size_t n) { neon_store_u16_part(p, NEON_FCVTN_U16(v), n); }

#endif /* ACTFN_TYPE_F32 */

#endif /* ACTFN_VEC_NEON_H */
