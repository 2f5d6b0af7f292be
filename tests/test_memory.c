/*
 * test_memory.c — how every op treats memory, on every ISA and dtype:
 *  - sizes 0…67 and a few large ones (1000, 4099), every array at every
 *    element offset 0…3 from a 64-byte boundary, with sentinel bytes before
 *    and after each array that must stay untouched, inputs unchanged, and
 *    each output element within budget of the oracle;
 *  - in place (y == x, dx == dy, dx == in) gives the bits of out of place.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_common.h"

static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;

/* The arrays of one call, each in its own sentinel buffer. */
enum { B_IN, B_ALPHA, B_DY, B_OUT, B_DALPHA, B_COUNT };
static const char *const buf_names[B_COUNT] = {"in", "alpha", "dy", "out", "dalpha"};

typedef struct {
    tc_buf b[B_COUNT];
    tc_args a;
} call_bufs;

static void bufs_new(call_bufs *cb, const tc_op *op, tc_dtype dt, int backward, const size_t dim[3],
                     const size_t off[B_COUNT], const tc_params *par)
{
    const tc_count c = tc_counts(op, backward, dim);
    const size_t counts[B_COUNT] = {c.in, c.alpha, c.dy, c.out, c.dalpha};
    for (int i = 0; i < B_COUNT; i++)
        cb->b[i] = tc_buf_new(dt, counts[i], off[i]);
    cb->a = (tc_args){.x = cb->b[B_IN].p, .alpha = cb->b[B_ALPHA].p, .dy = cb->b[B_DY].p,
                      .out = cb->b[B_OUT].p, .dalpha = cb->b[B_DALPHA].p, .par = *par};
    memcpy(cb->a.dim, dim, sizeof cb->a.dim);
}

static void bufs_free(call_bufs *cb)
{
    for (int i = 0; i < B_COUNT; i++)
        tc_buf_free(&cb->b[i]);
}

static tc_op_fails op_fails;

static tc_fails *fails_of(const tc_op *op)
{
    return tc_op_fails_of(&op_fails, op);
}

/* One call at given offsets: status OK, sentinels intact, inputs unchanged,
 * outputs within budget. */
static void one_call(const tc_op *op, tc_dtype dt, int backward, const size_t dim[3], const size_t off[B_COUNT],
                     const tc_params *par, tc_rng *r)
{
    call_bufs cb;
    bufs_new(&cb, op, dt, backward, dim, off, par);
    tc_fill_call(op, dt, backward, &cb.a, r);
    const size_t es = tc_size(dt);
    /* snapshot of the inputs */
    void *snap[B_COUNT] = {0};
    for (int i = B_IN; i <= B_DY; i++) {
        snap[i] = malloc(cb.b[i].n * es + 1);
        memcpy(snap[i], cb.b[i].p, cb.b[i].n * es);
    }
    char label[64], ctx[96];
    tc_label(op, backward, dt, label, sizeof label);
    snprintf(ctx, sizeof ctx, "offsets in %zu alpha %zu dy %zu out %zu dalpha %zu", off[0], off[1], off[2], off[3],
             off[4]);
    const int status = tc_call(op, dt, backward, &cb.a);
    if (status != ACTFN_OK) {
        tc_fail(fails_of(op), "%s [%s] dims %zu,%zu,%zu %s: status %d", label, actfn_isa_name(actfn_get_isa()), dim[0],
                dim[1], dim[2], ctx, status);
    } else if (tc_sample_this()) {
        /* values against the oracle (every call at scale 1; thinned out below) */
        tc_verify_call(op, dt, backward, &cb.a, ctx, fails_of(op), NULL, NULL);
    }
    for (int i = 0; i < B_COUNT; i++) {
        if (!tc_buf_sentinels_ok(&cb.b[i]))
            tc_fail(fails_of(op), "%s [%s] dims %zu,%zu,%zu %s: bytes around '%s' (%zu elements) were written", label,
                    actfn_isa_name(actfn_get_isa()), dim[0], dim[1], dim[2], ctx, buf_names[i], cb.b[i].n);
        if (snap[i] && memcmp(snap[i], cb.b[i].p, cb.b[i].n * es) != 0)
            tc_fail(fails_of(op), "%s [%s] dims %zu,%zu,%zu %s: input '%s' was modified", label,
                    actfn_isa_name(actfn_get_isa()), dim[0], dim[1], dim[2], ctx, buf_names[i]);
        free(snap[i]);
    }
    bufs_free(&cb);
}

static void test_sizes_and_offsets(void **state)
{
    (void)state;
    tc_rng r;
    tc_rng_init(&r, 0x5eed0101, 11);
    memset(&op_fails, 0, sizeof op_fails);
    static const size_t large[] = {1000, 4099};
    for (size_t k = 0; k < isa_count; k++) {
        tc_use_isa(isa_list[k]);
        for (int d = 0; d < TC_DTYPE_COUNT; d++)
            for (size_t o = 0; o < tc_op_count; o++) {
                const tc_op *op = &tc_ops[o];
                const tc_params *par = &op->sets[op->nsets - 1]; /* a non-default set where there is one */
                for (int backward = 0; backward < 2; backward++)
                    for (size_t n = 0; n < 68 + 2; n++) {
                        const size_t len = n < 68 ? n : large[n - 68];
                        size_t dims[TC_MAX_SHAPES][3];
                        const size_t ns = tc_shapes(op, len, dims);
                        /* every array at every offset 0..3 (rotated); large sizes once */
                        const size_t rotations = n < 68 ? 4 : 1;
                        for (size_t s = 0; s < ns; s++)
                            for (size_t rot = 0; rot < rotations; rot++) {
                                size_t off[B_COUNT];
                                for (int i = 0; i < B_COUNT; i++)
                                    off[i] = (rot + (size_t)i + (n >= 68)) % 4;
                                one_call(op, (tc_dtype)d, backward, dims[s], off, par, &r);
                            }
                    }
            }
    }
    const unsigned long n = tc_op_fails_total(&op_fails);
    if (n)
        fail_msg("%lu failures in sizes/offsets", n);
}

/* ---- In place ------------------------------------------------------------ */

/* Which input an in-place call writes over: the output over in, over dy,
 * over glu's b, or (glu backward) da over a and db over b at once. */
typedef enum { ALIAS_IN, ALIAS_DY, ALIAS_B, ALIAS_BOTH, ALIAS_COUNT } alias_kind;

static int alias_allowed(const tc_op *op, int backward, alias_kind which, const size_t dim[3])
{
    if (!backward && which == ALIAS_DY)
        return 0;
    if (which == ALIAS_B || which == ALIAS_BOTH)
        return op->kind == TC_KIND_GLU && (which == ALIAS_B || backward);
    /* maxout's y (outer, inner) and dy are smaller than x unless k == 1 */
    if (op->kind == TC_KIND_MAXOUT && (backward ? which == ALIAS_DY : 1))
        return dim[1] == 1;
    return 1;
}

static void in_place_case(const tc_op *op, tc_dtype dt, int backward, const size_t dim[3], alias_kind which,
                          tc_rng *r)
{
    const tc_params *par = &op->sets[0];
    const size_t es = tc_size(dt);
    const tc_count c = tc_counts(op, backward, dim);
    void *in = calloc(c.in + 1, es), *alpha = calloc(c.alpha + 1, es), *dy = calloc(c.dy + 1, es);
    void *out = calloc(c.out + 1, es), *dal = calloc(c.dalpha + 1, es), *dal2 = calloc(c.dalpha + 1, es);
    void *work = calloc(c.out + 1, es), *work2 = calloc(c.dalpha + 1, es);
    assert_non_null(work);
    assert_non_null(work2);
    tc_args a = {.x = in, .alpha = alpha, .dy = dy, .out = out, .dalpha = dal, .par = *par};
    memcpy(a.dim, dim, sizeof a.dim);
    tc_fill_call(op, dt, backward, &a, r);
    char label[64], b1[80], b2[80];
    tc_label(op, backward, dt, label, sizeof label);
    const char *isa = actfn_isa_name(actfn_get_isa());

    int s = tc_call(op, dt, backward, &a);
    if (s != ACTFN_OK) {
        tc_fail(fails_of(op), "%s [%s] out of place dims %zu,%zu,%zu: status %d", label, isa, dim[0], dim[1], dim[2], s);
        goto done;
    }
    /* the same call with the output written over one input */
    tc_args b = a;
    b.dalpha = dal2;
    if (which == ALIAS_IN || which == ALIAS_BOTH) {
        memcpy(work, in, c.in * es);
        b.x = work;
    } else if (which == ALIAS_B) {
        memcpy(work, alpha, c.alpha * es);
        b.alpha = work;
    } else {
        memcpy(work, dy, c.dy * es);
        b.dy = work;
    }
    b.out = work;
    if (which == ALIAS_BOTH) {
        memcpy(work2, alpha, c.alpha * es);
        b.alpha = work2;
        b.dalpha = work2;
    }
    s = tc_call(op, dt, backward, &b);
    static const char *const whats[2][ALIAS_COUNT] = {{"y == x", "-", "y == b", "-"},
                                                      {"dx == in", "dx == dy", "da == b", "da == a, db == b"}};
    const char *what = whats[backward][which];
    if (s != ACTFN_OK) {
        tc_fail(fails_of(op), "%s [%s] in place (%s) dims %zu,%zu,%zu: status %d (%s)", label, isa, what, dim[0], dim[1],
                dim[2], s, actfn_strerror(s));
        goto done;
    }
    for (size_t i = 0; i < c.out; i++)
        if (tc_bits(dt, work, i) != tc_bits(dt, out, i)) {
            tc_fail(fails_of(op), "%s [%s] in place (%s) dims %zu,%zu,%zu: out[%zu] %s, out of place %s", label, isa, what,
                    dim[0], dim[1], dim[2], i, tc_fmt(dt, tc_get(dt, work, i), b1, 80),
                    tc_fmt(dt, tc_get(dt, out, i), b2, 80));
            break;
        }
    for (size_t i = 0; i < c.dalpha; i++)
        if (tc_bits(dt, b.dalpha, i) != tc_bits(dt, dal, i)) {
            tc_fail(fails_of(op), "%s [%s] in place (%s) dims %zu,%zu,%zu: dalpha[%zu] %s, out of place %s", label, isa,
                    what, dim[0], dim[1], dim[2], i, tc_fmt(dt, tc_get(dt, b.dalpha, i), b1, 80),
                    tc_fmt(dt, tc_get(dt, dal, i), b2, 80));
            break;
        }
done:
    free(in), free(alpha), free(dy), free(out), free(dal), free(dal2), free(work), free(work2);
}

static void test_in_place(void **state)
{
    (void)state;
    tc_rng r;
    tc_rng_init(&r, 0x5eed0102, 12);
    memset(&op_fails, 0, sizeof op_fails);
    static const size_t lengths[] = {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 67, 1000};
    for (size_t k = 0; k < isa_count; k++) {
        tc_use_isa(isa_list[k]);
        for (int d = 0; d < TC_DTYPE_COUNT; d++)
            for (size_t o = 0; o < tc_op_count; o++)
                for (int backward = 0; backward < 2; backward++)
                    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
                        size_t dims[TC_MAX_SHAPES][3];
                        const size_t ns = tc_shapes(&tc_ops[o], lengths[l], dims);
                        for (size_t s = 0; s < ns; s++)
                            for (int w = ALIAS_IN; w < ALIAS_COUNT; w++)
                                if (alias_allowed(&tc_ops[o], backward, (alias_kind)w, dims[s]))
                                    in_place_case(&tc_ops[o], (tc_dtype)d, backward, dims[s], (alias_kind)w, &r);
                    }
    }
    const unsigned long n = tc_op_fails_total(&op_fails);
    if (n)
        fail_msg("%lu in-place failures", n);
}

int main(void)
{
    isa_count = tc_isas(isa_list);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_offsets),
        cmocka_unit_test(test_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
