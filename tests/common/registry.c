/*
 * registry.c — the table of every public libactfn function (SPEC §3), with
 * one uniform wrapper per function so tests can loop over ops, passes and
 * types without naming each entry point.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_common.h"

/* ---- Wrappers: tc_args -> the public signature -------------------------- */

/* One wrapper per elementwise function of the op list; parameters are
 * passed in signature order from tc_params, converted to T. */
#define PASS_PARAM_f32(op, index, pname, def, domain) , (float)a->par.p[index]
#define PASS_PARAM_f64(op, index, pname, def, domain) , a->par.p[index]
#define PASS_PARAM_bf16 PASS_PARAM_f32 /* the 16-bit types' parameters are floats */
#define PASS_PARAM_f16 PASS_PARAM_f32
#define UNARY_WRAP(name, t, T)                                                                       \
    static int name##_fwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_##name##_##t((const T *)a->x, (T *)a->out, a->dim[0] ACTFN_PARAMS_##name(PASS_PARAM_##t)); \
    }                                                                                                \
    static int name##_bwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_##name##_backward_##t((const T *)a->x, (const T *)a->dy, (T *)a->out,           \
                                           a->dim[0] ACTFN_PARAMS_##name(PASS_PARAM_##t));           \
    }
#define UNARY_WRAP_BOTH(name, NAME, from, cls, family) \
    UNARY_WRAP(name, f32, float)                       \
    UNARY_WRAP(name, f64, double)                      \
    UNARY_WRAP(name, bf16, actfn_bf16)                 \
    UNARY_WRAP(name, f16, actfn_f16)
ACTFN_UNARY_OPS(UNARY_WRAP_BOTH)

#define SHAPED_WRAP(t, T)                                                                            \
    static int prelu_fwd_##t(const tc_args *a)                                                       \
    {                                                                                                \
        return actfn_prelu_##t((const T *)a->x, (const T *)a->alpha, (T *)a->out, a->dim[0], a->dim[1], \
                               a->dim[2]);                                                           \
    }                                                                                                \
    static int prelu_bwd_##t(const tc_args *a)                                                       \
    {                                                                                                \
        return actfn_prelu_backward_##t((const T *)a->x, (const T *)a->alpha, (const T *)a->dy,     \
                                        (T *)a->out, (T *)a->dalpha, a->dim[0], a->dim[1], a->dim[2]); \
    }                                                                                                \
    static int softmax_fwd_##t(const tc_args *a)                                                     \
    {                                                                                                \
        return actfn_softmax_##t((const T *)a->x, (T *)a->out, a->dim[0], a->dim[1]);                \
    }                                                                                                \
    static int softmax_bwd_##t(const tc_args *a)                                                     \
    {                                                                                                \
        return actfn_softmax_backward_##t((const T *)a->x, (const T *)a->dy, (T *)a->out, a->dim[0], \
                                          a->dim[1]);                                                \
    }                                                                                                \
    static int log_softmax_fwd_##t(const tc_args *a)                                                 \
    {                                                                                                \
        return actfn_log_softmax_##t((const T *)a->x, (T *)a->out, a->dim[0], a->dim[1]);            \
    }                                                                                                \
    static int log_softmax_bwd_##t(const tc_args *a)                                                 \
    {                                                                                                \
        return actfn_log_softmax_backward_##t((const T *)a->x, (const T *)a->dy, (T *)a->out,        \
                                              a->dim[0], a->dim[1]);                                 \
    }                                                                                                \
    static int maxout_fwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_maxout_##t((const T *)a->x, (T *)a->out, a->dim[0], a->dim[1], a->dim[2]);      \
    }                                                                                                \
    static int maxout_bwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_maxout_backward_##t((const T *)a->x, (const T *)a->dy, (T *)a->out, a->dim[0], \
                                         a->dim[1], a->dim[2]);                                      \
    }

SHAPED_WRAP(f32, float)
SHAPED_WRAP(f64, double)
SHAPED_WRAP(bf16, actfn_bf16)
SHAPED_WRAP(f16, actfn_f16)

#define GLU_WRAP(name, t, T)                                                                         \
    static int name##_fwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_##name##_##t((const T *)a->x, (const T *)a->alpha, (T *)a->out, a->dim[0]);     \
    }                                                                                                \
    static int name##_bwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_##name##_backward_##t((const T *)a->x, (const T *)a->alpha, (const T *)a->dy,   \
                                           (T *)a->out, (T *)a->dalpha, a->dim[0]);                  \
    }
#define GLU_WRAP_BOTH(name, NAME, act, ACT, gate) \
    GLU_WRAP(name, f32, float)                    \
    GLU_WRAP(name, f64, double)                   \
    GLU_WRAP(name, bf16, actfn_bf16)              \
    GLU_WRAP(name, f16, actfn_f16)
ACTFN_GLU_OPS(GLU_WRAP_BOTH)

#define BIAS_WRAP(name, t, T)                                                                        \
    static int bias_##name##_fwd_##t(const tc_args *a)                                               \
    {                                                                                                \
        return actfn_bias_##name##_##t((const T *)a->x, (const T *)a->alpha, (T *)a->out, a->dim[0], \
                                       a->dim[1], a->dim[2] ACTFN_PARAMS_##name(PASS_PARAM_##t));    \
    }                                                                                                \
    static int bias_##name##_bwd_##t(const tc_args *a)                                               \
    {                                                                                                \
        return actfn_bias_##name##_backward_##t((const T *)a->x, (const T *)a->alpha, (const T *)a->dy, \
                                                (T *)a->out, (T *)a->dalpha, a->dim[0], a->dim[1],    \
                                                a->dim[2] ACTFN_PARAMS_##name(PASS_PARAM_##t));      \
    }
#define BIAS_WRAP_BOTH(name, NAME, from, cls, family) \
    BIAS_WRAP(name, f32, float)                       \
    BIAS_WRAP(name, f64, double)                      \
    BIAS_WRAP(name, bf16, actfn_bf16)                 \
    BIAS_WRAP(name, f16, actfn_f16)
ACTFN_UNARY_OPS(BIAS_WRAP_BOTH)

/* ---- The table ------------------------------------------------------------ */

/* In tc_dtype order: f32, f64, bf16, f16. */
#define CALLS(name)                                                                                  \
    .call = {{name##_fwd_f32, name##_fwd_f64, name##_fwd_bf16, name##_fwd_f16},                      \
             {name##_bwd_f32, name##_bwd_f64, name##_bwd_bf16, name##_bwd_f16}}

/*
 * The parameter sets the tests run besides the defaults (which come from
 * the op list), for every op that has parameters: extremes of each domain,
 * zero factors, infinite bounds and thresholds. An op with parameters but
 * no line here does not compile.
 */
#define TC_MORE_SETS_hardtanh {{0, 6}}, {{-2.5, 0.5}}, {{-INFINITY, 0.25}}, {{-0.5, INFINITY}}, {{0.75, 0.75}}
#define TC_MORE_SETS_leaky_relu {{0.2, 0}}, {{-0.5, 0}}, {{0, 0}}, {{3, 0}}
#define TC_MORE_SETS_elu {{0.5, 0}}, {{2, 0}}, {{0.1, 0}}, {{0, 0}}
#define TC_MORE_SETS_swish {{0.5, 0}}, {{1.702, 0}}, {{-1.5, 0}}, {{0, 0}}
#define TC_MORE_SETS_softplus {{2, 20}}, {{0.5, 10}}, {{1, INFINITY}}, {{-1, 20}}, {{3, -INFINITY}}

/* From the op list: the name, count and default of each parameter; the
 * first parameter brings the op's further sets. */
#define TC_PARAM_NAME(op, index, pname, def, domain) #pname,
#define TC_PARAM_ONE(op, index, pname, def, domain) +1
#define TC_PARAM_DEFAULT(op, index, pname, def, domain) def,
#define TC_MORE_SETS_AT_0(op) , TC_MORE_SETS_##op
#define TC_MORE_SETS_AT_1(op)
#define TC_PARAM_MORE_SETS(op, index, pname, def, domain) TC_MORE_SETS_AT_##index(op)
#define TC_SETS(name) {{{ACTFN_PARAMS_##name(TC_PARAM_DEFAULT) 0}} ACTFN_PARAMS_##name(TC_PARAM_MORE_SETS)}
#define TC_UNARY_ENTRY(name, NAME, from, cls, family)                                                \
    {#name, TC_KIND_UNARY, TC_##NAME, TC_FROM_##from, TC_CLASS_##cls,                                \
     .nparams = 0 ACTFN_PARAMS_##name(TC_PARAM_ONE),                                                \
     .param_names = {ACTFN_PARAMS_##name(TC_PARAM_NAME) NULL},                                      \
     .nsets = (int)(sizeof((tc_params[])TC_SETS(name)) / sizeof(tc_params)),                        \
     .sets = TC_SETS(name), CALLS(name)},
#define TC_SHAPED_ENTRY(name, NAME, from, cls, family)                                               \
    {#name, TC_KIND_##NAME, -1, TC_FROM_##from, TC_CLASS_##cls, .nparams = 0, .param_names = {NULL}, \
     .nsets = 1, .sets = {{{0}}}, CALLS(name)},

/* A gated op: its gate activation's class (by name, from the op list); no
 * parameters. */
#define TC_CLASS_OF(name, NAME, from, cls, family) TC_CLASS_OF_##NAME = TC_CLASS_##cls,
enum { ACTFN_UNARY_OPS(TC_CLASS_OF) };
#define TC_GATE_IS_B_A 0
#define TC_GATE_IS_B_B 1
#define TC_GLU_ENTRY(name, NAME, act, ACT, gate)                                                     \
    {#name, TC_KIND_GLU, TC_##ACT, TC_FROM_X, (tc_class)TC_CLASS_OF_##ACT, .gate_b = TC_GATE_IS_B_##gate, \
     .nparams = 0, .param_names = {NULL}, .nsets = 1, .sets = {{{0}}}, CALLS(name)},
/* bias_<op>: the op's class and parameter sets; the backward reads x. */
#define TC_BIAS_ENTRY(name, NAME, from, cls, family)                                                 \
    {"bias_" #name, TC_KIND_BIAS, TC_##NAME, TC_FROM_X, TC_CLASS_##cls,                              \
     .nparams = 0 ACTFN_PARAMS_##name(TC_PARAM_ONE),                                                \
     .param_names = {ACTFN_PARAMS_##name(TC_PARAM_NAME) NULL},                                      \
     .nsets = (int)(sizeof((tc_params[])TC_SETS(name)) / sizeof(tc_params)),                        \
     .sets = TC_SETS(name), CALLS(bias_##name)},

const tc_op tc_ops[] = {ACTFN_UNARY_OPS(TC_UNARY_ENTRY) ACTFN_SHAPED_OPS(TC_SHAPED_ENTRY)
                            ACTFN_GLU_OPS(TC_GLU_ENTRY) ACTFN_UNARY_OPS(TC_BIAS_ENTRY)};

const size_t tc_op_count = sizeof tc_ops / sizeof tc_ops[0];

const tc_op *tc_op_find(const char *name)
{
    for (size_t i = 0; i < tc_op_count; i++)
        if (strcmp(tc_ops[i].name, name) == 0)
            return &tc_ops[i];
    return NULL;
}

/* The class of an elementwise op with these parameters. */
static tc_class unary_class(int unary, const tc_params *par)
{
    if (unary == TC_SOFTPLUS && par->p[0] != 1.0)
        return TC_CLASS_INNER;
    return tc_ops[unary].cls;
}

tc_class tc_op_class(const tc_op *op, const tc_params *par)
{
    if (op->kind == TC_KIND_UNARY || op->kind == TC_KIND_BIAS)
        return unary_class(op->unary, par);
    return op->cls; /* a gated op's is its gate's (which has no parameters) */
}

int tc_has_alpha(const tc_op *op)
{
    return op->kind == TC_KIND_PRELU || op->kind == TC_KIND_BIAS || op->kind == TC_KIND_GLU;
}

int tc_per_channel(const tc_op *op)
{
    return op->kind == TC_KIND_PRELU || op->kind == TC_KIND_BIAS;
}

int tc_dalpha_optional(const tc_op *op)
{
    return tc_per_channel(op);
}

int tc_call(const tc_op *op, tc_dtype dt, int backward, const tc_args *a)
{
    return op->call[backward ? 1 : 0][dt](a);
}

tc_count tc_counts(const tc_op *op, int backward, const size_t dim[3])
{
    tc_count c = {0, 0, 0, 0, 0};
    switch (op->kind) {
    case TC_KIND_UNARY:
        c.in = c.out = dim[0];
        break;
    case TC_KIND_PRELU:
    case TC_KIND_BIAS:
        c.in = c.out = dim[0] * dim[1] * dim[2];
        c.alpha = dim[1];
        c.dalpha = backward ? dim[1] : 0;
        break;
    case TC_KIND_GLU:
        c.in = c.out = c.alpha = dim[0];
        c.dalpha = backward ? dim[0] : 0;
        break;
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX:
        c.in = c.out = dim[0] * dim[1];
        break;
    case TC_KIND_MAXOUT:
        c.in = dim[0] * dim[1] * dim[2];
        c.out = backward ? c.in : dim[0] * dim[2];
        if (backward)
            c.dy = dim[0] * dim[2];
        return c;
    }
    if (backward)
        c.dy = c.out;
    return c;
}

const char *tc_label(const tc_op *op, int backward, tc_dtype dt, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s %s", op->name, backward ? "_backward" : "", tc_dtype_name(dt));
    return buf;
}

const char *tc_params_str(const tc_op *op, const tc_params *par, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < op->nparams && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s=%a", i ? " " : "", op->param_names[i], par->p[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* The shapes whose row / inner / element count is n (see test_common.h). */
size_t tc_shapes(const tc_op *op, size_t n, size_t dims[TC_MAX_SHAPES][3])
{
    size_t k = 0;
    switch (op->kind) {
    case TC_KIND_UNARY:
    case TC_KIND_GLU:
        dims[k][0] = n, dims[k][1] = 0, dims[k][2] = 0, k++;
        break;
    case TC_KIND_PRELU:
    case TC_KIND_BIAS:
        dims[k][0] = 1, dims[k][1] = 1, dims[k][2] = n, k++;
        dims[k][0] = 1, dims[k][1] = n, dims[k][2] = 1, k++;
        dims[k][0] = 2, dims[k][1] = 3, dims[k][2] = n, k++;
        break;
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX:
        dims[k][0] = 1, dims[k][1] = n, dims[k][2] = 0, k++;
        dims[k][0] = 3, dims[k][1] = n, dims[k][2] = 0, k++;
        dims[k][0] = n, dims[k][1] = 1, dims[k][2] = 0, k++;
        break;
    case TC_KIND_MAXOUT:
        dims[k][0] = 1, dims[k][1] = 1, dims[k][2] = n, k++;
        dims[k][0] = 1, dims[k][1] = 3, dims[k][2] = n, k++;
        dims[k][0] = n, dims[k][1] = 2, dims[k][2] = 1, k++;
        break;
    }
    return k;
}
