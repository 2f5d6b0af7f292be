/*
 * vocab_unit.c — one vocabulary (src/x86, src/arm, src/scalar) applied
 * operation by operation, for tests/vocab/test_vocabulary.c. Compiled once
 * per (ISA, type) with that ISA's flags (tests/meson.build), with
 * VOCAB_HEADER naming the vocabulary, VOCAB_ISA its name and one of
 * ACTFN_TYPE_F32 / ACTFN_TYPE_F64 defined.
 */
#include <stddef.h>

#include VOCAB_HEADER
#include "kernels/constants.h"
#include "kernels/derived.h"
#include "vocab_ops.h"

#define VOCAB_CAT3(a, b, c) a##_##b##_##c
#define VOCAB_NAME3(a, b, c) VOCAB_CAT3(a, b, c)
#ifdef ACTFN_TYPE_F32
#define VOCAB_T f32
#else
#define VOCAB_T f64
#endif

static inline V from_mask(M m) { return vsel(m, vset1((T)1), vzero()); }

static V apply(enum vocab_op op, V a, V b, V c)
{
    switch (op) {
    case VOP_ADD: return vadd(a, b);
    case VOP_SUB: return vsub(a, b);
    case VOP_MUL: return vmul(a, b);
    case VOP_DIV: return vdiv(a, b);
    case VOP_FMA: return vfma(a, b, c);
    case VOP_FMS: return vfms(a, b, c);
    case VOP_FNMA: return vfnma(a, b, c);
    case VOP_NEG: return vneg(a);
    case VOP_ABS: return vabs(a);
    case VOP_MAX: return vmax(a, b);
    case VOP_MIN: return vmin(a, b);
    case VOP_GT: return from_mask(vgt(a, b));
    case VOP_GE: return from_mask(vge(a, b));
    case VOP_LT: return from_mask(vlt(a, b));
    case VOP_LE: return from_mask(vle(a, b));
    case VOP_EQ: return from_mask(veq(a, b));
    case VOP_NE: return from_mask(vne(a, b));
    case VOP_ISNAN: return from_mask(visnan(a));
    case VOP_MAND: return from_mask(mand(vgt(a, b), vgt(c, vzero())));
    case VOP_MOR: return from_mask(mor(vgt(a, b), vgt(c, vzero())));
    case VOP_MANDNOT: return from_mask(mandnot(vgt(a, b), vgt(c, vzero())));
    case VOP_SEL: return vsel(vgt(c, vzero()), a, b);
    case VOP_AND: return vand(a, b);
    case VOP_OR: return vor(a, b);
    case VOP_XOR: return vxor(a, b);
    case VOP_ROUND: return vround(a);
    case VOP_POW2I: return vpow2i(a);
    case VOP_SCALE: return vscale(a, b);
#ifdef VOCAB_HAS_LUT16
    case VOP_LUT16: {
        static const T table[16] = VOCAB_LUT16_TABLE;
        return vlut16(a, table);
    }
    case VOP_SCALE_FLOOR: return vscale(a, b);
#else
    case VOP_LUT16:
    case VOP_SCALE_FLOOR:
#endif
    case VOP_COUNT: break;
    }
    return a;
}

/* out[i] = op(a[i], b[i], c[i]) for n a multiple of VW; also the lanes per
 * vector, so the caller can group many() and the reductions (0: the
 * vocabulary does not have op). */
size_t VOCAB_NAME3(vocab_apply, VOCAB_ISA, VOCAB_T)(int op, const T *a, const T *b, const T *c, T *out, size_t n)
{
#ifndef VOCAB_HAS_LUT16
    if (op == VOP_LUT16 || op == VOP_SCALE_FLOOR)
        return 0; /* not in this vocabulary */
#endif
    for (size_t i = 0; i + VW <= n; i += VW) {
        if (op == VOP_COUNT) {
            /* many(): 1 in every lane of a vector where some lane has a > b */
            vstore(out + i, vset1((T)many(vgt(vload(a + i), vload(b + i)))));
            continue;
        }
        vstore(out + i, apply((enum vocab_op)op, vload(a + i), vload(b + i), vload(c + i)));
    }
    return VW;
}
