/*
 * fuzz_api.c — libFuzzer target for the whole public API.
 *
 * Each input is decoded into one call: op, pass, dtype (f32, f64, bf16,
 * f16), ISA, a "layout"
 * (separate arrays, an output aliasing or overlapping another array, a NULL
 * pointer, sizes whose product overflows, bad parameters), the parameters,
 * the shape, the alignment offset of every array and every input value.
 * The target works out on its own which SPEC §5 status the call must return
 * (checks in the order parameters, sizes, NULL, overlap) and then requires:
 *
 *   - an error: that exact status, and not one byte of any array changed;
 *   - success: inputs unchanged; every result within the SPEC §4 budget of
 *     the long-double oracle (tc_verify_call of tests/common);
 *     exact ops bit-identical to the scalar ISA; an allowed in-place call
 *     bit-identical to the same call out of place.
 *
 * Arrays are malloc'ed to their exact size (the alignment offset in front),
 * so AddressSanitizer catches any read or write past their end. Any failed
 * check prints what it saw and aborts, which libFuzzer records as a crash.
 * Build and run: ./scripts/fuzz [seconds].
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "test_common.h"

/* ---- Reading the input --------------------------------------------------- */

/* Bytes of the input in order; past its end, a generator seeded from the
 * whole input, so short inputs still give long, reproducible arrays. */
typedef struct {
    const uint8_t *p;
    size_t left;
    uint64_t state;
} reader;

static uint64_t next_generated(reader *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rd(reader *r, int bytes)
{
    if (r->left < (size_t)bytes)
        return next_generated(r) & (bytes == 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1);
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += bytes;
    r->left -= (size_t)bytes;
    return v;
}

static unsigned rd8(reader *r)
{
    return (unsigned)rd(r, 1);
}

/* ---- Values --------------------------------------------------------------- */

static const double special_values[] = {
    0.0,  -0.0,  INFINITY, -INFINITY, NAN,   1.0,   -1.0,  0.5,   3.0,   -3.0,  6.0,     2.0,
    20.0, -20.0, 88.72,    -87.34,    103.9, 709.8, -745.2, 1e-40, -1e-40, 1e-310, 1.2e-38, 40.0};
#define N_SPECIALS (sizeof special_values / sizeof special_values[0])

/* An input x: special values, values next to a parameter, small fixed-point
 * values, or any bit pattern of T (NaN, inf, subnormals included). */
static double decode_x(reader *r, tc_dtype dt, const tc_params *par, int nparams)
{
    const unsigned s = rd8(r);
    if (s < 40)
        return tc_round(dt, special_values[s % N_SPECIALS]);
    if (s < 56 && nparams > 0) {
        double v = tc_round(dt, par->p[s % (unsigned)nparams]);
        if (!isfinite(v))
            v = 0;
        for (int steps = (int)(rd8(r) % 9) - 4; steps != 0; steps += steps < 0 ? 1 : -1)
            v = tc_next(dt, v, steps < 0 ? -INFINITY : INFINITY);
        return v;
    }
    if (s < 128)
        return tc_round(dt, (double)(int16_t)rd(r, 2) / 256.0);
    if (tc_is_half(dt)) { /* any 16-bit pattern: the array holds it as is */
        const uint16_t bits = (uint16_t)rd(r, 2);
        return tc_get(dt, &bits, 0);
    }
    if (dt == TC_F32) {
        const uint32_t bits = (uint32_t)rd(r, 4);
        float f;
        memcpy(&f, &bits, sizeof f);
        return f;
    }
    const uint64_t bits = rd(r, 8);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* An incoming gradient: finite, |dy| in [2^-30, 2^31) (f16: [2^-30, 2^15),
 * rounded: 0 below its subnormals), or 0, ±1, NaN.
 * (An infinite dy times a derivative that is 0 in the limit has no single
 * right answer, so it is left out.) */
static double decode_dy(reader *r, tc_dtype dt)
{
    static const double fixed[] = {0.0, -0.0, 1.0, -1.0, NAN};
    const unsigned s = rd8(r);
    if (s < 16)
        return fixed[s % 5];
    const double mant = 1.0 + (double)rd(r, 2) / 65536.0;
    /* binary16 ends at 65504: its magnitudes stay below 2^15, so rounding
     * never makes the excluded infinite dy */
    const int top = dt == TC_F16 ? 14 : 30;
    return tc_round(dt, ((s & 1) ? -1 : 1) * ldexp(mant, (int)(rd8(r) % (unsigned)(top + 31)) - 30));
}

/* A scalar parameter outside the registry's sets: often bad (NaN, ±inf, 0),
 * otherwise ±m·2^e with e in [-10, 10]. */
static double decode_param(reader *r)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY, 0.0, -0.0};
    const unsigned s = rd8(r);
    if (s < 48)
        return bad[s % 5];
    const double mant = 1.0 + (double)rd(r, 2) / 65536.0;
    return ((s & 1) ? -1 : 1) * ldexp(mant, (int)(rd8(r) % 21) - 10);
}

/* ---- The call's arrays ---------------------------------------------------- */

enum { A_IN, A_ALPHA, A_DY, A_OUT, A_DALPHA, N_ARRAYS };
static const char *const array_names[N_ARRAYS] = {"in", "alpha", "dy", "out", "dalpha"};

typedef struct {
    size_t count[N_ARRAYS];  /* elements each array has (0: unused) */
    void *ptr[N_ARRAYS];     /* what the call gets */
    void *mem[N_ARRAYS];     /* allocations (NULL for arrays living inside another) */
    size_t bytes[N_ARRAYS];  /* allocation sizes */
} layout;

static void *alloc_exact(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p)
        abort();
    return p;
}

/* Separate arrays: each its own allocation, `offset` elements in. */
static void layout_separate(layout *l, size_t es, reader *r)
{
    for (int a = 0; a < N_ARRAYS; a++) {
        const size_t off = rd8(r) % 16;
        l->bytes[a] = (off + l->count[a]) * es;
        l->mem[a] = alloc_exact(l->bytes[a]);
        memset(l->mem[a], 0x5a, l->bytes[a]);
        l->ptr[a] = (char *)l->mem[a] + off * es;
    }
}

/* Place output `out` at `shift` elements from array `other`, inside
 * other's (enlarged) allocation. */
static void layout_alias(layout *l, size_t es, int out, int other, long shift)
{
    const long c_out = (long)l->count[out], c_other = (long)l->count[other];
    const long lo = shift < 0 ? shift : 0;
    const long hi = shift + c_out > c_other ? shift + c_out : c_other;
    free(l->mem[other]);
    free(l->mem[out]);
    l->mem[out] = NULL;
    l->bytes[out] = 0;
    l->bytes[other] = (size_t)(hi - lo) * es;
    l->mem[other] = alloc_exact(l->bytes[other]);
    memset(l->mem[other], 0x5a, l->bytes[other]);
    l->ptr[other] = (char *)l->mem[other] + (size_t)(-lo) * es;
    l->ptr[out] = (char *)l->ptr[other] + shift * (long)es;
}

static void layout_free(layout *l)
{
    for (int a = 0; a < N_ARRAYS; a++)
        free(l->mem[a]);
}

/* Snapshot of every allocation, to prove an erroring call wrote nothing and
 * a successful one left its inputs alone. */
typedef struct {
    unsigned char *copy[N_ARRAYS];
} snapshot;

static snapshot snap_take(const layout *l)
{
    snapshot s;
    for (int a = 0; a < N_ARRAYS; a++) {
        s.copy[a] = l->mem[a] ? alloc_exact(l->bytes[a]) : NULL;
        if (s.copy[a])
            memcpy(s.copy[a], l->mem[a], l->bytes[a]);
    }
    return s;
}

static int snap_same(const snapshot *s, const layout *l, int array)
{
    return !l->mem[array] || memcmp(s->copy[array], l->mem[array], l->bytes[array]) == 0;
}

static void snap_free(snapshot *s)
{
    for (int a = 0; a < N_ARRAYS; a++)
        free(s->copy[a]);
}

/* ---- What the call must return (SPEC §5, lead's decisions) --------------- */

/* The domains of src/oplist.h, restated here (the oracle of api.c's
 * PARAM_OK_*): p is the parameter, par all of the op's, in signature order. */
static int domain_ok_ANY(double p, const tc_params *par) { (void)par; return !isnan(p); }
static int domain_ok_FINITE(double p, const tc_params *par) { (void)par; return isfinite(p); }
static int domain_ok_FINITE_NONZERO(double p, const tc_params *par) { (void)par; return isfinite(p) && p != 0; }
/* hardtanh's max_val: min_val is the parameter before it */
static int domain_ok_NOT_BELOW_MIN_VAL(double p, const tc_params *par) { return !isnan(p) && p >= par->p[0]; }

#define DOMAIN_OK(op, index, pname, def, domain) &&domain_ok_##domain(par->p[index], par)
#define PARAMS_OK_CASE(name, NAME, from, cls, family) \
    case TC_##NAME:                                   \
        return 1 ACTFN_PARAMS_##name(DOMAIN_OK);

static int params_ok(const tc_op *op, const tc_params *par)
{
    if (op->kind != TC_KIND_UNARY && op->kind != TC_KIND_BIAS)
        return 1; /* bias_<op> has its op's parameters */
    switch ((tc_unary)op->unary) {
        ACTFN_UNARY_OPS(PARAMS_OK_CASE)
    case TC_UNARY_COUNT:
        break;
    }
    return 1;
}

/* 1 if a·b·c·es overflows size_t. */
static int size_overflows(const size_t dim[3], size_t es)
{
    size_t v;
    return __builtin_mul_overflow(dim[0], dim[1], &v) || __builtin_mul_overflow(v, dim[2], &v) ||
           __builtin_mul_overflow(v, es, &v);
}

/* Byte spans [p, p + count·es) of two arrays: 1 if they overlap at all. */
static int spans_meet(const void *a, size_t ab, const void *b, size_t bb)
{
    if (!a || !b || !ab || !bb)
        return 0;
    const uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + bb && y < x + ab;
}

/* An output partially over an input (not the same start and length). */
static int partial(const layout *l, const size_t *b, int out, int in)
{
    return spans_meet(l->ptr[out], b[out], l->ptr[in], b[in]) && !(l->ptr[out] == l->ptr[in] && b[out] == b[in]);
}

/* Outputs may equal an input exactly (same start, same length) or be
 * disjoint from it; prelu's and bias_<op>'s per-channel alpha and dalpha
 * may overlap nothing. glu's two outputs (out, and db in dalpha) may each
 * be any one input exactly, and must not meet each other. */
static int overlap_rejected(const tc_op *op, const layout *l, size_t es)
{
    size_t b[N_ARRAYS];
    for (int a = 0; a < N_ARRAYS; a++)
        b[a] = l->count[a] * es;
    if (op->kind == TC_KIND_GLU) {
        const int outs[] = {A_OUT, A_DALPHA}, ins[] = {A_IN, A_ALPHA, A_DY};
        for (size_t o = 0; o < 2; o++)
            for (size_t i = 0; i < 3; i++)
                if (partial(l, b, outs[o], ins[i]))
                    return 1;
        return spans_meet(l->ptr[A_OUT], b[A_OUT], l->ptr[A_DALPHA], b[A_DALPHA]);
    }
    const int out_inputs[] = {A_IN, A_DY};
    for (size_t i = 0; i < 2; i++) {
        const int in = out_inputs[i];
        if (spans_meet(l->ptr[A_OUT], b[A_OUT], l->ptr[in], b[in]) &&
            !(l->ptr[A_OUT] == l->ptr[in] && b[A_OUT] == b[in]))
            return 1;
    }
    if (spans_meet(l->ptr[A_OUT], b[A_OUT], l->ptr[A_ALPHA], b[A_ALPHA]))
        return 1;
    for (int a = 0; a < N_ARRAYS; a++)
        if (a != A_DALPHA && spans_meet(l->ptr[A_DALPHA], b[A_DALPHA], l->ptr[a], b[a]))
            return 1;
    return 0;
}

/* The arrays a call needs non-NULL when its element count is > 0. */
static int required(const tc_op *op, int backward, int array)
{
    switch (array) {
    case A_IN:
    case A_OUT:
        return 1;
    case A_ALPHA:
        return tc_has_alpha(op);
    case A_DY:
        return backward;
    default:
        return backward && tc_has_alpha(op) && !tc_dalpha_optional(op); /* glu's db; dalpha, dbias may be NULL */
    }
}

static int expected_status(const tc_op *op, int backward, const tc_params *par, const size_t dim[3],
                           const layout *l, size_t es)
{
    if (!params_ok(op, par) || (op->kind == TC_KIND_MAXOUT && dim[1] == 0))
        return ACTFN_ERR_PARAM;
    if (size_overflows(dim, es))
        return ACTFN_ERR_SIZE;
    const size_t count = dim[0] * dim[1] * dim[2];
    if (count == 0) {
        /* prelu's backward still overwrites dalpha (empty sums: zeros), so a
         * dalpha on top of alpha is rejected even then. */
        if (tc_per_channel(op) && backward &&
            spans_meet(l->ptr[A_DALPHA], l->count[A_DALPHA] * es, l->ptr[A_ALPHA], l->count[A_ALPHA] * es))
            return ACTFN_ERR_OVERLAP;
        return ACTFN_OK;
    }
    for (int a = 0; a < N_ARRAYS; a++)
        if (required(op, backward, a) && !l->ptr[a])
            return ACTFN_ERR_NULL;
    return overlap_rejected(op, l, es) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

/* ---- Reporting ------------------------------------------------------------- */

static char context[256];

/* ACTFN_FUZZ_KEEP_GOING=1 (long triage runs): a failure is counted under
 * its kind (op, pass, dtype, ISA and the first words of the message) and
 * printed the first time, instead of stopping the run; the tally of kinds is
 * printed at exit. */
#define MAX_KINDS 512
static struct {
    char key[160];
    unsigned long count;
} kinds[MAX_KINDS];
static size_t n_kinds;
static int keep_going = -1;

static void print_kinds(void)
{
    unsigned long total = 0;
    for (size_t i = 0; i < n_kinds; i++)
        total += kinds[i].count;
    fprintf(stderr, "fuzz: %lu failing inputs of %zu kinds\n", total, n_kinds);
    for (size_t i = 0; i < n_kinds; i++)
        fprintf(stderr, "  %8lu  %s\n", kinds[i].count, kinds[i].key);
}

static char context_kind[96]; /* "gelu f64 [avx2]": the op, pass, dtype, ISA */

/* Returns 1 the first time a kind is seen: the same op, pass, dtype and ISA
 * with the same message up to its numbers. */
static int count_kind(const char *msg)
{
    char key[160];
    int len = snprintf(key, sizeof key, "%s: ", context_kind);
    for (const char *m = msg; *m && len < 150; m++)
        if (!(*m >= '0' && *m <= '9'))
            key[len++] = *m;
    key[len] = '\0';
    for (size_t i = 0; i < n_kinds; i++)
        if (strcmp(kinds[i].key, key) == 0)
            return kinds[i].count++ == 0;
    if (n_kinds == MAX_KINDS)
        return 0;
    snprintf(kinds[n_kinds].key, sizeof kinds[n_kinds].key, "%s", key);
    kinds[n_kinds++].count = 1;
    return 1;
}

static void init_keep_going(void)
{
    if (keep_going >= 0)
        return;
    const char *env = getenv("ACTFN_FUZZ_KEEP_GOING");
    keep_going = env && *env && strcmp(env, "0") != 0;
    if (keep_going)
        atexit(print_kinds);
}

/* Report a failed check; returns 1 if it was printed (always, unless
 * keep-going mode has seen this kind before). */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const int print = !keep_going || count_kind(msg);
    if (print)
        fprintf(stderr, "FUZZ FAILURE [%s]: %s\n", context, msg);
    if (!keep_going)
        abort();
    return print;
}

/* ---- One fuzz input ---------------------------------------------------------- */

enum { MODE_SEPARATE, MODE_ALIAS, MODE_NULL, MODE_SIZE, MODE_PARAM };

static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;

static tc_args make_args(const layout *l, const size_t dim[3], const tc_params *par)
{
    tc_args a = {.x = l->ptr[A_IN],
                 .alpha = l->ptr[A_ALPHA],
                 .dy = l->ptr[A_DY],
                 .out = l->ptr[A_OUT],
                 .dalpha = l->ptr[A_DALPHA],
                 .par = *par};
    memcpy(a.dim, dim, sizeof a.dim);
    return a;
}

/* Shape of an ordinary call: mostly small (every vector tail up to
 * 4·16+3 elements), one in 32 larger. */
static void decode_dims(reader *r, const tc_op *op, size_t dim[3])
{
    const int large = (rd8(r) & 31) == 0;
    switch (op->kind) {
    case TC_KIND_UNARY:
    case TC_KIND_GLU:
        dim[0] = large ? rd(r, 2) % 600 : rd8(r) % 72;
        dim[1] = dim[2] = 1;
        break;
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX:
        dim[0] = rd8(r) % 4;
        dim[1] = large ? rd(r, 2) % 200 : rd8(r) % 36;
        dim[2] = 1;
        break;
    case TC_KIND_PRELU:
    case TC_KIND_BIAS:
        dim[0] = rd8(r) % 4;
        dim[1] = rd8(r) % (large ? 17 : 5);
        dim[2] = rd8(r) % (large ? 40 : 12);
        break;
    case TC_KIND_MAXOUT:
        dim[0] = rd8(r) % 4;
        dim[1] = 1 + rd8(r) % 6;
        dim[2] = rd8(r) % (large ? 40 : 12);
        break;
    }
}

/* Dimensions whose product (in bytes) overflows size_t, none zero. */
static void decode_huge_dims(reader *r, const tc_op *op, size_t es, size_t dim[3])
{
    if (op->kind == TC_KIND_UNARY || op->kind == TC_KIND_GLU) {
        dim[0] = SIZE_MAX / es + 1 + rd8(r);
        dim[1] = dim[2] = 1;
        return;
    }
    const size_t big = ((size_t)1 << 32) + rd8(r);
    dim[0] = big;
    dim[1] = op->kind == TC_KIND_MAXOUT || tc_per_channel(op) ? 1 + rd8(r) % 7 : big;
    dim[2] = op->kind == TC_KIND_SOFTMAX || op->kind == TC_KIND_LOG_SOFTMAX ? 1 : big;
    if (rd8(r) & 1) { /* swap which of the first two is small */
        const size_t t = dim[0];
        dim[0] = dim[1];
        dim[1] = t;
    }
}

static void fill_inputs(reader *r, const tc_op *op, tc_dtype dt, int backward, const tc_params *par,
                        const size_t dim[3], layout *l)
{
    for (size_t i = 0; i < l->count[A_IN]; i++)
        tc_set(dt, l->ptr[A_IN], i, decode_x(r, dt, par, op->nparams));
    for (size_t i = 0; i < l->count[A_ALPHA]; i++)
        tc_set(dt, l->ptr[A_ALPHA], i, decode_x(r, dt, par, 0));
    for (size_t i = 0; i < l->count[A_DY]; i++)
        tc_set(dt, l->ptr[A_DY], i, decode_dy(r, dt));
    if (!backward || op->bwd_from != TC_FROM_Y)
        return;
    /* A backward from y gets what the forward gives: y = f(x) rounded to T. */
    if (op->kind == TC_KIND_UNARY) {
        for (size_t i = 0; i < l->count[A_IN]; i++)
            tc_set(dt, l->ptr[A_IN], i, tc_round(dt, oracle_unary_fwd(op->unary, dt, tc_get(dt, l->ptr[A_IN], i), par)));
        return;
    }
    const size_t rows = dim[0], cols = dim[1];
    long double *x = malloc((cols + 1) * sizeof *x), *y = malloc((cols + 1) * sizeof *y);
    if (!x || !y)
        abort();
    for (size_t row = 0; row < rows; row++) {
        for (size_t j = 0; j < cols; j++)
            x[j] = tc_get(dt, l->ptr[A_IN], row * cols + j);
        oracle_softmax_row(op->kind == TC_KIND_LOG_SOFTMAX, x, y, NULL, cols);
        for (size_t j = 0; j < cols; j++)
            tc_set(dt, l->ptr[A_IN], row * cols + j, tc_round(dt, y[j]));
    }
    free(x);
    free(y);
}

/* Run the call on `isa` with the arrays of `l`; returns the status. */
static int run_on(actfn_isa isa, const tc_op *op, tc_dtype dt, int backward, const tc_args *a)
{
    tc_use_isa(isa);
    return tc_call(op, dt, backward, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!isa_count)
        isa_count = tc_isas(isa_list);
    init_keep_going();
    reader r = {data, size, 0x243f6a8885a308d3ULL ^ size};
    for (size_t i = 0; i < size; i++)
        r.state = (r.state ^ data[i]) * 0x100000001b3ULL;

    const tc_op *op = &tc_ops[rd8(&r) % tc_op_count];
    const unsigned flags = rd8(&r);
    const int backward = flags & 1;
    /* bit 1: the wider of a pair; bit 4: the 16-bit pair (SPEC §9) */
    const tc_dtype dt = (flags & 16) ? ((flags & 2) ? TC_F16 : TC_BF16) : ((flags & 2) ? TC_F64 : TC_F32);
    const actfn_isa isa = isa_list[((flags >> 2) & 3) % isa_count];
    const unsigned mode_byte = rd8(&r);
    const int mode = mode_byte < 128 ? MODE_SEPARATE
                   : mode_byte < 176 ? MODE_ALIAS
                   : mode_byte < 208 ? MODE_NULL
                   : mode_byte < 232 ? MODE_SIZE
                                     : MODE_PARAM;
    const size_t es = tc_size(dt);

    tc_params par = op->sets[rd8(&r) % (unsigned)op->nsets];
    if (mode == MODE_PARAM)
        for (int i = 0; i < op->nparams; i++)
            par.p[i] = decode_param(&r);
    par = tc_params_round(dt, &par);

    size_t dim[3];
    if (mode == MODE_SIZE)
        decode_huge_dims(&r, op, es, dim);
    else
        decode_dims(&r, op, dim);
    if (mode == MODE_PARAM && op->kind == TC_KIND_MAXOUT && (rd8(&r) & 1))
        dim[1] = 0;

    char label[64], pstr[128];
    snprintf(context_kind, sizeof context_kind, "%s [%s]", tc_label(op, backward, dt, label, sizeof label),
             actfn_isa_name(isa));
    snprintf(context, sizeof context, "%s %s dims %zu,%zu,%zu mode %d", context_kind,
             tc_params_str(op, &par, pstr, sizeof pstr), dim[0], dim[1], dim[2], mode);

    /* The arrays, each separate; inputs decoded into them. In MODE_SIZE
     * every count is 0: the call must not get as far as touching memory. */
    layout sep = {.count = {0}};
    if (mode != MODE_SIZE) {
        const tc_count c = tc_counts(op, backward, dim);
        sep.count[A_IN] = c.in;
        sep.count[A_ALPHA] = c.alpha;
        sep.count[A_DY] = c.dy;
        sep.count[A_OUT] = c.out;
        sep.count[A_DALPHA] = c.dalpha;
    }
    layout_separate(&sep, es, &r);
    if (mode != MODE_SIZE)
        fill_inputs(&r, op, dt, backward, &par, dim, &sep);

    /* MODE_ALIAS: the same inputs, with an output placed on another array
     * (exactly on it half of the time). */
    layout alias = {.count = {0}}, *l = &sep;
    if (mode == MODE_ALIAS) {
        static const int outputs[] = {A_OUT, A_OUT, A_OUT, A_DALPHA};
        const int out = outputs[rd8(&r) % 4];
        const int other = (int)(rd8(&r) % N_ARRAYS);
        if (other != out && sep.count[out] > 0 && sep.count[other] > 0) {
            const long span = (long)(sep.count[out] + sep.count[other]);
            const long shift = (rd8(&r) & 1) ? 0 : (long)(rd(&r, 2) % (unsigned long)span) - (long)sep.count[out] + 1;
            memcpy(alias.count, sep.count, sizeof alias.count);
            reader none = {NULL, 0, 0};
            layout_separate(&alias, es, &none);
            layout_alias(&alias, es, out, other, shift);
            for (int a = 0; a < N_ARRAYS; a++)
                if (a != A_OUT && a != A_DALPHA)
                    memcpy(alias.ptr[a], sep.ptr[a], sep.count[a] * es);
            l = &alias;
        }
    }
    if (tc_dalpha_optional(op) && backward && (rd8(&r) & 3) == 0)
        sep.ptr[A_DALPHA] = alias.ptr[A_DALPHA] = NULL; /* dalpha, dbias are optional */
    if (mode == MODE_NULL)
        l->ptr[rd8(&r) % N_ARRAYS] = NULL;

    const int want = expected_status(op, backward, &par, dim, l, es);
    const tc_args args = make_args(l, dim, &par);
    snapshot before = snap_take(l);
    const int status = run_on(isa, op, dt, backward, &args);
    if (status != want) {
        /* (with ACTFN_FUZZ_KEEP_GOING: nothing below fits this call) */
        fail("status %d (%s), expected %d (%s)", status, actfn_strerror(status), want, actfn_strerror(want));
    } else if (status != ACTFN_OK) {
        for (int a = 0; a < N_ARRAYS; a++)
            if (!snap_same(&before, l, a))
                fail("the call returned %d but changed %s", status, array_names[a]);
    } else if (l == &alias) {
        /* An allowed alias must give the bits of the same call out of place. */
        const tc_args sargs = make_args(&sep, dim, &par);
        if (run_on(isa, op, dt, backward, &sargs) != ACTFN_OK)
            fail("the out-of-place call failed");
        if (memcmp(sep.ptr[A_OUT], alias.ptr[A_OUT], sep.count[A_OUT] * es) != 0)
            fail("in-place result differs from the out-of-place result");
        if (alias.ptr[A_DALPHA] && memcmp(sep.ptr[A_DALPHA], alias.ptr[A_DALPHA], sep.count[A_DALPHA] * es) != 0)
            fail("in-place dalpha differs from the out-of-place dalpha");
    } else {
        for (int a = 0; a < N_ARRAYS; a++)
            if (a != A_OUT && a != A_DALPHA && !snap_same(&before, l, a))
                fail("the call changed its input %s", array_names[a]);
        /* Every output (and dalpha) against the oracle, SPEC §4 budgets. */
        tc_fails quiet = {0, 1, 1}, loud = {0, 0, 5}; /* quiet: counts, prints nothing */
        if (tc_verify_call(op, dt, backward, &args, "(fuzz)", keep_going ? &quiet : &loud, NULL, NULL) != 0 &&
            fail("%lu results outside their budget", keep_going ? quiet.count : loud.count) && keep_going)
            tc_verify_call(op, dt, backward, &args, "(fuzz)", &loud, NULL, NULL);
        /* Exact ops: bit-identical to the scalar reference path. */
        if (op->cls == TC_CLASS_EXACT && isa != ACTFN_ISA_SCALAR && l->count[A_OUT] > 0) {
            unsigned char *got = alloc_exact(l->count[A_OUT] * es);
            memcpy(got, l->ptr[A_OUT], l->count[A_OUT] * es);
            if (run_on(ACTFN_ISA_SCALAR, op, dt, backward, &args) != ACTFN_OK)
                fail("the scalar call failed");
            for (size_t i = 0; i < l->count[A_OUT]; i++) {
                const double a = tc_get(dt, got, i), b = tc_get(dt, l->ptr[A_OUT], i);
                if (tc_bits(dt, got, i) != tc_bits(dt, l->ptr[A_OUT], i) && !(isnan(a) && isnan(b))) {
                    char b1[80], b2[80];
                    fail("exact op differs from the scalar ISA at %zu: %s vs scalar %s", i,
                         tc_fmt(dt, a, b1, sizeof b1), tc_fmt(dt, b, b2, sizeof b2));
                    break;
                }
            }
            free(got);
        }
    }
    snap_free(&before);
    layout_free(&alias);
    layout_free(&sep);
    return 0;
}
