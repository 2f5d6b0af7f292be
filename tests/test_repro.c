/*
 * test_repro.c — reproducible mode (SPEC §8):
 *  - actfn_get_mode / actfn_set_mode, and the mode following ACTFN_MODE;
 *  - every op × pass × dtype × parameter set gives the same bits on every
 *    ISA of this build, for n = 0 … 4·16+3 and one large n, at element
 *    offsets 0…3 (shaped ops over many shapes), and the results stay within
 *    the SPEC §4 budgets (judged against the oracle);
 *  - a golden hash: a fixed generated input set through every op, forward
 *    and backward, f32 and f64, hashed on every ISA and compared with the
 *    value stored below — the same on x86, SIMDe NEON and AArch64; and one
 *    per 16-bit type (SPEC §9), bf16 on AVX-512 with the conversion the CPU
 *    gives (native AVX512_BF16 where it has it).
 * Inputs include NaNs of both signs, with payloads and signalling; results
 * are compared and hashed bit for bit, NaNs included: every NaN result must
 * be the canonical quiet NaN on every ISA.
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

#include "test_common.h"

static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;

/* Reproducible mode needs FMA on x86-64 (SLEEF's scalar deterministic
 * functions use it); elsewhere it is always available. */
static int repro_expected(void)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx");
#else
    return 1;
#endif
}

/* Switch to reproducible mode, or skip a test that needs it on a CPU that
 * cannot have it (test_mode_api checks that this refusal is the right one). */
static void use_repro_or_skip(void)
{
    if (!repro_expected()) {
        printf("no FMA: reproducible mode is unavailable here\n");
        skip();
    }
    assert_int_equal(actfn_set_mode(ACTFN_MODE_REPRODUCIBLE), ACTFN_OK);
}

/* NaNs of every kind (tc_set_nan) at a few fixed elements of a buffer of n:
 * softmax rows, prelu channels and maxout units past the first few stay
 * NaN-free, so both kinds of result are compared. */
static void inject_nans(tc_dtype dt, void *buf, size_t n, size_t first)
{
    static const size_t at[] = {0, 3, 7, 12, 20};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
        if (first + at[k] < n)
            tc_set_nan(dt, buf, first + at[k], (int)k % TC_NAN_KINDS);
}

/* Elements that are a NaN other than the canonical one. */
static size_t other_nans(tc_dtype dt, const void *buf, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        const double v = tc_get(dt, buf, i);
        bad += v != v && tc_bits(dt, buf, i) != tc_canonical_nan_bits(dt);
    }
    return bad;
}

/* ---- Mode API ------------------------------------------------------------ */

static void test_mode_api(void **state)
{
    (void)state;
    const char *env = getenv("ACTFN_MODE");
    const int available = repro_expected();
    const actfn_mode start =
        available && env && strcmp(env, "reproducible") == 0 ? ACTFN_MODE_REPRODUCIBLE : ACTFN_MODE_FAST;
    assert_int_equal(actfn_get_mode(), start);
    if (!available) {
        assert_int_equal(actfn_set_mode(ACTFN_MODE_REPRODUCIBLE), ACTFN_ERR_UNSUPPORTED);
        assert_int_equal(actfn_get_mode(), ACTFN_MODE_FAST);
        assert_int_equal(actfn_set_mode((actfn_mode)2), ACTFN_ERR_PARAM);
        assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
        return;
    }
    assert_int_equal(actfn_set_mode(ACTFN_MODE_REPRODUCIBLE), ACTFN_OK);
    assert_int_equal(actfn_get_mode(), ACTFN_MODE_REPRODUCIBLE);
    assert_int_equal(actfn_set_mode((actfn_mode)2), ACTFN_ERR_PARAM);
    assert_int_equal(actfn_set_mode((actfn_mode)-1), ACTFN_ERR_PARAM);
    assert_int_equal(actfn_get_mode(), ACTFN_MODE_REPRODUCIBLE);
    assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
    assert_int_equal(actfn_get_mode(), ACTFN_MODE_FAST);
    /* The mode and the ISA are independent. */
    const actfn_isa isa = actfn_get_isa();
    assert_int_equal(actfn_set_mode(ACTFN_MODE_REPRODUCIBLE), ACTFN_OK);
    assert_int_equal(actfn_get_isa(), isa);
    assert_int_equal(actfn_set_mode(start), ACTFN_OK);
}

/* ---- Bit identity across ISAs ------------------------------------------- */

/* One call's buffers at an element offset, inputs filled by tc_fill_call. */
typedef struct {
    tc_buf in, alpha, dy, out, dalpha;
    tc_args a;
    tc_count c;
} call;

static void call_new(call *k, const tc_op *op, tc_dtype dt, int backward, const size_t dim[3], size_t offset,
                     const tc_params *par, tc_rng *rng)
{
    k->c = tc_counts(op, backward, dim);
    k->in = tc_buf_new(dt, k->c.in, offset);
    k->alpha = tc_buf_new(dt, k->c.alpha, offset);
    k->dy = tc_buf_new(dt, k->c.dy, offset);
    k->out = tc_buf_new(dt, k->c.out, offset);
    k->dalpha = tc_buf_new(dt, k->c.dalpha, offset);
    k->a = (tc_args){.x = k->in.p, .alpha = k->alpha.p, .dy = k->dy.p, .out = k->out.p,
                     .dalpha = backward && tc_has_alpha(op) ? k->dalpha.p : NULL, .par = *par};
    memcpy(k->a.dim, dim, sizeof k->a.dim);
    tc_fill_call(op, dt, backward, &k->a, rng);
}

static void call_free(call *k)
{
    tc_buf_free(&k->in), tc_buf_free(&k->alpha), tc_buf_free(&k->dy), tc_buf_free(&k->out);
    tc_buf_free(&k->dalpha);
}

/* Copy the inputs of `from` into `to` (same op and dims, other offset). */
static void call_copy_inputs(call *to, const call *from, size_t es)
{
    memcpy(to->in.p, from->in.p, from->c.in * es);
    memcpy(to->alpha.p, from->alpha.p, from->c.alpha * es);
    memcpy(to->dy.p, from->dy.p, from->c.dy * es);
}

static size_t count_diffs(tc_dtype dt, const void *a, const void *b, size_t n, size_t *first)
{
    size_t diffs = 0;
    for (size_t i = 0; i < n; i++)
        if (tc_bits(dt, a, i) != tc_bits(dt, b, i) && diffs++ == 0)
            *first = i;
    return diffs;
}

static tc_fails identity_fails, budget_fails;

/* Run one call on every ISA and every offset 0..3: all outputs must have the
 * bits of the scalar ISA at offset 0, whose results are judged for budget. */
static void check_identity(const tc_op *op, tc_dtype dt, int backward, const size_t dim[3], const tc_params *par,
                           tc_rng *rng, size_t offsets)
{
    const size_t es = tc_size(dt);
    call ref;
    call_new(&ref, op, dt, backward, dim, 0, par, rng);
    inject_nans(dt, ref.in.p, ref.c.in, 0);
    inject_nans(dt, ref.dy.p, ref.c.dy, 1);
    inject_nans(dt, ref.alpha.p, ref.c.alpha, 2);
    tc_use_isa(ACTFN_ISA_SCALAR);
    assert_int_equal(tc_call(op, dt, backward, &ref.a), ACTFN_OK);
    char label[64], ctx[96];
    if (other_nans(dt, ref.out.p, ref.c.out) || (ref.a.dalpha && other_nans(dt, ref.dalpha.p, ref.c.dalpha)))
        tc_fail(&identity_fails, "%s on scalar, dims %zu,%zu,%zu: a NaN result is not the canonical NaN",
                tc_label(op, backward, dt, label, sizeof label), dim[0], dim[1], dim[2]);
    snprintf(ctx, sizeof ctx, "repro dims %zu,%zu,%zu", dim[0], dim[1], dim[2]);
    tc_verify_call(op, dt, backward, &ref.a, ctx, &budget_fails, NULL, NULL);
    for (size_t i = 0; i < isa_count; i++) {
        for (size_t off = 0; off < offsets; off++) {
            call k;
            call_new(&k, op, dt, backward, dim, off, par, rng);
            call_copy_inputs(&k, &ref, es);
            tc_use_isa(isa_list[i]);
            assert_int_equal(tc_call(op, dt, backward, &k.a), ACTFN_OK);
            size_t first = 0;
            const size_t bad = count_diffs(dt, ref.out.p, k.out.p, k.c.out, &first);
            if (bad)
                tc_fail(&identity_fails, "%s on %s offset %zu, dims %zu,%zu,%zu: %zu elements differ from scalar (first %zu)",
                        tc_label(op, backward, dt, label, sizeof label), actfn_isa_name(isa_list[i]), off, dim[0],
                        dim[1], dim[2], bad, first);
            if (k.a.dalpha && count_diffs(dt, ref.dalpha.p, k.dalpha.p, k.c.dalpha, &first))
                tc_fail(&identity_fails, "%s on %s offset %zu: dalpha differs from scalar (first %zu)",
                        tc_label(op, backward, dt, label, sizeof label), actfn_isa_name(isa_list[i]), off, first);
            if (!tc_buf_sentinels_ok(&k.out) || !tc_buf_sentinels_ok(&k.dalpha))
                tc_fail(&identity_fails, "%s on %s: wrote outside its output",
                        tc_label(op, backward, dt, label, sizeof label), actfn_isa_name(isa_list[i]));
            call_free(&k);
        }
    }
    call_free(&ref);
}

/* The shapes each kind is run with (besides the unary n sweep). */
static const size_t softmax_shapes[][3] = {{1, 1, 0}, {3, 5, 0}, {2, 16, 0}, {2, 17, 0}, {4, 31, 0}, {2, 33, 0},
                                           {1, 64, 0}, {2, 67, 0}, {1, 129, 0}, {2, 1000, 0}, {1, 4099, 0}};
static const size_t prelu_shapes[][3] = {{1, 1, 1}, {5, 3, 1}, {1, 17, 1}, {40, 19, 1}, {2, 3, 5}, {3, 2, 16},
                                         {2, 4, 17}, {7, 3, 33}, {1, 2, 300}, {4, 1, 67}};
static const size_t maxout_shapes[][3] = {{1, 1, 1}, {5, 3, 1}, {17, 2, 1}, {2, 3, 7}, {3, 4, 17}, {2, 5, 33}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_bit_identity(void **state)
{
    (void)state;
    use_repro_or_skip();
    tc_rng rng;
    tc_rng_init(&rng, 0x5eed8, 8);
    const size_t large = tc_scaled(5000) | 1;
    for (size_t o = 0; o < tc_op_count; o++) {
        const tc_op *op = &tc_ops[o];
        for (int dt = 0; dt < TC_DTYPE_COUNT; dt++) {
            for (int backward = 0; backward <= 1; backward++) {
                for (int s = 0; s < op->nsets; s++) {
                    const tc_params *par = &op->sets[s];
                    if (op->kind == TC_KIND_UNARY || op->kind == TC_KIND_GLU) {
                        for (size_t n = 0; n <= 4 * 16 + 3; n++) {
                            const size_t dim[3] = {n, 0, 0};
                            check_identity(op, (tc_dtype)dt, backward, dim, par, &rng, s == 0 ? 4 : 1);
                        }
                        const size_t dim[3] = {large, 0, 0};
                        check_identity(op, (tc_dtype)dt, backward, dim, par, &rng, 4);
                        continue;
                    }
                    const size_t(*shapes)[3] = tc_per_channel(op) ? prelu_shapes
                                               : op->kind == TC_KIND_MAXOUT ? maxout_shapes
                                                                            : softmax_shapes;
                    const size_t nshapes = tc_per_channel(op) ? COUNT(prelu_shapes)
                                           : op->kind == TC_KIND_MAXOUT ? COUNT(maxout_shapes)
                                                                        : COUNT(softmax_shapes);
                    for (size_t i = 0; i < nshapes; i++)
                        check_identity(op, (tc_dtype)dt, backward, shapes[i], par, &rng, 4);
                }
            }
        }
    }
    tc_use_isa(isa_list[isa_count - 1]);
    assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
    TC_ASSERT_NO_FAILS(&budget_fails, "repro budget");
    TC_ASSERT_NO_FAILS(&identity_fails, "bit identity");
}

/* ---- Golden hash ---------------------------------------------------------- */

/* splitmix64: the golden inputs must not depend on libc or the test seed. */
static uint64_t golden_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Value i of the golden input: specials first, then magnitudes 2^-30..2^10
 * (and a few of every size), as exact binary fractions of the generator. */
static double golden_value(uint64_t *s, size_t i)
{
    static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1.0, -1.0, 3.0, -3.0, 6.0,
                                      1e-40, -1e-310, 20.0, -20.0, 90.0, -90.0, 710.0, -710.0, 1e300, -1e30};
    if (i < COUNT(specials))
        return specials[i];
    const uint64_t r = golden_next(s);
    const double frac = (double)(r >> 11) * 0x1p-53;                 /* [0, 1) */
    const int wide = (r & 31) == 0;
    const double mag = wide ? ldexp(1.0 + frac, (int)((r >> 5) % 600) - 300) : ldexp(1.0 + frac, (int)((r >> 5) % 12) - 8);
    return (r & 32) ? -mag : mag;
}

static void golden_fill(tc_dtype dt, void *buf, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++)
        tc_set(dt, buf, i, tc_round(dt, golden_value(&s, i)));
}

static uint64_t fnv1a(uint64_t h, tc_dtype dt, const void *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t b = tc_bits(dt, buf, i);
        for (size_t k = 0; k < tc_size(dt); k++, b >>= 8) {
            h ^= b & 0xff;
            h *= UINT64_C(0x100000001b3);
        }
    }
    return h;
}

/* The ops of tc_ops [first, last), forward then backward (from the
 * forward's own output where the op's backward takes y), dtypes
 * [dt_first, dt_last], default parameters, on the golden inputs; one hash
 * over all outputs. */
static uint64_t golden_hash(size_t first, size_t last, tc_dtype dt_first, tc_dtype dt_last)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    const size_t n = 777;
    for (int dt = (int)dt_first; dt <= (int)dt_last; dt++) {
        const size_t es = tc_size((tc_dtype)dt);
        void *x = calloc(n, es), *dy = calloc(n, es), *y = calloc(n, es), *dx = calloc(n, es);
        void *alpha = calloc(n, es), *dalpha = calloc(n, es);
        assert_non_null(x), assert_non_null(dy), assert_non_null(y), assert_non_null(dx);
        assert_non_null(alpha), assert_non_null(dalpha);
        golden_fill((tc_dtype)dt, x, n, 1);
        golden_fill((tc_dtype)dt, dy, n, 2);
        golden_fill((tc_dtype)dt, alpha, n, 3);
        /* NaNs of every kind, past the specials of golden_value */
        inject_nans((tc_dtype)dt, x, n, 30);
        inject_nans((tc_dtype)dt, dy, n, 31);
        inject_nans((tc_dtype)dt, alpha, n, 32);
        for (size_t o = first; o < last; o++) {
            const tc_op *op = &tc_ops[o];
            size_t dim[3] = {n, 0, 0};
            if (tc_per_channel(op))
                dim[0] = 7, dim[1] = 3, dim[2] = 37; /* 777 */
            else if (op->kind == TC_KIND_MAXOUT)
                dim[0] = 37, dim[1] = 3, dim[2] = 7;
            else if (op->kind != TC_KIND_UNARY && op->kind != TC_KIND_GLU)
                dim[0] = 21, dim[1] = 37;
            tc_args a = {.x = x, .alpha = alpha, .out = y, .par = op->sets[0]};
            memcpy(a.dim, dim, sizeof dim);
            assert_int_equal(tc_call(op, (tc_dtype)dt, 0, &a), ACTFN_OK);
            const tc_count cf = tc_counts(op, 0, dim);
            h = fnv1a(h, (tc_dtype)dt, y, cf.out);
            tc_args b = {.x = op->bwd_from == TC_FROM_Y ? y : x, .alpha = alpha, .dy = dy, .out = dx,
                         .dalpha = tc_has_alpha(op) ? dalpha : NULL, .par = op->sets[0]};
            memcpy(b.dim, dim, sizeof dim);
            assert_int_equal(tc_call(op, (tc_dtype)dt, 1, &b), ACTFN_OK);
            const tc_count cb = tc_counts(op, 1, dim);
            h = fnv1a(h, (tc_dtype)dt, dx, cb.out);
            if (b.dalpha)
                h = fnv1a(h, (tc_dtype)dt, dalpha, cb.dalpha);
        }
        free(x), free(dy), free(y), free(dx), free(alpha), free(dalpha);
    }
    return h;
}

/* The hashes every machine must reproduce (x86 AVX2/AVX-512/scalar, SIMDe
 * NEON, AArch64 under qemu): the ops of SPEC §3, unchanged since they were
 * first hashed, and the gated and fused ops of SPEC §11 (the registry lists
 * them after the others). */
#define GOLDEN_HASH UINT64_C(0xeb784aa0b5512618)
#define GOLDEN_HASH_FUSED UINT64_C(0xcf97243ebd01f948)
/* Every op of SPEC §3 and §11 in bf16 and in f16 (SPEC §9). */
#define GOLDEN_HASH_BF16 UINT64_C(0x57ad7ffd70aa3890)
#define GOLDEN_HASH_F16 UINT64_C(0xc84d55170c30f261)

static void test_golden_hash(void **state)
{
    (void)state;
    use_repro_or_skip();
    size_t first_fused = 0;
    while (first_fused < tc_op_count && tc_ops[first_fused].kind != TC_KIND_GLU)
        first_fused++;
    int bad = 0;
    for (size_t i = 0; i < isa_count; i++) {
        tc_use_isa(isa_list[i]);
        const uint64_t h = golden_hash(0, first_fused, TC_F32, TC_F64),
                       hf = golden_hash(first_fused, tc_op_count, TC_F32, TC_F64);
        const uint64_t hb = golden_hash(0, tc_op_count, TC_BF16, TC_BF16),
                       hh = golden_hash(0, tc_op_count, TC_F16, TC_F16);
        printf("golden hashes on %s: 0x%016llx, fused 0x%016llx, bf16 0x%016llx, f16 0x%016llx\n",
               actfn_isa_name(isa_list[i]), (unsigned long long)h, (unsigned long long)hf,
               (unsigned long long)hb, (unsigned long long)hh);
        bad |= h != GOLDEN_HASH || hf != GOLDEN_HASH_FUSED || hb != GOLDEN_HASH_BF16 || hh != GOLDEN_HASH_F16;
    }
    assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
    if (bad)
        fail_msg("golden hashes differ from 0x%016llx, fused 0x%016llx, bf16 0x%016llx, f16 0x%016llx",
                 (unsigned long long)GOLDEN_HASH, (unsigned long long)GOLDEN_HASH_FUSED,
                 (unsigned long long)GOLDEN_HASH_BF16, (unsigned long long)GOLDEN_HASH_F16);
}

int main(void)
{
    isa_count = tc_isas(isa_list);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_api),
        cmocka_unit_test(test_golden_hash),
        cmocka_unit_test(test_bit_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
