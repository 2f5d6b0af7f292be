/*
 * oplist.h — the one list of libactfn's operations (SPEC §3). Everything
 * that enumerates ops is derived from it: the internal enum and the kernel
 * tables (internal.h), the public entry points and their parameter checks
 * (api.c, api_entry.h), both kernel sets (kernels/kernels.h,
 * kernels/repro.h), the reference table (reference.c), the tests' enum and
 * registry (tests/common), the sweep, the fuzzer and the benchmark. The
 * public header keeps its hand-written, documented declarations: a
 * declaration that disagrees with a definition generated here does not
 * compile, and the ABI test checks that every declared symbol is exported.
 *
 * Plain preprocessor lists, no dependencies: C and C++ both include it.
 *
 * ACTFN_UNARY_OPS(OP) — the elementwise ops, in SPEC §3 order:
 *   OP(name, NAME, from, cls, family)
 *     name    C name: actfn_<name>_<t>, actfn_<name>_backward_<t>
 *     NAME    enum suffix: ACTFN_OP_<NAME> (library), TC_<NAME> (tests)
 *     from    X or Y: the tensor the backward pass reads as `in`
 *     cls     accuracy class of SPEC §4: EXACT, HARD (2 ULP), SMOOTH
 *             (4 / 8 ULP), INNER (SMOOTH + the inner-argument allowance A;
 *             softplus is SMOOTH at beta = 1 and INNER otherwise)
 *     family  src/kernels/<family>.h holds its vector bodies, fast and
 *             reproducible (<name>_fwd_v, <name>_bwd_v); reference.c holds
 *             <name>_fwd / <name>_bwd
 *
 * ACTFN_PARAMS_<name>(P) — its scalar parameters, in C signature order:
 *   P(name, index, pname, default, domain)
 *     index   0, 1: the position after n in the C signature
 *     default the value users expect (SPEC §3; Python's keyword default)
 *     domain  what api.c accepts, else ACTFN_ERR_PARAM:
 *             ANY (not NaN; ±inf allowed), FINITE, FINITE_NONZERO,
 *             NOT_BELOW_MIN_VAL (not NaN and >= the op's min_val)
 *
 * ACTFN_PARAM_NAMES(X) — X(pname) for every parameter name above: the
 *   members of the named parameter structs (an op naming a parameter that
 *   is not listed here does not compile).
 *
 * ACTFN_SHAPED_OPS(OP) — the ops with a shape and their own signatures:
 *   OP(name, NAME, from, cls, family), as above.
 *
 * ACTFN_GLU_OPS(OP) — the gated ops of SPEC §11, y = act(g)·v over two
 *   arrays a and b of n elements:
 *   OP(name, NAME, act, ACT, gate)
 *     act     the elementwise op of the gate (its vector bodies are reused)
 *     ACT     its enum suffix (its class and `from` come from its line above)
 *     gate    A or B: the array the activation is applied to (glu: b, as
 *             torch.nn.functional.glu; the others: a)
 *
 * The fused bias ops of SPEC §11 are not listed: there is one,
 * bias_<name>, for every elementwise op above.
 */
#ifndef ACTFN_OPLIST_H
#define ACTFN_OPLIST_H

#define ACTFN_UNARY_OPS(OP)                                \
    OP(sigmoid, SIGMOID, Y, SMOOTH, sigmoid)               \
    OP(tanh, TANH, Y, SMOOTH, tanh)                        \
    OP(relu, RELU, X, EXACT, relu)                         \
    OP(relu6, RELU6, X, EXACT, relu)                       \
    OP(hardtanh, HARDTANH, X, EXACT, relu)                 \
    OP(leaky_relu, LEAKY_RELU, X, EXACT, relu)             \
    OP(elu, ELU, X, SMOOTH, elu)                           \
    OP(selu, SELU, X, SMOOTH, elu)                         \
    OP(silu, SILU, X, SMOOTH, sigmoid)                     \
    OP(swish, SWISH, X, INNER, sigmoid)                    \
    OP(hardsigmoid, HARDSIGMOID, X, HARD, hard)            \
    OP(hardswish, HARDSWISH, X, HARD, hard)                \
    OP(softplus, SOFTPLUS, X, SMOOTH, softplus)            \
    OP(logsigmoid, LOGSIGMOID, X, SMOOTH, softplus)        \
    OP(mish, MISH, X, SMOOTH, softplus)                    \
    OP(gelu, GELU, X, INNER, gelu)                         \
    OP(gelu_tanh, GELU_TANH, X, INNER, tanh)

#define ACTFN_PARAMS_sigmoid(P)
#define ACTFN_PARAMS_tanh(P)
#define ACTFN_PARAMS_relu(P)
#define ACTFN_PARAMS_relu6(P)
#define ACTFN_PARAMS_hardtanh(P) P(hardtanh, 0, min_val, -1.0, ANY) P(hardtanh, 1, max_val, 1.0, NOT_BELOW_MIN_VAL)
#define ACTFN_PARAMS_leaky_relu(P) P(leaky_relu, 0, alpha, 0.01, FINITE)
#define ACTFN_PARAMS_elu(P) P(elu, 0, alpha, 1.0, FINITE)
#define ACTFN_PARAMS_selu(P)
#define ACTFN_PARAMS_silu(P)
#define ACTFN_PARAMS_swish(P) P(swish, 0, beta, 1.0, FINITE)
#define ACTFN_PARAMS_hardsigmoid(P)
#define ACTFN_PARAMS_hardswish(P)
#define ACTFN_PARAMS_softplus(P) P(softplus, 0, beta, 1.0, FINITE_NONZERO) P(softplus, 1, threshold, 20.0, ANY)
#define ACTFN_PARAMS_logsigmoid(P)
#define ACTFN_PARAMS_mish(P)
#define ACTFN_PARAMS_gelu(P)
#define ACTFN_PARAMS_gelu_tanh(P)

#define ACTFN_PARAM_NAMES(X) X(alpha) X(beta) X(threshold) X(min_val) X(max_val)

#define ACTFN_SHAPED_OPS(OP)                               \
    OP(prelu, PRELU, X, EXACT, prelu)                      \
    OP(softmax, SOFTMAX, Y, SOFTMAX, softmax)              \
    OP(log_softmax, LOG_SOFTMAX, Y, LOG_SOFTMAX, softmax)  \
    OP(maxout, MAXOUT, X, EXACT, maxout)

#define ACTFN_GLU_OPS(OP)                                  \
    OP(glu, GLU, sigmoid, SIGMOID, B)                      \
    OP(swiglu, SWIGLU, silu, SILU, A)                      \
    OP(geglu, GEGLU, gelu, GELU, A)                        \
    OP(geglu_tanh, GEGLU_TANH, gelu_tanh, GELU_TANH, A)    \
    OP(reglu, REGLU, relu, RELU, A)

/* The most parameters an elementwise op has. */
#define ACTFN_MAX_PARAMS 2

#endif /* ACTFN_OPLIST_H */
