/*
 * test_half_model.c — the tests' own model of the 16-bit storage types
 * (tests/common/helpers.c: tc_get, tc_set, tc_round, tc_next, tc_ulp for
 * TC_BF16 and TC_F16) against independent formulations, so that a
 * mistake in the model cannot make the op tests pass or fail wrongly:
 *  - every one of the 65536 patterns of each type decodes to the value its
 *    definition gives (bfloat16: the top half of a float; binary16: GCC's
 *    _Float16 where the compiler has it) and encodes back to itself;
 *    tc_next steps to the neighbouring pattern; tc_ulp is the spacing there;
 *  - rounding from float, at and around every halfway point between
 *    neighbouring values and at random: bfloat16 against the integer
 *    rounding of the float's bits, binary16 against _Float16;
 *  - rounding from long double is one rounding: just above or below a
 *    halfway point by less than a float's (and a double's) resolution
 *    rounds away from or toward it (a model that went through float or
 *    double first would tie instead);
 *  - the SPEC §9 budget of tc_allowed: exact class 0, else one ULP of the
 *    storage type plus the f32 allowance.
 * The model shares no code with the library's src/half.h.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_common.h"

#if defined(__FLT16_MANT_DIG__)
#define HAVE_FLOAT16 1
#endif

static tc_fails fails = {0, 0, 40};

static float float_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* bfloat16 from a float, the textbook way: round the bits at bit 16. */
static uint16_t bf16_of_float(float f)
{
    const uint32_t u = float_bits(f);
    return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

/* The value of a pattern by its definition. */
static double definition_value(tc_dtype dt, uint16_t h)
{
    if (dt == TC_BF16)
        return (double)float_from_bits((uint32_t)h << 16);
#ifdef HAVE_FLOAT16
    _Float16 g;
    memcpy(&g, &h, 2);
    return (double)g;
#else
    /* (-1)^s · 2^(e-15) · 1.f, or 2^-14 · 0.f */
    const int e = (h >> 10) & 0x1f, f = h & 0x3ff;
    const double m = e == 31 ? (f ? NAN : INFINITY) : e ? ldexp(1024 + f, e - 25) : ldexp(f, -24);
    return (h & 0x8000) ? -m : m;
#endif
}

static int is_nan_pattern(tc_dtype dt, uint16_t h)
{
    return dt == TC_BF16 ? (h & 0x7fff) > 0x7f80 : (h & 0x7fff) > 0x7c00;
}

static void test_every_pattern(void **state)
{
    (void)state;
    for (int d = TC_BF16; d <= TC_F16; d++) {
        const tc_dtype dt = (tc_dtype)d;
        assert_int_equal(tc_size(dt), 2);
        for (uint32_t i = 0; i < 65536; i++) {
            const uint16_t h = (uint16_t)i;
            uint16_t buf[1] = {h};
            const double v = tc_get(dt, buf, 0), want = definition_value(dt, h);
            if (is_nan_pattern(dt, h)) {
                if (!isnan(v))
                    tc_fail(&fails, "%s 0x%04x: a NaN pattern read as %a", tc_dtype_name(dt), h, v);
                continue;
            }
            if (v != want || signbit(v) != signbit(want))
                tc_fail(&fails, "%s 0x%04x: read %a, by definition %a", tc_dtype_name(dt), h, v, want);
            tc_set(dt, buf, 0, v);
            if (buf[0] != h || tc_bits(dt, buf, 0) != h || tc_round(dt, v) != v)
                tc_fail(&fails, "%s 0x%04x: %a written back as 0x%04x", tc_dtype_name(dt), h, v, buf[0]);
            /* the neighbours in the patterns (sign-magnitude order) */
            const uint16_t mag = h & 0x7fff;
            const int neg = (h & 0x8000) != 0;
            const uint16_t inf = dt == TC_BF16 ? 0x7f80 : 0x7c00;
            if (mag < inf) {
                const double up = tc_next(dt, v, INFINITY);
                const double want_up = mag == 0 ? definition_value(dt, 1)
                                       : neg    ? definition_value(dt, (uint16_t)(h - 1))
                                                : definition_value(dt, (uint16_t)(h + 1));
                if (up != want_up)
                    tc_fail(&fails, "%s 0x%04x: tc_next up %a, want %a", tc_dtype_name(dt), h, up, want_up);
                /* spacing at v: the step to the next larger magnitude */
                const double away = definition_value(dt, (uint16_t)(mag + 1)) - definition_value(dt, mag);
                if (mag + 1 < inf && tc_ulp(dt, v) != (long double)away)
                    tc_fail(&fails, "%s 0x%04x: tc_ulp %La, spacing %a", tc_dtype_name(dt), h, tc_ulp(dt, v), away);
            }
        }
        /* the constants */
        assert_true(tc_max_finite(dt) == definition_value(dt, dt == TC_BF16 ? 0x7f7f : 0x7bff));
        assert_true(tc_min_normal(dt) == definition_value(dt, dt == TC_BF16 ? 0x0080 : 0x0400));
        assert_true(tc_true_min(dt) == definition_value(dt, 1));
        assert_true(tc_eps(dt) == (dt == TC_BF16 ? 0x1p-7 : 0x1p-10));
        uint16_t nan[1];
        tc_set_nan(dt, nan, 0, 0);
        assert_int_equal(nan[0], tc_canonical_nan_bits(dt));
        for (int k = 0; k < TC_NAN_KINDS; k++) {
            tc_set_nan(dt, nan, 0, k);
            assert_true(isnan(tc_get(dt, nan, 0)));
            assert_int_equal(tc_nan_is_quiet(dt, nan, 0), k != 4); /* kind 4 is signalling */
        }
    }
    TC_ASSERT_NO_FAILS(&fails, "16-bit patterns");
}

/* The model's rounding of f against the independent one. */
static void check_float(float f)
{
    const double b = tc_round(TC_BF16, f);
    uint16_t want_b = bf16_of_float(f), got_b[1];
    tc_set(TC_BF16, got_b, 0, f);
    if (!isnan(f) && (got_b[0] != want_b || b != definition_value(TC_BF16, want_b)))
        tc_fail(&fails, "bf16 of float %a (0x%08x): model 0x%04x (%a), bit rounding 0x%04x", (double)f, float_bits(f),
                got_b[0], b, want_b);
#ifdef HAVE_FLOAT16
    const _Float16 g = (_Float16)f;
    uint16_t want_h, got_h[1];
    memcpy(&want_h, &g, 2);
    tc_set(TC_F16, got_h, 0, f);
    if (!isnan(f) && (got_h[0] != want_h || tc_round(TC_F16, f) != (double)g))
        tc_fail(&fails, "f16 of float %a (0x%08x): model 0x%04x, _Float16 0x%04x", (double)f, float_bits(f), got_h[0],
                want_h);
#endif
}

static void test_rounding_from_float(void **state)
{
    (void)state;
    /* around every halfway point: the floats within 3 steps of the value
     * halfway between each pattern and the next larger magnitude (and of
     * the overflow threshold) */
    for (int d = TC_BF16; d <= TC_F16; d++) {
        const tc_dtype dt = (tc_dtype)d;
        const uint16_t inf = dt == TC_BF16 ? 0x7f80 : 0x7c00;
        for (uint32_t mag = 0; mag < inf; mag++) {
            const double lo = definition_value(dt, (uint16_t)mag);
            const double hi = mag + 1 < inf ? definition_value(dt, (uint16_t)(mag + 1)) : 2 * lo - tc_next(dt, lo, 0);
            const float mid = (float)((lo + hi) / 2); /* exact: float has the bits */
            float f = mid;
            for (int k = 0; k < 3; k++)
                f = nextafterf(f, 0);
            for (int k = 0; k < 7; k++, f = nextafterf(f, INFINITY)) {
                check_float(f);
                check_float(-f);
            }
            check_float((float)lo);
        }
    }
    /* random floats of every magnitude, and every float exponent with the
     * low 16 bits at the edges that matter to bfloat16 */
    tc_rng r;
    tc_rng_init(&r, 0x5eed4001, 41);
    const size_t n = tc_scaled(1 << 20);
    for (size_t i = 0; i < n; i++)
        check_float(float_from_bits((uint32_t)tc_rng_u64(&r)));
    static const uint32_t lows[] = {0x0000, 0x0001, 0x7fff, 0x8000, 0x8001, 0xffff};
    for (uint32_t hi = 0; hi < 0x10000; hi++)
        for (size_t k = 0; k < sizeof lows / sizeof lows[0]; k++)
            check_float(float_from_bits(hi << 16 | lows[k]));
    TC_ASSERT_NO_FAILS(&fails, "rounding from float");
}

/* One rounding from long double: a value a little above (below) a halfway
 * point — by less than half a float step — rounds up (down), never to even. */
static void test_rounding_is_once(void **state)
{
    (void)state;
    for (int d = TC_BF16; d <= TC_F16; d++) {
        const tc_dtype dt = (tc_dtype)d;
        const uint16_t inf = dt == TC_BF16 ? 0x7f80 : 0x7c00;
        for (uint32_t mag = 0; mag + 1 < inf; mag++) {
            const long double lo = definition_value(dt, (uint16_t)mag), hi = definition_value(dt, (uint16_t)(mag + 1));
            const long double mid = (lo + hi) / 2, tiny = (hi - lo) * 0x1p-40L;
            const double up = tc_round(dt, mid + tiny), down = tc_round(dt, mid - tiny), tie = tc_round(dt, mid);
            const long double even = (mag & 1) ? hi : lo;
            if (up != hi || down != lo || tie != even)
                tc_fail(&fails, "%s between %La and %La: mid+ %a, mid- %a, mid %a", tc_dtype_name(dt), lo, hi, up, down,
                        tie);
            /* one ULP of long double off the halfway point: closer than a
             * double can tell, where a model going through double by
             * rounding to nearest would see the tie */
            if (LDBL_MANT_DIG > DBL_MANT_DIG) {
                const long double ld_ulp = ldexpl(1.0L, ilogbl(mid) - (LDBL_MANT_DIG - 1));
                if (tc_round(dt, mid + ld_ulp) != hi || tc_round(dt, mid - ld_ulp) != lo)
                    tc_fail(&fails, "%s between %La and %La: mid ± one long double ULP rounds to %a / %a",
                            tc_dtype_name(dt), lo, hi, tc_round(dt, mid + ld_ulp), tc_round(dt, mid - ld_ulp));
            }
#ifdef HAVE_FLOAT16
            if (dt == TC_F16 && ((double)(_Float16)(mid + tiny) != up || (double)(_Float16)(mid - tiny) != down))
                tc_fail(&fails, "f16 between %La and %La: _Float16 disagrees with the model", lo, hi);
#endif
        }
        /* overflow: the largest finite plus less than half a step stays;
         * half a step or more is inf */
        const long double max = tc_max_finite(dt), half_step = tc_ulp(dt, max) / 2;
        if (tc_round(dt, max + half_step * 0.999L) != max || !isinf(tc_round(dt, max + half_step)) ||
            tc_round(dt, -(max + half_step)) != -INFINITY || tc_ulp(dt, INFINITY) != 2 * half_step)
            tc_fail(&fails, "%s: rounding at the overflow threshold", tc_dtype_name(dt));
        /* below the smallest subnormal: half of it rounds to 0 (even), more to it */
        const long double tmin = tc_true_min(dt);
        if (tc_round(dt, tmin / 2) != 0 || tc_round(dt, tmin * 0.500001L) != tmin || tc_ulp(dt, tmin / 4) != tmin ||
            !signbit(tc_round(dt, -tmin / 4)))
            tc_fail(&fails, "%s: rounding below the smallest subnormal", tc_dtype_name(dt));
    }
    TC_ASSERT_NO_FAILS(&fails, "one rounding");
}

/* tc_allowed for the 16-bit types is SPEC §9's budget. */
static void test_budget(void **state)
{
    (void)state;
    static const tc_class classes[] = {TC_CLASS_HARD, TC_CLASS_SMOOTH, TC_CLASS_INNER, TC_CLASS_SOFTMAX,
                                       TC_CLASS_LOG_SOFTMAX};
    static const long double values[] = {1.0L, 0.3L, -7.25e-3L, 1e-39L, 3e-6L, 6e4L, 1e30L};
    for (int d = TC_BF16; d <= TC_F16; d++) {
        const tc_dtype dt = (tc_dtype)d;
        for (int backward = 0; backward < 2; backward++)
            for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++)
                for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
                    const tc_budget b = {.cls = classes[c], .backward = backward, .sens = 3.5L, .floor = 1e-6L,
                                         .cols = 17, .extra_ulps = (long double)(v % 2), .abs_min = 1e-40L};
                    const long double e = values[v];
                    const long double want = tc_ulp(dt, e) + tc_allowed(TC_F32, &b, e);
                    if (tc_allowed(dt, &b, e) != want)
                        tc_fail(&fails, "%s class %d backward %d at %Lg: allowed %Lg, want %Lg", tc_dtype_name(dt),
                                (int)classes[c], backward, e, tc_allowed(dt, &b, e), want);
                }
        const tc_budget exact = {.cls = TC_CLASS_EXACT};
        assert_true(tc_allowed(dt, &exact, 0.3L) == 0);
        long double err;
        /* exact class: the correctly rounded value only */
        const long double x = 1.0L + 0x1p-12L;
        assert_true(tc_check_value(dt, &exact, 1.0, x, &err));
        assert_false(tc_check_value(dt, &exact, tc_next(dt, 1.0, 2.0), x, &err));
        /* others: one storage ULP away from the rounded value is inside */
        const tc_budget smooth = {.cls = TC_CLASS_SMOOTH};
        assert_true(tc_check_value(dt, &smooth, tc_next(dt, 1.0, 2.0), x, &err));
        assert_false(tc_check_value(dt, &smooth, tc_next(dt, tc_next(dt, 1.0, 2.0), 2.0), x, &err));
        /* overflow: ±inf only where the exact value rounds past the largest finite */
        const long double max = tc_max_finite(dt);
        assert_true(tc_check_value(dt, &smooth, INFINITY, max * 1.01L, &err));
        assert_false(tc_check_value(dt, &smooth, INFINITY, max, &err));
        assert_false(tc_check_value(dt, &smooth, max, max * 1.01L, &err));
        /* the overflow tie (max + half a storage ULP) is a float: an f32
         * result rounded onto it gives ±inf (SPEC §9: the f32 result rounded
         * once), so ±inf is inside where the f32 allowance reaches the tie,
         * and only there. The fuzzer's case: swiglu f16 (40, 1638), exact
         * 65519.99999999999972, f32 result 65520. */
        const long double tie = max + tc_ulp(dt, max) / 2, below = tie - tie * 0x1p-60L;
        assert_true(tc_check_value(dt, &smooth, INFINITY, below, &err));
        assert_true(tc_check_value(dt, &smooth, -INFINITY, -below, &err));
        assert_false(tc_check_value(dt, &smooth, -INFINITY, below, &err));
        assert_false(tc_check_value(dt, &exact, INFINITY, below, &err));
        assert_false(tc_check_value(dt, &smooth, INFINITY, tie - tie * 0x1p-18L, &err));
        /* sums: f32's bound plus one storage ULP */
        assert_true(tc_sum_allowed(dt, 100, 50.0L, 3.0L) == tc_dalpha_allowed(TC_F32, 100, 50.0L) + tc_ulp(dt, 3.0L));
        /* the compute type */
        assert_int_equal(tc_compute_type(dt), TC_F32);
        const tc_params p = {{0.1, 1.702}}, pr = tc_params_round(dt, &p);
        assert_true(pr.p[0] == (double)0.1f && pr.p[1] == (double)1.702f);
    }
    assert_int_equal(tc_compute_type(TC_F32), TC_F32);
    assert_int_equal(tc_compute_type(TC_F64), TC_F64);
    TC_ASSERT_NO_FAILS(&fails, "budget");
}

int main(void)
{
#ifndef HAVE_FLOAT16
    printf("no _Float16 in this compiler: binary16 is checked against its definition only\n");
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pattern),
        cmocka_unit_test(test_rounding_from_float),
        cmocka_unit_test(test_rounding_is_once),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
