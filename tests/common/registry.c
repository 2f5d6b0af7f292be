/*
 * registry.c — the table of every public libactfn function (SPEC §3), with
 * one uniform wrapper per function so tests can loop over ops, passes and
 * types without naming each of the 84 entry points.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_common.h"

/* ---- Wrappers: tc_args -> the public signature -------------------------- */

#define P0_f32 , (float)a->par.p[0]
#define P1_f32 , (float)a->par.p[0], (float)a->par.p[1]
#define P0_f64 , a->par.p[0]
#define P1_f64 , a->par.p[0], a->par.p[1]
#define NOPAR_f32
#define NOPAR_f64

/* PAR is NOPAR (no params), P0 (one) or P1 (two). */
#define UNARY_WRAP(name, t, T, PAR)                                                                  \
    static int name##_fwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_##name##_##t((const T *)a->x, (T *)a->out, a->dim[0] PAR##_##t);                \
    }                                                                                                \
    static int name##_bwd_##t(const tc_args *a)                                                      \
    {                                                                                                \
        return actfn_##name##_backward_##t((const T *)a->x, (const T *)a->dy, (T *)a->out,           \
                                           a->dim[0] PAR##_##t);                                     \
    }

#define UNARY_WRAP_BOTH(name, PAR)         \
    UNARY_WRAP(name, f32, float, PAR)      \
    UNARY_WRAP(name, f64, double, PAR)

UNARY_WRAP_BOTH(sigmoid, NOPAR)
UNARY_WRAP_BOTH(tanh, NOPAR)
UNARY_WRAP_BOTH(relu, NOPAR)
UNARY_WRAP_BOTH(relu6, NOPAR)
UNARY_WRAP_BOTH(hardtanh, P1)
UNARY_WRAP_BOTH(leaky_relu, P0)
UNARY_WRAP_BOTH(elu, P0)
UNARY_WRAP_BOTH(selu, NOPAR)
UNARY_WRAP_BOTH(silu, NOPAR)
UNARY_WRAP_BOTH(swish, P0)
UNARY_WRAP_BOTH(hardsigmoid, NOPAR)
UNARY_WRAP_BOTH(hardswish, NOPAR)
UNARY_WRAP_BOTH(softplus, P1)
UNARY_WRAP_BOTH(logsigmoid, NOPAR)
UNARY_WRAP_BOTH(mish, NOPAR)
UNARY_WRAP_BOTH(gelu, NOPAR)
UNARY_WRAP_BOTH(gelu_tanh, NOPAR)

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

/* ---- The table ------------------------------------------------------------ */

#define CALLS(name)                                                                                  \
    .call = {{name##_fwd_f32, name##_fwd_f64}, {name##_bwd_f32, name##_bwd_f64}}

#define NO_PARAMS .nparams = 0, .nsets = 1, .sets = {{{0, 0}}}

const tc_op tc_ops[] = {
    {"sigmoid", TC_KIND_UNARY, TC_SIGMOID, TC_FROM_Y, TC_CLASS_SMOOTH, NO_PARAMS, CALLS(sigmoid)},
    {"tanh", TC_KIND_UNARY, TC_TANH, TC_FROM_Y, TC_CLASS_SMOOTH, NO_PARAMS, CALLS(tanh)},
    {"relu", TC_KIND_UNARY, TC_RELU, TC_FROM_X, TC_CLASS_EXACT, NO_PARAMS, CALLS(relu)},
    {"relu6", TC_KIND_UNARY, TC_RELU6, TC_FROM_X, TC_CLASS_EXACT, NO_PARAMS, CALLS(relu6)},
    {"hardtanh", TC_KIND_UNARY, TC_HARDTANH, TC_FROM_X, TC_CLASS_EXACT, .nparams = 2,
     .param_names = {"min_val", "max_val"}, .nsets = 6,
     .sets = {{{-1, 1}}, {{0, 6}}, {{-2.5, 0.5}}, {{-INFINITY, 0.25}}, {{-0.5, INFINITY}}, {{0.75, 0.75}}},
     CALLS(hardtanh)},
    {"leaky_relu", TC_KIND_UNARY, TC_LEAKY_RELU, TC_FROM_X, TC_CLASS_EXACT, .nparams = 1,
     .param_names = {"alpha"}, .nsets = 5, .sets = {{{0.01, 0}}, {{0.2, 0}}, {{-0.5, 0}}, {{0, 0}}, {{3, 0}}},
     CALLS(leaky_relu)},
    {"elu", TC_KIND_UNARY, TC_ELU, TC_FROM_X, TC_CLASS_SMOOTH, .nparams = 1, .param_names = {"alpha"},
     .nsets = 5, .sets = {{{1, 0}}, {{0.5, 0}}, {{2, 0}}, {{0.1, 0}}, {{0, 0}}}, CALLS(elu)},
    {"selu", TC_KIND_UNARY, TC_SELU, TC_FROM_X, TC_CLASS_SMOOTH, NO_PARAMS, CALLS(selu)},
    {"silu", TC_KIND_UNARY, TC_SILU, TC_FROM_X, TC_CLASS_SMOOTH, NO_PARAMS, CALLS(silu)},
    {"swish", TC_KIND_UNARY, TC_SWISH, TC_FROM_X, TC_CLASS_INNER, .nparams = 1, .param_names = {"beta"},
     .nsets = 5, .sets = {{{1, 0}}, {{0.5, 0}}, {{1.702, 0}}, {{-1.5, 0}}, {{0, 0}}}, CALLS(swish)},
    {"hardsigmoid", TC_KIND_UNARY, TC_HARDSIGMOID, TC_FROM_X, TC_CLASS_HARD, NO_PARAMS, CALLS(hardsigmoid)},
    {"hardswish", TC_KIND_UNARY, TC_HARDSWISH, TC_FROM_X, TC_CLASS_HARD, NO_PARAMS, CALLS(hardswish)},
    {"softplus", TC_KIND_UNARY, TC_SOFTPLUS, TC_FROM_X, TC_CLASS_SMOOTH, .nparams = 2,
     .param_names = {"beta", "threshold"}, .nsets = 6,
     .sets = {{{1, 20}}, {{2, 20}}, {{0.5, 10}}, {{1, INFINITY}}, {{-1, 20}}, {{3, -INFINITY}}},
     CALLS(softplus)},
    {"logsigmoid", TC_KIND_UNARY, TC_LOGSIGMOID, TC_FROM_X, TC_CLASS_SMOOTH, NO_PARAMS, CALLS(logsigmoid)},
    {"mish", TC_KIND_UNARY, TC_MISH, TC_FROM_X, TC_CLASS_SMOOTH, NO_PARAMS, CALLS(mish)},
    {"gelu", TC_KIND_UNARY, TC_GELU, TC_FROM_X, TC_CLASS_INNER, NO_PARAMS, CALLS(gelu)},
    {"gelu_tanh", TC_KIND_UNARY, TC_GELU_TANH, TC_FROM_X, TC_CLASS_INNER, NO_PARAMS, CALLS(gelu_tanh)},
    {"prelu", TC_KIND_PRELU, -1, TC_FROM_X, TC_CLASS_EXACT, NO_PARAMS, CALLS(prelu)},
    {"softmax", TC_KIND_SOFTMAX, -1, TC_FROM_Y, TC_CLASS_SOFTMAX, NO_PARAMS, CALLS(softmax)},
    {"log_softmax", TC_KIND_LOG_SOFTMAX, -1, TC_FROM_Y, TC_CLASS_LOG_SOFTMAX, NO_PARAMS, CALLS(log_softmax)},
    {"maxout", TC_KIND_MAXOUT, -1, TC_FROM_X, TC_CLASS_EXACT, NO_PARAMS, CALLS(maxout)},
};

const size_t tc_op_count = sizeof tc_ops / sizeof tc_ops[0];

const tc_op *tc_op_find(const char *name)
{
    for (size_t i = 0; i < tc_op_count; i++)
        if (strcmp(tc_ops[i].name, name) == 0)
            return &tc_ops[i];
    return NULL;
}

tc_class tc_op_class(const tc_op *op, const tc_params *par)
{
    if (op->unary == TC_SOFTPLUS && par->p[0] != 1.0)
        return TC_CLASS_INNER;
    return op->cls;
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
        c.in = c.out = dim[0] * dim[1] * dim[2];
        c.alpha = dim[1];
        c.dalpha = backward ? dim[1] : 0;
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
        dims[k][0] = n, dims[k][1] = 0, dims[k][2] = 0, k++;
        break;
    case TC_KIND_PRELU:
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
