/*
 * helpers.c — the small tools of test_common.h: element access, ULPs,
 * sentinel buffers, the ISA loop, a seeded RNG, the sample-count scale and
 * the failure counter.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

/* ---- Element types ------------------------------------------------------ */

size_t tc_size(tc_dtype dt)
{
    return dt == TC_F32 ? sizeof(float) : sizeof(double);
}

const char *tc_dtype_name(tc_dtype dt)
{
    return dt == TC_F32 ? "f32" : "f64";
}

/* ---- Values ------------------------------------------------------------- */

double tc_get(tc_dtype dt, const void *buf, size_t i)
{
    return dt == TC_F32 ? (double)((const float *)buf)[i] : ((const double *)buf)[i];
}

void tc_set(tc_dtype dt, void *buf, size_t i, double v)
{
    if (dt == TC_F32)
        ((float *)buf)[i] = (float)v;
    else
        ((double *)buf)[i] = v;
}

uint64_t tc_bits(tc_dtype dt, const void *buf, size_t i)
{
    if (dt == TC_F32) {
        uint32_t u;
        memcpy(&u, (const float *)buf + i, sizeof u);
        return u;
    }
    uint64_t u;
    memcpy(&u, (const double *)buf + i, sizeof u);
    return u;
}

void tc_set_nan(tc_dtype dt, void *buf, size_t i, int kind)
{
    static const uint32_t f32[TC_NAN_KINDS] = {0x7fc00000u, 0xffc00000u, 0x7fc12345u, 0xffc54321u, 0x7fa00000u};
    static const uint64_t f64[TC_NAN_KINDS] = {0x7ff8000000000000ULL, 0xfff8000000000000ULL, 0x7ff8000012345678ULL,
                                               0xfff8000087654321ULL, 0x7ff4000000000000ULL};
    if (dt == TC_F32)
        memcpy((float *)buf + i, &f32[kind], sizeof(float));
    else
        memcpy((double *)buf + i, &f64[kind], sizeof(double));
}

uint64_t tc_canonical_nan_bits(tc_dtype dt)
{
    return dt == TC_F32 ? 0x7fc00000u : 0x7ff8000000000000ULL;
}

double tc_round(tc_dtype dt, long double v)
{
    return dt == TC_F32 ? (double)(float)v : (double)v;
}

tc_params tc_params_round(tc_dtype dt, const tc_params *par)
{
    tc_params r = {{0}};
    for (int i = 0; i < TC_MAX_PARAMS; i++)
        r.p[i] = tc_round(dt, par->p[i]);
    return r;
}

const char *tc_fmt(tc_dtype dt, long double v, char *buf, size_t size)
{
    if (dt == TC_F32 && (long double)(float)v == v)
        snprintf(buf, size, "%a (%.9g)", (double)v, (double)v);
    else if (dt == TC_F64 && (long double)(double)v == v)
        snprintf(buf, size, "%a (%.17g)", (double)v, (double)v);
    else
        snprintf(buf, size, "%La (%.21Lg)", v, v);
    return buf;
}

double tc_min_normal(tc_dtype dt)
{
    return dt == TC_F32 ? FLT_MIN : DBL_MIN;
}

double tc_eps(tc_dtype dt)
{
    return dt == TC_F32 ? FLT_EPSILON : DBL_EPSILON;
}

double tc_max_finite(tc_dtype dt)
{
    return dt == TC_F32 ? FLT_MAX : DBL_MAX;
}

double tc_next(tc_dtype dt, double v, double toward)
{
    return dt == TC_F32 ? (double)nextafterf((float)v, (float)toward) : nextafter(v, toward);
}

/* ---- ULPs --------------------------------------------------------------- */

long double tc_ulp(tc_dtype dt, long double v)
{
    const int digits = dt == TC_F32 ? FLT_MANT_DIG : DBL_MANT_DIG;
    const long double tiny = dt == TC_F32 ? (long double)FLT_TRUE_MIN : (long double)DBL_TRUE_MIN;
    const double r = fabs(tc_round(dt, v));
    if (isinf(r))
        return ldexpl(1.0L, (dt == TC_F32 ? FLT_MAX_EXP : DBL_MAX_EXP) - digits);
    if (r < tc_min_normal(dt))
        return tiny;
    int e;
    frexp(r, &e); /* r = m * 2^e, m in [0.5, 1) */
    return ldexpl(1.0L, e - digits);
}

long double tc_ulp_err(tc_dtype dt, double got, long double exact)
{
    if (isnan(exact) || isnan(got))
        return isnan(exact) && isnan(got) ? 0.0L : INFINITY;
    if (isinf(exact) || isinf(got))
        return got == tc_round(dt, exact) ? 0.0L : INFINITY; /* overflow to the right inf is exact */
    return fabsl((long double)got - exact) / tc_ulp(dt, exact);
}

/* ---- Buffers with sentinels --------------------------------------------- */

#define TC_ALIGN 64

tc_buf tc_buf_new(tc_dtype dt, size_t n, size_t offset)
{
    tc_buf b;
    b.elem = tc_size(dt);
    b.n = n;
    b.offset = offset;
    /* [sentinel 64 B][pad to 64 B][offset elems][n elems][sentinel 64 B] */
    const size_t total = TC_SENTINEL_BYTES + 2 * TC_ALIGN + (offset + n) * b.elem + TC_SENTINEL_BYTES;
    b.base = malloc(total);
    if (!b.base) {
        fprintf(stderr, "tc_buf_new: out of memory (%zu bytes)\n", total);
        abort();
    }
    memset(b.base, TC_SENTINEL_BYTE, total);
    uintptr_t start = (uintptr_t)b.base + TC_SENTINEL_BYTES;
    start = (start + TC_ALIGN - 1) & ~(uintptr_t)(TC_ALIGN - 1);
    b.p = (void *)(start + offset * b.elem);
    if (n)
        memset(b.p, 0, n * b.elem);
    return b;
}

/* The allocation's total size, as tc_buf_new computed it. */
static size_t buf_total(const tc_buf *b)
{
    return TC_SENTINEL_BYTES + 2 * TC_ALIGN + (b->offset + b->n) * b->elem + TC_SENTINEL_BYTES;
}

int tc_buf_sentinels_ok(const tc_buf *b)
{
    const unsigned char *p = b->p;
    const unsigned char *end = p + b->n * b->elem;
    for (const unsigned char *q = b->base; q < p; q++)
        if (*q != TC_SENTINEL_BYTE)
            return 0;
    for (const unsigned char *q = end; q < b->base + buf_total(b); q++)
        if (*q != TC_SENTINEL_BYTE)
            return 0;
    return 1;
}

void tc_buf_free(tc_buf *b)
{
    free(b->base);
    b->base = NULL;
    b->p = NULL;
}

/* ---- ISAs --------------------------------------------------------------- */

size_t tc_isas(actfn_isa list[TC_MAX_ISAS])
{
    /* every ISA the library knows: actfn_isa_name says "unknown" past the last */
    size_t n = 0;
    for (int i = 0; strcmp(actfn_isa_name((actfn_isa)i), "unknown") != 0; i++) {
        if (i >= TC_MAX_ISAS) {
            fprintf(stderr, "the library names more than TC_MAX_ISAS = %d ISAs\n", TC_MAX_ISAS);
            abort();
        }
        if (actfn_isa_supported((actfn_isa)i))
            list[n++] = (actfn_isa)i;
    }
    return n;
}

void tc_use_isa(actfn_isa isa)
{
    const int s = actfn_set_isa(isa);
    if (s != ACTFN_OK || actfn_get_isa() != isa) {
        fprintf(stderr, "actfn_set_isa(%s) failed: %d (%s)\n", actfn_isa_name(isa), s, actfn_strerror(s));
        abort();
    }
}

/* ---- Random numbers (xoshiro256**, seeded through splitmix64) ------------ */

static uint64_t seed_used;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void tc_rng_init(tc_rng *r, uint64_t fallback, uint64_t stream)
{
    uint64_t seed = fallback;
    const char *env = getenv("ACTFN_TEST_SEED");
    if (env && *env)
        seed = strtoull(env, NULL, 0);
    seed_used = seed;
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t tc_rng_seed_used(void)
{
    return seed_used;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t tc_rng_u64(tc_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double tc_rng_uniform(tc_rng *r, double lo, double hi)
{
    const double u = (double)(tc_rng_u64(r) >> 11) * 0x1p-53;
    return lo + (hi - lo) * u;
}

size_t tc_rng_below(tc_rng *r, size_t n)
{
    return n ? (size_t)(tc_rng_u64(r) % n) : 0;
}

double tc_rng_any(tc_rng *r, tc_dtype dt)
{
    const uint64_t u = tc_rng_u64(r);
    if (dt == TC_F32) {
        /* biased exponent uniform in 0..254 (0: subnormal or zero) */
        const uint32_t exp = (uint32_t)((u >> 32) % 255);
        const uint32_t bits = (uint32_t)(u & 0x80000000u) | (exp << 23) | (uint32_t)(u & 0x7fffffu);
        float f;
        memcpy(&f, &bits, sizeof f);
        return f;
    }
    const uint64_t exp = (tc_rng_u64(r) >> 11) % 2047;
    const uint64_t bits = (u & 0x8000000000000000ULL) | (exp << 52) | (u & 0xfffffffffffffULL);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

double tc_rng_logmag(tc_rng *r, tc_dtype dt, double lo, double hi)
{
    const double m = exp(tc_rng_uniform(r, log(lo), log(hi)));
    const double v = (tc_rng_u64(r) & 1) ? -m : m;
    return tc_round(dt, v);
}

/* ---- Scale -------------------------------------------------------------- */

double tc_scale(void)
{
    const char *env = getenv("ACTFN_TEST_SCALE");
    if (env && *env) {
        const double s = strtod(env, NULL);
        if (s > 0 && isfinite(s))
            return s;
    }
    return 1.0;
}

size_t tc_scaled(size_t base)
{
    const double v = (double)base * tc_scale();
    return v < 1 ? 1 : (size_t)v;
}

int tc_sample_this(void)
{
    static unsigned long calls;
    const double s = tc_scale();
    const unsigned long stride = s >= 1 ? 1 : (unsigned long)ceil(1 / s);
    return calls++ % stride == 0;
}

/* ---- Failures ----------------------------------------------------------- */

void tc_fail(tc_fails *f, const char *fmt, ...)
{
    const unsigned long limit = f->limit ? f->limit : 20;
    f->count++;
    if (f->printed >= limit)
        return;
    f->printed++;
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void tc_fails_summary(const tc_fails *f, const char *what)
{
    if (f->count > f->printed)
        fprintf(stderr, "%s: %lu more failures not shown (%lu in all)\n", what, f->count - f->printed,
                f->count);
}

tc_fails *tc_op_fails_of(tc_op_fails *t, const tc_op *op)
{
    tc_fails *f = &t->f[op - tc_ops];
    f->limit = 6;
    return f;
}

unsigned long tc_op_fails_total(const tc_op_fails *t)
{
    unsigned long n = 0;
    for (size_t o = 0; o < tc_op_count; o++) {
        tc_fails_summary(&t->f[o], tc_ops[o].name);
        n += t->f[o].count;
    }
    return n;
}
