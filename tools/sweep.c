/*
 * sweep.c — the accuracy sweep of libactfn's SIMD kernels (docs/accuracy.md).
 *
 * For every elementwise op, pass, type and SIMD ISA this CPU runs, it feeds
 * the kernel table of that ISA (src/internal.h: actfn_ktab_*_for) and
 * measures the error against an independent reference:
 *
 *   f32 forward   every float bit pattern (2^32; --stride S takes every S-th),
 *                 against the f64 reference table (the input widened exactly,
 *                 computed in double: its own error is ~2^-29 of a float ULP);
 *   f64 forward,  --samples random inputs spread over all magnitudes (random
 *   every         sign, exponent and mantissa, plus the ranges where the ops
 *   backward      bend), alternating in blocks of 64 with inputs of the
 *                 common range |x| <= 50 (the kernels' fast paths), and the
 *                 special values, against the long-double oracle of the test
 *                 suite (tests/oracle.c);
 *   bf16, f16     every 16-bit pattern (--half-stride S: every S-th), forward,
 *                 and backward with each of --half-dy K gradients of a grid
 *                 of magnitudes; against the oracle. bf16 on AVX-512 runs
 *                 twice where the CPU has AVX512_BF16: "avx512" rounds by
 *                 integer operations, "avx512+bf16" with vcvtneps2bf16.
 *
 * Each result is judged with the SPEC §4 rules of tests/common/budget.c
 * (ULPs of the exact value; subnormal results may be off by the smallest
 * normal; backward errors below the floor ε·|dy|·(…) are not counted;
 * swish/softplus(β≠1)/gelu/gelu_tanh get the allowance A only if they need
 * it). The report gives, per op × pass × dtype × ISA × parameter set, the
 * largest counted error in ULPs and where it occurs, the largest error of a
 * subnormal-range result in units of the smallest normal, and the number
 * of results outside the budget. Exit status 1 if any result is outside.
 *
 *   sweep [--op NAME[,NAME...]] [--isa avx2|avx512|neon|scalar] [--dtype f32|f64|bf16|f16]
 *         [--pass fwd|bwd] [--samples N] [--stride S] [--sets default|all]
 *         [--half-stride S] [--half-dy K]
 *
 *   gated and   --samples random calls' outputs through the public API,
 *   fused bias  judged by the test suite's tc_verify_call (the gate's or
 *   ops         op's budget, glu's db, the dbias sums).
 *
 * The full run (no options) takes tens of minutes per ISA; a sampled run for
 * the test suite: sweep --stride 65521 --samples 20000 --sets all.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "oracle.h"
#include "test_common.h"

#define CHUNK 65536

struct options {
    const char *ops;     /* comma list, or NULL for all */
    int isa;             /* -1: every SIMD ISA */
    int dtype;           /* -1: both */
    int pass;            /* -1: both; 0 fwd, 1 bwd */
    uint64_t samples;
    uint64_t stride;
    int all_sets;
    unsigned half_stride; /* 16-bit patterns: every half_stride-th */
    unsigned half_dy;     /* 16-bit backward: gradients per input */
};

/* The worst results of one sweep line. */
struct tally {
    uint64_t count, fails;
    uint64_t not_cr;      /* 16-bit: results other than the exact value rounded once */
    long double max_ulp;  /* counted error, in ULPs, of normal-range results */
    double max_ulp_in, max_ulp_dy;
    long double max_sub;  /* |error| / smallest normal, subnormal-range results */
    double max_sub_in;
    double first_fail_in, first_fail_dy, first_fail_got;
    long double first_fail_exact;
};

static const actfn_isa simd_isas[] = {ACTFN_ISA_AVX2, ACTFN_ISA_AVX512, ACTFN_ISA_NEON};

static int op_selected(const struct options *o, const char *name)
{
    if (!o->ops)
        return 1;
    const size_t len = strlen(name);
    for (const char *p = o->ops; *p;) {
        const char *end = strchr(p, ',');
        const size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Fold one judged result into the tally: its count and first failure;
 * then, unless it is special, below the backward floor or within an
 * absolute allowance (a subnormal gate's), its error in ULPs (err) or, for a
 * subnormal-range result, in units of the smallest normal. */
static void tally_fold(struct tally *t, tc_dtype dt, const tc_budget *b, double in, double dy, double got,
                       long double exact, long double err, int ok)
{
    t->count++;
    if (!ok && t->fails++ == 0) {
        t->first_fail_in = in;
        t->first_fail_dy = dy;
        t->first_fail_got = got;
        t->first_fail_exact = exact;
    }
    if (isnan((double)exact) || isinf((double)exact))
        return;
    const long double abs_err = fabsl((long double)got - exact);
    if ((b->backward && abs_err <= b->floor) || abs_err <= b->abs_min)
        return; /* not counted */
    if (fabsl(exact) < tc_min_normal(dt) && !tc_is_half(dt)) { /* SPEC §9: 16-bit subnormals are ordinary */
        const long double sub = abs_err / tc_min_normal(dt);
        if (sub > t->max_sub) {
            t->max_sub = sub;
            t->max_sub_in = in;
        }
        return;
    }
    if (err > t->max_ulp) {
        t->max_ulp = err;
        t->max_ulp_in = in;
        t->max_ulp_dy = dy;
    }
}

/* Judge one result and fold it into the tally. */
static void judge(struct tally *t, const tc_op *op, tc_dtype dt, int backward, const tc_params *par, double in,
                  double dy, double got, long double exact)
{
    const tc_class cls = tc_op_class(op, par);
    tc_budget b = {.cls = cls, .backward = backward};
    if (backward) {
        const long double sens = cls == TC_CLASS_INNER ? oracle_unary_bwd_sens(op->unary, dt, in, par) : 0;
        b.floor = tc_eps(tc_compute_type(dt)) * fabsl((long double)dy) * (1.0L + sens);
    }
    long double err = 0;
    int ok = tc_check_value(dt, &b, got, exact, &err);
    if (!ok && !backward && cls == TC_CLASS_INNER) {
        /* The allowance A is looked up only where it is needed. */
        b.sens = oracle_unary_fwd_sens(op->unary, dt, in, par);
        ok = tc_check_value(dt, &b, got, exact, &err);
    }
    tally_fold(t, dt, &b, in, dy, got, exact, err, ok);
}

/* The common cases of the exhaustive f32 sweep, without the general budget
 * machinery: a finite normal-range result within 2 ULP is counted here;
 * everything else goes through judge(). */
static void judge_f32_fast(struct tally *t, const tc_op *op, const tc_params *par, double in, float got, double exact)
{
    const float rounded = (float)exact;
    if ((double)got == exact) {
        t->count++;
        return;
    }
    if (isfinite(got) && isfinite(exact) && fabs(exact) < FLT_MIN) {
        const double sub = fabs((double)got - exact) / FLT_MIN;
        if (sub <= 1.0) { /* SPEC §4: subnormal-range results may be off by FLT_MIN */
            t->count++;
            if (sub > t->max_sub) {
                t->max_sub = sub;
                t->max_sub_in = in;
            }
            return;
        }
    }
    if (isfinite(got) && isnormal(rounded)) {
        const double ulp = ldexp(1.0, ilogbf(rounded) - 23);
        const double err = fabs((double)got - exact) / ulp;
        if (err <= 2.0) {
            t->count++;
            if (err > t->max_ulp) {
                t->max_ulp = err;
                t->max_ulp_in = in;
            }
            return;
        }
    }
    judge(t, op, TC_F32, 0, par, in, 0.0, got, exact);
}

/* ---- Inputs ------------------------------------------------------------- */

/* Special values every sampled sweep includes. */
static size_t special_values(tc_dtype dt, double *v)
{
    const double mn = tc_min_normal(dt), mx = tc_max_finite(dt);
    const double base[] = {0.0, INFINITY, NAN, mn, mn * tc_eps(dt), mx, 1.0, 0.5, 2.0, 3.0, 6.0, 20.0,
                           tc_next(dt, 20.0, 0.0), tc_next(dt, 20.0, 100.0), 87.0, 88.7, 104.0, 708.0, 745.0,
                           1.0e-8, 0.75, 1.25, 14.0, 38.0};
    size_t n = 0;
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
        v[n++] = tc_round(dt, base[i]);
        v[n++] = -tc_round(dt, base[i]);
    }
    return n;
}

/* Input i of a sampled sweep: all magnitudes, and the ranges where the ops
 * bend. */
static double sample_input(tc_rng *r, tc_dtype dt, uint64_t i)
{
    switch (i % 5) {
    case 0: return tc_rng_any(r, dt);
    case 1: return tc_round(dt, tc_rng_uniform(r, -50.0, 50.0));
    case 2: return tc_round(dt, tc_rng_uniform(r, -4.0, 4.0));
    case 3: return tc_rng_logmag(r, dt, 1e-10, 1e3);
    default: return tc_round(dt, tc_rng_uniform(r, dt == TC_F32 ? -110.0 : -760.0, 50.0));
    }
}

/* Inputs of the common range only (|x| <= 50): a whole block of them fills
 * whole vectors, so the kernels' common-case fast paths (no lane beyond
 * their range, e.g. the logistic |t| <= 80) are what the block measures;
 * the wide sampler above puts a lane beyond them on most vectors. */
static double sample_input_common(tc_rng *r, tc_dtype dt, uint64_t i)
{
    switch (i % 3) {
    case 0: return tc_round(dt, tc_rng_uniform(r, -50.0, 50.0));
    case 1: return tc_round(dt, tc_rng_uniform(r, -4.0, 4.0));
    default: return tc_rng_logmag(r, dt, 1e-10, 50.0);
    }
}

/* Sampled inputs alternate in blocks of SAMPLE_BLOCK (whole vectors on
 * every ISA): the wide sampler, then the common range. */
#define SAMPLE_BLOCK 64

static double sample_dy(tc_rng *r, tc_dtype dt, uint64_t i)
{
    switch (i % 4) {
    case 0: return 1.0;
    case 1: return tc_rng_any(r, dt);
    default: return tc_rng_logmag(r, dt, 1e-3, 1e3);
    }
}

/* ---- Kernel calls through the internal tables ---------------------------- */

/* The named parameters of op (src/oplist.h) from the tests' positional set. */
#define SWEEP_PARAM(op, index, pname, def, domain) k.pname = par->p[index];
#define SWEEP_PARAMS_CASE(name, NAME, from, cls, family) \
    case TC_##NAME:                                      \
        ACTFN_PARAMS_##name(SWEEP_PARAM) break;
#define SWEEP_PARAMS_FN(t, T)                                                                          \
    static struct actfn_params_##t kernel_params_##t(const tc_op *op, const tc_params *par)           \
    {                                                                                                \
        struct actfn_params_##t k = {0};                                                             \
        switch ((tc_unary)op->unary) {                                                               \
            ACTFN_UNARY_OPS(SWEEP_PARAMS_CASE)                                                       \
        case TC_UNARY_COUNT:                                                                         \
            break;                                                                                   \
        }                                                                                            \
        return k;                                                                                    \
    }
SWEEP_PARAMS_FN(f32, float)
SWEEP_PARAMS_FN(f64, double)

/* The label of an ISA in the report: bf16 says which rounding where the
 * ISA has a native one ("avx512+bf16", "neon+bf16"). */
static const char *isa_label(actfn_isa isa, tc_dtype dt)
{
    static char label[32];
    if (dt == TC_BF16 && actfn_internal_bf16_native_isa(isa) && actfn_internal_bf16_native()) {
        snprintf(label, sizeof label, "%s+bf16", actfn_isa_name(isa));
        return label;
    }
    return actfn_isa_name(isa);
}

/* One elementwise call on the table of type t (parameters of type pt). */
#define SWEEP_RUN(t, pt)                                                     \
    do {                                                                     \
        const struct actfn_ktab_##t *k = actfn_ktab_##t##_for(isa);          \
        const struct actfn_params_##pt p = kernel_params_##pt(op, par);      \
        if (backward)                                                        \
            k->bwd[op->unary](in, dy, out, n, &p);                           \
        else                                                                 \
            k->fwd[op->unary](in, out, n, &p);                               \
    } while (0)

static void run_kernel(actfn_isa isa, const tc_op *op, tc_dtype dt, int backward, const tc_params *par,
                       const void *in, const void *dy, void *out, size_t n)
{
    switch (dt) {
    case TC_F32: SWEEP_RUN(f32, f32); break;
    case TC_F64: SWEEP_RUN(f64, f64); break;
    case TC_BF16: SWEEP_RUN(bf16, f32); break; /* 16-bit storage, float parameters */
    case TC_F16: SWEEP_RUN(f16, f32); break;
    }
}

/* ---- The sweeps ------------------------------------------------------------ */

/* f32 forward over every stride-th bit pattern, reference in double. */
static void sweep_f32_forward(const tc_op *op, const tc_params *par, const actfn_isa *isas, size_t nisa,
                              uint64_t stride, struct tally *tallies)
{
    static float x[CHUNK], y[CHUNK];
    static double xd[CHUNK], ref[CHUNK];
    const struct actfn_params_f64 pd = kernel_params_f64(op, par);
    uint64_t bits = 0;
    const uint64_t end = UINT64_C(1) << 32;
    while (bits < end) {
        size_t n = 0;
        for (; n < CHUNK && bits < end; n++, bits += stride) {
            const uint32_t b = (uint32_t)bits;
            memcpy(&x[n], &b, sizeof b);
            xd[n] = x[n];
        }
        actfn_ktab_f64_scalar.fwd[op->unary](xd, ref, n, &pd);
        for (size_t k = 0; k < nisa; k++) {
            run_kernel(isas[k], op, TC_F32, 0, par, x, NULL, y, n);
            for (size_t i = 0; i < n; i++)
                judge_f32_fast(&tallies[k], op, par, xd[i], y[i], ref[i]);
        }
    }
}

/* Sampled sweep (f64 forward, every backward), against the long-double
 * oracle. */
static void sweep_sampled(const tc_op *op, tc_dtype dt, int backward, const tc_params *par, const actfn_isa *isas,
                          size_t nisa, uint64_t samples, struct tally *tallies)
{
    static double in[CHUNK], dy[CHUNK];
    static long double exact[CHUNK];
    static unsigned char inbuf[CHUNK * 8], dybuf[CHUNK * 8], outbuf[CHUNK * 8];
    tc_rng rng;
    tc_rng_init(&rng, 0x5eed, (uint64_t)op->unary * 4 + (uint64_t)dt * 2 + (uint64_t)backward);
    double specials[64];
    const size_t nspecial = special_values(dt, specials);
    uint64_t done = 0;
    const uint64_t total = samples + nspecial;
    while (done < total) {
        size_t n = 0;
        for (; n < CHUNK && done < total; n++, done++) {
            const double x = done < nspecial             ? specials[done]
                             : (n / SAMPLE_BLOCK) & 1 ? sample_input_common(&rng, dt, done)
                                                      : sample_input(&rng, dt, done);
            dy[n] = tc_round(dt, sample_dy(&rng, dt, done));
            in[n] = x;
            if (backward && op->bwd_from == TC_FROM_Y)
                in[n] = tc_round(dt, oracle_unary_fwd(op->unary, dt, x, par));
            tc_set(dt, inbuf, n, in[n]);
            tc_set(dt, dybuf, n, dy[n]);
            exact[n] = backward ? oracle_unary_bwd(op->unary, dt, in[n], dy[n], par)
                                : oracle_unary_fwd(op->unary, dt, x, par);
        }
        for (size_t k = 0; k < nisa; k++) {
            run_kernel(isas[k], op, dt, backward, par, inbuf, dybuf, outbuf, n);
            for (size_t i = 0; i < n; i++)
                judge(&tallies[k], op, dt, backward, par, in[i], dy[i], tc_get(dt, outbuf, i), exact[i]);
        }
    }
}

/*
 * bf16 and f16 (SPEC §9): every stride-th 16-bit pattern as the input x;
 * forward once, backward with each of ndy gradients from a grid of
 * magnitudes (signs alternate; the grid rounded to the type). A backward
 * that reads y gets y = the forward of x rounded to the type, as a caller
 * would pass it. Judged against the oracle with SPEC §9's budget.
 */
static void sweep_half(const tc_op *op, tc_dtype dt, int backward, const tc_params *par, const actfn_isa *isas,
                       size_t nisa, unsigned stride, unsigned ndy, struct tally *tallies)
{
    static const double dy_grid[] = {1.0, -0.75, 3.0e-3, -2.5e2, 1.0e-30, -6.0e4, 0.1, -17.0};
    const unsigned ngrid = sizeof dy_grid / sizeof dy_grid[0];
    static double in[CHUNK], dy[CHUNK];
    static long double exact[CHUNK];
    static uint16_t inbuf[CHUNK], dybuf[CHUNK], outbuf[CHUNK];
    const unsigned per_x = backward ? (ndy < ngrid ? ndy : ngrid) : 1;
    uint32_t pattern = 0;
    unsigned j = 0;
    while (pattern < 65536) {
        size_t n = 0;
        for (; n < CHUNK && pattern < 65536; n++) {
            uint16_t bits = (uint16_t)pattern;
            double x;
            memcpy(&inbuf[n], &bits, sizeof bits);
            x = tc_get(dt, inbuf, n);
            in[n] = x;
            dy[n] = 0;
            if (backward) {
                dy[n] = tc_round(dt, dy_grid[(pattern + j) % ngrid]); /* a different dy per x too */
                if (op->bwd_from == TC_FROM_Y)
                    in[n] = tc_round(dt, oracle_unary_fwd(op->unary, dt, x, par));
                tc_set(dt, inbuf, n, in[n]);
                tc_set(dt, dybuf, n, dy[n]);
            }
            exact[n] = backward ? oracle_unary_bwd(op->unary, dt, in[n], dy[n], par)
                                : oracle_unary_fwd(op->unary, dt, x, par);
            if (++j == per_x) {
                j = 0;
                pattern += stride;
            }
        }
        for (size_t k = 0; k < nisa; k++) {
            run_kernel(isas[k], op, dt, backward, par, inbuf, dybuf, outbuf, n);
            for (size_t i = 0; i < n; i++) {
                const double got = tc_get(dt, outbuf, i), cr = tc_round(dt, exact[i]);
                tallies[k].not_cr += !(got == cr || (isnan(got) && isnan(cr)));
                judge(&tallies[k], op, dt, backward, par, in[i], dy[i], got, exact[i]);
            }
        }
    }
}

/*
 * The gated and fused bias ops (SPEC §11): random calls through the public
 * API on each ISA, with the test suite's inputs (tc_fill_call: moderate
 * values, some of every magnitude; bias_<op> as (rows, 67 features) and as
 * (2, 5 channels, inner 67)), judged by tc_verify_call — the oracle and
 * budgets of the tests, glu's db and the dbias sums included — and folded
 * into the tally like the elementwise results.
 */
struct fused_ctx {
    struct tally *t;
    tc_dtype dt;
    int backward;
    const void *in, *dy;
    size_t n_in;
};

static void fused_observe(void *vctx, size_t i, double got, long double exact, const tc_budget *b, int ok)
{
    const struct fused_ctx *c = vctx;
    const double in = i < c->n_in ? tc_get(c->dt, c->in, i) : NAN;
    const double dy = c->backward && i < c->n_in ? tc_get(c->dt, c->dy, i) : NAN;
    tally_fold(c->t, c->dt, b, in, dy, got, exact, tc_ulp_err(c->dt, got, exact), ok);
}

static void sweep_fused(const tc_op *op, tc_dtype dt, int backward, const tc_params *par, const actfn_isa *isas,
                        size_t nisa, uint64_t samples, struct tally *tallies)
{
    enum { N = 4096 };
    static unsigned char x[N * 8], b[N * 8], dy[N * 8], out[N * 8], db[N * 8];
    tc_rng rng;
    tc_rng_init(&rng, 0x5eedf, (uint64_t)(op - tc_ops) * 4 + (uint64_t)dt * 2 + (uint64_t)backward);
    const actfn_isa was = actfn_get_isa();
    for (uint64_t done = 0, call = 0; done < samples; call++) {
        tc_args a = {.x = x, .alpha = b, .dy = dy, .out = out, .dalpha = backward ? db : NULL, .par = *par};
        if (op->kind == TC_KIND_GLU)
            a.dim[0] = N;
        else if (call % 2)
            a.dim[0] = N / 67, a.dim[1] = 67, a.dim[2] = 1;
        else
            a.dim[0] = 2, a.dim[1] = 5, a.dim[2] = 67;
        tc_fill_call(op, dt, backward, &a, &rng);
        const tc_count c = tc_counts(op, backward, a.dim);
        for (size_t k = 0; k < nisa; k++) {
            tc_use_isa(isas[k]);
            if (tc_call(op, dt, backward, &a) != ACTFN_OK) {
                fprintf(stderr, "sweep: %s failed on %s\n", op->name, actfn_isa_name(isas[k]));
                exit(1);
            }
            struct fused_ctx ctx = {&tallies[k], dt, backward, x, dy, c.in};
            tc_fails quiet = {0, 1, 1};
            tc_verify_call(op, dt, backward, &a, "(sweep)", &quiet, fused_observe, &ctx);
        }
        done += c.out;
    }
    tc_use_isa(was);
}

/* ---- Report ------------------------------------------------------------ */

static void print_line(const tc_op *op, int backward, tc_dtype dt, actfn_isa isa, const tc_params *par,
                       const char *count, const struct tally *t)
{
    char pbuf[128], xbuf[64], dybuf[64], inputs[96];
    /* 16-bit lines: how many results are not the exact value rounded once */
    if (tc_is_half(dt) && op->kind == TC_KIND_UNARY)
        snprintf(inputs, sizeof inputs, "%s (%llu not correctly rounded)", count, (unsigned long long)t->not_cr);
    else
        snprintf(inputs, sizeof inputs, "%s", count);
    tc_params_str(op, par, pbuf, sizeof pbuf);
    tc_fmt(dt, t->max_ulp_in, xbuf, sizeof xbuf);
    printf("| %s | %s | %s | %s | %s | %s | %.*Lf | %s", op->name, backward ? "bwd" : "fwd", tc_dtype_name(dt),
           isa_label(isa, dt), pbuf[0] ? pbuf : "–", inputs, tc_is_half(dt) ? 4 : 2, t->max_ulp, xbuf);
    if (backward)
        printf(" (dy %s)", tc_fmt(dt, t->max_ulp_dy, dybuf, sizeof dybuf));
    printf(" | %.2Lf | %llu |\n", t->max_sub, (unsigned long long)t->fails);
    if (t->fails) {
        char gbuf[64], ebuf[64];
        fprintf(stderr, "OUT OF BUDGET: %s %s %s %s %s: in=%s dy=%s got=%s exact=%s (%llu results)\n", op->name,
                backward ? "bwd" : "fwd", tc_dtype_name(dt), isa_label(isa, dt), pbuf,
                tc_fmt(dt, t->first_fail_in, xbuf, sizeof xbuf), tc_fmt(dt, t->first_fail_dy, dybuf, sizeof dybuf),
                tc_fmt(dt, t->first_fail_got, gbuf, sizeof gbuf), tc_fmt(dt, t->first_fail_exact, ebuf, sizeof ebuf),
                (unsigned long long)t->fails);
    }
    fflush(stdout);
}

static int parse_args(int argc, char **argv, struct options *o)
{
    *o = (struct options){.isa = -1, .dtype = -1, .pass = -1, .samples = 10000000, .stride = 1, .half_stride = 1,
                          .half_dy = 8};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return 0;
        i++;
        if (!strcmp(a, "--op"))
            o->ops = v;
        else if (!strcmp(a, "--isa")) {
            o->isa = !strcmp(v, "avx2") ? ACTFN_ISA_AVX2 : !strcmp(v, "avx512") ? ACTFN_ISA_AVX512
                   : !strcmp(v, "neon") ? ACTFN_ISA_NEON : !strcmp(v, "scalar") ? ACTFN_ISA_SCALAR : -2;
            if (o->isa == -2)
                return 0;
        } else if (!strcmp(a, "--dtype")) {
            o->dtype = !strcmp(v, "f32") ? TC_F32 : !strcmp(v, "f64") ? TC_F64 : !strcmp(v, "bf16") ? TC_BF16
                     : !strcmp(v, "f16") ? TC_F16 : -2;
            if (o->dtype == -2)
                return 0;
        } else if (!strcmp(a, "--pass")) {
            o->pass = !strcmp(v, "fwd") ? 0 : !strcmp(v, "bwd") ? 1 : -2;
            if (o->pass == -2)
                return 0;
        } else if (!strcmp(a, "--samples"))
            o->samples = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--stride"))
            o->stride = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--sets"))
            o->all_sets = !strcmp(v, "all");
        else if (!strcmp(a, "--half-stride"))
            o->half_stride = (unsigned)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--half-dy"))
            o->half_dy = (unsigned)strtoul(v, NULL, 0);
        else
            return 0;
    }
    return o->stride > 0 && o->half_stride > 0 && o->half_dy > 0;
}

/* The lines of one op, type and pass: one per parameter set (the default
 * only, without --sets all) and ISA. Returns the results out of budget. */
static uint64_t sweep_lines(const tc_op *op, tc_dtype dt, int backward, const struct options *o,
                            const actfn_isa *isas, size_t nisa)
{
    const int fused = op->kind == TC_KIND_GLU || op->kind == TC_KIND_BIAS;
    const int nsets = o->all_sets ? op->nsets : 1;
    uint64_t fails = 0;
    for (int s = 0; s < nsets; s++) {
        const tc_params par = tc_params_round(dt, &op->sets[s]);
        struct tally t[4];
        memset(t, 0, sizeof t);
        char inputs[64];
        /* The exhaustive f32 sweep runs the default parameters; other sets
         * are sampled. */
        if (fused) {
            sweep_fused(op, dt, backward, &par, isas, nisa, o->samples, t);
            snprintf(inputs, sizeof inputs, "%llu", (unsigned long long)t[0].count);
        } else if (tc_is_half(dt)) {
            sweep_half(op, dt, backward, &par, isas, nisa, o->half_stride, o->half_dy, t);
            snprintf(inputs, sizeof inputs, "%llu", (unsigned long long)t[0].count);
        } else if (dt == TC_F32 && !backward && s == 0) {
            sweep_f32_forward(op, &par, isas, nisa, o->stride, t);
            snprintf(inputs, sizeof inputs, o->stride == 1 ? "all 2^32" : "2^32/%llu",
                     (unsigned long long)o->stride);
        } else {
            sweep_sampled(op, dt, backward, &par, isas, nisa, o->samples, t);
            snprintf(inputs, sizeof inputs, "%llu", (unsigned long long)t[0].count);
        }
        for (size_t k = 0; k < nisa; k++) {
            print_line(op, backward, dt, isas[k], &par, inputs, &t[k]);
            fails += t[k].fails;
        }
    }
    return fails;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!parse_args(argc, argv, &o)) {
        fprintf(stderr, "usage: %s [--op NAME[,NAME...]] [--isa avx2|avx512|neon|scalar] [--dtype f32|f64|bf16|f16]\n"
                        "          [--pass fwd|bwd] [--samples N] [--stride S] [--sets default|all]\n"
                        "          [--half-stride S] [--half-dy K]\n",
                argv[0]);
        return 2;
    }
    actfn_isa isas[4];
    size_t nisa = 0;
    if (o.isa >= 0) {
        if (!actfn_ktab_f32_for((actfn_isa)o.isa)) {
            fprintf(stderr, "sweep: ISA %s is not supported here\n", actfn_isa_name((actfn_isa)o.isa));
            return 77;
        }
        isas[nisa++] = (actfn_isa)o.isa;
    } else {
        for (size_t i = 0; i < sizeof simd_isas / sizeof simd_isas[0]; i++)
            if (actfn_ktab_f32_for(simd_isas[i]))
                isas[nisa++] = simd_isas[i];
        /* In reproducible mode (ACTFN_MODE=reproducible) the scalar table is
         * a kernel set of its own (SLEEF purecfma), not the reference. */
        if (actfn_get_mode() == ACTFN_MODE_REPRODUCIBLE)
            isas[nisa++] = ACTFN_ISA_SCALAR;
    }
    printf("mode: %s\n\n", actfn_get_mode() == ACTFN_MODE_REPRODUCIBLE ? "reproducible" : "fast");
    if (nisa == 0) {
        fprintf(stderr, "sweep: no SIMD ISA to sweep on this CPU/build\n");
        return 77;
    }

    printf("| op | pass | dtype | ISA | params | inputs | max ULP | at input | subnormal-range max error / min normal | out of budget |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    uint64_t fails = 0;
    for (size_t oi = 0; oi < tc_op_count; oi++) {
        const tc_op *op = &tc_ops[oi];
        const int fused = op->kind == TC_KIND_GLU || op->kind == TC_KIND_BIAS;
        if ((op->kind != TC_KIND_UNARY && !fused) || !op_selected(&o, op->name))
            continue;
        for (int dt = 0; dt < TC_DTYPE_COUNT; dt++) {
            if (o.dtype >= 0 && dt != o.dtype)
                continue;
            for (int backward = 0; backward <= 1; backward++) {
                if (o.pass >= 0 && backward != o.pass)
                    continue;
                fails += sweep_lines(op, (tc_dtype)dt, backward, &o, isas, nisa);
                /* bf16 once more with the integer rounding on an ISA
                 * whose native conversion (AVX512_BF16, FEAT_BF16) is the
                 * default. */
                for (size_t k = 0; k < nisa; k++)
                    if (dt == TC_BF16 && actfn_internal_bf16_native_isa(isas[k]) && actfn_internal_bf16_native()) {
                        actfn_internal_set_bf16_native(0);
                        fails += sweep_lines(op, (tc_dtype)dt, backward, &o, &isas[k], 1);
                        actfn_internal_set_bf16_native(1);
                    }
            }
        }
    }
    return fails ? 1 : 0;
}
