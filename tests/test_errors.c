/*
 * test_errors.c — every bad-input row of SPEC §5 for every public function
 * of both dtypes (with the lead's decisions on aliasing and parameters):
 * NULL per pointer with a non-zero count (and NULL accepted when the count
 * is 0), partial overlap of each output with each input, parameter domain
 * errors, size-product overflow; after every error nothing was written.
 * Also actfn_strerror and actfn_set_isa / actfn_isa_supported on bad values.
 */
#include <limits.h>
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
static tc_fails fails;

/* A small valid shape per op kind. */
static void small_dims(const tc_op *op, size_t dim[3])
{
    switch (op->kind) {
    case TC_KIND_UNARY:
    case TC_KIND_GLU:
        dim[0] = 9, dim[1] = 0, dim[2] = 0;
        break;
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX:
        dim[0] = 2, dim[1] = 5, dim[2] = 0;
        break;
    case TC_KIND_PRELU:
    case TC_KIND_BIAS:
    case TC_KIND_MAXOUT:
        dim[0] = 2, dim[1] = 3, dim[2] = 4;
        break;
    }
}

/* Every array of one call in one arena (so overlaps can be arranged), the
 * whole arena filled with a byte pattern; `touched` says if any byte other
 * than the inputs changed after a call. */
#define ARENA_ELEMS 1024
#define PATTERN 0x5A

typedef struct {
    unsigned char *arena, *copy;
    size_t bytes;
} arena;

static void arena_new(arena *ar, tc_dtype dt)
{
    ar->bytes = ARENA_ELEMS * tc_size(dt);
    ar->arena = malloc(ar->bytes);
    ar->copy = malloc(ar->bytes);
    assert_non_null(ar->arena);
    assert_non_null(ar->copy);
}

static void arena_fill(arena *ar, tc_dtype dt)
{
    memset(ar->arena, PATTERN, ar->bytes);
    /* inputs must be valid numbers for calls that succeed: 0.5 everywhere */
    for (size_t i = 0; i < ARENA_ELEMS; i++)
        tc_set(dt, ar->arena, i, 0.5);
    memcpy(ar->copy, ar->arena, ar->bytes);
}

static int arena_untouched(const arena *ar)
{
    return memcmp(ar->arena, ar->copy, ar->bytes) == 0;
}

static void arena_free(arena *ar)
{
    free(ar->arena);
    free(ar->copy);
}

/* Element offset in the arena of each array in a disjoint layout. */
enum { S_IN, S_ALPHA, S_DY, S_OUT, S_DALPHA, S_COUNT };
static const char *const slot_names[S_COUNT] = {"x/in", "alpha", "dy", "y/dx", "dalpha"};

static void slot_counts(const tc_op *op, int backward, const size_t dim[3], size_t n[S_COUNT])
{
    const tc_count c = tc_counts(op, backward, dim);
    n[S_IN] = c.in, n[S_ALPHA] = c.alpha, n[S_DY] = c.dy, n[S_OUT] = c.out, n[S_DALPHA] = c.dalpha;
}

/* Which slots a call uses (prelu's dalpha and bias_<op>'s dbias are
 * optional but used when given; glu's db is required). */
static int slot_used(const tc_op *op, int backward, int slot)
{
    switch (slot) {
    case S_IN:
    case S_OUT:
        return 1;
    case S_ALPHA:
        return tc_has_alpha(op);
    case S_DY:
        return backward;
    case S_DALPHA:
        return tc_has_alpha(op) && backward;
    }
    return 0;
}

static void *slot_ptr(const arena *ar, tc_dtype dt, size_t elem)
{
    return ar->arena + elem * tc_size(dt);
}

/* Args with every used slot at a disjoint place: slot s at 200·s + 8. */
static tc_args disjoint_args(const tc_op *op, int backward, const arena *ar, tc_dtype dt, const size_t dim[3])
{
    tc_args a = {.par = op->sets[0]};
    memcpy(a.dim, dim, sizeof a.dim);
    void *p[S_COUNT];
    for (int s = 0; s < S_COUNT; s++)
        p[s] = slot_used(op, backward, s) ? slot_ptr(ar, dt, 200 * (size_t)s + 8) : NULL;
    a.x = p[S_IN], a.alpha = p[S_ALPHA], a.dy = p[S_DY], a.out = p[S_OUT], a.dalpha = p[S_DALPHA];
    return a;
}

static void set_slot(tc_args *a, int slot, void *p)
{
    switch (slot) {
    case S_IN: a->x = p; break;
    case S_ALPHA: a->alpha = p; break;
    case S_DY: a->dy = p; break;
    case S_OUT: a->out = p; break;
    case S_DALPHA: a->dalpha = p; break;
    }
}

/* One call that must fail with `want` and write nothing. */
static void expect_error(const tc_op *op, tc_dtype dt, int backward, arena *ar, const tc_args *a, int want,
                         const char *what)
{
    char label[64], pstr[96];
    tc_label(op, backward, dt, label, sizeof label);
    tc_params_str(op, &a->par, pstr, sizeof pstr);
    const int got = tc_call(op, dt, backward, a);
    if (got != want)
        tc_fail(&fails, "%s [%s] %s dims %zu,%zu,%zu (%s): status %d (%s), expected %d (%s)", label,
                actfn_isa_name(actfn_get_isa()), pstr, a->dim[0], a->dim[1], a->dim[2], what, got,
                actfn_strerror(got), want, actfn_strerror(want));
    else if (!arena_untouched(ar))
        tc_fail(&fails, "%s [%s] %s (%s): returned %d but wrote to memory", label, actfn_isa_name(actfn_get_isa()),
                pstr, what, got);
}

/* ---- NULL pointers ---------------------------------------------------------- */

static void test_null_pointers(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 80};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        arena ar;
        arena_new(&ar, dt);
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            for (int backward = 0; backward < 2; backward++) {
                size_t dim[3];
                small_dims(op, dim);
                /* NULL in each required pointer with a non-zero count */
                for (int s = 0; s < S_COUNT; s++) {
                    if (!slot_used(op, backward, s) || (s == S_DALPHA && tc_dalpha_optional(op)))
                        continue;
                    arena_fill(&ar, dt);
                    tc_args a = disjoint_args(op, backward, &ar, dt, dim);
                    set_slot(&a, s, NULL);
                    char what[64];
                    snprintf(what, sizeof what, "%s NULL", slot_names[s]);
                    expect_error(op, dt, backward, &ar, &a, ACTFN_ERR_NULL, what);
                }
                /* dalpha (dbias) NULL is allowed */
                if (slot_used(op, backward, S_DALPHA) && tc_dalpha_optional(op)) {
                    arena_fill(&ar, dt);
                    tc_args a = disjoint_args(op, backward, &ar, dt, dim);
                    a.dalpha = NULL;
                    const int st = tc_call(op, dt, backward, &a);
                    if (st != ACTFN_OK)
                        tc_fail(&fails, "%s_backward %s: dalpha NULL gave status %d", op->name, tc_dtype_name(dt),
                                st);
                }
                /* every pointer NULL with a zero count in each dimension: OK */
                const size_t ndims = op->kind == TC_KIND_UNARY || op->kind == TC_KIND_GLU ? 1
                                     : tc_per_channel(op) || op->kind == TC_KIND_MAXOUT ? 3
                                                                                      : 2;
                for (size_t z = 0; z < ndims; z++) {
                    if (op->kind == TC_KIND_MAXOUT && z == 1)
                        continue; /* k == 0 is a parameter error, tested below */
                    size_t zdim[3];
                    memcpy(zdim, dim, sizeof zdim);
                    zdim[z] = 0;
                    tc_args a = {.par = op->sets[0]};
                    memcpy(a.dim, zdim, sizeof a.dim);
                    const int st = tc_call(op, dt, backward, &a);
                    if (st != ACTFN_OK)
                        tc_fail(&fails, "%s%s %s dims %zu,%zu,%zu with NULL pointers: status %d, expected OK",
                                op->name, backward ? "_backward" : "", tc_dtype_name(dt), zdim[0], zdim[1], zdim[2],
                                st);
                }
            }
        }
        arena_free(&ar);
    }
    TC_ASSERT_NO_FAILS(&fails, "null");
}

/* ---- Overlap ------------------------------------------------------------------ */

/* Place output slot `o` partially over input slot `i` (shifted by `shift`
 * elements) and expect ACTFN_ERR_OVERLAP. */
static void overlap_case(const tc_op *op, tc_dtype dt, int backward, arena *ar, const size_t dim[3], int o, int i,
                         long shift)
{
    arena_fill(ar, dt);
    tc_args a = disjoint_args(op, backward, ar, dt, dim);
    const size_t base = 700;
    set_slot(&a, i, slot_ptr(ar, dt, base));
    set_slot(&a, o, slot_ptr(ar, dt, (size_t)((long)base + shift)));
    char what[96];
    snprintf(what, sizeof what, "%s at %s%+ld elements", slot_names[o], slot_names[i], shift);
    expect_error(op, dt, backward, ar, &a, ACTFN_ERR_OVERLAP, what);
}

static void test_overlap(void **state)
{
    (void)state;
    fails = (tc_fails){0, 0, 80};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        arena ar;
        arena_new(&ar, dt);
        for (size_t op_i = 0; op_i < tc_op_count; op_i++) {
            const tc_op *op = &tc_ops[op_i];
            for (int backward = 0; backward < 2; backward++) {
                size_t dim[3], n[S_COUNT];
                small_dims(op, dim);
                slot_counts(op, backward, dim, n);
                for (int o = S_OUT; o <= S_DALPHA; o++) {
                    if (!slot_used(op, backward, o))
                        continue;
                    for (int i = 0; i < S_COUNT; i++) {
                        if (i == o || !slot_used(op, backward, i) || (o == S_OUT && i == S_DALPHA))
                            continue;
                        /* partial overlap from either side, and by one element at the far end */
                        overlap_case(op, dt, backward, &ar, dim, o, i, 1);
                        overlap_case(op, dt, backward, &ar, dim, o, i, -1);
                        overlap_case(op, dt, backward, &ar, dim, o, i, (long)n[i] - 1);
                        overlap_case(op, dt, backward, &ar, dim, o, i, 1 - (long)n[o]);
                        /* per-channel alpha and dalpha allow no aliasing at all;
                         * neither do arrays of different lengths (maxout's y and
                         * x), nor glu's two outputs */
                        if ((tc_per_channel(op) && (i == S_ALPHA || o == S_DALPHA)) || n[o] != n[i] ||
                            (o == S_DALPHA && i == S_OUT))
                            overlap_case(op, dt, backward, &ar, dim, o, i, 0);
                    }
                }
            }
        }
        /* maxout with k > 1: y == x is an overlap (lengths differ), dx == dy too */
        arena_free(&ar);
    }
    TC_ASSERT_NO_FAILS(&fails, "overlap");
}

/* ---- Parameters ---------------------------------------------------------------- */

static void test_parameters(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        double p0, p1;
        int ok; /* 1: in the domain (must succeed), 0: ACTFN_ERR_PARAM */
    } cases[] = {
        {"hardtanh", NAN, 1, 0},         {"hardtanh", -1, NAN, 0},        {"hardtanh", 1, -1, 0},
        {"hardtanh", 0.5, 0.25, 0},      {"hardtanh", INFINITY, -INFINITY, 0}, {"hardtanh", 0.5, 0.5, 1},
        {"hardtanh", -INFINITY, INFINITY, 1}, {"hardtanh", INFINITY, INFINITY, 1},
        {"leaky_relu", NAN, 0, 0},       {"leaky_relu", INFINITY, 0, 0},  {"leaky_relu", -INFINITY, 0, 0},
        {"leaky_relu", 0, 0, 1},         {"leaky_relu", -2, 0, 1},
        {"elu", NAN, 0, 0},              {"elu", INFINITY, 0, 0},         {"elu", -INFINITY, 0, 0},
        {"elu", 0, 0, 1},
        {"swish", NAN, 0, 0},            {"swish", INFINITY, 0, 0},       {"swish", -INFINITY, 0, 0},
        {"swish", 0, 0, 1},              {"swish", -3, 0, 1},
        {"softplus", NAN, 20, 0},        {"softplus", 1, NAN, 0},         {"softplus", 0, 20, 0},
        {"softplus", -0.0, 20, 0},       {"softplus", INFINITY, 20, 0},   {"softplus", -INFINITY, 20, 0},
        {"softplus", 1, INFINITY, 1},    {"softplus", 1, -INFINITY, 1},   {"softplus", -2, 20, 1},
    };
    fails = (tc_fails){0, 0, 80};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        arena ar;
        arena_new(&ar, dt);
        /* each case for the op, and for its fused bias_<op> */
        for (size_t c = 0; c < 2 * (sizeof cases / sizeof cases[0]); c++) {
            char name[64];
            snprintf(name, sizeof name, "%s%s", c % 2 ? "bias_" : "", cases[c / 2].op);
            const tc_op *op = tc_op_find(name);
            assert_non_null(op);
            for (int backward = 0; backward < 2; backward++) {
                size_t dim[3];
                small_dims(op, dim);
                arena_fill(&ar, dt);
                tc_args a = disjoint_args(op, backward, &ar, dt, dim);
                a.par.p[0] = cases[c / 2].p0;
                a.par.p[1] = cases[c / 2].p1;
                char label[64], pstr[96];
                tc_label(op, backward, dt, label, sizeof label);
                tc_params_str(op, &a.par, pstr, sizeof pstr);
                if (cases[c / 2].ok) {
                    const int st = tc_call(op, dt, backward, &a);
                    if (st != ACTFN_OK)
                        tc_fail(&fails, "%s %s: status %d, expected OK (in the domain)", label, pstr, st);
                    continue;
                }
                expect_error(op, dt, backward, &ar, &a, ACTFN_ERR_PARAM, "bad parameter");
                /* parameters are checked first: even with NULL pointers */
                a.x = NULL;
                a.out = NULL;
                expect_error(op, dt, backward, &ar, &a, ACTFN_ERR_PARAM, "bad parameter, NULL pointers");
            }
        }
        /* maxout k == 0, with and without other zero sizes */
        const tc_op *mx = tc_op_find("maxout");
        for (int backward = 0; backward < 2; backward++) {
            static const size_t kdims[][3] = {{2, 0, 4}, {1, 0, 1}, {0, 0, 3}};
            for (size_t k = 0; k < 3; k++) {
                arena_fill(&ar, dt);
                tc_args a = disjoint_args(mx, backward, &ar, dt, kdims[k]);
                expect_error(mx, dt, backward, &ar, &a, ACTFN_ERR_PARAM, "k == 0");
            }
        }
        arena_free(&ar);
    }
    TC_ASSERT_NO_FAILS(&fails, "parameters");
}

/* ---- Size overflow ------------------------------------------------------------- */

static void test_size_overflow(void **state)
{
    (void)state;
    const size_t big = SIZE_MAX / 2 + 1, root = (size_t)1 << (sizeof(size_t) * 4); /* root² overflows */
    fails = (tc_fails){0, 0, 80};
    for (int d = 0; d < TC_DTYPE_COUNT; d++) {
        const tc_dtype dt = (tc_dtype)d;
        /* element count fits but its bytes do not */
        const size_t bytes_over = SIZE_MAX / tc_size(dt) + 1;
        const size_t three[][3] = {
            {big, 2, 1}, {1, big, 2}, {2, 1, big}, {root, root, 1}, {1, root, root}, {root, 1, root},
            {root / 2, 4, root / 2},          /* pairs fit, the triple does not */
            {bytes_over, 1, 1}, {1, 1, bytes_over}, {SIZE_MAX, SIZE_MAX, SIZE_MAX},
        };
        const size_t two[][3] = {{big, 2, 0}, {2, big, 0}, {root, root, 0}, {bytes_over, 1, 0}, {1, bytes_over, 0},
                                 {SIZE_MAX, SIZE_MAX, 0}};
        arena ar;
        arena_new(&ar, dt);
        for (size_t o = 0; o < tc_op_count; o++) {
            const tc_op *op = &tc_ops[o];
            if (op->kind == TC_KIND_UNARY || op->kind == TC_KIND_GLU)
                continue; /* one count, no product */
            const int rows = op->kind == TC_KIND_SOFTMAX || op->kind == TC_KIND_LOG_SOFTMAX;
            const size_t ncase = rows ? sizeof two / sizeof two[0] : sizeof three / sizeof three[0];
            for (int backward = 0; backward < 2; backward++)
                for (size_t c = 0; c < ncase; c++) {
                    const size_t *dim = rows ? two[c] : three[c];
                    /* maxout's k = 1 pieces keep the shapes meaningful */
                    arena_fill(&ar, dt);
                    tc_args a = disjoint_args(op, backward, &ar, dt, dim);
                    if (tc_per_channel(op) && backward)
                        a.dalpha = NULL; /* dalpha of `channels` elements would not fit the arena */
                    char what[96];
                    snprintf(what, sizeof what, "dims %zu x %zu x %zu overflow", dim[0], dim[1], dim[2]);
                    expect_error(op, dt, backward, &ar, &a, ACTFN_ERR_SIZE, what);
                }
        }
        arena_free(&ar);
    }
    TC_ASSERT_NO_FAILS(&fails, "size");
}

/* ---- Messages and dispatch control ------------------------------------------- */

static void test_strerror(void **state)
{
    (void)state;
    static const int codes[] = {ACTFN_OK, ACTFN_ERR_NULL, ACTFN_ERR_OVERLAP, ACTFN_ERR_PARAM, ACTFN_ERR_SIZE,
                                ACTFN_ERR_UNSUPPORTED};
    const size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        const char *m = actfn_strerror(codes[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 0);
        for (size_t j = 0; j < i; j++)
            if (strcmp(m, actfn_strerror(codes[j])) == 0)
                fail_msg("statuses %d and %d share the message \"%s\"", codes[i], codes[j], m);
    }
    static const int unknown[] = {1, -6, 42, -100, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *m = actfn_strerror(unknown[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 0);
        for (size_t j = 0; j < n; j++)
            if (strcmp(m, actfn_strerror(codes[j])) == 0)
                fail_msg("unknown status %d gives the message of status %d", unknown[i], codes[j]);
    }
}

static void test_set_isa_errors(void **state)
{
    (void)state;
    static const actfn_isa all[] = {ACTFN_ISA_SCALAR, ACTFN_ISA_AVX2, ACTFN_ISA_AVX512, ACTFN_ISA_NEON};
    assert_true(actfn_isa_supported(ACTFN_ISA_SCALAR));
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        tc_use_isa(ACTFN_ISA_SCALAR);
        if (actfn_isa_supported(all[i])) {
            assert_int_equal(actfn_set_isa(all[i]), ACTFN_OK);
            assert_int_equal(actfn_get_isa(), all[i]);
        } else {
            assert_int_equal(actfn_set_isa(all[i]), ACTFN_ERR_UNSUPPORTED);
            assert_int_equal(actfn_get_isa(), ACTFN_ISA_SCALAR); /* nothing changed */
        }
    }
    static const int bad[] = {4, 5, -1, 99, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tc_use_isa(ACTFN_ISA_SCALAR);
        assert_int_equal(actfn_isa_supported((actfn_isa)bad[i]), 0);
        assert_int_equal(actfn_set_isa((actfn_isa)bad[i]), ACTFN_ERR_UNSUPPORTED);
        assert_int_equal(actfn_get_isa(), ACTFN_ISA_SCALAR);
        assert_string_equal(actfn_isa_name((actfn_isa)bad[i]), "unknown");
    }
}

/* ---- Run every table-driven group on every ISA ----------------------------- */

static void run_on_every_isa(void (*fn)(void **), void **state)
{
    for (size_t k = 0; k < isa_count; k++) {
        tc_use_isa(isa_list[k]);
        fn(state);
    }
}

static void null_all_isas(void **s) { run_on_every_isa(test_null_pointers, s); }
static void overlap_all_isas(void **s) { run_on_every_isa(test_overlap, s); }
static void params_all_isas(void **s) { run_on_every_isa(test_parameters, s); }
static void size_all_isas(void **s) { run_on_every_isa(test_size_overflow, s); }

int main(void)
{
    isa_count = tc_isas(isa_list);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_all_isas),
        cmocka_unit_test(overlap_all_isas),
        cmocka_unit_test(params_all_isas),
        cmocka_unit_test(size_all_isas),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_set_isa_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
