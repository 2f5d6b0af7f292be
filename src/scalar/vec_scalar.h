/*
 * vec_scalar.h — the vocabulary of src/kernels/VOCABULARY.md with one lane:
 * V is T itself and every operation is the exact IEEE scalar operation
 * (fma() for vfma, sqrt() for vsqrt, ...). It lets the reproducible kernel
 * bodies (src/kernels/repro.h) compile for the scalar path, so that path
 * computes lane by lane exactly what the SIMD vocabularies compute.
 * Masks are ints (0 or 1).
 */
#ifndef ACTFN_VEC_SCALAR_H
#define ACTFN_VEC_SCALAR_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(ACTFN_TYPE_F32) == defined(ACTFN_TYPE_F64)
#error "define exactly one of ACTFN_TYPE_F32 / ACTFN_TYPE_F64 before including vec_scalar.h"
#endif

#ifdef ACTFN_TYPE_F32
typedef float T;
typedef uint32_t SCALAR_BITS;
#define SCALAR_F(fn) fn##f
#else
typedef double T;
typedef uint64_t SCALAR_BITS;
#define SCALAR_F(fn) fn
#endif

typedef T V;
typedef int M;
#define VW 1

static inline V vload(const T *p) { return *p; }
static inline void vstore(T *p, V v) { *p = v; }
/* With one lane, a part (0 < n < VW) never exists; defined for completeness. */
static inline V vload_part(const T *p, size_t n) { return n ? *p : (T)0; }
static inline void vstore_part(T *p, V v, size_t n)
{
    if (n)
        *p = v;
}

static inline V vset1(T c) { return c; }
static inline V vzero(void) { return (T)0; }

static inline V vadd(V a, V b) { return a + b; }
static inline V vsub(V a, V b) { return a - b; }
static inline V vmul(V a, V b) { return a * b; }
static inline V vdiv(V a, V b) { return a / b; }
static inline V vfma(V a, V b, V c) { return SCALAR_F(fma)(a, b, c); }
static inline V vfms(V a, V b, V c) { return SCALAR_F(fma)(a, b, -c); }
static inline V vfnma(V a, V b, V c) { return SCALAR_F(fma)(-a, b, c); }
static inline SCALAR_BITS scalar_bits(V a)
{
    SCALAR_BITS u;
    memcpy(&u, &a, sizeof u);
    return u;
}

static inline V scalar_from_bits(SCALAR_BITS u)
{
    V a;
    memcpy(&a, &u, sizeof a);
    return a;
}

static inline V vand(V a, V b) { return scalar_from_bits(scalar_bits(a) & scalar_bits(b)); }
static inline V vor(V a, V b) { return scalar_from_bits(scalar_bits(a) | scalar_bits(b)); }
static inline V vxor(V a, V b) { return scalar_from_bits(scalar_bits(a) ^ scalar_bits(b)); }
static inline V vneg(V a) { return vxor(a, (T)-0.0); }
static inline V vabs(V a) { return scalar_from_bits(scalar_bits(a) & ~scalar_bits((T)-0.0)); }

static inline V vmax(V a, V b) { return a > b ? a : b; }
static inline V vmin(V a, V b) { return a < b ? a : b; }

static inline M vgt(V a, V b) { return a > b; }
static inline M vge(V a, V b) { return a >= b; }
static inline M vlt(V a, V b) { return a < b; }
static inline M vle(V a, V b) { return a <= b; }
static inline M veq(V a, V b) { return a == b; }
static inline M vne(V a, V b) { return a != b; }
static inline M visnan(V a) { return a != a; }

static inline M mand(M a, M b) { return a && b; }
static inline M mor(M a, M b) { return a || b; }
static inline M mandnot(M a, M b) { return a && !b; }
static inline int many(M m) { return m != 0; }
static inline V vsel(M m, V a, V b) { return m ? a : b; }

/* Default rounding mode (never changed by the library): ties to even. */
static inline V vround(V a) { return SCALAR_F(nearbyint)(a); }
#define VOCAB_HAS_VSCALE 1
static inline V vscale(V a, V k) { return SCALAR_F(ldexp)(a, (int)k); }
static inline V vpow2i(V k) { return vscale((T)1, k); }
static inline T vreduce_add(V v) { return v; }
static inline T vreduce_max(V v) { return v; }

#ifdef ACTFN_TYPE_F32
/* ---- 16-bit storage (SPEC §9): one lane through half.h ------------------- */
#include "half.h"
/* vload_bf16 ... of its own, for kernels/storage.h */
#define VOCAB_HAS_HALF 1

static inline V vload_bf16(const uint16_t *p) { return half_bf16_to_f32(*p); }
static inline V vload_bf16_part(const uint16_t *p, size_t n) { return n ? half_bf16_to_f32(*p) : 0.0f; }
static inline void vstore_bf16(uint16_t *p, V v) { *p = half_f32_to_bf16(v); }
static inline void vstore_bf16_part(uint16_t *p, V v, size_t n)
{
    if (n)
        *p = half_f32_to_bf16(v);
}
static inline V vload_f16(const uint16_t *p) { return half_f16_to_f32(*p); }
static inline V vload_f16_part(const uint16_t *p, size_t n) { return n ? half_f16_to_f32(*p) : 0.0f; }
static inline void vstore_f16(uint16_t *p, V v) { *p = half_f32_to_f16(v); }
static inline void vstore_f16_part(uint16_t *p, V v, size_t n)
{
    if (n)
        *p = half_f32_to_f16(v);
}
#endif

#endif /* ACTFN_VEC_SCALAR_H */
