/*
 * test_special.c — special values for every elementwise op × parameter set ×
 * dtype × ISA, forward and backward: ±0, ±inf (the mathematical limit,
 * never a NaN made by inf·0 or inf − inf), NaNs of every kind (NaN in → NaN
 * out in every forward pass), subnormals, the extremes of T, saturation and
 * underflow points, the kinks and their nextafter neighbours.
 *
 * Every result is judged against the oracle with the SPEC §4 budgets; the
 * piecewise-linear ops (every input) and every op at its kinks must also give
 * the very bits of the scalar ISA (SPEC §3). The signed zeros SPEC §3 names
 * for −inf inputs are checked bit for bit.
 *
 * bf16 and f16 (SPEC §9) run every test too, with their own extremes
 * (largest finite 0x7f7f / 65504, subnormals down to 2^-133 / 2^-24, the
 * f16 saturation points of e^x) and inputs whose result overflows only on
 * the rounding to the storage type; a NaN they return must be quiet.
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

static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;

#define MAX_INPUTS 512

/* A NaN of a given kind (tc_set_nan) as a double; a signalling NaN may turn
 * quiet here, it is still a NaN. */
static double nan_from_bits(tc_dtype dt, int which)
{
    double buf[1];
    tc_set_nan(dt, buf, 0, which);
    return tc_get(dt, buf, 0);
}

/* The x where an op's formula switches branch (SPEC §3 conditions). */
static size_t kinks(const tc_op *op, const tc_params *par, tc_dtype dt, double *out)
{
    size_t n = 0;
    switch (op->unary) {
    case TC_RELU:
    case TC_LEAKY_RELU:
    case TC_ELU:
    case TC_SELU:
        out[n++] = 0;
        break;
    case TC_RELU6:
        out[n++] = 0;
        out[n++] = 6;
        break;
    case TC_HARDTANH:
        if (isfinite(par->p[0]))
            out[n++] = par->p[0];
        if (isfinite(par->p[1]))
            out[n++] = par->p[1];
        break;
    case TC_HARDSIGMOID:
    case TC_HARDSWISH:
        out[n++] = -3;
        out[n++] = 3;
        break;
    case TC_SOFTPLUS:
        if (isfinite(par->p[1]))
            out[n++] = tc_round(dt, par->p[1] / par->p[0]);
        break;
    default:
        break;
    }
    return n;
}

/* Ops whose both pieces are polynomial: their backward is bit-identical at
 * the kinks too (elu/selu's backward there evaluates e^0). */
static int bwd_kink_exact(const tc_op *op)
{
    return op->cls == TC_CLASS_EXACT || op->cls == TC_CLASS_HARD || op->unary == TC_SOFTPLUS;
}

typedef struct {
    double v;
    int nan_kind; /* -1: v is the value; else a NaN pattern index */
    int kink;     /* 1: exactly at a kink */
} special;

static size_t add(special *s, size_t n, double v, int kink)
{
    if (n < MAX_INPUTS)
        s[n++] = (special){v, -1, kink};
    return n;
}

/* The special inputs of one op: from x (or y for the from-y backwards). */
static size_t special_inputs(const tc_op *op, const tc_params *par, tc_dtype dt, int from_y, special *s)
{
    size_t n = 0;
    if (from_y) {
        /* valid outputs of sigmoid (0..1) or tanh (−1..1) */
        const double one_below = tc_next(dt, 1, 0);
        const double vals[] = {0, -0.0, 1, -1, 0.5, -0.5, one_below, -one_below, tc_min_normal(dt),
                               -tc_min_normal(dt), tc_true_min(dt), 1e-30, 0.25};
        for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
            if (op->unary == TC_TANH || vals[i] >= 0)
                n = add(s, n, tc_round(dt, vals[i]), 0);
    } else {
        const double sub_min = tc_true_min(dt);
        const double sub_max = tc_next(dt, tc_min_normal(dt), 0);
        const double mags[] = {0, INFINITY, sub_min, sub_max, tc_min_normal(dt), tc_max_finite(dt), 1, 0.5, 2,
                               1e-10, 1e10,
                               /* saturation / underflow of e^x, e^-x²/2, in both types */
                               88.72283935546875, 89, 103.972076416015625, 104, 709.782712893384, 745.1332191019412,
                               746, 13.2, 14, 37.5, 38.6, 1e30, 1e300,
                               /* the same in f16: e^x past 65504, e^-x at 2^-24 and below */
                               11.0898, 11.1, 16.6355, 17.4, 5.5, 65504, 65520};
        for (size_t i = 0; i < sizeof mags / sizeof mags[0]; i++) {
            const double m = tc_round(dt, mags[i]);
            n = add(s, n, m, 0);
            n = add(s, n, -m, 0);
        }
        /* where selu's λ·x crosses T_MAX: a λ rounded to T must not decide */
        double edge = tc_round(dt, tc_max_finite(dt) / 1.0507009873554804934);
        for (int k = 0; k < 4; k++, edge = tc_next(dt, edge, INFINITY))
            n = add(s, n, edge, 0);
    }
    for (int k = 0; k < TC_NAN_KINDS; k++)
        if (n < MAX_INPUTS)
            s[n++] = (special){nan_from_bits(dt, k), k, 0};
    if (!from_y) {
        double kx[4];
        const size_t nk = kinks(op, par, dt, kx);
        for (size_t i = 0; i < nk; i++) {
            n = add(s, n, kx[i], 1);
            double lo = kx[i], hi = kx[i];
            for (int step = 0; step < 3; step++) {
                lo = tc_next(dt, lo, -INFINITY);
                hi = tc_next(dt, hi, INFINITY);
                n = add(s, n, lo, 0);
                n = add(s, n, hi, 0);
            }
            if (kx[i] == 0)
                n = add(s, n, -0.0, 1);
        }
    }
    return n;
}

static tc_fails fails = {0, 0, 80};

static void check_op(const tc_op *op, const tc_params *par_in, tc_dtype dt)
{
    /* the 16-bit types also get ±their largest finite dy: dy·f' with f' > 1
     * (gelu, mish, silu, selu ...) then overflows only on the rounding to
     * the storage type (the f32 value is finite) */
    const double big = tc_max_finite(dt);
    const double dys[] = {1, -2.5, 0.75, 0, 3e-3, big, -big};
    const size_t n_dy = (tc_is_half(dt) ? 7 : 5) + 1; /* + NaN */
    const tc_params par = tc_params_round(dt, par_in);
    const tc_class cls = tc_op_class(op, &par);
    const size_t es = tc_size(dt);
    char label[64], pstr[96], b1[80], b2[80], b3[80], b4[80];
    tc_params_str(op, &par, pstr, sizeof pstr);

    for (int backward = 0; backward < 2; backward++) {
        tc_label(op, backward, dt, label, sizeof label);
        special s[MAX_INPUTS];
        const size_t ns = special_inputs(op, &par, dt, backward && op->bwd_from == TC_FROM_Y, s);
        /* forward: one element per special; backward: each special with each dy */
        const size_t n = backward ? ns * n_dy : ns;
        void *in = calloc(n, es), *dy = calloc(n, es), *out = calloc(n, es), *ref = calloc(n, es);
        long double *exact = calloc(n, sizeof(long double)), *aux = calloc(n, sizeof(long double));
        int *kink = calloc(n, sizeof(int));
        assert_non_null(in);
        assert_non_null(kink);
        for (size_t i = 0; i < n; i++) {
            const special *sp = &s[backward ? i / n_dy : i];
            if (sp->nan_kind >= 0)
                tc_set_nan(dt, in, i, sp->nan_kind);
            else
                tc_set(dt, in, i, sp->v);
            kink[i] = sp->kink;
            const size_t d = i % n_dy;
            tc_set(dt, dy, i, d < n_dy - 1 ? dys[d] : NAN);
            const double xi = tc_get(dt, in, i), dyi = tc_get(dt, dy, i);
            if (!backward) {
                exact[i] = oracle_unary_fwd(op->unary, dt, xi, &par);
                aux[i] = oracle_unary_fwd_sens(op->unary, dt, xi, &par);
            } else {
                exact[i] = oracle_unary_bwd(op->unary, dt, xi, dyi, &par);
                const long double sens = cls == TC_CLASS_INNER ? oracle_unary_bwd_sens(op->unary, dt, xi, &par) : 0;
                aux[i] = tc_eps(tc_compute_type(dt)) * fabsl(dyi) * (1.0L + sens);
            }
        }
        for (size_t k = 0; k < isa_count; k++) {
            tc_use_isa(isa_list[k]);
            const char *isa = actfn_isa_name(isa_list[k]);
            const tc_args a = {.x = in, .dy = dy, .out = out, .dim = {n, 0, 0}, .par = par};
            const int status = tc_call(op, dt, backward, &a);
            if (status != ACTFN_OK) {
                tc_fail(&fails, "%s [%s] %s: status %d", label, isa, pstr, status);
                continue;
            }
            if (k == 0)
                memcpy(ref, out, n * es);
            for (size_t i = 0; i < n; i++) {
                const double got = tc_get(dt, out, i), xi = tc_get(dt, in, i), dyi = tc_get(dt, dy, i);
                const tc_budget bud = {.cls = cls, .backward = backward, .sens = backward ? 0 : aux[i],
                                       .floor = backward ? aux[i] : 0};
                long double err;
                if (!tc_check_value(dt, &bud, got, exact[i], &err)) {
                    tc_fail(&fails, "%s [%s] %s: in=%s dy=%s expected %s got %s (%.3Lg ulp)", label, isa, pstr,
                            tc_fmt(dt, xi, b1, 80), backward ? tc_fmt(dt, dyi, b2, 80) : "-",
                            tc_fmt(dt, exact[i], b3, 80), tc_fmt(dt, got, b4, 80), err);
                    continue;
                }
                /* SPEC §9: a 16-bit NaN result is quiet, whatever NaN came in */
                if (tc_is_half(dt) && isnan(got) && !tc_nan_is_quiet(dt, out, i)) {
                    tc_fail(&fails, "%s [%s] %s: in bits 0x%04llx dy=%s: signalling NaN 0x%04llx out", label, isa,
                            pstr, (unsigned long long)tc_bits(dt, in, i), backward ? tc_fmt(dt, dyi, b2, 80) : "-",
                            (unsigned long long)tc_bits(dt, out, i));
                    continue;
                }
                /* bit-identical to scalar: piecewise-linear ops everywhere,
                 * every op at its kinks (the softplus kink only on its linear
                 * branch, elu/selu's backward kink value only within budget) */
                const int must_match =
                    cls == TC_CLASS_EXACT ||
                    (kink[i] && (!backward || bwd_kink_exact(op)) &&
                     (op->unary != TC_SOFTPLUS || exact[i] == (backward ? (long double)dyi : (long double)xi)));
                if (must_match && tc_bits(dt, out, i) != tc_bits(dt, ref, i) && !(isnan(got) && isnan(tc_get(dt, ref, i))))
                    tc_fail(&fails, "%s [%s] %s: in=%s dy=%s%s not bit-identical to scalar: got %s, scalar %s", label,
                            isa, pstr, tc_fmt(dt, xi, b1, 80), backward ? tc_fmt(dt, dyi, b2, 80) : "-",
                            kink[i] ? " (kink)" : "", tc_fmt(dt, got, b3, 80),
                            tc_fmt(dt, tc_get(dt, ref, i), b4, 80));
            }
        }
        free(in), free(dy), free(out), free(ref), free(exact), free(aux), free(kink);
    }
}

static void test_elementwise_specials(void **state)
{
    (void)state;
    for (int d = 0; d < TC_DTYPE_COUNT; d++)
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_UNARY)
                continue;
            for (int s = 0; s < op->nsets; s++)
                check_op(op, &op->sets[s], (tc_dtype)d);
        }
    TC_ASSERT_NO_FAILS(&fails, "specials");
}

/* One call of op on one element x (and dy): the result as a double (its
 * bits are those of T: the conversion is exact). */
static int call_one(const tc_op *op, tc_dtype dt, int backward, const tc_params *par, double x, double dy,
                    double *got)
{
    double xbuf[1], dybuf[1], out[1];
    tc_set(dt, xbuf, 0, x);
    tc_set(dt, dybuf, 0, dy);
    tc_set(dt, out, 0, 12345);
    const tc_args a = {.x = xbuf, .dy = dybuf, .out = out, .dim = {1, 0, 0}, .par = tc_params_round(dt, par)};
    const int status = tc_call(op, dt, backward, &a);
    *got = tc_get(dt, out, 0);
    return status;
}

/* The limits SPEC §3 spells out, sign of zero included, with default params. */
static void test_named_limits(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        double x, y; /* y compared bit for bit */
    } limits[] = {
        {"silu", -INFINITY, -0.0},     {"gelu", -INFINITY, -0.0},    {"mish", -INFINITY, -0.0},
        {"softplus", -INFINITY, 0.0},  {"elu", -INFINITY, -1.0},     {"sigmoid", -INFINITY, 0.0},
        {"sigmoid", INFINITY, 1.0},    {"tanh", INFINITY, 1.0},      {"tanh", -INFINITY, -1.0},
        {"silu", INFINITY, INFINITY},  {"gelu", INFINITY, INFINITY}, {"mish", INFINITY, INFINITY},
        {"softplus", INFINITY, INFINITY}, {"logsigmoid", -INFINITY, -INFINITY},
        {"gelu_tanh", INFINITY, INFINITY}, {"relu", INFINITY, INFINITY}, {"relu6", INFINITY, 6},
        {"hardsigmoid", INFINITY, 1},  {"hardsigmoid", -INFINITY, 0}, {"hardswish", INFINITY, INFINITY},
        {"selu", INFINITY, INFINITY},
    };
    tc_fails f = {0, 0, 40};
    char b1[80], b2[80];
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        for (size_t k = 0; k < isa_count; k++) {
            tc_use_isa(isa_list[k]);
            for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
                const tc_op *op = tc_op_find(limits[i].op);
                assert_non_null(op);
                double got, want[1];
                tc_set(dt, want, 0, limits[i].y);
                const int status = call_one(op, dt, 0, &op->sets[0], limits[i].x, 0, &got);
                double gotbuf[1];
                tc_set(dt, gotbuf, 0, got);
                if (status != ACTFN_OK || tc_bits(dt, gotbuf, 0) != tc_bits(dt, want, 0))
                    tc_fail(&f, "%s %s [%s]: x=%g expected %s got %s (status %d)", limits[i].op, tc_dtype_name(dt),
                            actfn_isa_name(isa_list[k]), limits[i].x, tc_fmt(dt, limits[i].y, b1, 80),
                            tc_fmt(dt, got, b2, 80), status);
            }
        }
    }
    TC_ASSERT_NO_FAILS(&f, "limits");
}

/*
 * Zero factors (the header's rule, SPEC §3's limit of 0·v): a parameter or a
 * dy that is exactly 0 meeting an infinite value gives a zero, never NaN; a
 * NaN factor still gives NaN. Each row is one call of one element, checked
 * on every ISA and dtype; a zero result may have either sign.
 */
static void test_zero_factors(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        double p0, p1;
        int backward;
        double x, dy, want;
    } rows[] = {
        {"leaky_relu", 0, 0, 0, -INFINITY, 0, 0},      {"leaky_relu", 0, 0, 0, INFINITY, 0, INFINITY},
        {"leaky_relu", 0, 0, 0, NAN, 0, NAN},          {"leaky_relu", -0.0, 0, 0, -INFINITY, 0, 0},
        {"leaky_relu", 0, 0, 1, -INFINITY, INFINITY, 0}, {"leaky_relu", 0, 0, 1, -1, -INFINITY, 0},
        {"leaky_relu", 0, 0, 1, -INFINITY, 0, 0},      {"leaky_relu", 0, 0, 1, -1, NAN, NAN},
        {"leaky_relu", 0.5, 0, 1, -1, -INFINITY, -INFINITY},
        {"elu", 0, 0, 0, -INFINITY, 0, 0},             {"elu", 0, 0, 1, -1, INFINITY, 0},
        {"elu", 0, 0, 1, -INFINITY, -INFINITY, 0},     {"elu", 0, 0, 1, -2, NAN, NAN},
        {"elu", 1, 0, 1, -INFINITY, 0, 0},             {"selu", 0, 0, 1, -INFINITY, 0, 0},
        {"swish", 0, 0, 0, INFINITY, 0, INFINITY},     {"swish", 0, 0, 0, -INFINITY, 0, -INFINITY},
        {"swish", 0, 0, 1, INFINITY, 1, 0.5},          {"swish", 0, 0, 1, -INFINITY, 0, 0},
        {"swish", 0, 0, 1, -INFINITY, -4, -2},
        {"softplus", 1, INFINITY, 0, INFINITY, 0, INFINITY}, {"softplus", 1, INFINITY, 1, INFINITY, 0, 0},
        {"softplus", 2, 20, 1, -INFINITY, 0, 0},
        {"hardtanh", -INFINITY, INFINITY, 0, INFINITY, 0, INFINITY},
        {"hardtanh", -INFINITY, INFINITY, 0, -INFINITY, 0, -INFINITY},
        /* x equal to an infinite bound is the kink: SPEC's strict test gives 0 */
        {"hardtanh", -INFINITY, INFINITY, 1, INFINITY, 2, 0},
        {"hardtanh", -INFINITY, INFINITY, 1, 5, 2, 2},
        {"gelu", 0, 0, 1, INFINITY, 0, 0},             {"gelu", 0, 0, 1, -INFINITY, 0, 0},
        {"gelu_tanh", 0, 0, 1, -INFINITY, 0, 0},       {"mish", 0, 0, 1, -INFINITY, 0, 0},
        {"silu", 0, 0, 1, INFINITY, 0, 0},             {"logsigmoid", 0, 0, 1, -INFINITY, 0, 0},
    };
    tc_fails f = {0, 0, 40};
    char b1[80], b2[80];
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        for (size_t k = 0; k < isa_count; k++) {
            tc_use_isa(isa_list[k]);
            for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
                const tc_op *op = tc_op_find(rows[i].op);
                assert_non_null(op);
                const tc_params par = {{rows[i].p0, rows[i].p1}};
                double got;
                const int status = call_one(op, dt, rows[i].backward, &par, rows[i].x, rows[i].dy, &got);
                const double want = rows[i].want;
                const int ok = isnan(want) ? isnan(got) : got == want;
                if (status != ACTFN_OK || !ok)
                    tc_fail(&f, "%s%s %s [%s] p=(%g, %g): x=%g dy=%g expected %s got %s (status %d)", rows[i].op,
                            rows[i].backward ? "_backward" : "", tc_dtype_name(dt), actfn_isa_name(isa_list[k]),
                            rows[i].p0, rows[i].p1, rows[i].x, rows[i].dy, tc_fmt(dt, want, b1, 80),
                            tc_fmt(dt, got, b2, 80), status);
            }
        }
    }
    TC_ASSERT_NO_FAILS(&f, "zero factors");
}

/*
 * prelu with a zero slope meeting x = −inf (the case found from outside:
 * outer=1, channels=3, inner=127, alpha = {0.25, 0, 1}), and its transpose
 * (inner = 1, lanes across channels). Inputs cycle through three kinds:
 * x = −inf with dy = 0, x = −0 with dy = +inf, x = −2 with dy = 1.5.
 */
static void test_prelu_zero_slope(void **state)
{
    (void)state;
    const tc_op *op = tc_op_find("prelu");
    assert_non_null(op);
    static const double alpha[3] = {0.25, 0, 1};
    static const double xs[3] = {-INFINITY, -0.0, -2}, dys[3] = {0, INFINITY, 1.5};
    static const size_t shapes[][3] = {{1, 3, 127}, {127, 3, 1}, {2, 3, 33}};
    tc_fails f = {0, 0, 40};
    char b1[80], b2[80];
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            const size_t outer = shapes[s][0], ch = shapes[s][1], inner = shapes[s][2], n = outer * ch * inner;
            double *x = calloc(n, 8), *dy = calloc(n, 8), *y = calloc(n, 8), *dx = calloc(n, 8);
            double a[3], da[3];
            assert_non_null(x), assert_non_null(dy), assert_non_null(y), assert_non_null(dx);
            /* the kind of element (o, c, j): o·inner + j mod 3, and its expected
             * dalpha term count, so every channel gets all three kinds */
            size_t count[3] = {0, 0, 0};
            for (size_t i = 0; i < n; i++) {
                const size_t o = i / (ch * inner), c = i / inner % ch, j = i % inner, kind = (o * inner + j) % 3;
                tc_set(dt, x, i, xs[kind]);
                tc_set(dt, dy, i, dys[kind]);
                if (kind == 2 && c == 0)
                    count[0]++;
            }
            for (size_t c = 0; c < 3; c++)
                tc_set(dt, a, c, alpha[c]);
            for (size_t k = 0; k < isa_count; k++) {
                tc_use_isa(isa_list[k]);
                const char *isa = actfn_isa_name(isa_list[k]);
                const tc_args fa = {.x = x, .alpha = a, .out = y, .dim = {outer, ch, inner}};
                const tc_args ba = {.x = x, .alpha = a, .dy = dy, .out = dx, .dalpha = da, .dim = {outer, ch, inner}};
                if (tc_call(op, dt, 0, &fa) != ACTFN_OK || tc_call(op, dt, 1, &ba) != ACTFN_OK) {
                    tc_fail(&f, "prelu %s [%s]: call failed", tc_dtype_name(dt), isa);
                    continue;
                }
                for (size_t i = 0; i < n; i++) {
                    const size_t o = i / (ch * inner), c = i / inner % ch, j = i % inner, kind = (o * inner + j) % 3;
                    const double wy = (double)oracle_prelu_fwd(dt, xs[kind], alpha[c]);
                    const double wdx = (double)oracle_prelu_bwd(dt, xs[kind], alpha[c], dys[kind]);
                    const double gy = tc_get(dt, y, i), gdx = tc_get(dt, dx, i);
                    if (isnan(gy) || gy != wy || isnan(gdx) || gdx != wdx)
                        tc_fail(&f, "prelu %s [%s] %zux%zux%zu: element %zu (alpha %g, x %g, dy %g): y %s (want %g), dx %s (want %g)",
                                tc_dtype_name(dt), isa, outer, ch, inner, i, alpha[c], xs[kind], dys[kind],
                                tc_fmt(dt, gy, b1, 80), wy, tc_fmt(dt, gdx, b2, 80), wdx);
                }
                /* x = −inf with dy = 0 and x = −0 with dy = inf add 0; −2·1.5 adds −3 */
                for (size_t c = 0; c < ch; c++)
                    if (tc_get(dt, da, c) != -3.0 * (double)count[0])
                        tc_fail(&f, "prelu_backward %s [%s] %zux%zux%zu: dalpha[%zu] = %s, expected %g",
                                tc_dtype_name(dt), isa, outer, ch, inner, c, tc_fmt(dt, tc_get(dt, da, c), b1, 80),
                                -3.0 * (double)count[0]);
            }
            free(x), free(dy), free(y), free(dx);
        }
    }
    TC_ASSERT_NO_FAILS(&f, "prelu zero slope");
}

/* ---- Gated and fused bias ops ------------------------------------------------ */

/* Every pair of special values as (a, b) for the gated ops and as (x, bias)
 * for bias_<op> (channel c has bias S[c], its elements are all of S), each
 * parameter set, dy of both signs and sizes; judged by the oracle on every
 * ISA (NaN in → NaN out, infinities and signed zeros as IEEE products and
 * sums give them). */
static void test_fused_specials(void **state)
{
    (void)state;
    tc_fails f = {0, 0, 40};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        const double sub = tc_min_normal(dt) / 4, big = tc_max_finite(dt);
        const double vals[] = {0.0, -0.0, INFINITY, -INFINITY, nan_from_bits(dt, 0), nan_from_bits(dt, 3), 1.0, -1.0,
                               3.0, -3.0, 20.0, -20.0, 90.0, -90.0, sub, -sub, big, -big, 1e-3, -1e-3};
        const size_t nv = sizeof vals / sizeof vals[0], n = nv * nv, es = tc_size(dt);
        void *x = calloc(n, es), *b = calloc(n, es), *dy = calloc(n, es), *out = calloc(n, es), *db = calloc(n, es);
        assert_non_null(x), assert_non_null(b), assert_non_null(dy), assert_non_null(out), assert_non_null(db);
        /* finite in every type (1e5 is past f16's range) */
        const double dys[] = {1.0, -0.75, 3e-5, dt == TC_F16 ? 3e4 : 1e5};
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_GLU && op->kind != TC_KIND_BIAS)
                continue;
            const int glu = op->kind == TC_KIND_GLU;
            for (size_t i = 0; i < n; i++) {
                tc_set(dt, x, i, vals[i % nv]);
                tc_set(dt, dy, i, dys[i % 4]);
                if (glu)
                    tc_set(dt, b, i, vals[i / nv]);
            }
            for (size_t c = 0; c < nv && !glu; c++)
                tc_set(dt, b, c, vals[c]);
            for (int s = 0; s < op->nsets; s++)
                for (int backward = 0; backward < 2; backward++)
                    for (size_t k = 0; k < isa_count; k++) {
                        tc_use_isa(isa_list[k]);
                        tc_args a = {.x = x, .alpha = b, .dy = dy, .out = out, .dalpha = backward ? db : NULL,
                                     .par = op->sets[s]};
                        if (glu)
                            a.dim[0] = n;
                        else
                            a.dim[0] = 1, a.dim[1] = nv, a.dim[2] = nv;
                        char label[64];
                        const int st = tc_call(op, dt, backward, &a);
                        if (st != ACTFN_OK) {
                            tc_fail(&f, "%s [%s]: status %d", tc_label(op, backward, dt, label, sizeof label),
                                    actfn_isa_name(isa_list[k]), st);
                            continue;
                        }
                        tc_verify_call(op, dt, backward, &a, "(specials)", &f, NULL, NULL);
                    }
        }
        free(x), free(b), free(dy), free(out), free(db);
    }
    TC_ASSERT_NO_FAILS(&f, "fused specials");
}

/*
 * Gated products that land on the 16-bit type's overflow tie in f32 (the
 * fuzzer's case: swiglu f16 on the scalar kernel in reproducible mode,
 * a = 40, b = 1638. silu(40) rounds to 40 in f32, 40·1638 = 65520 is the
 * tie, and the f32 result rounded once is inf, one storage step from the
 * exact 65519.99999999999972's 65504), with reglu's exact product on the
 * same tie (inf, correctly rounded) and the largest finite (65504); bf16's
 * tie likewise. Every gated op, every ISA, both passes, judged by the oracle.
 */
static void test_overflow_tie(void **state)
{
    (void)state;
    tc_fails f = {0, 0, 40};
    for (int d = TC_BF16; d <= TC_F16; d++) {
        const tc_dtype dt = (tc_dtype)d;
        /* f16: 40·1638 = 65520 is its tie, 128·511.75 its largest finite;
         * bf16: 28·73·2^117 = 511·2^119 is its tie, 128·0x1.fep120 its largest
         * (silu(28) rounds to 28 in f32, and its deficit, e^-28, is within
         * the oracle's long double) */
        const double g16[] = {40, -40, 40, 39, 128}, v16[] = {1638, 1638, -1638, 1638, 511.75};
        const double gbf[] = {28, -28, 28, 27, 128},
                     vbf[] = {0x1.24p123, 0x1.24p123, -0x1.24p123, 0x1.24p123, 0x1.fep120};
        const size_t n = sizeof g16 / sizeof g16[0], es = tc_size(dt);
        void *a = calloc(n, es), *b = calloc(n, es), *dy = calloc(n, es), *out = calloc(n, es), *db = calloc(n, es);
        assert_non_null(a), assert_non_null(b), assert_non_null(dy), assert_non_null(out), assert_non_null(db);
        /* dy = v puts the backward's dv = dy·act(g) on the tie too */
        for (size_t i = 0; i < n; i++) {
            tc_set(dt, a, i, dt == TC_F16 ? g16[i] : gbf[i]);
            tc_set(dt, b, i, dt == TC_F16 ? v16[i] : vbf[i]);
            tc_set(dt, dy, i, dt == TC_F16 ? v16[i] : vbf[i]);
        }
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind != TC_KIND_GLU)
                continue;
            for (int backward = 0; backward < 2; backward++)
                for (size_t k = 0; k < isa_count; k++) {
                    tc_use_isa(isa_list[k]);
                    /* (glu gates b, whose σ cannot reach the tie: checked all the same) */
                    const tc_args args = {.x = a, .alpha = b, .dy = dy, .out = out, .dalpha = backward ? db : NULL,
                                          .dim = {n, 0, 0}};
                    char label[64];
                    const int st = tc_call(op, dt, backward, &args);
                    if (st != ACTFN_OK)
                        tc_fail(&f, "%s [%s]: status %d", tc_label(op, backward, dt, label, sizeof label),
                                actfn_isa_name(isa_list[k]), st);
                    else
                        tc_verify_call(op, dt, backward, &args, "(overflow tie)", &f, NULL, NULL);
                }
        }
        free(a), free(b), free(dy), free(out), free(db);
    }
    TC_ASSERT_NO_FAILS(&f, "overflow tie");
}

/*
 * The ops with a slope beta where beta·x overflows T for a finite x (the
 * fuzzer's case: softplus f64, beta = −608.375, threshold = inf, x =
 * −1.97e307, gave −inf on the scalar kernel and in reproducible mode; the
 * result is x). Inputs: the largest finite values of T and fractions of
 * them, with the slopes' signs both ways, so beta·x is +inf and −inf in T
 * (in f32 for the 16-bit types: f16's largest times 608 does not overflow,
 * and stays a check of the far tail). Every ISA, both passes, judged by the
 * oracle.
 */
static void test_slope_overflow(void **state)
{
    (void)state;
    static const char *const ops[] = {"softplus", "swish"};
    static const double betas[] = {-0x1.303p+9, -2, 2, 0x1.8p+3};
    static const double fractions[] = {1, -1, 0.5, -0.5, 0x1.c094143800619p-4, -0x1.c094143800619p-4};
    enum { N = sizeof fractions / sizeof fractions[0] };
    tc_fails f = {0, 0, 40};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        const double big = tc_max_finite(dt);
        double x[N], dy[N], out[N];
        for (size_t i = 0; i < N; i++) {
            tc_set(dt, x, i, big * fractions[i]);
            tc_set(dt, dy, i, 1.5);
        }
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
            const tc_op *op = tc_op_find(ops[o]);
            assert_non_null(op);
            for (size_t b = 0; b < sizeof betas / sizeof betas[0]; b++) {
                /* softplus: threshold inf, no linear branch, so the smooth form answers */
                const tc_params par = {{betas[b], op->nparams > 1 ? INFINITY : 0}};
                for (int backward = 0; backward < 2; backward++)
                    for (size_t k = 0; k < isa_count; k++) {
                        tc_use_isa(isa_list[k]);
                        const tc_args args = {.x = x, .dy = dy, .out = out, .dim = {N, 0, 0},
                                              .par = tc_params_round(dt, &par)};
                        char label[64];
                        const int st = tc_call(op, dt, backward, &args);
                        if (st != ACTFN_OK)
                            tc_fail(&f, "%s [%s] beta=%g: status %d", tc_label(op, backward, dt, label, sizeof label),
                                    actfn_isa_name(isa_list[k]), betas[b], st);
                        else
                            tc_verify_call(op, dt, backward, &args, "(slope overflow)", &f, NULL, NULL);
                    }
            }
        }
    }
    TC_ASSERT_NO_FAILS(&f, "slope overflow");
}

int main(void)
{
    isa_count = tc_isas(isa_list);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elementwise_specials),
        cmocka_unit_test(test_named_limits),
        cmocka_unit_test(test_zero_factors),
        cmocka_unit_test(test_prelu_zero_slope),
        cmocka_unit_test(test_fused_specials),
        cmocka_unit_test(test_overflow_tie),
        cmocka_unit_test(test_slope_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
