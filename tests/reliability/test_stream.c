/*
 * test_stream.c — stores past the caches (src/kernels/loops.h; when a call
 * streams: STREAM_* in src/api.c). A call large enough to stream gives
 * the bits of the same call with ordinary stores, writes nothing outside
 * its output, and works in place.
 *
 * Linked with the library's internal static build, so it can lower the
 * size from which a call streams (actfn_internal_set_stream_min) — then
 * calls of a few elements stream, at every alignment of the output (every
 * head before the aligned loop), every tail, in place and not, on every ISA
 * and mode — and count the calls that asked to stream
 * (actfn_internal_stream_calls), so that the test fails if none did, and
 * if a pass the library does not stream (its kernel is slower than memory)
 * starts to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "test_common.h"

/* Element counts: below two vectors (never streamed), around one to four
 * vectors of every ISA, and longer. The ones marked by ALL_OFFSETS are
 * called at every offset 0..15 from a 64-byte boundary (every head of
 * every vector width); the others at three. */
static const size_t counts[] = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 67, 100, 131, 257, 1000};
#define ALL_OFFSETS(n) ((n) == 33 || (n) == 67 || (n) == 131 || (n) == 1000)
static const size_t some_offsets[] = {0, 1, 15};

/* The library streams the passes whose kernels outrun memory: the exact
 * and piecewise-linear ops, and the backward of the ops that read y. */
static int pass_streams(const tc_op *op, int bwd)
{
    return op->cls == TC_CLASS_EXACT || op->cls == TC_CLASS_HARD || (bwd && op->bwd_from == TC_FROM_Y);
}

/* One call of op / pass / dt of n elements at `offset`, in place or not,
 * with ordinary stores and then streamed from the same inputs; returns the
 * number of differences found (printed). */
static size_t stream_case(const tc_op *op, int bwd, tc_dtype dt, size_t n, size_t offset, int in_place,
                          tc_rng *rng, const char *where)
{
    const size_t es = tc_size(dt);
    tc_buf in = tc_buf_new(dt, n, offset), dy = tc_buf_new(dt, n, (offset + 3) % 16);
    tc_buf out = tc_buf_new(dt, n, offset);
    tc_args a = {0};
    a.x = in.p;
    a.dy = bwd ? dy.p : NULL;
    a.out = in_place ? (bwd ? dy.p : in.p) : out.p;
    a.dim[0] = n;
    a.par = op->sets[0];
    tc_fill_call(op, dt, bwd, &a, rng);
    unsigned char *in0 = malloc(n * es + 1), *dy0 = malloc(n * es + 1), *want = malloc(n * es + 1);
    assert_non_null(in0);
    assert_non_null(dy0);
    assert_non_null(want);
    memcpy(in0, in.p, n * es);
    memcpy(dy0, dy.p, n * es);

    actfn_internal_set_stream_min(SIZE_MAX);
    assert_int_equal(tc_call(op, dt, bwd, &a), ACTFN_OK);
    memcpy(want, a.out, n * es);
    memcpy(in.p, in0, n * es);
    memcpy(dy.p, dy0, n * es);
    memset(out.p, 0x5a, n * es);
    actfn_internal_set_stream_min(1);
    assert_int_equal(tc_call(op, dt, bwd, &a), ACTFN_OK);
    actfn_internal_set_stream_min(0);

    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (memcmp((const unsigned char *)a.out + i * es, want + i * es, es) != 0) {
            if (bad++ < 3) {
                char label[64];
                print_error("%s %s n %zu offset %zu%s: element %zu differs when streamed\n", where,
                            tc_label(op, bwd, dt, label, sizeof label), n, offset, in_place ? " in place" : "", i);
            }
        }
    if (!tc_buf_sentinels_ok(&in) || !tc_buf_sentinels_ok(&dy) || !tc_buf_sentinels_ok(&out)) {
        char label[64];
        print_error("%s %s n %zu offset %zu: wrote outside its arrays when streamed\n", where,
                    tc_label(op, bwd, dt, label, sizeof label), n, offset);
        bad++;
    }
    free(in0);
    free(dy0);
    free(want);
    tc_buf_free(&in);
    tc_buf_free(&dy);
    tc_buf_free(&out);
    return bad;
}

static size_t stream_op(const tc_op *op, int bwd, tc_dtype dt, tc_rng *rng, const char *where)
{
    size_t bad = 0;
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        const size_t n = counts[c];
        for (int in_place = 0; in_place < 2; in_place++) {
            if (ALL_OFFSETS(n)) {
                for (size_t off = 0; off < 16; off++)
                    bad += stream_case(op, bwd, dt, n, off, in_place, rng, where);
            } else {
                for (size_t k = 0; k < sizeof some_offsets / sizeof some_offsets[0]; k++)
                    bad += stream_case(op, bwd, dt, n, some_offsets[k], in_place, rng, where);
            }
        }
    }
    return bad;
}

static void streamed_calls_same_bits(void **state)
{
    (void)state;
    actfn_isa isas[TC_MAX_ISAS];
    const size_t n_isas = tc_isas(isas);
    static const actfn_mode modes[] = {ACTFN_MODE_FAST, ACTFN_MODE_REPRODUCIBLE};
    tc_rng rng;
    tc_rng_init(&rng, 0x57e4, 1);
    size_t bad = 0, streamed = 0, combos = 0;
    for (size_t m = 0; m < 2; m++) {
        if (!tc_use_mode(modes[m]))
            continue;
        for (size_t i = 0; i < n_isas; i++) {
            tc_use_isa(isas[i]);
            char where[64];
            snprintf(where, sizeof where, "%s/%s", actfn_isa_name(isas[i]), m ? "reproducible" : "fast");
            for (size_t o = 0; o < tc_op_count; o++) {
                const tc_op *op = &tc_ops[o];
                if (op->kind != TC_KIND_UNARY)
                    continue;
                for (int bwd = 0; bwd < 2; bwd++)
                    for (int dt = 0; dt < TC_DTYPE_COUNT; dt++) {
                        const size_t before = actfn_internal_stream_calls();
                        bad += stream_op(op, bwd, (tc_dtype)dt, &rng, where);
                        const size_t asked = actfn_internal_stream_calls() - before;
                        combos++;
                        if ((asked > 0) != pass_streams(op, bwd)) {
                            char label[64];
                            print_error("%s %s: %zu calls streamed, expected %s\n", where,
                                        tc_label(op, bwd, (tc_dtype)dt, label, sizeof label), asked,
                                        pass_streams(op, bwd) ? "some" : "none");
                            bad++;
                        }
                        streamed += asked;
                    }
            }
        }
    }
    assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
    print_message("%zu op × pass × dtype × ISA × mode combinations, %zu streamed calls\n", combos, streamed);
    assert_true(streamed > 0);
    assert_int_equal(bad, 0);
}

/* At the shipped threshold a 64K call never streams; the smallest call
 * that does, each side of it, gives the same bits. */
static void shipped_threshold(void **state)
{
    (void)state;
    const tc_op *op = tc_op_find("relu6");
    assert_non_null(op);
    /* the shipped threshold, over x and y */
    const size_t small = 65536, big = ACTFN_STREAM_MIN_BYTES / (2 * sizeof(float));
    tc_buf x = tc_buf_new(TC_F32, big, 0), y = tc_buf_new(TC_F32, big, 0);
    tc_args a = {0};
    a.x = x.p, a.out = y.p, a.dim[0] = small, a.par = op->sets[0];
    tc_rng rng;
    tc_rng_init(&rng, 0x57e5, 2);
    for (size_t i = 0; i < big; i++)
        tc_set(TC_F32, x.p, i, tc_rng_uniform(&rng, -8, 8));
    size_t before = actfn_internal_stream_calls();
    assert_int_equal(tc_call(op, TC_F32, 0, &a), ACTFN_OK);
    assert_int_equal(actfn_internal_stream_calls(), before);
    a.dim[0] = big - 1;
    assert_int_equal(tc_call(op, TC_F32, 0, &a), ACTFN_OK);
    assert_int_equal(actfn_internal_stream_calls(), before);
    a.dim[0] = big;
    assert_int_equal(tc_call(op, TC_F32, 0, &a), ACTFN_OK);
    assert_int_equal(actfn_internal_stream_calls(), before + 1);
    for (size_t i = 0; i < big; i++) {
        const double v = tc_get(TC_F32, x.p, i), want = v < 0 ? 0 : v > 6 ? 6 : v;
        if (tc_get(TC_F32, y.p, i) != want)
            fail_msg("relu6 streamed: element %zu is %g, want %g", i, tc_get(TC_F32, y.p, i), want);
    }
    assert_true(tc_buf_sentinels_ok(&y));
    tc_buf_free(&x);
    tc_buf_free(&y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streamed_calls_same_bits),
        cmocka_unit_test(shipped_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
