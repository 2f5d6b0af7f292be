/*
 * storage.h — how kernels reach the caller's arrays: the storage type S and
 * its loads and stores. Included by kernels.h after the unit's vocabulary.
 *
 * A unit computes in T (its vocabulary's type) and stores in S:
 *   - f32 and f64 units: S is T, and sload/sstore are vload/vstore;
 *   - 16-bit units (SPEC §9, the unit defines ACTFN_STORAGE_BF16 or
 *     ACTFN_STORAGE_F16 with ACTFN_TYPE_F32): S is actfn_bf16 / actfn_f16,
 *     sload widens exactly to float, sstore rounds once, to nearest even
 *     with the vocabulary's vload_bf16 ... (src/half.h defines the bits
 *     they give; tests/vocab checks them).
 *
 * Kernels use sload/sstore/sload_part/sstore_part/sget/sput on every array
 * of the caller (and sstore_stream, a full vector to an address aligned to
 * VW elements of S, past the caches: loops.h), and vload/vstore only on buffers of T of their own. So an
 * op body never sees S, and a 16-bit kernel is its float kernel with
 * different loads and stores. Two places care about the rounding to S:
 *   - vstorage_round(v): v rounded to S and widened back (what sload would
 *     read after sstore); sums of outputs (bias dbias) add these values, so
 *     that dbias is the sum of the dx the caller gets, as in f32 and f64;
 *   - vmul_for_storage(a, b): a·b for the exact ops (leaky_relu), as a
 *     float whose rounding to S is a·b correctly rounded: in 16-bit units
 *     the float product, or (when it lands halfway between two values of
 *     S) the product rounded to odd (float's 24 bits >= S's 8 or 11 bits
 *     + 2; Boldo–Melquiond).
 */
#ifndef ACTFN_KERNELS_STORAGE_H
#define ACTFN_KERNELS_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "actfn.h"
#include "half.h"

#if defined(ACTFN_STORAGE_BF16) || defined(ACTFN_STORAGE_F16)

#ifndef ACTFN_TYPE_F32
#error "16-bit storage computes in float: define ACTFN_TYPE_F32"
#endif
#define STORAGE_HALF 1

#ifdef ACTFN_STORAGE_BF16
typedef actfn_bf16 S;
#define STORAGE_WIDEN half_bf16_to_f32
#define STORAGE_NARROW half_f32_to_bf16
#else
typedef actfn_f16 S;
#define STORAGE_WIDEN half_f16_to_f32
#define STORAGE_NARROW half_f32_to_f16
#endif

#ifndef VOCAB_HAS_HALF
#error "a 16-bit unit needs its vocabulary's conversions (VOCABULARY.md, 16-bit storage)"
#endif
#ifdef ACTFN_STORAGE_BF16
#define STORAGE_VLOAD(p) vload_bf16(p)
#define STORAGE_VLOAD_PART(p, n) vload_bf16_part(p, n)
#define STORAGE_VSTORE(p, v) vstore_bf16(p, v)
#define STORAGE_VSTORE_PART(p, v, n) vstore_bf16_part(p, v, n)
#define STORAGE_VSTORE_STREAM(p, v) vstore_bf16_stream(p, v)
#else
#define STORAGE_VLOAD(p) vload_f16(p)
#define STORAGE_VLOAD_PART(p, n) vload_f16_part(p, n)
#define STORAGE_VSTORE(p, v) vstore_f16(p, v)
#define STORAGE_VSTORE_PART(p, v, n) vstore_f16_part(p, v, n)
#define STORAGE_VSTORE_STREAM(p, v) vstore_f16_stream(p, v)
#endif

static inline V sload(const S *p) { return STORAGE_VLOAD(&p->bits); }
static inline V sload_part(const S *p, size_t n) { return STORAGE_VLOAD_PART(&p->bits, n); }
static inline void sstore(S *p, V v) { STORAGE_VSTORE(&p->bits, v); }
static inline void sstore_part(S *p, V v, size_t n) { STORAGE_VSTORE_PART(&p->bits, v, n); }
static inline void sstore_stream(S *p, V v) { STORAGE_VSTORE_STREAM(&p->bits, v); }
static inline T sget(S s) { return STORAGE_WIDEN(s.bits); }
static inline S sput(T v)
{
    const S s = {STORAGE_NARROW(v)};
    return s;
}

static inline V vstorage_round(V v)
{
    S lanes[VW];
    sstore(lanes, v);
    return sload(lanes);
}

/* a·b rounded to odd in float (see the top): p = a·b rounded to nearest,
 * e = a·b − p (FMA; exact unless |p| < 2^-101, see vmul_odd_for_storage);
 * where e != 0, the float toward zero of a·b
 * (p itself, or p·(1 − 2^-24), which is p's neighbour toward zero for every
 * normal p) with its last bit set. Where p is ±inf (overflow), NaN, zero
 * or exact: p. */
static inline V vmul_round_odd(V a, V b)
{
    const V p = vmul(a, b);
    const V e = vfms(a, b, p);
    /* inexact where e != 0 and p is finite (p = ±inf from overflow has an
     * infinite e, and stepping or or-ing its bits would make a NaN) */
    const M inexact = mand(vgt(vabs(e), vzero()), vlt(vabs(p), vset1((T)INFINITY)));
    if (!many(inexact))
        return p;
    /* p was rounded away from zero where e and p have opposite signs (the
     * signs compared, not e·p, which underflows for small p) */
    const M away = mand(inexact, mor(mand(vlt(e, vzero()), vgt(p, vzero())), mand(vgt(e, vzero()), vlt(p, vzero()))));
    const V toward = vsel(away, vmul(p, vset1(1.0f - 0x1p-24f)), p);
    return vsel(inexact, vor(toward, vset1(0x1p-149f)), p);
}

#ifdef ACTFN_STORAGE_BF16
/* Near float's underflow the FMA's remainder e loses bits, and may even be
 * 0 for an inexact product: it is exact only where the exponents of a and b
 * sum to at least −103 (Boldo–Muller), which |p| >= 2^-101 ensures. Below,
 * |a·b| is formed 2^48 larger (where its remainder is exact down to the
 * results that round to 0 in bf16 anyway), rounded to odd there, and
 * brought back: where it is a normal float (|a·b| >= 2^-126) by ·2^-48,
 * exactly; below, in bf16's subnormal range (the grid 2^-133), rounded to
 * the grid 2^(-133+48) first by adding and removing 1.5·2^-62 (to nearest
 * even). The result takes p's sign (a ±0 p is kept). */
static inline V vmul_odd_for_storage(V a, V b)
{
    const V p = vmul_round_odd(a, b);
    const M low = mand(vlt(vabs(p), vset1(0x1p-101f)), vgt(vabs(p), vzero()));
    if (!many(low))
        return p;
    const V q = vabs(vmul_round_odd(a, vmul(b, vset1(0x1p48f))));
    const V big = vset1(0x1.8p-62f);
    const V on_grid = vsel(vge(q, vset1(0x1p-78f)), q, vsub(vadd(q, big), big));
    const V back = vmul(on_grid, vset1(0x1p-48f)); /* >= +0 */
    return vsel(low, vsel(vlt(p, vzero()), vneg(back), back), p);
}

/* Where a float p is halfway between two neighbours in bfloat16: its low
 * 16 bits are 0x8000 (bf16 keeps a float's top half, in float's subnormal
 * range too). The low bits are compared inside the normal float 1.0 + them,
 * not as a subnormal. */
static inline M storage_halfway(V p)
{
    const V low = vand(p, vset1(half_f32_from_bits(0xffffu)));
    return veq(vor(low, vset1(1.0f)), vset1(half_f32_from_bits(0x3f808000u)));
}
#else
/* binary16's smallest subnormal is 2^-24: a product below 2^-26 rounds to
 * ±0 from any float near it, and above 2^-101 the remainder is exact, so
 * rounding to odd in float is enough. */
static inline V vmul_odd_for_storage(V a, V b)
{
    return vmul_round_odd(a, b);
}

/* Where a float p is halfway between two neighbours in binary16. Where
 * binary16 is normal (|p| >= 2^-14) it keeps 13 bits fewer than float: the
 * low 13 bits are 0x1000. Below, its grid is 2^-24, and |p| + 2^-14 (in
 * [2^-14, 2^-13), float's grid 2^-37) shows that grid at the same 13 bits:
 * a halfway p, a multiple of 2^-25, makes an exact sum; any other p may
 * round to a sum that looks halfway, which only costs the slow path. The
 * low bits are compared inside the normal float 1.0 + them. */
static inline M storage_halfway(V p)
{
    const V tiny = vset1(0x1p-14f);
    const V t = vsel(vlt(vabs(p), tiny), vadd(vabs(p), tiny), p);
    const V low = vand(t, vset1(half_f32_from_bits(0x1fffu)));
    return veq(vor(low, vset1(1.0f)), vset1(half_f32_from_bits(0x3f801000u)));
}
#endif

/* a·b as a float that rounds to S correctly. The float product p is one
 * unless it is exactly halfway between two values of S: those halfway
 * points are floats, and rounding is monotone, so a·b and p are on the same
 * side of each (or p on it); off them, both round to the same value of S.
 * On one, a tie to even may pick the wrong side of a·b != p: a vector with
 * such a lane (rare for data, and for most alpha) takes the product rounded
 * to odd. */
static inline V vmul_for_storage(V a, V b)
{
    const V p = vmul(a, b);
    if (!many(storage_halfway(p)))
        return p;
    return vmul_odd_for_storage(a, b);
}

#else /* f32 and f64 units: the arrays hold T */

#define STORAGE_HALF 0
typedef T S;

static inline V sload(const S *p) { return vload(p); }
static inline V sload_part(const S *p, size_t n) { return vload_part(p, n); }
static inline void sstore(S *p, V v) { vstore(p, v); }
static inline void sstore_part(S *p, V v, size_t n) { vstore_part(p, v, n); }
static inline void sstore_stream(S *p, V v) { vstore_stream(p, v); }
static inline T sget(S s) { return s; }
static inline S sput(T v) { return v; }
static inline V vstorage_round(V v) { return v; }
static inline V vmul_for_storage(V a, V b) { return vmul(a, b); }

#endif

#endif /* ACTFN_KERNELS_STORAGE_H */
