/*
 * budget.c — the error budgets of SPEC §4, written once so every test (and
 * the fuzzer) judges a result the same way.
 */
#include <math.h>

#include "test_common.h"

/* SPEC §9: a 16-bit result may be off by the f32 allowance of the same op,
 * pass and input plus one ULP of the storage type (the f32 result rounded
 * once); the exact class must be correctly rounded. */
static long double half_allowed(tc_dtype dt, const tc_budget *b, long double exact)
{
    if (b->cls == TC_CLASS_EXACT)
        return 0;
    return tc_ulp(dt, exact) + tc_allowed(TC_F32, b, exact);
}

long double tc_allowed(tc_dtype dt, const tc_budget *b, long double exact)
{
    if (tc_is_half(dt))
        return half_allowed(dt, b, exact);
    const long double ulp = tc_ulp(dt, exact);
    const long double eps = tc_eps(dt);
    const long double row_ulps = 4.0L + (b->cols > 1 ? log2l((long double)b->cols) : 0.0L);
    const long double allowance = 2.0L * eps * fabsl(b->sens); /* A of §4 */
    long double allowed = 0;

    if (!b->backward) {
        switch (b->cls) {
        case TC_CLASS_EXACT:
            allowed = 0;
            break;
        case TC_CLASS_HARD:
            allowed = 2 * ulp;
            break;
        case TC_CLASS_SMOOTH:
            allowed = 4 * ulp;
            break;
        case TC_CLASS_INNER:
            allowed = 4 * ulp + allowance;
            break;
        case TC_CLASS_SOFTMAX:
            allowed = row_ulps * ulp + allowance;
            break;
        case TC_CLASS_LOG_SOFTMAX:
            allowed = row_ulps * fmaxl(ulp, eps) + allowance;
            break;
        }
    } else {
        switch (b->cls) {
        case TC_CLASS_EXACT:
            allowed = 0;
            break;
        case TC_CLASS_HARD:
            allowed = fmaxl(2 * ulp, b->floor);
            break;
        case TC_CLASS_SMOOTH:
        case TC_CLASS_INNER:
            allowed = fmaxl(8 * ulp, b->floor);
            break;
        case TC_CLASS_SOFTMAX:
        case TC_CLASS_LOG_SOFTMAX:
            allowed = fmaxl(8 * ulp, 8 * b->floor);
            break;
        }
    }
    if (b->cls != TC_CLASS_EXACT)
        allowed = fmaxl(allowed + b->extra_ulps * ulp, b->abs_min);
    /* A result whose exact value is below the smallest normal may be off by
     * that smallest normal. */
    if (b->cls != TC_CLASS_EXACT && fabsl(exact) < (long double)tc_min_normal(dt))
        allowed = fmaxl(allowed, (long double)tc_min_normal(dt));
    return allowed;
}

int tc_check_value(tc_dtype dt, const tc_budget *b, double got, long double exact, long double *err_ulp)
{
    const double rounded = tc_round(dt, exact);
    *err_ulp = tc_ulp_err(dt, got, exact);
    if (isnan(exact))
        return isnan(got);
    if (isnan(got))
        return b->nan_ok;
    if (got == rounded) {
        /* Correctly rounded (also covers overflow to the right infinity). */
        if (isinf(got))
            *err_ulp = 0;
        return 1;
    }
    if (b->cls == TC_CLASS_EXACT || isinf(exact))
        return 0;
    if (isinf(got)) {
        /* SPEC §9: a 16-bit result is the f32 result rounded once. The
         * storage type's overflow tie (largest finite + half an ULP) is a
         * float, so an f32 result within its allowance of an exact value just
         * below the tie can be the tie, and round to ±inf: inside the budget
         * where the allowance reaches the tie, and only there. */
        if (!tc_is_half(dt) || !signbit(got) != !signbit(exact))
            return 0;
        const long double reach = fabsl(exact) + tc_allowed(TC_F32, b, exact);
        return isinf(tc_round(dt, reach));
    }
    return fabsl((long double)got - exact) <= tc_allowed(dt, b, exact);
}

/* SPEC §4's bound, plus what no sum can avoid where its products or the
 * result are subnormal: each product x·dy rounded in T has an absolute
 * error up to half the smallest subnormal (a relative bound does not hold
 * there), and so does the result's own rounding. (count + 1) of those. The
 * fuzzer found it: prelu_backward f32, three products near 1e-40, dalpha
 * 0.83 subnormal ULP off against an allowance of 5e-47. */
long double tc_dalpha_allowed(tc_dtype dt, size_t count, long double sum_abs)
{
    const long double lg = count > 2 ? log2l((long double)count) : 1.0L;
    const long double subnormal = ((long double)count + 1.0L) * 0.5L * (long double)tc_true_min(dt);
    return 4.0L * fmaxl(1.0L, lg) * (long double)tc_eps(dt) * sum_abs + subnormal;
}

long double tc_sum_allowed(tc_dtype dt, size_t count, long double sum_abs, long double sum)
{
    if (!tc_is_half(dt))
        return tc_dalpha_allowed(dt, count, sum_abs);
    return tc_dalpha_allowed(TC_F32, count, sum_abs) + tc_ulp(dt, sum);
}
