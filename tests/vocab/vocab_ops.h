/*
 * vocab_ops.h — the operations of src/kernels/VOCABULARY.md that
 * tests/vocab/test_vocabulary.c checks lane by lane against the scalar
 * vocabulary (VOP_COUNT doubles as many(), which the test groups by the
 * vector width). The loads, stores, partial loads/stores and reductions are
 * checked through every kernel by the other tests (memory, guard, repro),
 * the stores past the caches by tests/reliability/test_stream.c.
 */
#ifndef ACTFN_VOCAB_OPS_H
#define ACTFN_VOCAB_OPS_H

/* X(enum suffix, the operation's name in VOCABULARY.md) */
#define VOCAB_OPS(X)                                                                                   \
    X(ADD, vadd) X(SUB, vsub) X(MUL, vmul) X(DIV, vdiv) X(FMA, vfma) X(FMS, vfms) X(FNMA, vfnma)       \
    X(NEG, vneg) X(ABS, vabs) X(MAX, vmax) X(MIN, vmin) X(GT, vgt) X(GE, vge) X(LT, vlt) X(LE, vle)    \
    X(EQ, veq) X(NE, vne) X(ISNAN, visnan) X(MAND, mand) X(MOR, mor) X(MANDNOT, mandnot) X(SEL, vsel)  \
    X(AND, vand) X(OR, vor) X(XOR, vxor) X(ROUND, vround) X(POW2I, vpow2i) X(SCALE, vscale)              \
    X(LUT16, vlut16) X(SCALE_FLOOR, vscale_non_integral_k)

/* vlut16 and vscale with a non-integral k exist only where the vocabulary
 * defines VOCAB_HAS_LUT16 (a unit without them reports 0 lanes); the test
 * computes their expected values itself. The table vlut16 reads: */
#define VOCAB_LUT16_TABLE                                                                              \
    {-7.5, -6.25, -5, -3.75, -2.5, -1.25, -0.0, 1.25, 2.5, 3.75, 5, 6.25, 7.5, 8.75, 10, 11.25}

#define VOCAB_OP_ENUM(NAME, name) VOP_##NAME,
enum vocab_op { VOCAB_OPS(VOCAB_OP_ENUM) VOP_COUNT };
#undef VOCAB_OP_ENUM

#endif
