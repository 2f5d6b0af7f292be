/*
 * verify.c — whole-call helpers on top of the registry and the oracle:
 * tc_fill_call() fills a call's inputs with data fit for the op (a backward
 * from y gets real forward outputs), tc_verify_call() judges every output
 * element of a finished call against the oracle with the SPEC §4 budgets.
 * Used by the memory, guard-page and shape tests, and by the fuzzer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "oracle.h"
#include "test_common.h"

/* ---- Inputs ------------------------------------------------------------- */

static double fill_value(tc_rng *r, tc_dtype dt)
{
    const unsigned pick = (unsigned)tc_rng_below(r, 10);
    if (pick < 7)
        return tc_round(dt, tc_rng_uniform(r, -12, 12));
    if (pick < 9)
        return tc_rng_logmag(r, dt, 1e-6, 100);
    return tc_rng_any(r, dt);
}

static double fill_dy(tc_rng *r, tc_dtype dt)
{
    return tc_rng_logmag(r, dt, 0x1p-4, 0x1p4);
}

void tc_fill_call(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, tc_rng *r)
{
    const tc_count c = tc_counts(op, backward, a->dim);
    void *in = (void *)a->x, *alpha = (void *)a->alpha, *dy = (void *)a->dy;
    const tc_params par = tc_params_round(dt, &a->par);
    const int from_y = backward && op->bwd_from == TC_FROM_Y;

    if (op->kind == TC_KIND_SOFTMAX || op->kind == TC_KIND_LOG_SOFTMAX) {
        const size_t cols = a->dim[1];
        long double *lx = malloc((cols ? cols : 1) * sizeof *lx), *ly = malloc((cols ? cols : 1) * sizeof *ly);
        if (!lx || !ly)
            abort();
        for (size_t row = 0; row < a->dim[0]; row++) {
            for (size_t j = 0; j < cols; j++)
                lx[j] = tc_round(dt, tc_rng_uniform(r, -15, 15));
            if (from_y)
                oracle_softmax_row(op->kind == TC_KIND_LOG_SOFTMAX, lx, ly, NULL, cols);
            for (size_t j = 0; j < cols; j++)
                tc_set(dt, in, row * cols + j, from_y ? ly[j] : lx[j]);
        }
        free(lx);
        free(ly);
    } else {
        static const double tie_values[] = {-1, -0.0, 0, 1}; /* signed zeros tie too */
        const int ties = op->kind == TC_KIND_MAXOUT && tc_rng_below(r, 2) == 0;
        for (size_t i = 0; i < c.in; i++) {
            double v = ties ? tie_values[tc_rng_below(r, 4)] : fill_value(r, dt);
            if (from_y)
                v = tc_round(dt, oracle_unary_fwd(op->unary, dt, v, &par));
            tc_set(dt, in, i, v);
        }
    }
    for (size_t i = 0; i < c.alpha; i++)
        tc_set(dt, alpha, i, tc_round(dt, tc_rng_uniform(r, -1, 2)));
    for (size_t i = 0; i < c.dy; i++)
        tc_set(dt, dy, i, fill_dy(r, dt));
}

/* ---- Expected results --------------------------------------------------- */

/* exact[i] and budget[i] for every output element of the call. */
static void expect(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, long double *exact,
                   tc_budget *budget)
{
    const tc_count c = tc_counts(op, backward, a->dim);
    const tc_params par = tc_params_round(dt, &a->par);
    const tc_class cls = tc_op_class(op, &par);
    for (size_t i = 0; i < c.out; i++)
        budget[i] = (tc_budget){.cls = cls, .backward = backward};

    switch (op->kind) {
    case TC_KIND_UNARY:
        for (size_t i = 0; i < c.out; i++) {
            const double x = tc_get(dt, a->x, i);
            if (!backward) {
                exact[i] = oracle_unary_fwd(op->unary, dt, x, &par);
                budget[i].sens = oracle_unary_fwd_sens(op->unary, dt, x, &par);
            } else {
                const double dy = tc_get(dt, a->dy, i);
                exact[i] = oracle_unary_bwd(op->unary, dt, x, dy, &par);
                const long double sens = cls == TC_CLASS_INNER ? oracle_unary_bwd_sens(op->unary, dt, x, &par) : 0;
                budget[i].floor = tc_eps(dt) * fabsl(dy) * (1.0L + sens);
            }
        }
        break;
    case TC_KIND_PRELU: {
        const size_t ch = a->dim[1], inner = a->dim[2];
        for (size_t i = 0; i < c.out; i++) {
            const double x = tc_get(dt, a->x, i), al = tc_get(dt, a->alpha, (i / inner) % ch);
            exact[i] = backward ? oracle_prelu_bwd(dt, x, al, tc_get(dt, a->dy, i)) : oracle_prelu_fwd(dt, x, al);
        }
        break;
    }
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX: {
        const int log = op->kind == TC_KIND_LOG_SOFTMAX;
        const size_t cols = a->dim[1];
        long double *lx = malloc(3 * (cols ? cols : 1) * sizeof *lx);
        if (!lx)
            abort();
        long double *ldy = lx + cols, *tmp = ldy + cols;
        for (size_t row = 0; row < a->dim[0]; row++) {
            const size_t base = row * cols;
            for (size_t j = 0; j < cols; j++) {
                lx[j] = tc_get(dt, a->x, base + j);
                if (backward)
                    ldy[j] = tc_get(dt, a->dy, base + j);
            }
            if (!backward)
                oracle_softmax_row(log, lx, exact + base, tmp, cols);
            else
                oracle_softmax_bwd_row(log, dt, lx, ldy, exact + base, tmp, cols);
            for (size_t j = 0; j < cols; j++) {
                budget[base + j].cols = cols;
                if (backward)
                    budget[base + j].floor = tmp[j];
                else
                    budget[base + j].sens = tmp[j];
            }
        }
        free(lx);
        break;
    }
    case TC_KIND_MAXOUT: {
        const size_t k = a->dim[1], inner = a->dim[2], es = tc_size(dt);
        for (size_t o = 0; o < a->dim[0]; o++)
            for (size_t j = 0; j < inner; j++) {
                const size_t base = o * k * inner + j;
                const size_t sel = oracle_maxout_select(dt, (const char *)a->x + base * es, inner, k);
                if (!backward) {
                    exact[o * inner + j] = tc_get(dt, a->x, base + sel * inner);
                } else {
                    for (size_t p = 0; p < k; p++)
                        exact[base + p * inner] = p == sel ? (long double)tc_get(dt, a->dy, o * inner + j) : 0.0L;
                }
            }
        break;
    }
    }
}

/* Where element i of the output came from, for messages. */
static void describe_input(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, size_t i, char *buf,
                           size_t size)
{
    char b1[80], b2[80];
    switch (op->kind) {
    case TC_KIND_UNARY:
    case TC_KIND_PRELU:
        snprintf(buf, size, "in=%s%s%s", tc_fmt(dt, tc_get(dt, a->x, i), b1, sizeof b1), backward ? " dy=" : "",
                 backward ? tc_fmt(dt, tc_get(dt, a->dy, i), b2, sizeof b2) : "");
        break;
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX:
        snprintf(buf, size, "row %zu col %zu in=%s", i / a->dim[1], i % a->dim[1],
                 tc_fmt(dt, tc_get(dt, a->x, i), b1, sizeof b1));
        break;
    case TC_KIND_MAXOUT:
        snprintf(buf, size, "element %zu%s", i,
                 backward ? "" : " (max over its pieces)");
        break;
    }
}

/* maxout passes values through: y is the selected piece bit for bit (a
 * signed zero included), and dx holds dy's bits at the selected piece. */
static size_t maxout_bits(tc_dtype dt, int backward, const tc_args *a, const char *label, const char *context,
                          tc_fails *f)
{
    const size_t k = a->dim[1], inner = a->dim[2], es = tc_size(dt);
    size_t bad = 0;
    for (size_t o = 0; o < a->dim[0]; o++)
        for (size_t j = 0; j < inner; j++) {
            const size_t base = o * k * inner + j;
            const size_t sel = oracle_maxout_select(dt, (const char *)a->x + base * es, inner, k);
            const size_t out_i = backward ? base + sel * inner : o * inner + j;
            const void *src = backward ? a->dy : a->x;
            const size_t src_i = backward ? o * inner + j : base + sel * inner;
            const double got = tc_get(dt, a->out, out_i), want = tc_get(dt, src, src_i);
            if (tc_bits(dt, a->out, out_i) == tc_bits(dt, src, src_i) || (isnan(got) && isnan(want)))
                continue;
            bad++;
            tc_fail(f, "%s [%s] dims %zu,%zu,%zu %s: out[%zu] bits %llx, expected the bits %llx of piece %zu", label,
                    actfn_isa_name(actfn_get_isa()), a->dim[0], k, inner, context, out_i,
                    (unsigned long long)tc_bits(dt, a->out, out_i), (unsigned long long)tc_bits(dt, src, src_i), sel);
        }
    return bad;
}

size_t tc_verify_call(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, const char *context,
                      tc_fails *f, tc_observer obs, void *ctx)
{
    const tc_count c = tc_counts(op, backward, a->dim);
    const size_t n_out = c.out ? c.out : 1;
    long double *exact = malloc(n_out * sizeof *exact);
    tc_budget *budget = malloc(n_out * sizeof *budget);
    if (!exact || !budget)
        abort();
    expect(op, dt, backward, a, exact, budget);

    size_t bad = 0;
    char label[64], pstr[96], where[200], b1[80], b2[80];
    tc_label(op, backward, dt, label, sizeof label);
    tc_params_str(op, &a->par, pstr, sizeof pstr);
    for (size_t i = 0; i < c.out; i++) {
        const double got = tc_get(dt, a->out, i);
        long double err;
        const int ok = tc_check_value(dt, &budget[i], got, exact[i], &err);
        if (obs)
            obs(ctx, i, got, exact[i], &budget[i], ok);
        if (ok)
            continue;
        bad++;
        describe_input(op, dt, backward, a, i, where, sizeof where);
        tc_fail(f, "%s [%s] %s dims %zu,%zu,%zu %s: out[%zu] %s expected %s got %s (%.3Lg ulp)", label,
                actfn_isa_name(actfn_get_isa()), pstr, a->dim[0], a->dim[1], a->dim[2], context, i, where,
                tc_fmt(dt, exact[i], b1, sizeof b1), tc_fmt(dt, got, b2, sizeof b2), err);
    }
    if (op->kind == TC_KIND_MAXOUT)
        bad += maxout_bits(dt, backward, a, label, context, f);
    if (op->kind == TC_KIND_PRELU && backward && a->dalpha) {
        /* dalpha[c] = Σ over outer and inner of (x > 0 ? 0 : x·dy) */
        const size_t outer = a->dim[0], ch = a->dim[1], inner = a->dim[2];
        for (size_t ci = 0; ci < ch; ci++) {
            long double sum = 0, sum_abs = 0;
            size_t terms = 0;
            for (size_t o = 0; o < outer; o++)
                for (size_t j = 0; j < inner; j++) {
                    const size_t i = (o * ch + ci) * inner + j;
                    const long double x = tc_get(dt, a->x, i);
                    if (x > 0)
                        continue;
                    const long double term = oracle_lim_mul(x, tc_get(dt, a->dy, i));
                    sum += term;
                    sum_abs += fabsl(term);
                    terms++;
                }
            const double got = tc_get(dt, a->dalpha, ci), rounded = tc_round(dt, sum);
            const long double allowed = tc_dalpha_allowed(dt, terms, sum_abs);
            const int ok = isnan(sum) ? isnan(got)
                         : isinf(rounded) ? got == rounded
                                          : (got == rounded || fabsl((long double)got - sum) <= allowed);
            if (ok)
                continue;
            bad++;
            tc_fail(f, "%s [%s] dims %zu,%zu,%zu %s: dalpha[%zu] expected %s got %s (allowed %Lg absolute)", label,
                    actfn_isa_name(actfn_get_isa()), outer, ch, inner, context, ci, tc_fmt(dt, sum, b1, sizeof b1),
                    tc_fmt(dt, got, b2, sizeof b2), allowed);
        }
    }
    free(exact);
    free(budget);
    return bad;
}
