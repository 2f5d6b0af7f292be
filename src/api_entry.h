/*
 * api_entry.h — the public entry points for one element type, included by
 * api.c with T (float/double), SFX (f32/f64) and KTAB (the accessor of the
 * active table) defined. Each entry point is: check, then one table call.
 */
#define ACTFN_CAT3(a, b, c) a##b##c
#define ACTFN_NAME3(a, b, c) ACTFN_CAT3(a, b, c)
#define FN(name) ACTFN_NAME3(actfn_, name##_, SFX)

/* An elementwise op with parameters p0, p1 (0 where unused). */
#define UNARY_OP(name, OP, PARAMS_DECL, P0, P1)                                                  \
    int FN(name)(const T *x, T *y, size_t n PARAMS_DECL)                                       \
    {                                                                                           \
        const T p[ACTFN_MAX_PARAMS] = {P0, P1};                                                 \
        int s = check_unary_fwd(OP, p[0], p[1], sizeof(T), x, y, n);                           \
        if (s == ACTFN_OK && n > 0)                                                             \
            KTAB()->fwd[OP](x, y, n, p);                                                        \
        return s;                                                                               \
    }                                                                                           \
    int FN(name##_backward)(const T *in, const T *dy, T *dx, size_t n PARAMS_DECL)             \
    {                                                                                           \
        const T p[ACTFN_MAX_PARAMS] = {P0, P1};                                                 \
        int s = check_unary_bwd(OP, p[0], p[1], sizeof(T), in, dy, dx, n);                     \
        if (s == ACTFN_OK && n > 0)                                                             \
            KTAB()->bwd[OP](in, dy, dx, n, p);                                                  \
        return s;                                                                               \
    }

#define NO_PARAMS
#define COMMA ,
UNARY_OP(sigmoid, ACTFN_OP_SIGMOID, NO_PARAMS, 0, 0)
UNARY_OP(tanh, ACTFN_OP_TANH, NO_PARAMS, 0, 0)
UNARY_OP(relu, ACTFN_OP_RELU, NO_PARAMS, 0, 0)
UNARY_OP(relu6, ACTFN_OP_RELU6, NO_PARAMS, 0, 0)
UNARY_OP(hardtanh, ACTFN_OP_HARDTANH, COMMA T min_val COMMA T max_val, min_val, max_val)
UNARY_OP(leaky_relu, ACTFN_OP_LEAKY_RELU, COMMA T alpha, alpha, 0)
UNARY_OP(elu, ACTFN_OP_ELU, COMMA T alpha, alpha, 0)
UNARY_OP(selu, ACTFN_OP_SELU, NO_PARAMS, 0, 0)
UNARY_OP(silu, ACTFN_OP_SILU, NO_PARAMS, 0, 0)
UNARY_OP(swish, ACTFN_OP_SWISH, COMMA T beta, beta, 0)
UNARY_OP(hardsigmoid, ACTFN_OP_HARDSIGMOID, NO_PARAMS, 0, 0)
UNARY_OP(hardswish, ACTFN_OP_HARDSWISH, NO_PARAMS, 0, 0)
UNARY_OP(softplus, ACTFN_OP_SOFTPLUS, COMMA T beta COMMA T threshold, beta, threshold)
UNARY_OP(logsigmoid, ACTFN_OP_LOGSIGMOID, NO_PARAMS, 0, 0)
UNARY_OP(mish, ACTFN_OP_MISH, NO_PARAMS, 0, 0)
UNARY_OP(gelu, ACTFN_OP_GELU, NO_PARAMS, 0, 0)
UNARY_OP(gelu_tanh, ACTFN_OP_GELU_TANH, NO_PARAMS, 0, 0)
#undef UNARY_OP
#undef NO_PARAMS
#undef COMMA

int FN(prelu)(const T *x, const T *alpha, T *y, size_t outer, size_t channels, size_t inner)
{
    int s = check_prelu_fwd(sizeof(T), x, alpha, y, outer, channels, inner);
    if (s == ACTFN_OK && outer * channels * inner > 0)
        KTAB()->prelu_fwd(x, alpha, y, outer, channels, inner);
    return s;
}

int FN(prelu_backward)(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha, size_t outer, size_t channels,
                       size_t inner)
{
    int s = check_prelu_bwd(sizeof(T), x, alpha, dy, dx, dalpha, outer, channels, inner);
    if (s != ACTFN_OK)
        return s;
    if (outer * channels * inner > 0) {
        KTAB()->prelu_bwd(x, alpha, dy, dx, dalpha, outer, channels, inner);
    } else if (dalpha) {
        /* No terms enter any channel's sum: each is an empty sum. */
        for (size_t c = 0; c < channels; c++)
            dalpha[c] = 0;
    }
    return ACTFN_OK;
}

#define ROWS_OP(name, member)                                                                   \
    int FN(name)(const T *x, T *y, size_t rows, size_t cols)                                    \
    {                                                                                           \
        int s = check_rows(sizeof(T), x, NULL, y, rows, cols, 0);                               \
        if (s == ACTFN_OK && rows * cols > 0)                                                   \
            KTAB()->member##_fwd(x, y, rows, cols);                                             \
        return s;                                                                               \
    }                                                                                           \
    int FN(name##_backward)(const T *y, const T *dy, T *dx, size_t rows, size_t cols)          \
    {                                                                                           \
        int s = check_rows(sizeof(T), y, dy, dx, rows, cols, 1);                                \
        if (s == ACTFN_OK && rows * cols > 0)                                                   \
            KTAB()->member##_bwd(y, dy, dx, rows, cols);                                        \
        return s;                                                                               \
    }
ROWS_OP(softmax, softmax)
ROWS_OP(log_softmax, log_softmax)
#undef ROWS_OP

int FN(maxout)(const T *x, T *y, size_t outer, size_t k, size_t inner)
{
    int s = check_maxout(sizeof(T), x, NULL, y, outer, k, inner, 0);
    if (s == ACTFN_OK && outer * k * inner > 0)
        KTAB()->maxout_fwd(x, y, outer, k, inner);
    return s;
}

int FN(maxout_backward)(const T *x, const T *dy, T *dx, size_t outer, size_t k, size_t inner)
{
    int s = check_maxout(sizeof(T), x, dy, dx, outer, k, inner, 1);
    if (s == ACTFN_OK && outer * k * inner > 0)
        KTAB()->maxout_bwd(x, dy, dx, outer, k, inner);
    return s;
}

#undef ACTFN_CAT3
#undef ACTFN_NAME3
#undef FN
