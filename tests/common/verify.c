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
        tc_set(dt, alpha, i,
               op->kind == TC_KIND_GLU    ? fill_value(r, dt)                      /* b: data like a */
               : op->kind == TC_KIND_BIAS ? tc_round(dt, tc_rng_uniform(r, -3, 3)) /* biases */
                                          : tc_round(dt, tc_rng_uniform(r, -1, 2)));
    for (size_t i = 0; i < c.dy; i++)
        tc_set(dt, dy, i, fill_dy(r, dt));
}

/* ---- Expected results --------------------------------------------------- */

/* x + b as the call computes it (the fused bias ops round the sum first,
 * to T; the 16-bit types to float, their compute type: SPEC §9). */
static double sum_in_t(tc_dtype dt, double x, double b)
{
    return tc_compute_type(dt) == TC_F32 ? (double)((float)x + (float)b) : x + b;
}

/* a·b: in T where the result must be exact (one IEEE rounding, no double
 * rounding through long double), else exactly in long double. The 16-bit
 * types' exact products (relu(a)·b, two 16-bit values) are exact in long
 * double: the checks round them once to the storage type. */
static long double product(tc_dtype dt, tc_class cls, long double a, long double b)
{
    if (cls != TC_CLASS_EXACT || tc_is_half(dt))
        return a * b;
    return dt == TC_F32 ? (long double)((float)a * (float)b) : (long double)((double)a * (double)b);
}

/* A gated op's expected value and budget at element i: y (forward), or
 * (backward) da (which == 0) or db (which == 1). With (g, v) the gate and
 * the value: y = act(g)·v; dg = act'(g)·dy·v (the act's backward budget,
 * floor ε|dy·v|); dv = dy·act(g) (the act's forward budget, scaled by |dy|);
 * each with one more ULP for the product's rounding (SPEC §11). */
static void glu_expect(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, size_t i, int which,
                       long double *exact, tc_budget *b)
{
    static const tc_params none;
    const tc_class cls = tc_op_class(op, &none);
    const tc_dtype ct = tc_compute_type(dt);
    const long double ct_min = tc_min_normal(ct);
    const double av = tc_get(dt, a->x, i), bv = tc_get(dt, a->alpha, i);
    const double g = op->gate_b ? bv : av, v = op->gate_b ? av : bv;
    const int gate_side = backward && which == (op->gate_b ? 1 : 0);
    *b = (tc_budget){.cls = cls, .backward = gate_side, .extra_ulps = 1};
    long double f = oracle_unary_fwd(op->unary, dt, g, &none);
    /* act(g) below the smallest normal may be off by that much (SPEC §4),
     * and the product carries it */
    const long double f_abs = fabsl(f) < ct_min ? ct_min : 0;
    /* The factors are the values in T (SPEC §11: the gate's result, then one
     * product): a factor that rounds to ±0 times an infinite one is NaN. */
    if (isinf(v) && tc_round(ct, f) == 0)
        f = tc_round(ct, f);
    /* Below the smallest normal the gate may be off by that much, down to
     * ±0: times ±inf, NaN is then as right as ±inf. */
    const int sub_times_inf = isinf(v) && fabsl(f) < ct_min;
    if (!backward) {
        *exact = product(dt, cls, f, v);
        b->sens = oracle_unary_fwd_sens(op->unary, dt, g, &none) * fabsl((long double)v);
        b->abs_min = f_abs * fabsl((long double)v);
        b->nan_ok = sub_times_inf;
        return;
    }
    const double dy = tc_get(dt, a->dy, i);
    if (gate_side) {
        long double d = oracle_unary_dx(op->unary, dt, g, dy, &none);
        if (isinf(v) && tc_round(ct, d) == 0)
            d = tc_round(ct, d);
        /* act'(g) is a value of T before dy and v scale it: in the subnormal
         * range it may be 0, and 0 times ±inf is NaN */
        b->nan_ok = isinf(v) && (fabsl(d) < ct_min || fabsl(oracle_unary_dx(op->unary, dt, g, 1.0L, &none)) < ct_min);
        *exact = product(dt, cls, cls == TC_CLASS_EXACT ? (long double)tc_round(ct, d) : d, v);
        const long double sens = cls == TC_CLASS_INNER ? oracle_unary_bwd_sens(op->unary, dt, g, &none) : 0;
        b->floor = tc_eps(ct) * fabsl((long double)dy * v) * (1.0L + sens);
    } else {
        *exact = product(dt, cls, dy, cls == TC_CLASS_EXACT ? (long double)tc_round(ct, f) : f);
        b->sens = oracle_unary_fwd_sens(op->unary, dt, g, &none) * fabsl((long double)dy);
        b->abs_min = f_abs * fabsl((long double)dy);
    }
}

/* An elementwise op (a unary op, or the op of a bias_<op> at its rounded
 * sum) at one input: its exact value and the budget's sens / floor. The
 * backward reads `in` as the op's own backward does (from_x = 0: x or y,
 * SPEC §3), or from x for every op (from_x = 1: the fused ops). */
static void unary_expect(const tc_op *op, tc_dtype dt, int backward, int from_x, double in, double dy,
                         const tc_params *par, long double *exact, tc_budget *b)
{
    if (!backward) {
        *exact = oracle_unary_fwd(op->unary, dt, in, par);
        b->sens = oracle_unary_fwd_sens(op->unary, dt, in, par);
        return;
    }
    *exact = from_x ? oracle_unary_dx(op->unary, dt, in, dy, par) : oracle_unary_bwd(op->unary, dt, in, dy, par);
    const long double sens = b->cls == TC_CLASS_INNER ? oracle_unary_bwd_sens(op->unary, dt, in, par) : 0;
    b->floor = tc_eps(tc_compute_type(dt)) * fabsl(dy) * (1.0L + sens);
}

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
        for (size_t i = 0; i < c.out; i++)
            unary_expect(op, dt, backward, 0, tc_get(dt, a->x, i), backward ? tc_get(dt, a->dy, i) : 0, &par,
                         &exact[i], &budget[i]);
        break;
    case TC_KIND_GLU:
        for (size_t i = 0; i < c.out; i++)
            glu_expect(op, dt, backward, a, i, 0, &exact[i], &budget[i]);
        break;
    case TC_KIND_BIAS: {
        /* the op at the rounded sum s = x + bias[c], its own budgets there */
        const size_t ch = a->dim[1], inner = a->dim[2];
        for (size_t i = 0; i < c.out; i++)
            unary_expect(op, dt, backward, 1, sum_in_t(dt, tc_get(dt, a->x, i), tc_get(dt, a->alpha, (i / inner) % ch)),
                         backward ? tc_get(dt, a->dy, i) : 0, &par, &exact[i], &budget[i]);
        break;
    }
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
    char b1[80], b2[80], b3[80];
    switch (op->kind) {
    case TC_KIND_GLU:
        snprintf(buf, size, "a=%s b=%s%s%s", tc_fmt(dt, tc_get(dt, a->x, i), b1, sizeof b1),
                 tc_fmt(dt, tc_get(dt, a->alpha, i), b2, sizeof b2), backward ? " dy=" : "",
                 backward ? tc_fmt(dt, tc_get(dt, a->dy, i), b3, sizeof b3) : "");
        break;
    case TC_KIND_BIAS:
        snprintf(buf, size, "x=%s bias=%s%s%s", tc_fmt(dt, tc_get(dt, a->x, i), b1, sizeof b1),
                 tc_fmt(dt, tc_get(dt, a->alpha, (i / a->dim[2]) % a->dim[1]), b2, sizeof b2),
                 backward ? " dy=" : "", backward ? tc_fmt(dt, tc_get(dt, a->dy, i), b3, sizeof b3) : "");
        break;
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
    if (op->kind == TC_KIND_GLU && backward) {
        /* db, element by element */
        for (size_t i = 0; i < c.dalpha; i++) {
            long double want, err;
            tc_budget bb;
            glu_expect(op, dt, backward, a, i, 1, &want, &bb);
            const double got = tc_get(dt, a->dalpha, i);
            const int ok = tc_check_value(dt, &bb, got, want, &err);
            if (obs)
                obs(ctx, i, got, want, &bb, ok);
            if (ok)
                continue;
            bad++;
            describe_input(op, dt, backward, a, i, where, sizeof where);
            tc_fail(f, "%s [%s] n %zu %s: db[%zu] %s expected %s got %s (%.3Lg ulp)", label,
                    actfn_isa_name(actfn_get_isa()), a->dim[0], context, i, where,
                    tc_fmt(dt, want, b1, sizeof b1), tc_fmt(dt, got, b2, sizeof b2), err);
        }
    }
    if (op->kind == TC_KIND_BIAS && backward && a->dalpha) {
        /* dbias[c] = Σ of the channel's returned dx, within prelu's dalpha bound */
        const size_t outer = a->dim[0], ch = a->dim[1], inner = a->dim[2];
        for (size_t ci = 0; ci < ch; ci++) {
            long double sum = 0, sum_abs = 0;
            for (size_t o = 0; o < outer; o++)
                for (size_t j = 0; j < inner; j++) {
                    const long double d = tc_get(dt, a->out, (o * ch + ci) * inner + j);
                    sum += d;
                    sum_abs += fabsl(d);
                }
            const double got = tc_get(dt, a->dalpha, ci), rounded = tc_round(dt, sum);
            const long double allowed = tc_sum_allowed(dt, outer * inner, sum_abs, sum);
            const int ok = isnan(sum) ? isnan(got)
                         : isinf(rounded) ? got == rounded
                                          : (got == rounded || fabsl((long double)got - sum) <= allowed);
            if (ok)
                continue;
            bad++;
            tc_fail(f, "%s [%s] %s dims %zu,%zu,%zu %s: dbias[%zu] expected %s (the sum of dx) got %s (allowed %Lg)",
                    label, actfn_isa_name(actfn_get_isa()), pstr, outer, ch, inner, context, ci,
                    tc_fmt(dt, sum, b1, sizeof b1), tc_fmt(dt, got, b2, sizeof b2), allowed);
        }
    }
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
            const long double allowed = tc_sum_allowed(dt, terms, sum_abs, sum);
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
