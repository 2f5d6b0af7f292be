/*
 * test_vocabulary.c — every vocabulary against the scalar one, operation by
 * operation (src/kernels/VOCABULARY.md): the same inputs, lane by lane, must
 * give the scalar vocabulary's bits. A NaN result only has to be a NaN,
 * except where the vocabulary defines the bits (vneg, vabs, vand, vor, vxor,
 * vsel, and vmax / vmin, which return their second operand on NaN). Inputs:
 * every pair of a set of special and ordinary values (±0, ±inf, NaNs,
 * subnormals, the extremes, ties for rounding), and the valid arguments of
 * vpow2i, vscale and vround. vlut16 and vscale with a non-integral k
 * (VOCAB_HAS_LUT16 vocabularies only) are checked against their definition
 * instead.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "test_common.h"
#include "vocab_ops.h"

#define VOCAB_DECLARE(isa)                                                                                  \
    size_t vocab_apply_##isa##_f32(int op, const float *a, const float *b, const float *c, float *out, size_t n); \
    size_t vocab_apply_##isa##_f64(int op, const double *a, const double *b, const double *c, double *out,   \
                                   size_t n);
VOCAB_DECLARE(scalar)
VOCAB_DECLARE(avx2)
VOCAB_DECLARE(avx512)
VOCAB_DECLARE(neon)

typedef size_t (*apply_f32)(int, const float *, const float *, const float *, float *, size_t);
typedef size_t (*apply_f64)(int, const double *, const double *, const double *, double *, size_t);

static const struct {
    actfn_isa isa;
    apply_f32 f32;
    apply_f64 f64;
} units[] = {
#ifdef ACTFN_HAVE_AVX2
    {ACTFN_ISA_AVX2, vocab_apply_avx2_f32, vocab_apply_avx2_f64},
#endif
#ifdef ACTFN_HAVE_AVX512
    {ACTFN_ISA_AVX512, vocab_apply_avx512_f32, vocab_apply_avx512_f64},
#endif
#ifdef ACTFN_HAVE_NEON
    {ACTFN_ISA_NEON, vocab_apply_neon_f32, vocab_apply_neon_f64},
#endif
    {ACTFN_ISA_SCALAR, NULL, NULL},
};

#define VOCAB_OP_NAME(NAME, name) #name,
static const char *const op_names[VOP_COUNT + 1] = {VOCAB_OPS(VOCAB_OP_NAME) "many"};

/* Operations whose NaN results have defined bits. */
static int nan_bits_defined(int op)
{
    return op == VOP_NEG || op == VOP_ABS || op == VOP_AND || op == VOP_OR || op == VOP_XOR || op == VOP_SEL ||
           op == VOP_MAX || op == VOP_MIN;
}

#define MAX_N 4096 /* a multiple of every vector width */

typedef struct {
    double a[MAX_N], b[MAX_N], c[MAX_N];
    size_t n;
} inputs;

/* The operands of op in dtype dt. */
static void make_inputs(tc_dtype dt, int op, inputs *in)
{
    const int f32 = dt == TC_F32;
    double sp[40];
    size_t ns = 0;
    const double vals[] = {0.0, -0.0, 1, -1, 0.5, -1.5, 2.5, 3.5, -2.5, 1.0 / 3, 7, 1e30, -1e-30, INFINITY,
                           -INFINITY, NAN};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        sp[ns++] = tc_round(dt, vals[i]);
    sp[ns++] = f32 ? 0x1p-149 : 0x1p-1074;       /* smallest subnormal */
    sp[ns++] = -tc_min_normal(dt);
    sp[ns++] = tc_next(dt, tc_min_normal(dt), 0); /* largest subnormal */
    sp[ns++] = tc_max_finite(dt);
    sp[ns++] = -tc_max_finite(dt);
    in->n = 0;
    if (op == VOP_POW2I) { /* integral k in the normal exponent range */
        const int lo = f32 ? -126 : -1022, hi = f32 ? 127 : 1023;
        for (int k = lo; k <= hi && in->n < MAX_N; k++)
            in->a[in->n] = k, in->b[in->n] = in->c[in->n] = 0, in->n++;
    } else if (op == VOP_SCALE) { /* any a, integral |k| <= 300 / 2200 */
        const int kmax = f32 ? 300 : 2200;
        const int step = f32 ? 7 : 53;
        for (size_t i = 0; i < ns; i++)
            for (int k = -kmax; k <= kmax && in->n < MAX_N; k += (k > -kmax + 3 && k < kmax - 3 ? step : 1))
                in->a[in->n] = sp[i], in->b[in->n] = k, in->c[in->n] = 0, in->n++;
    } else if (op == VOP_LUT16) { /* any bit pattern; those of the table exp's n + 1.5·2^19 */
        for (int m = -2400; m <= 2400 && in->n < MAX_N; m += 3)
            in->a[in->n] = 0x1.8p19 + m / 16.0, in->b[in->n] = in->c[in->n] = 0, in->n++;
        for (size_t i = 0; i < ns; i++)
            in->a[in->n] = sp[i], in->b[in->n] = in->c[in->n] = 0, in->n++;
    } else if (op == VOP_SCALE_FLOOR) { /* any a, k with a fraction, |k| <= 300 */
        const double frac[] = {0.0625, 0.5, 0.9375};
        for (size_t i = 0; i < ns; i++)
            for (int k = -300; k < 300 && in->n + 3 <= MAX_N; k += 11)
                for (size_t f = 0; f < 3; f++)
                    in->a[in->n] = sp[i], in->b[in->n] = k + frac[f], in->c[in->n] = 0, in->n++;
    } else if (op == VOP_ROUND) { /* finite, below 2^22 / 2^51 in magnitude */
        const double lim = f32 ? 0x1p22 : 0x1p51;
        for (size_t i = 0; i < ns; i++)
            if (fabs(sp[i]) < lim)
                in->a[in->n] = sp[i], in->b[in->n] = in->c[in->n] = 0, in->n++;
        for (double v = -6.5; v <= 6.5; v += 0.25)
            in->a[in->n] = v, in->b[in->n] = in->c[in->n] = 0, in->n++;
    } else {
        for (size_t i = 0; i < ns; i++)
            for (size_t j = 0; j < ns; j++, in->n++) {
                in->a[in->n] = sp[i];
                in->b[in->n] = sp[j];
                in->c[in->n] = sp[(i + 3 * j + 1) % ns];
            }
    }
    while (in->n % 16) /* whole vectors on every ISA */
        in->a[in->n] = in->b[in->n] = in->c[in->n] = 1, in->n++;
}

static tc_fails fails = {0, 0, 40};

static void check(tc_dtype dt, int op, const inputs *in, size_t k)
{
    const size_t n = in->n, es = tc_size(dt);
    void *a = calloc(n, es), *b = calloc(n, es), *c = calloc(n, es), *ref = calloc(n, es), *got = calloc(n, es);
    assert_non_null(a), assert_non_null(b), assert_non_null(c), assert_non_null(ref), assert_non_null(got);
    for (size_t i = 0; i < n; i++)
        tc_set(dt, a, i, in->a[i]), tc_set(dt, b, i, in->b[i]), tc_set(dt, c, i, in->c[i]);
    size_t vw;
    if (dt == TC_F32) {
        vocab_apply_scalar_f32(op, a, b, c, ref, n);
        vw = units[k].f32(op, a, b, c, got, n);
    } else {
        vocab_apply_scalar_f64(op, a, b, c, ref, n);
        vw = units[k].f64(op, a, b, c, got, n);
    }
    if (vw == 0) { /* an operation this vocabulary does not have */
        free(a), free(b), free(c), free(ref), free(got);
        return;
    }
    if (op == VOP_LUT16) { /* table[low 4 bits of a's pattern] */
        static const double table[16] = VOCAB_LUT16_TABLE;
        for (size_t i = 0; i < n; i++)
            tc_set(dt, ref, i, table[tc_bits(dt, a, i) & 15]);
    } else if (op == VOP_SCALE_FLOOR) { /* a·2^floor(k), rounded once */
        for (size_t i = 0; i < n; i++)
            tc_set(dt, ref, i,
                   tc_round(dt, ldexpl((long double)tc_get(dt, a, i), (int)floor(tc_get(dt, b, i)))));
    }
    if (op == VOP_COUNT) /* many() per vector: any lane of the group */
        for (size_t g = 0; g < n; g += vw) {
            double any = 0;
            for (size_t l = 0; l < vw; l++)
                any = tc_get(dt, ref, g + l) != 0 ? 1 : any;
            for (size_t l = 0; l < vw; l++)
                tc_set(dt, ref, g + l, any);
        }
    char b1[80], b2[80], b3[80], b4[80], b5[80];
    for (size_t i = 0; i < n; i++) {
        const double r = tc_get(dt, ref, i), v = tc_get(dt, got, i);
        const int same = tc_bits(dt, ref, i) == tc_bits(dt, got, i) ||
                         (!nan_bits_defined(op) && isnan(r) && isnan(v));
        if (!same)
            tc_fail(&fails, "%s %s [%s]: a=%s b=%s c=%s: scalar %s, got %s", op_names[op], tc_dtype_name(dt),
                    actfn_isa_name(units[k].isa), tc_fmt(dt, tc_get(dt, a, i), b1, 80),
                    tc_fmt(dt, tc_get(dt, b, i), b2, 80), tc_fmt(dt, tc_get(dt, c, i), b3, 80), tc_fmt(dt, r, b4, 80),
                    tc_fmt(dt, v, b5, 80));
    }
    free(a), free(b), free(c), free(ref), free(got);
}

static void test_every_operation(void **state)
{
    (void)state;
    static inputs in;
    size_t checked = 0;
    for (size_t k = 0; units[k].isa != ACTFN_ISA_SCALAR; k++) {
        if (!actfn_isa_supported(units[k].isa))
            continue;
        for (int d = TC_F32; d <= TC_F64; d++)
            for (int op = 0; op <= VOP_COUNT; op++) {
                make_inputs((tc_dtype)d, op, &in);
                check((tc_dtype)d, op, &in, k);
            }
        checked++;
    }
    printf("vocabularies checked against scalar: %zu\n", checked);
    TC_ASSERT_NO_FAILS(&fails, "vocabulary");
    if (checked == 0)
        skip(); /* nothing but the scalar vocabulary in this build or CPU */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_operation)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
