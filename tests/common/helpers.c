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

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

#include "test_common.h"

/* ---- Element types ------------------------------------------------------ */

size_t tc_size(tc_dtype dt)
{
    switch (dt) {
    case TC_F32:
        return sizeof(float);
    case TC_F64:
        return sizeof(double);
    case TC_BF16:
    case TC_F16:
        return 2;
    }
    return 0;
}

const char *tc_dtype_name(tc_dtype dt)
{
    static const char *const names[TC_DTYPE_COUNT] = {"f32", "f64", "bf16", "f16"};
    return (unsigned)dt < TC_DTYPE_COUNT ? names[dt] : "?";
}

int tc_is_half(tc_dtype dt)
{
    return dt == TC_BF16 || dt == TC_F16;
}

tc_dtype tc_compute_type(tc_dtype dt)
{
    return tc_is_half(dt) ? TC_F32 : dt;
}

/* ---- The 16-bit formats, modelled from their definitions ---------------- */

/*
 * Written from the formats alone (SPEC §9: bfloat16 is 1-8-7, binary16 is
 * IEEE 1-5-10), sharing nothing with the library's src/half.h, and checked
 * against the formats' definitions by tests/test_half_model.c.
 *
 * Rounding a long double v to p significant bits, once: v is first taken to
 * double by rounding to odd (the double toward zero, its last bit set when
 * inexact), which keeps every bit that decides a rounding to p <= 51 bits
 * (Boldo & Melquiond); then the double's significand is cut at the quantum
 * of v's binade (below the smallest normal: the subnormal quantum), to
 * nearest, ties to even, in integers. Adding the cut significand to the
 * biased exponent's field gives the pattern, carries into the next binade
 * (or to inf) included. Nothing depends on the current rounding mode.
 */
typedef struct {
    int p;          /* significant bits, the implicit one included */
    int emin;       /* exponent of the smallest normal */
    int emax;       /* exponent of the largest finite (= the bias) */
    double sub_q;   /* the subnormal quantum 2^(emin - p + 1) */
    double two_max; /* 2^(emax + 1): the first magnitude that is surely inf */
} half_format;

static const half_format bf16_fmt = {8, -126, 127, 0x1p-133, 0x1p128},
                         f16_fmt = {11, -14, 15, 0x1p-24, 0x1p16};

static const half_format *half_fmt(tc_dtype dt)
{
    return dt == TC_BF16 ? &bf16_fmt : &f16_fmt;
}

static uint16_t half_inf_bits(const half_format *f)
{
    return (uint16_t)((2u * (unsigned)f->emax + 1) << (f->p - 1));
}

static uint64_t double_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double double_from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* a > 0 (finite, below 2^1024) rounded to odd in double. */
static double to_double_odd(long double a)
{
    double d = (double)a;
    if ((long double)d == a)
        return d;
    if ((long double)d > a)
        d = nextafter(d, 0);
    return double_from_bits(double_bits(d) | 1);
}

/* The pattern of v rounded once to the format; NaN: the quiet NaN of v's
 * sign. */
static uint16_t half_round_bits(const half_format *f, long double v)
{
    const uint16_t sign = signbit(v) ? 0x8000u : 0, inf = half_inf_bits(f);
    if (isnan(v))
        return (uint16_t)(sign | inf | 1u << (f->p - 2));
    const long double a = fabsl(v);
    if (a >= (long double)f->two_max)
        return sign | inf;
    if (a == 0)
        return sign;
    const uint64_t u = double_bits(to_double_odd(a));
    const int biased = (int)(u >> 52);
    if (biased == 0)
        return sign; /* below 2^-1022: far below half the smallest subnormal */
    const int e = biased - 1023, eq = e < f->emin ? f->emin : e;
    const uint64_t m = (u & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52; /* a = m·2^(e-52) */
    const int drop = eq - (f->p - 1) - (e - 52); /* bits of m below the quantum 2^(eq-p+1) */
    if (drop > 54)
        return sign; /* a < a quarter of the quantum */
    uint64_t q = m >> drop;
    const uint64_t rest = m & ((UINT64_C(1) << drop) - 1), half = UINT64_C(1) << (drop - 1);
    if (rest > half || (rest == half && (q & 1)))
        q++;
    /* normal: the field of e, minus the implicit bit that q carries */
    const uint64_t base = e < f->emin ? 0 : (uint64_t)(e + f->emax - 1) << (f->p - 1);
    const uint64_t bits = base + q;
    return (uint16_t)(sign | (bits >= inf ? inf : bits));
}

/* The value of a pattern (exact as a double). */
static double half_decode(const half_format *f, uint16_t h)
{
    const int frac_bits = f->p - 1, exp_all = 2 * f->emax + 1;
    const uint64_t field = (uint64_t)(h & 0x7fffu) >> frac_bits, frac = h & ((1u << frac_bits) - 1);
    double m;
    if ((int)field == exp_all)
        m = frac ? NAN : INFINITY;
    else if (field == 0)
        m = (double)frac * f->sub_q;
    else
        m = double_from_bits((field - (uint64_t)f->emax + 1023) << 52 | frac << (52 - frac_bits));
    return (h & 0x8000u) ? -m : m;
}

static long double half_round(const half_format *f, long double v)
{
    return half_decode(f, half_round_bits(f, v));
}

static double half_max_finite(const half_format *f)
{
    return half_decode(f, (uint16_t)(half_inf_bits(f) - 1));
}

static uint16_t half_load(const void *buf, size_t i)
{
    uint16_t h;
    memcpy(&h, (const unsigned char *)buf + 2 * i, 2);
    return h;
}

static void half_store(void *buf, size_t i, uint16_t h)
{
    memcpy((unsigned char *)buf + 2 * i, &h, 2);
}

uint16_t tc_half_bits_of(tc_dtype dt, long double v)
{
    return half_round_bits(half_fmt(dt), v);
}

double tc_half_value(tc_dtype dt, uint16_t bits)
{
    return half_decode(half_fmt(dt), bits);
}

/* ---- Values ------------------------------------------------------------- */

double tc_get(tc_dtype dt, const void *buf, size_t i)
{
    switch (dt) {
    case TC_F32:
        return (double)((const float *)buf)[i];
    case TC_F64:
        return ((const double *)buf)[i];
    case TC_BF16:
    case TC_F16:
        return half_decode(half_fmt(dt), half_load(buf, i));
    }
    return NAN;
}

void tc_set(tc_dtype dt, void *buf, size_t i, double v)
{
    switch (dt) {
    case TC_F32:
        ((float *)buf)[i] = (float)v;
        break;
    case TC_F64:
        ((double *)buf)[i] = v;
        break;
    case TC_BF16:
    case TC_F16:
        half_store(buf, i, tc_half_bits_of(dt, v));
        break;
    }
}

uint64_t tc_bits(tc_dtype dt, const void *buf, size_t i)
{
    if (dt == TC_F32) {
        uint32_t u;
        memcpy(&u, (const float *)buf + i, sizeof u);
        return u;
    }
    if (tc_is_half(dt))
        return half_load(buf, i);
    uint64_t u;
    memcpy(&u, (const double *)buf + i, sizeof u);
    return u;
}

void tc_set_bits(tc_dtype dt, void *buf, size_t i, uint64_t bits)
{
    const uint32_t u32 = (uint32_t)bits;
    switch (dt) {
    case TC_F32:
        memcpy((float *)buf + i, &u32, sizeof u32);
        break;
    case TC_F64:
        memcpy((double *)buf + i, &bits, sizeof bits);
        break;
    case TC_BF16:
    case TC_F16:
        half_store(buf, i, (uint16_t)bits);
        break;
    }
}

void tc_set_nan(tc_dtype dt, void *buf, size_t i, int kind)
{
    static const uint32_t f32[TC_NAN_KINDS] = {0x7fc00000u, 0xffc00000u, 0x7fc12345u, 0xffc54321u, 0x7fa00000u};
    static const uint64_t f64[TC_NAN_KINDS] = {0x7ff8000000000000ULL, 0xfff8000000000000ULL, 0x7ff8000012345678ULL,
                                               0xfff8000087654321ULL, 0x7ff4000000000000ULL};
    /* bfloat16: quiet bit 0x0040; binary16: quiet bit 0x0200 */
    static const uint16_t bf16[TC_NAN_KINDS] = {0x7fc0u, 0xffc0u, 0x7fc5u, 0xffe3u, 0x7fa0u};
    static const uint16_t f16[TC_NAN_KINDS] = {0x7e00u, 0xfe00u, 0x7e45u, 0xfe21u, 0x7d00u};
    switch (dt) {
    case TC_F32:
        memcpy((float *)buf + i, &f32[kind], sizeof(float));
        break;
    case TC_F64:
        memcpy((double *)buf + i, &f64[kind], sizeof(double));
        break;
    case TC_BF16:
        half_store(buf, i, bf16[kind]);
        break;
    case TC_F16:
        half_store(buf, i, f16[kind]);
        break;
    }
}

uint64_t tc_canonical_nan_bits(tc_dtype dt)
{
    static const uint64_t bits[TC_DTYPE_COUNT] = {0x7fc00000u, 0x7ff8000000000000ULL, 0x7fc0u, 0x7e00u};
    return bits[dt];
}

int tc_nan_is_quiet(tc_dtype dt, const void *buf, size_t i)
{
    const uint64_t b = tc_bits(dt, buf, i);
    switch (dt) {
    case TC_F32:
        return (b & 0x00400000u) != 0;
    case TC_F64:
        return (b & 0x0008000000000000ULL) != 0;
    case TC_BF16:
        return (b & 0x0040u) != 0;
    case TC_F16:
        return (b & 0x0200u) != 0;
    }
    return 0;
}

double tc_round(tc_dtype dt, long double v)
{
    switch (dt) {
    case TC_F32:
        return (double)(float)v;
    case TC_F64:
        return (double)v;
    case TC_BF16:
    case TC_F16:
        return (double)half_round(half_fmt(dt), v);
    }
    return NAN;
}

tc_params tc_params_round(tc_dtype dt, const tc_params *par)
{
    /* the parameters have the compute type (float for the 16-bit types) */
    tc_params r = {{0}};
    for (int i = 0; i < TC_MAX_PARAMS; i++)
        r.p[i] = tc_round(tc_compute_type(dt), par->p[i]);
    return r;
}

const char *tc_fmt(tc_dtype dt, long double v, char *buf, size_t size)
{
    if (dt == TC_F32 && (long double)(float)v == v)
        snprintf(buf, size, "%a (%.9g)", (double)v, (double)v);
    else if (dt == TC_F64 && (long double)(double)v == v)
        snprintf(buf, size, "%a (%.17g)", (double)v, (double)v);
    else if (tc_is_half(dt) && (long double)tc_round(dt, v) == v)
        snprintf(buf, size, "%a (%.6g) [%s 0x%04x]", (double)v, (double)v, tc_dtype_name(dt),
                 (unsigned)tc_half_bits_of(dt, v));
    else if (tc_is_half(dt) && isnan(v))
        snprintf(buf, size, "nan");
    else
        snprintf(buf, size, "%La (%.21Lg)", v, v);
    return buf;
}

double tc_min_normal(tc_dtype dt)
{
    static const double v[TC_DTYPE_COUNT] = {FLT_MIN, DBL_MIN, 0x1p-126, 0x1p-14};
    return v[dt];
}

double tc_eps(tc_dtype dt)
{
    static const double v[TC_DTYPE_COUNT] = {FLT_EPSILON, DBL_EPSILON, 0x1p-7, 0x1p-10};
    return v[dt];
}

double tc_max_finite(tc_dtype dt)
{
    if (tc_is_half(dt))
        return half_max_finite(half_fmt(dt));
    return dt == TC_F32 ? FLT_MAX : DBL_MAX;
}

double tc_true_min(tc_dtype dt)
{
    static const double v[TC_DTYPE_COUNT] = {0x1p-149, 0x1p-1074, 0x1p-133, 0x1p-24};
    return v[dt];
}

double tc_next(tc_dtype dt, double v, double toward)
{
    if (dt == TC_F32)
        return (double)nextafterf((float)v, (float)toward);
    if (dt == TC_F64)
        return nextafter(v, toward);
    /* the neighbour in the bit patterns (sign and magnitude) */
    if (isnan(v) || isnan(toward))
        return NAN;
    const double r = tc_round(dt, v);
    if (r == toward)
        return toward;
    if (r == 0)
        return toward > 0 ? tc_true_min(dt) : -tc_true_min(dt);
    const uint16_t h = tc_half_bits_of(dt, r);
    const int away = (toward > r) == (r > 0); /* magnitude grows */
    return tc_half_value(dt, (uint16_t)(away ? h + 1 : h - 1));
}

/* ---- ULPs --------------------------------------------------------------- */

long double tc_ulp(tc_dtype dt, long double v)
{
    if (tc_is_half(dt)) {
        /* the spacing at v rounded: its binade's quantum, or the subnormal one */
        const half_format *f = half_fmt(dt);
        const int field = (half_round_bits(f, v) & 0x7fff) >> (f->p - 1);
        if (field == 2 * f->emax + 1) /* inf: the largest binade's quantum (as for f32) */
            return ldexp(1.0, f->emax - (f->p - 1));
        return field == 0 ? f->sub_q : ldexp(1.0, field - f->emax - (f->p - 1));
    }
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

int tc_use_mode(actfn_mode mode)
{
    const int s = actfn_set_mode(mode);
    if (s == ACTFN_ERR_UNSUPPORTED && mode == ACTFN_MODE_REPRODUCIBLE) {
        printf("reproducible mode not built in: fast mode only\n");
        return 0;
    }
    if (s != ACTFN_OK) {
        fprintf(stderr, "actfn_set_mode(%d) failed: %d (%s)\n", (int)mode, s, actfn_strerror(s));
        abort();
    }
    return 1;
}

int tc_cpu_has_native_bf16(actfn_isa isa)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return isa == ACTFN_ISA_AVX512 && __builtin_cpu_supports("avx512bf16");
#elif defined(__aarch64__) && defined(__linux__)
    return isa == ACTFN_ISA_NEON && (getauxval(AT_HWCAP2) & (1ul << 14)) != 0; /* HWCAP2_BF16 */
#else
    (void)isa;
    return 0;
#endif
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
    if (tc_is_half(dt)) {
        /* biased exponent uniform over the finite ones (0: subnormal or zero) */
        const half_format *f = half_fmt(dt);
        const unsigned exps = 2u * (unsigned)f->emax + 1, frac_bits = (unsigned)f->p - 1;
        const unsigned exp = (unsigned)((u >> 32) % exps);
        const uint16_t h = (uint16_t)((u & 0x8000u) | exp << frac_bits | (u & ((1u << frac_bits) - 1)));
        return half_decode(f, h);
    }
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
