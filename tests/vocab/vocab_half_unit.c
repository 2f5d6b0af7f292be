/*
 * vocab_half_unit.c — one vocabulary's 16-bit storage operations (SPEC §9,
 * src/kernels/VOCABULARY.md "16-bit storage") for
 * tests/vocab/test_vocab_half.c. Compiled once per ISA, float only, with
 * that ISA's flags (tests/meson.build): VOCAB_HEADER names the vocabulary,
 * VOCAB_ISA the unit (avx512bf16 is vec_avx512.h with ACTFN_BF16_NATIVE).
 */
#include <stddef.h>
#include <stdint.h>

#include VOCAB_HEADER
#include "vocab_half.h"

#define VOCAB_HALF_CAT(a, b) a##_##b
#define VOCAB_HALF_NAME(a, b) VOCAB_HALF_CAT(a, b)

/* Whole vectors: n a multiple of VW. Returns VW. */
size_t VOCAB_HALF_NAME(vocab_half, VOCAB_ISA)(int op, const void *in, void *out, size_t n)
{
    const uint16_t *h = in;
    const float *f = in;
    uint16_t *ho = out;
    float *fo = out;
    for (size_t i = 0; i + VW <= n; i += VW) {
        switch (op) {
        case VH_WIDEN_BF16: vstore(fo + i, vload_bf16(h + i)); break;
        case VH_WIDEN_F16: vstore(fo + i, vload_f16(h + i)); break;
        case VH_NARROW_BF16: vstore_bf16(ho + i, vload(f + i)); break;
        case VH_NARROW_F16: vstore_f16(ho + i, vload(f + i)); break;
        default: break;
        }
    }
    return VW;
}

/* One partial operation of n lanes (0 <= n <= VW). Widening: reads the n
 * halves at in, stores the whole vector (VW floats) at out. Narrowing: loads
 * the whole vector (VW floats) at in, stores n halves at out. */
void VOCAB_HALF_NAME(vocab_half_part, VOCAB_ISA)(int op, const void *in, void *out, size_t n)
{
    switch (op) {
    case VH_WIDEN_BF16: vstore(out, vload_bf16_part(in, n)); break;
    case VH_WIDEN_F16: vstore(out, vload_f16_part(in, n)); break;
    case VH_NARROW_BF16: vstore_bf16_part(out, vload(in), n); break;
    case VH_NARROW_F16: vstore_f16_part(out, vload(in), n); break;
    default: break;
    }
}
