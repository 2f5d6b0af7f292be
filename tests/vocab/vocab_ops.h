/*
 * vocab_ops.h — the operations of src/kernels/VOCABULARY.md that
 * tests/vocab/test_vocabulary.c checks lane by lane against the scalar
 * vocabulary (VOP_COUNT doubles as many(), which the test groups by the
 * vector width). The loads, stores, partial loads/stores and reductions are
 * checked through every kernel by the other tests (memory, guard, repro).
 */
#ifndef ACTFN_VOCAB_OPS_H
#define ACTFN_VOCAB_OPS_H

/* X(enum suffix, the operation's name in VOCABULARY.md) */
#define VOCAB_OPS(X)                                                                                   \
    X(ADD, vadd) X(SUB, vsub) X(MUL, vmul) X(DIV, vdiv) X(FMA, vfma) X(FMS, vfms) X(FNMA, vfnma)       \
    X(NEG, vneg) X(ABS, vabs) X(MAX, vmax) X(MIN, vmin) X(GT, vgt) X(GE, vge) X(LT, vlt) X(LE, vle)    \
    X(EQ, veq) X(NE, vne) X(ISNAN, visnan) X(MAND, mand) X(MOR, mor) X(MANDNOT, mandnot) X(SEL, vsel)  \
    X(AND, vand) X(OR, vor) X(XOR, vxor) X(ROUND, vround) X(POW2I, vpow2i) X(SCALE, vscale)

#define VOCAB_OP_ENUM(NAME, name) VOP_##NAME,
enum vocab_op { VOCAB_OPS(VOCAB_OP_ENUM) VOP_COUNT };
#undef VOCAB_OP_ENUM

#endif
