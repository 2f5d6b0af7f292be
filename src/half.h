/*
 * half.h — the 16-bit storage formats of SPEC §9 in portable C: bfloat16
 * (1-8-7, the top half of a float) and IEEE binary16 (1-5-10).
 *
 * These scalar conversions are the definition every vector conversion of
 * the vocabularies must match bit for bit (tests/vocab checks all 65536
 * patterns one way and every rounding case the other): widening is exact,
 * except that a binary16 signalling NaN comes out quiet (as vcvtph2ps and
 * AArch64's fcvtl do; every result is narrowed, which quiets NaNs anyway);
 * narrowing rounds to nearest even, overflows to ±inf, keeps subnormals
 * (never flushes), and turns a NaN into a quiet NaN of the same sign that
 * keeps the top bits of the payload — what F16C's vcvtps2ph, AVX512_BF16's
 * vcvtneps2bf16 and AArch64's fcvtn do.
 *
 * half_f64_to_* round a double once: first to float by round-to-odd (the
 * float nearest toward zero, its last bit set when inexact), then to the
 * 16-bit format to nearest even. Round-to-odd to p bits followed by
 * round-to-nearest to q <= p − 2 bits is the correctly rounded result
 * (Boldo & Melquiond); float has 24 bits, bfloat16 8 and binary16 11, and
 * the float grid stays 16 bits finer than bfloat16's in the subnormal range.
 * The reference path (reference.c) rounds its double results with them.
 *
 * No intrinsics: integer operations on the bit patterns; only
 * half_f64_to_f32_odd converts between floating types (in the default
 * rounding mode, which the library never changes).
 */
#ifndef ACTFN_HALF_H
#define ACTFN_HALF_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t half_f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float half_f32_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* ---- bfloat16 ------------------------------------------------------------ */

static inline float half_bf16_to_f32(uint16_t h)
{
    return half_f32_from_bits((uint32_t)h << 16);
}

static inline uint16_t half_f32_to_bf16(float f)
{
    const uint32_t u = half_f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) /* NaN: quiet, sign and top payload kept */
        return (uint16_t)(u >> 16 | 0x0040u);
    /* Round to nearest even at bit 16; a carry into the exponent is the
     * next binade (or inf), as it should be. */
    return (uint16_t)((u + 0x7fffu + (u >> 16 & 1u)) >> 16);
}

/* ---- IEEE binary16 ------------------------------------------------------- */

static inline float half_f16_to_f32(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exp = h >> 10 & 0x1fu, frac = h & 0x3ffu;
    if (exp == 0x1f) /* inf, or NaN: the payload moves up, made quiet */
        return half_f32_from_bits(sign | 0x7f800000u | frac << 13 | (frac ? 0x400000u : 0));
    if (exp == 0) { /* zero or subnormal: frac · 2^-24, exact in float */
        const float mag = (float)frac * 0x1p-24f;
        return sign ? -mag : mag;
    }
    return half_f32_from_bits(sign | (exp + 112u) << 23 | frac << 13);
}

static inline uint16_t half_f32_to_f16(float f)
{
    const uint32_t u = half_f32_bits(f);
    const uint16_t sign = (uint16_t)(u >> 16 & 0x8000u);
    const uint32_t a = u & 0x7fffffffu;
    if (a > 0x7f800000u) /* NaN */
        return (uint16_t)(sign | 0x7e00u | (a >> 13 & 0x3ffu));
    if (a >= 0x477ff000u) /* >= 65520 (the midpoint above 65504) rounds to inf */
        return (uint16_t)(sign | 0x7c00u);
    if (a < 0x38800000u) { /* below 2^-14: a subnormal (or zero) of binary16 */
        /* The result is |f|·2^24 rounded to an integer, to nearest even:
         * with |f| = m·2^(e−150), that is m shifted right by 126 − e. */
        const uint32_t e = a >> 23;
        if (e < 102) /* |f| < 2^-25: rounds to ±0 */
            return sign;
        const uint32_t m = (a & 0x7fffffu) | 0x800000u, shift = 126 - e;
        const uint32_t q = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        return (uint16_t)(sign | (q + (rem > half || (rem == half && (q & 1u)))));
    }
    /* Normal: rebias the exponent (127 → 15) and round the fraction at bit 13. */
    const uint32_t r = a - (112u << 23);
    return (uint16_t)(sign | (r + 0xfffu + (r >> 13 & 1u)) >> 13);
}

/* ---- From double, rounded once ------------------------------------------ */

/* d rounded to float by round-to-odd (see the top of this file). */
static inline float half_f64_to_f32_odd(double d)
{
    float f = (float)d;
    if (isnan(d) || isinf(d) || (double)f == d)
        return f;
    /* Inexact (f may be ±inf from a finite d beyond float's range): take the
     * float toward zero, then set its last bit. */
    uint32_t u = half_f32_bits(f);
    if (fabs((double)f) > fabs(d))
        u -= 1; /* one step toward zero (inf - 1 is the largest finite) */
    return half_f32_from_bits(u | 1u);
}

static inline uint16_t half_f64_to_bf16(double d)
{
    return half_f32_to_bf16(half_f64_to_f32_odd(d));
}

static inline uint16_t half_f64_to_f16(double d)
{
    return half_f32_to_f16(half_f64_to_f32_odd(d));
}

#endif /* ACTFN_HALF_H */
