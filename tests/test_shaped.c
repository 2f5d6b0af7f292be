/*
 * test_shaped.c — the ops with a shape, on every ISA and dtype:
 *  - prelu for any outer / channels / inner (inner == 1, channels == 1 …),
 *    dalpha NULL, dalpha overwritten (not accumulated), empty sums, NaN slopes;
 *  - softmax / log_softmax rows of 1…67 and 1024 columns, and the row rules
 *    (NaN row, one-hot, +inf entries, all −inf, extreme values);
 *  - maxout for k = 1…5 and inner = 1…19, ties to the lowest piece (signed
 *    zeros bit for bit) and the first-NaN rule, forward and backward.
 * Every result is judged against the oracle (tests/oracle.c); prelu and
 * maxout must also give the bits of the scalar ISA. Every dtype: f32, f64
 * and the 16-bit storage types bf16 and f16 (SPEC §9).
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oracle.h"
#include "test_common.h"

static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;
static tc_fails fails;

/* A call's arrays, heap-allocated for given dims. */
typedef struct {
    void *in, *alpha, *dy, *out, *dalpha, *ref, *dalpha_ref;
    tc_args a;
    tc_count c;
} call;

static void call_new(call *k, const tc_op *op, tc_dtype dt, int backward, size_t d0, size_t d1, size_t d2)
{
    const size_t dim[3] = {d0, d1, d2}, es = tc_size(dt);
    k->c = tc_counts(op, backward, dim);
    k->in = calloc(k->c.in + 1, es);
    k->alpha = calloc(k->c.alpha + 1, es);
    k->dy = calloc(k->c.dy + 1, es);
    k->out = calloc(k->c.out + 1, es);
    k->ref = calloc(k->c.out + 1, es);
    k->dalpha = calloc(k->c.dalpha + 1, es);
    k->dalpha_ref = calloc(k->c.dalpha + 1, es);
    assert_non_null(k->dalpha_ref);
    k->a = (tc_args){.x = k->in, .alpha = k->alpha, .dy = k->dy, .out = k->out,
                     .dalpha = backward && tc_has_alpha(op) ? k->dalpha : NULL, .par = op->sets[0]};
    memcpy(k->a.dim, dim, sizeof dim);
}

static void call_free(call *k)
{
    free(k->in), free(k->alpha), free(k->dy), free(k->out), free(k->ref), free(k->dalpha), free(k->dalpha_ref);
}

/* Run the call on every ISA: status OK, every output within budget, and (if
 * bitwise) the very bits of the scalar ISA. `prefill` is written into the
 * outputs before each run (the call must overwrite it). */
static void run_everywhere(const tc_op *op, tc_dtype dt, int backward, call *k, int bitwise, double prefill,
                           const char *ctx)
{
    char label[64], b1[80], b2[80];
    tc_label(op, backward, dt, label, sizeof label);
    for (size_t q = 0; q < isa_count; q++) {
        tc_use_isa(isa_list[q]);
        for (size_t i = 0; i < k->c.out; i++)
            tc_set(dt, k->out, i, prefill);
        for (size_t i = 0; i < k->c.dalpha; i++)
            tc_set(dt, k->dalpha, i, prefill);
        const int s = tc_call(op, dt, backward, &k->a);
        if (s != ACTFN_OK) {
            tc_fail(&fails, "%s [%s] dims %zu,%zu,%zu %s: status %d", label, actfn_isa_name(isa_list[q]),
                    k->a.dim[0], k->a.dim[1], k->a.dim[2], ctx, s);
            continue;
        }
        tc_verify_call(op, dt, backward, &k->a, ctx, &fails, NULL, NULL);
        if (q == 0) {
            memcpy(k->ref, k->out, k->c.out * tc_size(dt));
            memcpy(k->dalpha_ref, k->dalpha, k->c.dalpha * tc_size(dt));
            continue;
        }
        if (!bitwise)
            continue;
        for (size_t i = 0; i < k->c.out; i++)
            if (tc_bits(dt, k->out, i) != tc_bits(dt, k->ref, i) &&
                !(isnan(tc_get(dt, k->out, i)) && isnan(tc_get(dt, k->ref, i)))) {
                tc_fail(&fails, "%s [%s] dims %zu,%zu,%zu %s: out[%zu] = %s, scalar gives %s", label,
                        actfn_isa_name(isa_list[q]), k->a.dim[0], k->a.dim[1], k->a.dim[2], ctx, i,
                        tc_fmt(dt, tc_get(dt, k->out, i), b1, 80), tc_fmt(dt, tc_get(dt, k->ref, i), b2, 80));
                break;
            }
    }
}

/* ---- prelu ----------------------------------------------------------------- */

static void test_prelu_shapes(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    const tc_op *op = tc_op_find("prelu");
    tc_rng r;
    tc_rng_init(&r, 0x5eed0301, 31);
    static const size_t outers[] = {1, 2, 3}, chans[] = {1, 2, 3, 5, 8, 9, 17, 64}, inners[] = {1, 2, 3, 4, 7, 8, 15, 16, 17, 19, 33, 67};
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t a = 0; a < 3; a++)
            for (size_t b = 0; b < sizeof chans / sizeof chans[0]; b++)
                for (size_t c = 0; c < sizeof inners / sizeof inners[0]; c++)
                    for (int backward = 0; backward < 2; backward++) {
                        call k;
                        call_new(&k, op, (tc_dtype)d, backward, outers[a], chans[b], inners[c]);
                        tc_fill_call(op, (tc_dtype)d, backward, &k.a, &r);
                        /* garbage in dalpha beforehand: overwritten, not accumulated */
                        run_everywhere(op, (tc_dtype)d, backward, &k, 1, 1e30, "");
                        if (backward) {
                            /* dalpha NULL: the same dx */
                            k.a.dalpha = NULL;
                            tc_use_isa(isa_list[isa_count - 1]);
                            void *dx = malloc(k.c.out * tc_size((tc_dtype)d) + 1);
                            memcpy(dx, k.out, k.c.out * tc_size((tc_dtype)d));
                            if (tc_call(op, (tc_dtype)d, 1, &k.a) != ACTFN_OK ||
                                memcmp(dx, k.out, k.c.out * tc_size((tc_dtype)d)) != 0)
                                tc_fail(&fails, "prelu_backward %s [%s] %zux%zux%zu: dx differs with dalpha NULL",
                                        tc_dtype_name((tc_dtype)d), actfn_isa_name(actfn_get_isa()), outers[a],
                                        chans[b], inners[c]);
                            free(dx);
                        }
                        call_free(&k);
                    }
    TC_ASSERT_NO_FAILS(&fails, "prelu shapes");
}

static void test_prelu_specials(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    const tc_op *op = tc_op_find("prelu");
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        /* NaN slopes are data: NaN where used (x <= 0), x elsewhere; NaN x
         * gives NaN; dalpha of a channel holding a NaN x is NaN */
        static const double xs[] = {1, -1, 0, -0.0, NAN, INFINITY, -INFINITY, 2.5, -3, 1e-40};
        static const double slopes[] = {NAN, 0.25, -0.0, INFINITY};
        const size_t inner = sizeof xs / sizeof xs[0], ch = sizeof slopes / sizeof slopes[0];
        for (int backward = 0; backward < 2; backward++) {
            call k;
            call_new(&k, op, dt, backward, 2, ch, inner);
            for (size_t i = 0; i < k.c.in; i++) {
                tc_set(dt, k.in, i, xs[i % inner]);
                if (backward)
                    tc_set(dt, k.dy, i, 0.5 + (double)(i % 3));
            }
            for (size_t c = 0; c < ch; c++)
                tc_set(dt, k.alpha, c, slopes[c]);
            run_everywhere(op, dt, backward, &k, 1, -7, "special x and slopes");
            call_free(&k);
        }
        /* dalpha whose products x·dy overflow T with both signs: the sum
         * is -inf, not NaN (the f64 reference once gave inf − inf = NaN) */
        {
            const double big = tc_max_finite(dt) / 4;
            call k;
            call_new(&k, op, dt, 1, 3, 2, 25);
            for (size_t i = 0; i < k.c.in; i++) {
                /* products of both signs, each beyond T's range; their sum
                 * (computed exactly) is still far beyond it, negative */
                tc_set(dt, k.in, i, i % 3 ? -big : 0.5);
                tc_set(dt, k.dy, i, i % 2 ? -big / 2 : big);
            }
            tc_set(dt, k.alpha, 0, 0.25);
            tc_set(dt, k.alpha, 1, 0.5);
            run_everywhere(op, dt, 1, &k, 0, -7, "overflowing x*dy");
            call_free(&k);
        }
        /* an empty sum: no element, dalpha still overwritten with zeros */
        static const size_t empty[][3] = {{0, 3, 4}, {2, 3, 0}};
        for (size_t e = 0; e < 2; e++) {
            double dalpha[3];
            for (int c = 0; c < 3; c++)
                tc_set(dt, dalpha, (size_t)c, 99);
            for (size_t q = 0; q < isa_count; q++) {
                tc_use_isa(isa_list[q]);
                double alpha[3] = {0}, one[1] = {0};
                const tc_args a = {.x = one, .alpha = alpha, .dy = one, .out = one, .dalpha = dalpha,
                                   .dim = {empty[e][0], empty[e][1], empty[e][2]}};
                const int s = tc_call(op, dt, 1, &a);
                for (size_t c = 0; c < 3; c++)
                    if (s != ACTFN_OK || tc_get(dt, dalpha, c) != 0)
                        tc_fail(&fails, "prelu_backward %s [%s] dims %zu,%zu,%zu: status %d, dalpha[%zu] = %g, expected 0",
                                tc_dtype_name(dt), actfn_isa_name(isa_list[q]), empty[e][0], empty[e][1],
                                empty[e][2], s, c, tc_get(dt, dalpha, c));
            }
        }
    }
    TC_ASSERT_NO_FAILS(&fails, "prelu specials");
}

/* ---- Gated and fused bias ops (SPEC §11) --------------------------------------- */

/* Every glu and bias_<op> op at shapes around the vector widths, on every
 * ISA: within budget, outputs overwritten (garbage beforehand), bit-identical
 * to scalar where the op is exact; for bias_<op>, dbias NULL gives the same
 * dx, and an empty sum gives dbias = 0. */
static void test_fused_shapes(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    tc_rng r;
    tc_rng_init(&r, 0x5eed0306, 36);
    static const size_t lengths[] = {1, 7, 16, 17, 33, 67};
    static const size_t bias_dims[][3] = {{1, 1, 17}, {3, 5, 1}, {2, 17, 1}, {2, 3, 16}, {1, 2, 33}, {4, 1, 7}};
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_GLU && op->kind != TC_KIND_BIAS)
                continue;
            const size_t nshapes = op->kind == TC_KIND_GLU ? sizeof lengths / sizeof lengths[0]
                                                           : sizeof bias_dims / sizeof bias_dims[0];
            for (size_t i = 0; i < nshapes; i++)
                for (int backward = 0; backward < 2; backward++) {
                    call k;
                    if (op->kind == TC_KIND_GLU)
                        call_new(&k, op, (tc_dtype)d, backward, lengths[i], 0, 0);
                    else
                        call_new(&k, op, (tc_dtype)d, backward, bias_dims[i][0], bias_dims[i][1], bias_dims[i][2]);
                    tc_fill_call(op, (tc_dtype)d, backward, &k.a, &r);
                    run_everywhere(op, (tc_dtype)d, backward, &k, op->cls == TC_CLASS_EXACT, 1e30, "");
                    if (backward && op->kind == TC_KIND_BIAS) {
                        const size_t bytes = k.c.out * tc_size((tc_dtype)d);
                        void *dx = malloc(bytes + 1);
                        memcpy(dx, k.out, bytes);
                        k.a.dalpha = NULL;
                        if (tc_call(op, (tc_dtype)d, 1, &k.a) != ACTFN_OK || memcmp(dx, k.out, bytes) != 0)
                            tc_fail(&fails, "%s_backward %s [%s]: dx differs with dbias NULL", op->name,
                                    tc_dtype_name((tc_dtype)d), actfn_isa_name(actfn_get_isa()));
                        free(dx);
                    }
                    call_free(&k);
                }
            if (op->kind != TC_KIND_BIAS)
                continue;
            static const size_t empty[][3] = {{0, 3, 4}, {2, 3, 0}};
            for (size_t e = 0; e < 2; e++)
                for (size_t q = 0; q < isa_count; q++) {
                    tc_use_isa(isa_list[q]);
                    double dbias[3], bias[3] = {0}, one[1] = {0};
                    for (size_t c = 0; c < 3; c++)
                        tc_set((tc_dtype)d, dbias, c, 99);
                    const tc_args a = {.x = one, .alpha = bias, .dy = one, .out = one, .dalpha = dbias,
                                       .dim = {empty[e][0], empty[e][1], empty[e][2]}, .par = op->sets[0]};
                    const int st = tc_call(op, (tc_dtype)d, 1, &a);
                    for (size_t c = 0; c < 3; c++)
                        if (st != ACTFN_OK || tc_get((tc_dtype)d, dbias, c) != 0)
                            tc_fail(&fails, "%s_backward %s [%s] dims %zu,%zu,%zu: status %d, dbias[%zu] = %g, "
                                    "expected 0", op->name, tc_dtype_name((tc_dtype)d), actfn_isa_name(isa_list[q]),
                                    empty[e][0], empty[e][1], empty[e][2], st, c, tc_get((tc_dtype)d, dbias, c));
                }
        }
    /* dbias whose partial sums overflow T with both signs while the sum is
     * 1: not inf or NaN (bias_relu with x > 0: dx = dy), every layout */
    const tc_op *br = tc_op_find("bias_relu");
    static const size_t over_dims[][3] = {{5, 1, 1}, {1, 1, 5}, {5, 3, 1}, {5, 2, 19}};
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t i = 0; i < sizeof over_dims / sizeof over_dims[0]; i++) {
            call k;
            call_new(&k, br, (tc_dtype)d, 1, over_dims[i][0], over_dims[i][1], over_dims[i][2]);
            const double big = tc_max_finite((tc_dtype)d), pattern[] = {big, big, -big, -big, 1};
            const size_t ch = over_dims[i][1], inner = over_dims[i][2];
            for (size_t e = 0; e < k.c.in; e++) {
                const size_t o = e / (ch * inner);
                tc_set((tc_dtype)d, k.in, e, 1.0);
                tc_set((tc_dtype)d, k.dy, e, pattern[(o * inner + e % inner) % 5]);
            }
            for (size_t c = 0; c < ch; c++)
                tc_set((tc_dtype)d, k.alpha, c, 0.5);
            run_everywhere(br, (tc_dtype)d, 1, &k, 1, -7, "overflowing partial dbias sums");
            call_free(&k);
        }
    TC_ASSERT_NO_FAILS(&fails, "fused shapes");
}

/* bias_<op> backward, (rows, features) layout, with the three arrays at
 * chosen places in their 4 KiB pages: close together (x, dy, dx 64 bytes
 * apart, and dx = dy in place), where the kernels may walk the rows skewed
 * to keep them out of one another's cache sets (fused.h), and far apart.
 * Rows of 2 and 4 KiB, full and partial blocks of 8 rows; every layout
 * gives the bits of the far-apart one on the same ISA (dx and dbias), and
 * the far-apart result is within budget. */
static void test_bias_page_layouts(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    tc_rng r;
    tc_rng_init(&r, 0x5eed0307, 37);
    static const size_t row_bytes[] = {2048, 4096}, outers[] = {8, 21, 67};
    /* byte offsets in the page of x, dy, dx; dx < 0: dx = dy (in place) */
    static const long places[][3] = {{0, 1024, 2048}, {0, 64, 128}, {4032, 0, 64}, {0, 64, -1}};
    const size_t nplaces = sizeof places / sizeof places[0], page = 4096;
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        const size_t es = tc_size(dt);
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_BIAS || op->cls != TC_CLASS_EXACT)
                continue;
            for (size_t b = 0; b < sizeof row_bytes / sizeof row_bytes[0]; b++)
                for (size_t u = 0; u < sizeof outers / sizeof outers[0]; u++) {
                    const size_t ch = row_bytes[b] / es, n = outers[u] * ch, bytes = n * es;
                    call k;
                    call_new(&k, op, dt, 1, outers[u], ch, 1);
                    tc_fill_call(op, dt, 1, &k.a, &r);
                    /* an arena of three regions, each whole pages plus one */
                    const size_t region = (bytes / page + 2) * page;
                    unsigned char *arena = aligned_alloc(page, 3 * region);
                    void *dbias = malloc(ch * es), *ref = malloc(bytes), *dbias_ref = malloc(ch * es);
                    assert_non_null(arena), assert_non_null(dbias), assert_non_null(ref), assert_non_null(dbias_ref);
                    for (size_t q = 0; q < isa_count; q++) {
                        tc_use_isa(isa_list[q]);
                        for (size_t pl = 0; pl < nplaces; pl++) {
                            unsigned char *x = arena + places[pl][0], *dy = arena + region + places[pl][1];
                            unsigned char *dx = places[pl][2] < 0 ? dy : arena + 2 * region + places[pl][2];
                            memcpy(x, k.in, bytes);
                            memcpy(dy, k.dy, bytes);
                            memset(dbias, 0x55, ch * es);
                            tc_args a = k.a;
                            a.x = x, a.dy = dy, a.out = dx, a.dalpha = dbias;
                            char ctx[96];
                            snprintf(ctx, sizeof ctx, "x, dy, dx at %ld, %ld, %ld in their pages", places[pl][0],
                                     places[pl][1], places[pl][2]);
                            if (tc_call(op, dt, 1, &a) != ACTFN_OK) {
                                tc_fail(&fails, "%s_backward %s [%s] %zu x %zu, %s: status not OK", op->name,
                                        tc_dtype_name(dt), actfn_isa_name(isa_list[q]), outers[u], ch, ctx);
                                continue;
                            }
                            if (pl == 0) {
                                tc_verify_call(op, dt, 1, &a, ctx, &fails, NULL, NULL);
                                memcpy(ref, dx, bytes);
                                memcpy(dbias_ref, dbias, ch * es);
                            } else if (memcmp(ref, dx, bytes) != 0 || memcmp(dbias_ref, dbias, ch * es) != 0)
                                tc_fail(&fails, "%s_backward %s [%s] %zu x %zu, %s: dx or dbias differs from the "
                                        "arrays far apart", op->name, tc_dtype_name(dt), actfn_isa_name(isa_list[q]),
                                        outers[u], ch, ctx);
                        }
                    }
                    free(arena), free(dbias), free(ref), free(dbias_ref);
                    call_free(&k);
                }
        }
    }
    TC_ASSERT_NO_FAILS(&fails, "bias page layouts");
}

/* ---- softmax / log_softmax ---------------------------------------------------- */

static void test_softmax_rows(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    tc_rng r;
    tc_rng_init(&r, 0x5eed0302, 32);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_SOFTMAX && op->kind != TC_KIND_LOG_SOFTMAX)
                continue;
            for (size_t cols = 1; cols <= 68; cols++)
                for (int backward = 0; backward < 2; backward++) {
                    const size_t c = cols == 68 ? 1024 : cols;
                    call k;
                    call_new(&k, op, (tc_dtype)d, backward, 1 + tc_rng_below(&r, 3), c, 0);
                    tc_fill_call(op, (tc_dtype)d, backward, &k.a, &r);
                    run_everywhere(op, (tc_dtype)d, backward, &k, 0, 0, "");
                    call_free(&k);
                }
        }
    TC_ASSERT_NO_FAILS(&fails, "softmax rows");
}

/* Row rules: each case is one row; the oracle knows the rules (NaN row,
 * +inf entries share, all −inf gives NaN, one-hot). */
static void test_softmax_row_rules(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    const double inf = INFINITY;
    static const size_t lens[] = {1, 3, 8, 17, 67};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        const double big = tc_max_finite(dt);
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_SOFTMAX && op->kind != TC_KIND_LOG_SOFTMAX)
                continue;
            for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
                const size_t cols = lens[li];
                /* rule, and where its special entries go: first, middle, last */
                for (int rule = 0; rule < 8; rule++)
                    for (size_t where = 0; where < 3; where++) {
                        const size_t pos = where == 0 ? 0 : where == 1 ? cols / 2 : cols - 1;
                        call k;
                        /* three rows: the rule's row between two ordinary rows, which it must not disturb */
                        call_new(&k, op, dt, 0, 3, cols, 0);
                        for (size_t i = 0; i < 3 * cols; i++)
                            tc_set(dt, k.in, i, (double)((i * 7) % 11) - 5);
                        void *row = (char *)k.in + cols * tc_size(dt);
                        const char *name = "";
                        switch (rule) {
                        case 0: name = "NaN entry"; tc_set(dt, row, pos, NAN); break;
                        case 1: name = "one-hot (rest -inf)";
                            for (size_t j = 0; j < cols; j++) tc_set(dt, row, j, j == pos ? 3.5 : -inf);
                            break;
                        case 2: name = "one +inf entry"; tc_set(dt, row, pos, inf); break;
                        case 3: name = "two +inf entries";
                            tc_set(dt, row, pos, inf);
                            tc_set(dt, row, (pos + 1) % cols, inf);
                            break;
                        case 4: name = "all -inf";
                            for (size_t j = 0; j < cols; j++) tc_set(dt, row, j, -inf);
                            break;
                        case 5: name = "+inf, -inf and NaN";
                            tc_set(dt, row, pos, inf);
                            tc_set(dt, row, (pos + 1) % cols, -inf);
                            tc_set(dt, row, (pos + 2) % cols, NAN);
                            break;
                        case 6: name = "largest finite values";
                            for (size_t j = 0; j < cols; j++) tc_set(dt, row, j, j % 2 ? big : -big);
                            tc_set(dt, row, pos, big);
                            break;
                        case 7: name = "all equal";
                            for (size_t j = 0; j < cols; j++) tc_set(dt, row, j, -1e4);
                            break;
                        }
                        char ctx[96];
                        snprintf(ctx, sizeof ctx, "row rule '%s' at col %zu", name, pos);
                        run_everywhere(op, dt, 0, &k, 0, 0, ctx);
                        call_free(&k);
                    }
            }
        }
    }
    TC_ASSERT_NO_FAILS(&fails, "softmax rules");
}

/* log_softmax backward dx = dy − e^y·Σdy where e^y is below the normal
 * range of T but e^y·Σdy is not: e^y must keep its bits (found by the
 * fuzzer: 3·10^3–4·10^4 ULP when e^y was rounded to a subnormal first). */
static void test_log_softmax_backward_tiny_exp(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        /* y from where e^y leaves the normal range down to where e^y·Σdy
         * underflows; Σdy large enough that the product is normal. */
        /* f32 and bf16 share float's exponent range; f16's normal range
         * ends at e^-9.7, and its largest dy is below 2^16 */
        static const double y_his[TC_DTYPE_COUNT] = {-87.0, -708.0, -87.0, -9.0};
        static const double y_los[TC_DTYPE_COUNT] = {-150.0, -1100.0, -150.0, -20.0};
        static const double dy_bigs[TC_DTYPE_COUNT] = {0x1p100, 0x1p900, 0x1p100, 0x1p15};
        const double y_hi = y_his[dt], y_lo = y_los[dt], dy_big = dy_bigs[dt];
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_LOG_SOFTMAX)
                continue;
            for (size_t cols = 1; cols <= 40; cols += 3) {
                call k;
                call_new(&k, op, dt, 1, 2, cols, 0);
                for (size_t i = 0; i < 2 * cols; i++) {
                    tc_set(dt, k.in, i, y_hi + (y_lo - y_hi) * (double)((i * 37) % 101) / 100.0);
                    /* one large dy per row, zeros elsewhere: there dx = −e^y·Σdy alone */
                    tc_set(dt, k.dy, i, i % cols == cols / 2 ? dy_big : 0.0);
                }
                run_everywhere(op, dt, 1, &k, 0, 0, "e^y subnormal, e^y*sum(dy) normal");
                call_free(&k);
            }
        }
    }
    TC_ASSERT_NO_FAILS(&fails, "log_softmax backward with subnormal e^y");
}

/* ---- maxout -------------------------------------------------------------------- */

static void test_maxout_shapes(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    const tc_op *op = tc_op_find("maxout");
    tc_rng r;
    tc_rng_init(&r, 0x5eed0303, 33);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t kk = 1; kk <= 5; kk++)
            for (size_t inner = 1; inner <= 19; inner++)
                for (int backward = 0; backward < 2; backward++) {
                    call k;
                    call_new(&k, op, (tc_dtype)d, backward, 1 + tc_rng_below(&r, 3), kk, inner);
                    tc_fill_call(op, (tc_dtype)d, backward, &k.a, &r);
                    run_everywhere(op, (tc_dtype)d, backward, &k, 1, -9, "");
                    call_free(&k);
                }
    TC_ASSERT_NO_FAILS(&fails, "maxout shapes");
}

/* Ties and NaNs, with the selected piece checked bit for bit. */
static void test_maxout_ties_and_nan(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 40};
    const tc_op *op = tc_op_find("maxout");
    const double nan = NAN, inf = INFINITY;
    static const struct {
        const char *what;
        double pieces[4];
    } cases[] = {
        {"-0 then +0", {-0.0, 0.0, -1, -2}},     {"+0 then -0", {0.0, -0.0, -1, -2}},
        {"all equal", {2, 2, 2, 2}},             {"tie after a smaller", {1, 3, 3, -3}},
        {"NaN last", {1, 5, 2, 0}},               {"NaN first", {0, 9, 9, 9}},
        {"NaN among larger", {7, 0, 9, 1}},        {"two NaNs", {1, 0, 0, 3}},
        {"-inf only", {-inf, -inf, -inf, -inf}},  {"+inf tie", {inf, 1, inf, 2}},
    };
    /* NaN positions per case (index into pieces; -1 none); the NaNs are set
     * after the table so each can carry a distinct payload */
    static const int nan_at[][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {3, -1},
                                    {0, -1},  {1, -1},  {1, 3},   {-1, -1}, {-1, -1}};
    /* Row o holds case (c + o) mod the case count, so with 37 rows every
     * lane of a vector of rows (dense maxout, inner = 1, runs its lanes
     * across rows) meets every case, in whole vectors and in the tail. */
    const size_t ncases = sizeof cases / sizeof cases[0];
    static const size_t outers[] = {2, 37};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        for (size_t c = 0; c < ncases; c++)
            for (size_t oi = 0; oi < 2; oi++)
                for (size_t inner = 1; inner <= 19; inner += 6)
                    for (int backward = 0; backward < 2; backward++) {
                        const size_t outer = outers[oi];
                        call k;
                        call_new(&k, op, dt, backward, outer, 4, inner);
                        for (size_t o = 0; o < outer; o++) {
                            const size_t cc = (c + o) % ncases;
                            for (size_t p = 0; p < 4; p++)
                                for (size_t j = 0; j < inner; j++) {
                                    double v = cases[cc].pieces[p];
                                    if ((int)p == nan_at[cc][0] || (int)p == nan_at[cc][1])
                                        v = nan;
                                    tc_set(dt, k.in, (o * 4 + p) * inner + j, v);
                                }
                        }
                        for (size_t i = 0; i < k.c.dy; i++)
                            tc_set(dt, k.dy, i, 1.0 + (double)i);
                        char ctx[80];
                        snprintf(ctx, sizeof ctx, "cases from '%s', %zu rows", cases[c].what, outer);
                        run_everywhere(op, dt, backward, &k, 1, -9, ctx);
                        /* the selected piece, bit for bit (signed zeros, NaN) */
                        for (size_t o = 0; o < outer && !backward; o++) {
                            const size_t row = o * 4 * inner;
                            const size_t sel = oracle_maxout_select(dt, (const char *)k.in + row * tc_size(dt), inner, 4);
                            for (size_t j = 0; j < inner; j++) {
                                const uint64_t want = tc_bits(dt, k.in, row + sel * inner + j);
                                const size_t at = o * inner + j;
                                if (tc_bits(dt, k.out, at) != want &&
                                    !(isnan(tc_get(dt, k.out, at)) && isnan(tc_get(dt, k.in, row + sel * inner + j)))) {
                                    tc_fail(&fails, "maxout %s [%s] %s: y[%zu] bits %llx, expected piece %zu bits %llx",
                                            tc_dtype_name(dt), actfn_isa_name(actfn_get_isa()), ctx, at,
                                            (unsigned long long)tc_bits(dt, k.out, at), sel, (unsigned long long)want);
                                    break;
                                }
                            }
                        }
                        call_free(&k);
                    }
    }
    TC_ASSERT_NO_FAILS(&fails, "maxout ties");
}

int main(void)
{
    isa_count = tc_isas(isa_list);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prelu_shapes),
        cmocka_unit_test(test_prelu_specials),
        cmocka_unit_test(test_softmax_rows),
        cmocka_unit_test(test_softmax_row_rules),
        cmocka_unit_test(test_log_softmax_backward_tiny_exp),
        cmocka_unit_test(test_maxout_shapes),
        cmocka_unit_test(test_maxout_ties_and_nan),
        cmocka_unit_test(test_fused_shapes),
        cmocka_unit_test(test_bias_page_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
