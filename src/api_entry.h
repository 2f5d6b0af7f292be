/*
 * api_entry.h — the public entry points for one element type, included by
 * api.c with T (float/double), SFX (f32/f64), PARAMS_T (the parameter
 * struct) and KTAB (the accessor of the active table) defined. Each entry
 * point is: check, then one table call.
 */
#define ACTFN_CAT3(a, b, c) a##b##c
#define ACTFN_NAME3(a, b, c) ACTFN_CAT3(a, b, c)
#define FN(name) ACTFN_NAME3(actfn_, name##_, SFX)

/*
 * Every elementwise op of oplist.h: its parameters declared in the order of
 * the C signature, gathered by name into the kernels' parameter struct (the
 * members it lacks stay 0), checked against their domains (PARAM_OK in
 * api.c), then the array checks and one table call.
 */
#define PARAM_DECL(op, index, pname, def, domain) , T pname
#define PARAM_SET(op, index, pname, def, domain) par.pname = pname;
#define PARAM_CHECK(op, index, pname, def, domain) &&PARAM_OK_##domain(par.pname, par)
/* par, and s: ACTFN_OK or ACTFN_ERR_PARAM by the parameters' domains */
#define UNARY_PARAMS(name)                      \
    PARAMS_T par = {0};                         \
    ACTFN_PARAMS_##name(PARAM_SET)              \
    int s = (1 ACTFN_PARAMS_##name(PARAM_CHECK)) ? ACTFN_OK : ACTFN_ERR_PARAM;
#define UNARY_ENTRY(name, NAME, from, cls, family)                                              \
    int FN(name)(const T *x, T *y, size_t n ACTFN_PARAMS_##name(PARAM_DECL))                   \
    {                                                                                           \
        UNARY_PARAMS(name)                                                                      \
        if (s == ACTFN_OK)                                                                      \
            s = check_unary_fwd(sizeof(T), x, y, n);                                            \
        if (s == ACTFN_OK && n > 0)                                                             \
            KTAB()->fwd[ACTFN_OP_##NAME](x, y, n, &par);                                        \
        return s;                                                                               \
    }                                                                                           \
    int FN(name##_backward)(const T *in, const T *dy, T *dx, size_t n ACTFN_PARAMS_##name(PARAM_DECL)) \
    {                                                                                           \
        UNARY_PARAMS(name)                                                                      \
        if (s == ACTFN_OK)                                                                      \
            s = check_unary_bwd(sizeof(T), in, dy, dx, n);                                      \
        if (s == ACTFN_OK && n > 0)                                                             \
            KTAB()->bwd[ACTFN_OP_##NAME](in, dy, dx, n, &par);                                  \
        return s;                                                                               \
    }
ACTFN_UNARY_OPS(UNARY_ENTRY)
#undef UNARY_ENTRY
#undef PARAM_DECL
#undef PARAM_SET
#undef PARAM_CHECK
#undef UNARY_PARAMS

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
