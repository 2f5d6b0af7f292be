/*
 * vocab_half.h — the interface between tests/vocab/test_vocab_half.c and the
 * per-ISA units compiled from tests/vocab/vocab_half_unit.c.
 */
#ifndef ACTFN_VOCAB_HALF_H
#define ACTFN_VOCAB_HALF_H

#include <stddef.h>

/* The four conversions: vload_bf16 / vload_f16 (u16 → float) and
 * vstore_bf16 / vstore_f16 (float → u16), with their _part forms. */
enum vocab_half_op { VH_WIDEN_BF16, VH_WIDEN_F16, VH_NARROW_BF16, VH_NARROW_F16, VH_OP_COUNT };

#define VOCAB_HALF_DECLARE(isa)                                                   \
    size_t vocab_half_##isa(int op, const void *in, void *out, size_t n);         \
    void vocab_half_part_##isa(int op, const void *in, void *out, size_t n);

#endif
