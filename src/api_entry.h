/*
 * api_entry.h — the public entry points for one element type, included by
 * api.c with T (the element type: float, double, actfn_bf16, actfn_f16),
 * PT (the type of scalar parameters: float for the 16-bit types), SFX
 * (f32/f64/bf16/f16), PARAMS_T (the parameter struct), KTAB (the accessor
 * of the active table) and KTAB_T (its type) defined; it undefines them
 * at its end. Each entry point is: check, then the table's kernel — called
 * once, or once per task of a split call (split.h).
 */
#define ACTFN_CAT3(a, b, c) a##b##c
#define ACTFN_NAME3(a, b, c) ACTFN_CAT3(a, b, c)
#define FN(name) ACTFN_NAME3(actfn_, name##_, SFX)

/*
 * Splitting a checked call over the pool (split.h). Each job records the
 * table the call chose, so the whole call runs on one ISA and mode even if
 * another thread switches them meanwhile.
 */
struct FN(eltwise_job) {
    const KTAB_T *k;
    int op;
    const T *in, *dy; /* dy is NULL for a forward pass */
    T *out;
    const PARAMS_T *p;
    struct split s;
};

static void FN(eltwise_task)(void *ctx, size_t t)
{
    const struct FN(eltwise_job) *j = ctx;
    size_t b, e;
    if (!split_range(&j->s, t, &b, &e))
        return;
    if (j->dy)
        j->k->bwd[j->op](j->in + b, j->dy + b, j->out + b, e - b, j->p);
    else
        j->k->fwd[j->op](j->in + b, j->out + b, e - b, j->p);
}

/* `cheap`: the pass's kernel outruns memory, so a large call stores past
 * the caches (STREAM_* in api.c). */
static void FN(eltwise)(int op, const T *in, const T *dy, T *out, size_t n, const PARAMS_T *p, size_t min_task,
                        int cheap)
{
    PARAMS_T par = *p;
    par.stream = cheap && stream_wanted(n * sizeof(T), dy ? 3 : 2);
    struct FN(eltwise_job) j = {KTAB(), op, in, dy, out, &par, {n, 0, sizeof(T), (uintptr_t)out}};
    j.s.ntasks = split_count(n, 1, split_min(min_task));
    split_run(&j.s, FN(eltwise_task), &j);
}

/*
 * prelu and the fused bias ops: tasks are blocks of channels (each
 * dalpha[c] / dbias[c] stays one task's sum). Without that reduction, runs
 * of outer rows wherever they give as many tasks as channel blocks would:
 * each task then reads and writes one contiguous stretch, where a channel
 * block of the (rows, features) layout is a column of short pieces, a row
 * stride apart (bias_sigmoid forward, 16M f32 as (16K, 1024): 0.35 ns per
 * element on one thread, 1.21 on two cut by channels). With fewer channels
 * than tasks and one outer row, runs of that row's elements.
 */
struct FN(channel_job) {
    const KTAB_T *k;
    int bias_op; /* the elementwise op of a bias_<op> call, or -1 for prelu */
    const PARAMS_T *p;
    const T *x, *alpha, *dy; /* alpha: prelu's slopes or the biases; dy NULL for a forward pass */
    T *out, *dalpha;         /* dalpha: prelu's dalpha or dbias */
    size_t outer, channels, inner;
    int by; /* what the tasks cut: PRELU_BY_* (split.h) */
    struct split s;
};

static void FN(channel_task)(void *ctx, size_t t)
{
    const struct FN(channel_job) *j = ctx;
    size_t b, e;
    if (!split_range(&j->s, t, &b, &e))
        return;
    size_t outer = j->outer, inner = j->inner, c0 = 0, c1 = j->channels, at = 0;
    if (j->by == PRELU_BY_CHANNELS) {
        c0 = b, c1 = e;
    } else if (j->by == PRELU_BY_OUTER) {
        outer = e - b, at = b * j->channels * j->inner;
    } else {
        inner = e - b, at = b;
    }
    const T *x = j->x + at, *dy = j->dy ? j->dy + at : NULL;
    T *out = j->out + at;
    if (j->bias_op < 0 && dy)
        j->k->prelu_bwd(x, j->alpha, dy, out, j->dalpha, outer, j->channels, inner, c0, c1);
    else if (j->bias_op < 0)
        j->k->prelu_fwd(x, j->alpha, out, outer, j->channels, inner, c0, c1);
    else if (dy)
        j->k->bias_bwd[j->bias_op](x, j->alpha, dy, out, j->dalpha, outer, j->channels, inner, c0, c1, j->p);
    else
        j->k->bias_fwd[j->bias_op](x, j->alpha, out, outer, j->channels, inner, c0, c1, j->p);
}

static void FN(channel_run)(int bias_op, const PARAMS_T *p, const T *x, const T *alpha, const T *dy, T *out,
                            T *dalpha, size_t outer, size_t channels, size_t inner, size_t min_task)
{
    struct FN(channel_job) j = {KTAB(), bias_op, p, x, alpha, dy, out, dalpha, outer, channels, inner,
                                PRELU_BY_CHANNELS, {channels, 0, sizeof(T) * inner, (uintptr_t)out}};
    min_task = split_min(min_task);
    j.s.ntasks = split_count(channels, outer * inner, min_task);
    if (!dalpha) {
        /* No reduction: cut the outer rows, or the one row. */
        const size_t by_outer = outer > 1 ? split_count(outer, channels * inner, min_task) : 0;
        if (by_outer > 1 && by_outer >= j.s.ntasks) {
            j.by = PRELU_BY_OUTER;
            j.s = (struct split){outer, by_outer, sizeof(T) * channels * inner, (uintptr_t)out};
        } else if (outer == 1 && channels == 1) {
            j.by = PRELU_BY_INNER;
            j.s = (struct split){inner, 0, sizeof(T), (uintptr_t)out};
            j.s.ntasks = split_count(inner, 1, min_task);
        }
    }
    split_run(&j.s, FN(channel_task), &j);
}

/*
 * Every elementwise op of oplist.h: its parameters declared in the order of
 * the C signature, gathered by name into the kernels' parameter struct (the
 * members it lacks stay 0), checked against their domains (PARAM_OK in
 * api.c), then the array checks and one table call.
 */
#define PARAM_DECL(op, index, pname, def, domain) , PT pname
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
            FN(eltwise)(ACTFN_OP_##NAME, x, NULL, y, n, &par, SPLIT_MIN_##cls, STREAM_##cls);  \
        return s;                                                                               \
    }                                                                                           \
    int FN(name##_backward)(const T *in, const T *dy, T *dx, size_t n ACTFN_PARAMS_##name(PARAM_DECL)) \
    {                                                                                           \
        UNARY_PARAMS(name)                                                                      \
        if (s == ACTFN_OK)                                                                      \
            s = check_unary_bwd(sizeof(T), in, dy, dx, n);                                      \
        if (s == ACTFN_OK && n > 0)                                                             \
            FN(eltwise)(ACTFN_OP_##NAME, in, dy, dx, n, &par, SPLIT_MIN_##cls,                  \
                        STREAM_##cls || STREAM_BWD_FROM_##from);                                \
        return s;                                                                               \
    }
ACTFN_UNARY_OPS(UNARY_ENTRY)
#undef UNARY_ENTRY

/* bias_<op> for every elementwise op (SPEC §11): the op's parameters and
 * their checks, then prelu's shape and overlap rules with bias for alpha
 * and dbias for dalpha (dbias may be NULL). */
#define BIAS_ENTRY(name, NAME, from, cls, family)                                               \
    int FN(bias_##name)(const T *x, const T *bias, T *y, size_t outer, size_t channels,        \
                        size_t inner ACTFN_PARAMS_##name(PARAM_DECL))                          \
    {                                                                                           \
        UNARY_PARAMS(name)                                                                      \
        if (s == ACTFN_OK)                                                                      \
            s = check_prelu_fwd(sizeof(T), x, bias, y, outer, channels, inner);                 \
        if (s == ACTFN_OK && outer * channels * inner > 0)                                      \
            FN(channel_run)(ACTFN_OP_##NAME, &par, x, bias, NULL, y, NULL, outer, channels, inner, \
                            SPLIT_MIN_##cls);                                                   \
        return s;                                                                               \
    }                                                                                           \
    int FN(bias_##name##_backward)(const T *x, const T *bias, const T *dy, T *dx, T *dbias, size_t outer, \
                                   size_t channels, size_t inner ACTFN_PARAMS_##name(PARAM_DECL)) \
    {                                                                                           \
        UNARY_PARAMS(name)                                                                      \
        if (s == ACTFN_OK)                                                                      \
            s = check_prelu_bwd(sizeof(T), x, bias, dy, dx, dbias, outer, channels, inner);     \
        if (s != ACTFN_OK)                                                                      \
            return s;                                                                           \
        if (outer * channels * inner > 0)                                                       \
            FN(channel_run)(ACTFN_OP_##NAME, &par, x, bias, dy, dx, dbias, outer, channels, inner, \
                            SPLIT_MIN_##cls);                                                   \
        else if (dbias)                                                                         \
            for (size_t c = 0; c < channels; c++)                                               \
                dbias[c] = (T){0}; /* empty sums: +0 */                                            \
        return ACTFN_OK;                                                                        \
    }
ACTFN_UNARY_OPS(BIAS_ENTRY)
#undef BIAS_ENTRY

/*
 * The gated ops (SPEC §11): elementwise over a and b, split as the
 * elementwise ops are, by the gate's accuracy class.
 */
struct FN(glu_job) {
    const KTAB_T *k;
    int op;
    const T *a, *b, *dy; /* dy is NULL for a forward pass */
    T *out, *db;         /* out: y, or da */
    struct split s;
};

static void FN(glu_task)(void *ctx, size_t t)
{
    const struct FN(glu_job) *j = ctx;
    size_t b, e;
    if (!split_range(&j->s, t, &b, &e))
        return;
    if (j->dy)
        j->k->glu_bwd[j->op](j->a + b, j->b + b, j->dy + b, j->out + b, j->db + b, e - b);
    else
        j->k->glu_fwd[j->op](j->a + b, j->b + b, j->out + b, e - b);
}

static void FN(glu_run)(int op, const T *a, const T *b, const T *dy, T *out, T *db, size_t n, size_t min_task)
{
    struct FN(glu_job) j = {KTAB(), op, a, b, dy, out, db, {n, 0, sizeof(T), (uintptr_t)out}};
    j.s.ntasks = split_count(n, 1, split_min(min_task));
    split_run(&j.s, FN(glu_task), &j);
}

#define GLU_ENTRY(name, NAME, act, ACT, gate)                                                   \
    int FN(name)(const T *a, const T *b, T *y, size_t n)                                        \
    {                                                                                           \
        int s = check_glu(sizeof(T), a, b, NULL, y, NULL, n);                                   \
        if (s == ACTFN_OK && n > 0)                                                             \
            FN(glu_run)(ACTFN_GLU_##NAME, a, b, NULL, y, NULL, n, SPLIT_MIN_OF_##ACT);         \
        return s;                                                                               \
    }                                                                                           \
    int FN(name##_backward)(const T *a, const T *b, const T *dy, T *da, T *db, size_t n)        \
    {                                                                                           \
        int s = check_glu(sizeof(T), a, b, dy, da, db, n);                                      \
        if (s == ACTFN_OK && n > 0)                                                             \
            FN(glu_run)(ACTFN_GLU_##NAME, a, b, dy, da, db, n, SPLIT_MIN_OF_##ACT);            \
        return s;                                                                               \
    }
ACTFN_GLU_OPS(GLU_ENTRY)
#undef GLU_ENTRY
#undef PARAM_DECL
#undef PARAM_SET
#undef PARAM_CHECK
#undef UNARY_PARAMS

int FN(prelu)(const T *x, const T *alpha, T *y, size_t outer, size_t channels, size_t inner)
{
    int s = check_prelu_fwd(sizeof(T), x, alpha, y, outer, channels, inner);
    if (s == ACTFN_OK && outer * channels * inner > 0)
        FN(channel_run)(-1, NULL, x, alpha, NULL, y, NULL, outer, channels, inner, SPLIT_MIN_EXACT);
    return s;
}

int FN(prelu_backward)(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha, size_t outer, size_t channels,
                       size_t inner)
{
    int s = check_prelu_bwd(sizeof(T), x, alpha, dy, dx, dalpha, outer, channels, inner);
    if (s != ACTFN_OK)
        return s;
    if (outer * channels * inner > 0) {
        FN(channel_run)(-1, NULL, x, alpha, dy, dx, dalpha, outer, channels, inner, SPLIT_MIN_EXACT);
    } else if (dalpha) {
        /* No terms enter any channel's sum: each is an empty sum. */
        for (size_t c = 0; c < channels; c++)
            dalpha[c] = (T){0};
    }
    return ACTFN_OK;
}

/*
 * Row ops and maxout: tasks are runs of rows (softmax) or of outer rows
 * (maxout), each a dense sub-array the kernel takes whole. A single row, or
 * maxout with outer == 1, stays on one thread: cutting inside a row would
 * change its reductions' order.
 */
struct FN(rows_job) {
    void (*fwd)(const T *x, T *y, size_t rows, size_t cols);
    void (*bwd)(const T *y, const T *dy, T *dx, size_t rows, size_t cols);
    const T *in, *dy;
    T *out;
    size_t cols;
    struct split s;
};

static void FN(rows_task)(void *ctx, size_t t)
{
    const struct FN(rows_job) *j = ctx;
    size_t b, e;
    if (!split_range(&j->s, t, &b, &e))
        return;
    const size_t at = b * j->cols;
    if (j->dy)
        j->bwd(j->in + at, j->dy + at, j->out + at, e - b, j->cols);
    else
        j->fwd(j->in + at, j->out + at, e - b, j->cols);
}

static void FN(rows_run)(struct FN(rows_job) *j, size_t rows)
{
    j->s = (struct split){rows, 0, sizeof(T) * j->cols, (uintptr_t)j->out};
    j->s.ntasks = split_count(rows, j->cols, split_min(SPLIT_MIN_SMOOTH));
    split_run(&j->s, FN(rows_task), j);
}

#define ROWS_OP(name, member)                                                                   \
    int FN(name)(const T *x, T *y, size_t rows, size_t cols)                                    \
    {                                                                                           \
        int s = check_rows(sizeof(T), x, NULL, y, rows, cols, 0);                               \
        if (s == ACTFN_OK && rows * cols > 0) {                                                 \
            struct FN(rows_job) j = {.fwd = KTAB()->member##_fwd, .in = x, .out = y, .cols = cols}; \
            FN(rows_run)(&j, rows);                                                             \
        }                                                                                       \
        return s;                                                                               \
    }                                                                                           \
    int FN(name##_backward)(const T *y, const T *dy, T *dx, size_t rows, size_t cols)          \
    {                                                                                           \
        int s = check_rows(sizeof(T), y, dy, dx, rows, cols, 1);                                \
        if (s == ACTFN_OK && rows * cols > 0) {                                                 \
            struct FN(rows_job) j = {.bwd = KTAB()->member##_bwd, .in = y, .dy = dy, .out = dx, .cols = cols}; \
            FN(rows_run)(&j, rows);                                                             \
        }                                                                                       \
        return s;                                                                               \
    }
ROWS_OP(softmax, softmax)
ROWS_OP(log_softmax, log_softmax)
#undef ROWS_OP

struct FN(maxout_job) {
    const KTAB_T *k;
    const T *x, *dy; /* dy is NULL for a forward pass */
    T *out;
    size_t k_pieces, inner;
    struct split s;
};

static void FN(maxout_task)(void *ctx, size_t t)
{
    const struct FN(maxout_job) *j = ctx;
    size_t b, e;
    if (!split_range(&j->s, t, &b, &e))
        return;
    const size_t at = b * j->k_pieces * j->inner, oat = b * j->inner;
    if (j->dy)
        j->k->maxout_bwd(j->x + at, j->dy + oat, j->out + at, e - b, j->k_pieces, j->inner);
    else
        j->k->maxout_fwd(j->x + at, j->out + oat, e - b, j->k_pieces, j->inner);
}

static void FN(maxout_run)(const T *x, const T *dy, T *out, size_t outer, size_t k, size_t inner)
{
    /* The cut follows the output: y rows of inner elements, dx rows of k·inner. */
    const size_t out_row = dy ? k * inner : inner;
    struct FN(maxout_job) j = {KTAB(), x, dy, out, k, inner, {outer, 0, sizeof(T) * out_row, (uintptr_t)out}};
    j.s.ntasks = split_count(outer, k * inner, split_min(SPLIT_MIN_EXACT));
    split_run(&j.s, FN(maxout_task), &j);
}

int FN(maxout)(const T *x, T *y, size_t outer, size_t k, size_t inner)
{
    int s = check_maxout(sizeof(T), x, NULL, y, outer, k, inner, 0);
    if (s == ACTFN_OK && outer * k * inner > 0)
        FN(maxout_run)(x, NULL, y, outer, k, inner);
    return s;
}

int FN(maxout_backward)(const T *x, const T *dy, T *dx, size_t outer, size_t k, size_t inner)
{
    int s = check_maxout(sizeof(T), x, dy, dx, outer, k, inner, 1);
    if (s == ACTFN_OK && outer * k * inner > 0)
        FN(maxout_run)(x, dy, dx, outer, k, inner);
    return s;
}

#undef ACTFN_CAT3
#undef ACTFN_NAME3
#undef FN
/* The includer's parameters, so the next type can define its own. */
#undef T
#undef PT
#undef SFX
#undef PARAMS_T
#undef KTAB
#undef KTAB_T
