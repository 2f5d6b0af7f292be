/*
 * vocab_ops.h — the operations of src/kernels/VOCABULARY.md that
 * tests/vocab/test_vocabulary.c checks lane by lane against the scalar
 * vocabulary (VOP_COUNT doubles as many(), which the test groups by the
 * vector width). The loads, stores, partial loads/stores and reductions are
 * checked through every kernel by the other tests (memory, guard, repro).
 */
#ifndef ACTFN_VOCAB_OPS_H
#define ACTFN_VOCAB_OPS_H

enum vocab_op {
    VOP_ADD, VOP_SUB, VOP_MUL, VOP_DIV, VOP_FMA, VOP_FMS, VOP_FNMA, VOP_NEG, VOP_ABS, VOP_MAX, VOP_MIN,
    VOP_GT, VOP_GE, VOP_LT, VOP_LE, VOP_EQ, VOP_NE, VOP_ISNAN, VOP_MAND, VOP_MOR, VOP_MANDNOT, VOP_SEL,
    VOP_AND, VOP_OR, VOP_XOR, VOP_ROUND, VOP_POW2I, VOP_SCALE,
    VOP_COUNT
};

#endif
