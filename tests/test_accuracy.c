/*
 * test_accuracy.c — every ISA × op × pass × dtype against the long-double
 * oracle, judged by the budgets of SPEC §4 exactly as written (tests/common/
 * budget.c). Inputs: random values over all magnitudes, dense samples near
 * 0, near the kinks and in the tails. Piecewise-linear ops must also give
 * the very bits of the scalar ISA. Prints the max error found per op, pass,
 * dtype and ISA (for docs/accuracy.md).
 *
 * ACTFN_TEST_SCALE scales the sample counts; ACTFN_TEST_SEED the inputs.
 */
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

/* ---- Max-error table ------------------------------------------------------ */

#define MAX_OPS TC_MAX_OPS

typedef struct {
    long double max_ulp; /* among results judged in ULPs (see ulp_judged) */
    double worst_x;      /* the input (x or in) where it occurred */
    long double max_use; /* max of error / allowed error, over all results */
    unsigned long checked, failed;
} err_stat;

static err_stat stats[MAX_OPS][2][TC_DTYPE_COUNT][TC_MAX_ISAS];
static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;
static tc_fails fails;

/* Each test function counts its own failures. */
static void reset_fails(void)
{
    fails = (tc_fails){0, 0, 200};
}

/* Print at most a few failures per op / pass / dtype / ISA cell, so one bad
 * kernel cannot hide the others; the rest are only counted. */
#define PRINTS_PER_CELL 4
#define CELL_FAIL(cell, ...)                          \
    do {                                              \
        if ((cell)->failed < PRINTS_PER_CELL)         \
            tc_fail(&fails, __VA_ARGS__);             \
        else                                          \
            fails.count++;                            \
    } while (0)

/* A result is judged in ULPs when the ULP term dominates its budget: a
 * normal result whose floor (backward) or allowance A (forward) adds at
 * most as much again. Other results are judged by an absolute size; the
 * table's ULP column leaves them out, the budget-use column does not. */
static int ulp_judged(tc_dtype dt, const tc_budget *b, long double exact)
{
    if (!isfinite(exact) || fabsl(exact) < (long double)tc_min_normal(dt))
        return 0;
    if (b->cls == TC_CLASS_LOG_SOFTMAX && !b->backward && tc_ulp(dt, exact) < (long double)tc_eps(dt))
        return 0; /* judged in eps there */
    tc_budget plain = *b;
    plain.floor = 0;
    plain.sens = 0;
    return tc_allowed(dt, b, exact) <= 2 * tc_allowed(dt, &plain, exact);
}

static void note(size_t op_index, int backward, tc_dtype dt, size_t isa_index, const tc_budget *b, double got,
                 long double exact, double x, int ok)
{
    err_stat *s = &stats[op_index][backward][dt][isa_index];
    s->checked++;
    if (!ok)
        s->failed++;
    const long double err = tc_ulp_err(dt, got, exact);
    if (ulp_judged(dt, b, exact) && err > s->max_ulp) {
        s->max_ulp = err;
        s->worst_x = x;
    }
    if (b->cls != TC_CLASS_EXACT && isfinite(exact) && isfinite(got) && got != tc_round(dt, exact)) {
        const long double use = fabsl((long double)got - exact) / tc_allowed(dt, b, exact);
        if (use > s->max_use)
            s->max_use = use;
    } else if (!ok) {
        s->max_use = INFINITY;
    }
}

static void print_table(void)
{
    printf("\nmax error in ULPs (at input), among results judged in ULPs, and the largest\n"
           "fraction of the SPEC §4 budget used by any result, per op / pass / dtype / ISA\n"
           "(seed %llu, ACTFN_TEST_SEED to change):\n", (unsigned long long)tc_rng_seed_used());
    printf("%-22s %-4s", "op", "type");
    for (size_t i = 0; i < isa_count; i++)
        printf(" %28s", actfn_isa_name(isa_list[i]));
    printf("\n");
    for (size_t o = 0; o < tc_op_count; o++)
        for (int b = 0; b < 2; b++)
            for (int d = 0; d < TC_DTYPE_COUNT; d++) {
                if (!stats[o][b][d][0].checked)
                    continue;
                char name[64];
                snprintf(name, sizeof name, "%s%s", tc_ops[o].name, b ? "_backward" : "");
                printf("%-22s %-4s", name, tc_dtype_name((tc_dtype)d));
                for (size_t i = 0; i < isa_count; i++) {
                    const err_stat *s = &stats[o][b][d][i];
                    char cell[64];
                    snprintf(cell, sizeof cell, "%.3Lg (%.4g) %.0Lf%%%s", s->max_ulp, s->worst_x,
                             100 * s->max_use, s->failed ? " FAIL" : "");
                    printf(" %28s", cell);
                }
                printf("\n");
            }
    fflush(stdout);
}

/* ---- Inputs --------------------------------------------------------------- */

/* Points where the ops bend, saturate or under/overflow, in either type. */
static const double interesting[] = {
    0,    0.5,  0.75, 1,    1.25, 1.2785, 1.5,   2,     2.5,   3,     4,     5,     6,   8,   9,
    10,   12,   13,   14,   15,   16,     17,    18,    20,    25,    30,    35,    37.5, 38.5, 40,
    50,   80,   86,   87.3, 88.7, 89,     100,   103,   104,   150,   300,   700,   708, 709.8, 745,
    1000, 1e5,  1e10, 1e20, 1e30};

/* The range where e^x and its kin saturate or underflow in T: f32 and bf16
 * (float's exponent range), f64, f16 (e^11 ≈ 6·10^4, e^-17 ≈ 4·10^-8). */
static void tail_range(tc_dtype dt, double *lo, double *hi)
{
    static const double los[TC_DTYPE_COUNT] = {-110, -760, -110, -25};
    static const double his[TC_DTYPE_COUNT] = {100, 720, 100, 15};
    *lo = los[dt];
    *hi = his[dt];
}

static double sample_input(tc_rng *r, tc_dtype dt, const tc_params *par, int nparams)
{
    const unsigned pick = (unsigned)tc_rng_below(r, 100);
    double lo, hi;
    tail_range(dt, &lo, &hi);
    if (pick < 20)
        return tc_rng_any(r, dt);
    if (pick < 40)
        return tc_round(dt, tc_rng_uniform(r, lo, hi));
    if (pick < 60)
        return tc_round(dt, tc_rng_uniform(r, -20, 20));
    if (pick < 75)
        return tc_rng_logmag(r, dt, 0x1p-40, 4);
    /* near a kink, a parameter or a tail point: a few ULPs or a small
     * relative step away */
    double p;
    const size_t n_int = sizeof interesting / sizeof interesting[0];
    const size_t which = tc_rng_below(r, n_int + 2 * (size_t)nparams + 1);
    if (which < n_int)
        p = (tc_rng_u64(r) & 1) ? -interesting[which] : interesting[which];
    else if (which < n_int + (size_t)nparams)
        p = par->p[which - n_int];
    else if (which < n_int + 2 * (size_t)nparams && par->p[0] != 0)
        p = par->p[1] / par->p[0]; /* e.g. the softplus threshold in x */
    else
        p = 0;
    if (!isfinite(p))
        p = 0;
    p = tc_round(dt, p);
    if (tc_rng_u64(r) & 1) {
        int steps = (int)tc_rng_below(r, 129) - 64;
        const double toward = steps < 0 ? -INFINITY : INFINITY;
        for (; steps != 0; steps += steps < 0 ? 1 : -1)
            p = tc_next(dt, p, toward);
        return p;
    }
    return tc_round(dt, p + tc_rng_uniform(r, -1, 1) * (fabs(p) + 1) * 1e-3);
}

/* The range of typical activations, |x| <= 10, where every lane of a
 * vector is: sigmoid, silu, swish and gelu_tanh then take their fast
 * logistic path (|t| <= 80) and f32 gelu its plain rational (no lane below
 * -10, vm_gauss_plain_ok), which the wide samples above, with a lane
 * beyond on most vectors, seldom reach. */
static double sample_common(tc_rng *r, tc_dtype dt)
{
    const double v = tc_rng_below(r, 2) ? tc_rng_uniform(r, 0, 10) : tc_rng_logmag(r, dt, 0x1p-40, 10);
    return tc_round(dt, (tc_rng_u64(r) & 1) ? -v : v);
}

static double sample_dy(tc_rng *r, tc_dtype dt)
{
    if (tc_rng_below(r, 10) == 0)
        return (tc_rng_u64(r) & 1) ? -1.0 : 1.0;
    return tc_rng_logmag(r, dt, 0x1p-10, 0x1p10);
}

/* ---- Elementwise ops ------------------------------------------------------ */

static char *fmt(tc_dtype dt, long double v, char *buf)
{
    return (char *)tc_fmt(dt, v, buf, 80);
}

/* n inputs: random samples over every range (INPUTS_WIDE), or only in the
 * typical one (INPUTS_COMMON, sample_common), or (INPUTS_EVERY_PATTERN,
 * 16-bit types) n bit patterns spread evenly over all 65536 — every one of
 * them when n is. */
enum inputs { INPUTS_WIDE, INPUTS_COMMON, INPUTS_EVERY_PATTERN };

static void check_unary(size_t op_index, tc_dtype dt, const tc_params *par_in, size_t n, enum inputs inputs,
                        tc_rng *r)
{
    const tc_op *op = &tc_ops[op_index];
    const tc_params par = tc_params_round(dt, par_in);
    const tc_class cls = tc_op_class(op, &par);
    const size_t es = tc_size(dt);
    void *x = calloc(n, es), *in = calloc(n, es), *dy = calloc(n, es), *out = calloc(n, es), *ref = calloc(n, es);
    long double *exact_y = calloc(n, sizeof(long double)), *exact_dx = calloc(n, sizeof(long double));
    long double *sens = calloc(n, sizeof(long double)), *floor = calloc(n, sizeof(long double));
    assert_non_null(x);
    assert_non_null(exact_dx);

    for (size_t i = 0; i < n; i++) {
        if (inputs == INPUTS_EVERY_PATTERN)
            tc_set_bits(dt, x, i, i * 65536 / n);
        else if (inputs == INPUTS_COMMON)
            tc_set(dt, x, i, sample_common(r, dt));
        else
            tc_set(dt, x, i, sample_input(r, dt, &par, op->nparams));
        const double xi = tc_get(dt, x, i);
        tc_set(dt, dy, i, sample_dy(r, dt));
        exact_y[i] = oracle_unary_fwd(op->unary, dt, xi, &par);
        sens[i] = oracle_unary_fwd_sens(op->unary, dt, xi, &par);
        /* backward input: x, or y = f(x) rounded to T as a forward pass would give */
        const double in_i = op->bwd_from == TC_FROM_Y ? tc_round(dt, exact_y[i]) : xi;
        tc_set(dt, in, i, in_i);
        const double dyi = tc_get(dt, dy, i);
        exact_dx[i] = oracle_unary_bwd(op->unary, dt, in_i, dyi, &par);
        floor[i] = tc_eps(tc_compute_type(dt)) * fabsl(dyi) *
                   (1.0L + (cls == TC_CLASS_INNER ? oracle_unary_bwd_sens(op->unary, dt, xi, &par) : 0.0L));
    }

    char label[64], pstr[96], b1[80], b2[80], b3[80], b4[80];
    tc_params_str(op, &par, pstr, sizeof pstr);
    for (int backward = 0; backward < 2; backward++) {
        tc_label(op, backward, dt, label, sizeof label);
        for (size_t k = 0; k < isa_count; k++) {
            tc_use_isa(isa_list[k]);
            const tc_args a = {.x = backward ? in : x, .dy = dy, .out = out, .dim = {n, 0, 0}, .par = par};
            const int status = tc_call(op, dt, backward, &a);
            if (status != ACTFN_OK) {
                tc_fail(&fails, "%s [%s] %s: status %d", label, actfn_isa_name(isa_list[k]), pstr, status);
                continue;
            }
            if (k == 0)
                memcpy(ref, out, n * es);
            for (size_t i = 0; i < n; i++) {
                const double got = tc_get(dt, out, i);
                const long double exact = backward ? exact_dx[i] : exact_y[i];
                const tc_budget bud = {.cls = cls, .backward = backward, .sens = sens[i], .floor = floor[i]};
                long double err;
                int ok = tc_check_value(dt, &bud, got, exact, &err);
                const double in_i = tc_get(dt, backward ? in : x, i);
                const err_stat *cell = &stats[op_index][backward][dt][k];
                if (!ok)
                    CELL_FAIL(cell, "%s [%s] %s: in=%s dy=%s expected %s got %s (%.3Lg ulp, allowed %.3Lg ulp)",
                            label, actfn_isa_name(isa_list[k]), pstr, fmt(dt, in_i, b1),
                            fmt(dt, tc_get(dt, dy, i), b2), fmt(dt, exact, b3), fmt(dt, got, b4), err,
                            tc_allowed(dt, &bud, exact) / tc_ulp(dt, exact));
                if (ok && cls == TC_CLASS_EXACT && tc_bits(dt, out, i) != tc_bits(dt, ref, i)) {
                    ok = 0;
                    CELL_FAIL(cell, "%s [%s] %s: in=%s not bit-identical to scalar: %s vs %s", label,
                            actfn_isa_name(isa_list[k]), pstr, fmt(dt, in_i, b1), fmt(dt, got, b2),
                            fmt(dt, tc_get(dt, ref, i), b3));
                }
                note(op_index, backward, dt, k, &bud, got, exact, in_i, ok);
            }
        }
    }
    free(x), free(in), free(dy), free(out), free(ref);
    free(exact_y), free(exact_dx), free(sens), free(floor);
}

static void test_unary_accuracy(void **state)
{
    (void)state;
    reset_fails();
    tc_rng r;
    tc_rng_init(&r, 0x5eed0001, 1);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_UNARY)
                continue;
            /* the defaults get most of the samples: for the 16-bit types
             * every bit pattern (fewer, evenly spread, below scale 1); in
             * f32 and f64 also a call in the typical range only */
            for (int s = 0; s < op->nsets; s++) {
                const int every = tc_is_half((tc_dtype)d) && s == 0;
                size_t n = tc_scaled(s == 0 ? 40000 : 8000);
                if (every)
                    n = tc_scaled(65536) < 65536 ? tc_scaled(65536) : 65536;
                check_unary(o, (tc_dtype)d, &op->sets[s], n, every ? INPUTS_EVERY_PATTERN : INPUTS_WIDE, &r);
                if (s == 0 && !tc_is_half((tc_dtype)d))
                    check_unary(o, (tc_dtype)d, &op->sets[s], tc_scaled(20000), INPUTS_COMMON, &r);
            }
        }
    TC_ASSERT_NO_FAILS(&fails, "accuracy");
}

/* ---- Shaped ops: whole calls judged by tc_verify_call ----------------------- */

typedef struct {
    size_t op_index, isa_index;
    int backward;
    tc_dtype dt;
    const void *in;
    size_t n_in;
} observe_ctx;

/* Feed every judged element into the max-error table. */
static void observe(void *vctx, size_t i, double got, long double exact, const tc_budget *b, int ok)
{
    const observe_ctx *c = vctx;
    const double x = i < c->n_in ? tc_get(c->dt, c->in, i) : NAN;
    note(c->op_index, c->backward, c->dt, c->isa_index, b, got, exact, x, ok);
}

/* Run one call on every ISA: within budget of the oracle and, for the
 * piecewise-linear ops, the very bits of the scalar ISA. */
static void run_shaped(size_t op_index, tc_dtype dt, int backward, const tc_args *a)
{
    const tc_op *op = &tc_ops[op_index];
    const tc_count c = tc_counts(op, backward, a->dim);
    const size_t es = tc_size(dt);
    void *ref = calloc(c.out + 1, es);
    assert_non_null(ref);
    char label[64], b1[80], b2[80];
    tc_label(op, backward, dt, label, sizeof label);
    for (size_t k = 0; k < isa_count; k++) {
        tc_use_isa(isa_list[k]);
        const char *isa = actfn_isa_name(isa_list[k]);
        const int status = tc_call(op, dt, backward, a);
        if (status != ACTFN_OK) {
            tc_fail(&fails, "%s [%s] dims %zu,%zu,%zu: status %d", label, isa, a->dim[0], a->dim[1], a->dim[2], status);
            continue;
        }
        observe_ctx ctx = {op_index, k, backward, dt, a->x, c.in};
        tc_verify_call(op, dt, backward, a, "", &fails, observe, &ctx);
        if (k == 0) {
            memcpy(ref, a->out, c.out * es);
            continue;
        }
        if (op->cls != TC_CLASS_EXACT)
            continue;
        for (size_t i = 0; i < c.out; i++) {
            const double got = tc_get(dt, a->out, i), want = tc_get(dt, ref, i);
            if (tc_bits(dt, a->out, i) != tc_bits(dt, ref, i) && !(isnan(got) && isnan(want))) {
                tc_fail(&fails, "%s [%s] dims %zu,%zu,%zu: out[%zu] %s not bit-identical to scalar %s", label, isa,
                        a->dim[0], a->dim[1], a->dim[2], i, fmt(dt, got, b1), fmt(dt, want, b2));
                break;
            }
        }
    }
    free(ref);
}

/* ---- prelu ------------------------------------------------------------------ */

static double sample_alpha(tc_rng *r, tc_dtype dt)
{
    static const double fixed[] = {0, -0.0, 0.25, 0.01, -1, 1, 3.5};
    if (tc_rng_below(r, 3) == 0)
        return fixed[tc_rng_below(r, sizeof fixed / sizeof fixed[0])];
    return tc_rng_logmag(r, dt, 1e-3, 10);
}

static void check_prelu(size_t op_index, tc_dtype dt, size_t outer, size_t ch, size_t inner, tc_rng *r)
{
    const size_t n = outer * ch * inner, es = tc_size(dt);
    void *x = calloc(n, es), *dy = calloc(n, es), *out = calloc(n, es);
    void *alpha = calloc(ch, es), *dalpha = calloc(ch, es);
    assert_non_null(x);
    assert_non_null(dalpha);
    const tc_params none = {{0, 0}};
    for (size_t i = 0; i < n; i++) {
        tc_set(dt, x, i, sample_input(r, dt, &none, 0));
        tc_set(dt, dy, i, sample_dy(r, dt));
    }
    for (size_t c = 0; c < ch; c++)
        tc_set(dt, alpha, c, sample_alpha(r, dt));
    for (int backward = 0; backward < 2; backward++) {
        const tc_args a = {.x = x, .alpha = alpha, .dy = dy, .out = out, .dalpha = dalpha,
                           .dim = {outer, ch, inner}};
        run_shaped(op_index, dt, backward, &a);
    }
    free(x), free(dy), free(out), free(alpha), free(dalpha);
}

static void test_prelu_accuracy(void **state)
{
    (void)state;
    reset_fails();
    tc_rng r;
    tc_rng_init(&r, 0x5eed0002, 2);
    const size_t reps = tc_scaled(40);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t t = 0; t < reps; t++) {
            const size_t outer = 1 + tc_rng_below(&r, 4), ch = 1 + tc_rng_below(&r, 9);
            const size_t inner = 1 + tc_rng_below(&r, 70);
            check_prelu((size_t)(tc_op_find("prelu") - tc_ops), (tc_dtype)d, outer, ch, inner, &r);
        }
    TC_ASSERT_NO_FAILS(&fails, "prelu");
}

/* ---- softmax / log_softmax ---------------------------------------------------- */

/* One row of inputs: a spread of `spread` around a random centre, with a
 * few entries far below (the tails) now and then. */
static void fill_row(tc_rng *r, tc_dtype dt, void *x, size_t base, size_t cols)
{
    static const double spreads[] = {1, 10, 50, 100, 1000};
    const double spread = spreads[tc_rng_below(r, sizeof spreads / sizeof spreads[0])];
    const double centre = tc_rng_uniform(r, -100, 100);
    for (size_t j = 0; j < cols; j++) {
        double v = centre + tc_rng_uniform(r, -spread, spread);
        if (tc_rng_below(r, 16) == 0)
            v = centre - tc_rng_uniform(r, 60, dt == TC_F64 ? 760 : 110);
        tc_set(dt, x, base + j, v);
    }
}

static void check_softmax(size_t op_index, tc_dtype dt, size_t rows, size_t cols, tc_rng *r)
{
    const int log = tc_ops[op_index].kind == TC_KIND_LOG_SOFTMAX;
    const size_t n = rows * cols, es = tc_size(dt);
    void *x = calloc(n, es), *y = calloc(n, es), *dy = calloc(n, es), *out = calloc(n, es);
    long double *lx = calloc(cols, sizeof(long double)), *ly = calloc(cols, sizeof(long double));
    assert_non_null(x);
    assert_non_null(ly);
    for (size_t row = 0; row < rows; row++) {
        fill_row(r, dt, x, row * cols, cols);
        for (size_t j = 0; j < cols; j++) {
            lx[j] = tc_get(dt, x, row * cols + j);
            tc_set(dt, dy, row * cols + j, sample_dy(r, dt));
        }
        /* the backward reads y: the forward's exact result rounded to T */
        oracle_softmax_row(log, lx, ly, NULL, cols);
        for (size_t j = 0; j < cols; j++)
            tc_set(dt, y, row * cols + j, ly[j]);
    }
    for (int backward = 0; backward < 2; backward++) {
        const tc_args a = {.x = backward ? y : x, .dy = dy, .out = out, .dim = {rows, cols, 0}};
        run_shaped(op_index, dt, backward, &a);
    }
    free(x), free(y), free(dy), free(out), free(lx), free(ly);
}

static void test_softmax_accuracy(void **state)
{
    (void)state;
    reset_fails();
    static const size_t col_set[] = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 67, 100, 257, 1024};
    tc_rng r;
    tc_rng_init(&r, 0x5eed0003, 3);
    const size_t reps = tc_scaled(4);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t o = 0; o < tc_op_count; o++) {
            if (tc_ops[o].kind != TC_KIND_SOFTMAX && tc_ops[o].kind != TC_KIND_LOG_SOFTMAX)
                continue;
            for (size_t c = 0; c < sizeof col_set / sizeof col_set[0]; c++)
                for (size_t t = 0; t < reps; t++)
                    check_softmax(o, (tc_dtype)d, 1 + tc_rng_below(&r, 5), col_set[c], &r);
        }
    TC_ASSERT_NO_FAILS(&fails, "softmax");
}

/* ---- maxout ------------------------------------------------------------------- */

static void check_maxout(size_t op_index, tc_dtype dt, size_t outer, size_t k, size_t inner, tc_rng *r)
{
    const size_t n = outer * k * inner, ny = outer * inner, es = tc_size(dt);
    void *x = calloc(n, es), *dy = calloc(ny, es), *out = calloc(n, es);
    assert_non_null(x);
    assert_non_null(out);
    /* few distinct values, so ties are common; signed zeros among them */
    static const double small_set[] = {-1, -0.0, 0, 0.5, 2};
    const int ties = tc_rng_below(r, 2) == 0;
    const tc_params none = {{0, 0}};
    for (size_t i = 0; i < n; i++)
        tc_set(dt, x, i, ties ? small_set[tc_rng_below(r, 5)] : sample_input(r, dt, &none, 0));
    for (size_t i = 0; i < ny; i++)
        tc_set(dt, dy, i, sample_dy(r, dt));
    for (int backward = 0; backward < 2; backward++) {
        const tc_args a = {.x = x, .dy = dy, .out = out, .dim = {outer, k, inner}};
        run_shaped(op_index, dt, backward, &a);
    }
    free(x), free(dy), free(out);
}

static void test_maxout_accuracy(void **state)
{
    (void)state;
    reset_fails();
    tc_rng r;
    tc_rng_init(&r, 0x5eed0004, 4);
    const size_t reps = tc_scaled(60);
    const size_t op_index = (size_t)(tc_op_find("maxout") - tc_ops);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t t = 0; t < reps; t++)
            check_maxout(op_index, (tc_dtype)d, 1 + tc_rng_below(&r, 4), 1 + tc_rng_below(&r, 6),
                         1 + tc_rng_below(&r, 40), &r);
    TC_ASSERT_NO_FAILS(&fails, "maxout");
}

/* ---- Gated and fused bias ops (SPEC §11) -------------------------------------- */

/* Random calls of every glu and bias_<op> op, each parameter set, judged
 * on every ISA by the oracle (the gate's / op's budgets, glu's db and the
 * dbias sums included). */
static void test_fused_accuracy(void **state)
{
    (void)state;
    reset_fails();
    tc_rng r;
    tc_rng_init(&r, 0x5eed0005, 5);
    const size_t reps = tc_scaled(12);
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_GLU && op->kind != TC_KIND_BIAS)
                continue;
            for (int s = 0; s < op->nsets; s++)
                for (size_t t = 0; t < reps; t++) {
                    size_t dim[3] = {1 + tc_rng_below(&r, 300), 0, 0};
                    if (op->kind == TC_KIND_BIAS) {
                        dim[0] = 1 + tc_rng_below(&r, 3), dim[1] = 1 + tc_rng_below(&r, 20);
                        dim[2] = tc_rng_below(&r, 2) ? 1 : 1 + tc_rng_below(&r, 40);
                    }
                    for (int backward = 0; backward < 2; backward++) {
                        const tc_count c = tc_counts(op, backward, dim);
                        const size_t es = tc_size((tc_dtype)d);
                        void *x = calloc(c.in + 1, es), *alpha = calloc(c.alpha + 1, es);
                        void *dy = calloc(c.dy + 1, es), *out = calloc(c.out + 1, es);
                        void *dalpha = calloc(c.dalpha + 1, es);
                        assert_non_null(dalpha);
                        tc_args a = {.x = x, .alpha = alpha, .dy = dy, .out = out,
                                     .dalpha = backward ? dalpha : NULL, .par = op->sets[s]};
                        memcpy(a.dim, dim, sizeof dim);
                        tc_fill_call(op, (tc_dtype)d, backward, &a, &r);
                        run_shaped(o, (tc_dtype)d, backward, &a);
                        free(x), free(alpha), free(dy), free(out), free(dalpha);
                    }
                }
        }
    TC_ASSERT_NO_FAILS(&fails, "fused");
}

/* ---- The rounding to a 16-bit type ------------------------------------------- */

/*
 * The exact ops on every bit pattern of bf16 and f16 with slopes and bounds
 * whose f32 results need rounding to the storage type: halfway cases (slopes
 * 0.75, 3, 1.5, 1+2^-8, 1+2^-11), float products that land on a halfway
 * point though the exact product is off it, so that rounding the float
 * product to nearest even picks the wrong side (slopes 0.7, 0.01 and
 * 1.1·2^-10 as floats: thousands of patterns in the normal range and some
 * in the subnormal range of both types, forward and backward), results in
 * the subnormal range (2^-10, 3·2^-20), overflow on rounding (3, 1.5: near
 * the largest finite), NaN
 * inputs of every pattern (the result must be a quiet NaN, SPEC §9), and
 * bounds that are floats but not values of T (hardtanh). Every result must
 * be the exact value correctly rounded, on every ISA, with the sign of a
 * zero the exact product's (SPEC §3: bit-identical on every ISA).
 */
static void test_half_rounding(void **state)
{
    (void)state;
    reset_fails();
    static const struct {
        const char *op;
        double p0, p1;
        int backward; /* leaky_relu backward: dx = alpha·dy at x = -1, dy every pattern */
    } rows[] = {
        {"leaky_relu", 0.75, 0, 0},        {"leaky_relu", 3, 0, 0},           {"leaky_relu", 1.5, 0, 0},
        {"leaky_relu", 1.00390625, 0, 0},  {"leaky_relu", 1.00048828125, 0, 0}, {"leaky_relu", 0x1p-10, 0, 0},
        {"leaky_relu", 0x3p-20, 0, 0},     {"leaky_relu", -0.75, 0, 0},       {"leaky_relu", 3, 0, 1},
        {"leaky_relu", 0x3p-20, 0, 1},     {"leaky_relu", 1.00390625, 0, 1},
        {"leaky_relu", 0.7, 0, 0},         {"leaky_relu", 0.01, 0, 0},        {"leaky_relu", 0x1.19999ap-10, 0, 0},
        {"leaky_relu", 0.7, 0, 1},         {"leaky_relu", 0.01, 0, 1},
        {"hardtanh", -1.0 / 3, 0.1, 0},    {"hardtanh", -65519.0, 65519.0, 0}, {"hardtanh", -1e30, 1e-30, 0},
    };
    const size_t n = tc_scaled(65536) < 65536 ? tc_scaled(65536) : 65536;
    char b1[80], b2[80], b3[80];
    for (int d = TC_BF16; d <= TC_F16; d++) {
        const tc_dtype dt = (tc_dtype)d;
        void *x = calloc(n, 2), *dy = calloc(n, 2), *out = calloc(n, 2);
        assert_non_null(x), assert_non_null(dy), assert_non_null(out);
        for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
            const tc_op *op = tc_op_find(rows[r].op);
            assert_non_null(op);
            const tc_params par = tc_params_round(dt, &(tc_params){{rows[r].p0, rows[r].p1}});
            const int bwd = rows[r].backward;
            for (size_t i = 0; i < n; i++) {
                tc_set_bits(dt, bwd ? dy : x, i, i * 65536 / n);
                if (bwd)
                    tc_set(dt, x, i, -1.0);
            }
            char label[64], pstr[96];
            tc_label(op, bwd, dt, label, sizeof label);
            tc_params_str(op, &par, pstr, sizeof pstr);
            for (size_t k = 0; k < isa_count; k++) {
                tc_use_isa(isa_list[k]);
                const tc_args a = {.x = x, .dy = dy, .out = out, .dim = {n, 0, 0}, .par = par};
                const int st = tc_call(op, dt, bwd, &a);
                if (st != ACTFN_OK) {
                    tc_fail(&fails, "%s [%s] %s: status %d", label, actfn_isa_name(isa_list[k]), pstr, st);
                    continue;
                }
                const tc_budget bud = {.cls = TC_CLASS_EXACT, .backward = bwd};
                /* a few messages per row, type and ISA: one bad case cannot hide the others */
                const unsigned long printed_before = fails.printed;
                unsigned long row_fails = 0;
#define ROW_FAIL(...)                                          \
    do {                                                       \
        if (row_fails++ < 3)                                   \
            tc_fail(&fails, __VA_ARGS__);                      \
        else                                                   \
            fails.count++;                                     \
    } while (0)
                for (size_t i = 0; i < n; i++) {
                    const double xi = tc_get(dt, x, i), dyi = tc_get(dt, dy, i), got = tc_get(dt, out, i);
                    const long double exact = bwd ? oracle_unary_bwd(op->unary, dt, xi, dyi, &par)
                                                  : oracle_unary_fwd(op->unary, dt, xi, &par);
                    long double err;
                    if (!tc_check_value(dt, &bud, got, exact, &err))
                        ROW_FAIL("%s [%s] %s: %s=%s expected %s got %s", label, actfn_isa_name(isa_list[k]), pstr,
                                 bwd ? "dy" : "x", tc_fmt(dt, bwd ? dyi : xi, b1, 80), tc_fmt(dt, exact, b2, 80),
                                 tc_fmt(dt, got, b3, 80));
                    else if (isnan(got) && !tc_nan_is_quiet(dt, out, i))
                        ROW_FAIL("%s [%s] %s: %s bits 0x%04llx gave a signalling NaN 0x%04llx", label,
                                 actfn_isa_name(isa_list[k]), pstr, bwd ? "dy" : "x",
                                 (unsigned long long)tc_bits(dt, bwd ? dy : x, i),
                                 (unsigned long long)tc_bits(dt, out, i));
                    else if (tc_bits(dt, out, i) != tc_half_bits_of(dt, exact) && !isnan(got))
                        ROW_FAIL("%s [%s] %s: %s=%s: the sign of zero: expected %s got %s", label,
                                 actfn_isa_name(isa_list[k]), pstr, bwd ? "dy" : "x",
                                 tc_fmt(dt, bwd ? dyi : xi, b1, 80), tc_fmt(dt, exact, b2, 80),
                                 tc_fmt(dt, got, b3, 80));
                }
#undef ROW_FAIL
                if (row_fails > 3 && fails.printed > printed_before)
                    fprintf(stderr, "  (%lu failures of %s [%s] %s in all)\n", row_fails, label,
                            actfn_isa_name(isa_list[k]), pstr);
            }
        }
        free(x), free(dy), free(out);
    }
    TC_ASSERT_NO_FAILS(&fails, "16-bit rounding");
}

static int print_table_teardown(void **state)
{
    (void)state;
    print_table();
    return 0;
}

int main(void)
{
    isa_count = tc_isas(isa_list);
    printf("ISAs under test:");
    for (size_t i = 0; i < isa_count; i++)
        printf(" %s", actfn_isa_name(isa_list[i]));
    printf("; scale %g\n", tc_scale());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unary_accuracy),
        cmocka_unit_test(test_prelu_accuracy),
        cmocka_unit_test(test_softmax_accuracy),
        cmocka_unit_test(test_maxout_accuracy),
        cmocka_unit_test(test_fused_accuracy),
        cmocka_unit_test(test_half_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, print_table_teardown);
}
