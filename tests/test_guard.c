/*
 * test_guard.c — no kernel reads or writes outside its arrays (issue 3).
 * Every array of a call is placed so that it ends right before a PROT_NONE
 * page, and (separately) so that it starts right after one; every op × pass
 * × dtype × supported ISA then runs for n = 0 … 4·16+3 (shaped ops: row and
 * inner lengths in that range). Any access past either end faults; the
 * SIGSEGV handler names the call that did it. Results are also checked
 * against the oracle, so a kernel cannot pass by skipping its tail.
 */
#define _DEFAULT_SOURCE
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_common.h"

#define MAX_LEN (4 * 16 + 3) /* 4·VW+3 for the widest vector (AVX-512 f32) */
#define DATA_PAGES 2

static actfn_isa isa_list[TC_MAX_ISAS];
static size_t isa_count;
static tc_op_fails op_fails;

static tc_fails *fails_of(const tc_op *op)
{
    return tc_op_fails_of(&op_fails, op);
}

/* ---- Guarded regions --------------------------------------------------------- */

/* [PROT_NONE page][DATA_PAGES writable pages][PROT_NONE page] */
typedef struct {
    unsigned char *base, *lo, *hi; /* lo: first data byte; hi: the trailing guard page */
    size_t len;
} region;

static size_t page;

static void region_new(region *r)
{
    r->len = (DATA_PAGES + 2) * page;
    r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(r->base != MAP_FAILED);
    r->lo = r->base + page;
    r->hi = r->base + r->len - page;
    assert_int_equal(mprotect(r->base, page, PROT_NONE), 0);
    assert_int_equal(mprotect(r->hi, page, PROT_NONE), 0);
}

static void region_free(region *r)
{
    munmap(r->base, r->len);
}

/* ---- Naming the call that faulted ---------------------------------------------- */

static char current_call[256];

static void on_fault(int sig)
{
    static const char msg[] = "\nFAIL: out-of-bounds access (signal) during: ";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0 || write(2, current_call, strlen(current_call)) < 0 ||
        write(2, "\n", 1) < 0)
        _exit(2);
    _exit(1);
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

/* ---- The calls ------------------------------------------------------------------ */

enum { S_IN, S_ALPHA, S_DY, S_OUT, S_DALPHA, S_COUNT };

/* Place each array of one call at the start (at_end == 0) or the end of its
 * region, fill, call, check. */
static void guarded_call(region *reg, const tc_op *op, tc_dtype dt, int backward, const size_t dim[3],
                         int at_end, tc_rng *r)
{
    const tc_count c = tc_counts(op, backward, dim);
    const size_t counts[S_COUNT] = {c.in, c.alpha, c.dy, c.out, c.dalpha};
    const size_t es = tc_size(dt);
    void *p[S_COUNT];
    for (int s = 0; s < S_COUNT; s++) {
        const size_t bytes = counts[s] * es;
        assert_true(bytes <= DATA_PAGES * page);
        p[s] = at_end ? (void *)(reg[s].hi - bytes) : (void *)reg[s].lo;
    }
    tc_args a = {.x = p[S_IN], .alpha = p[S_ALPHA], .dy = p[S_DY], .out = p[S_OUT], .dalpha = p[S_DALPHA],
                 .par = op->sets[0]};
    memcpy(a.dim, dim, sizeof a.dim);
    if (!tc_has_alpha(op))
        a.alpha = a.dalpha = NULL;
    tc_fill_call(op, dt, backward, &a, r);

    char label[64], ctx[64];
    tc_label(op, backward, dt, label, sizeof label);
    snprintf(ctx, sizeof ctx, "arrays %s a guard page", at_end ? "ending at" : "starting after");
    snprintf(current_call, sizeof current_call, "%s [%s] dims %zu,%zu,%zu, %s", label,
             actfn_isa_name(actfn_get_isa()), dim[0], dim[1], dim[2], ctx);
    const int status = tc_call(op, dt, backward, &a);
    if (status != ACTFN_OK) {
        tc_fail(fails_of(op), "%s: status %d", current_call, status);
        return;
    }
    if (tc_sample_this()) /* every call at scale 1; thinned out below */
        tc_verify_call(op, dt, backward, &a, ctx, fails_of(op), NULL, NULL);
}

static void test_guard_pages(void **state)
{
    (void)state;
    tc_rng r;
    tc_rng_init(&r, 0x5eed0201, 21);
    region reg[S_COUNT];
    for (int s = 0; s < S_COUNT; s++)
        region_new(&reg[s]);
    install_handler();
    size_t calls = 0;
    for (size_t k = 0; k < isa_count; k++) {
        tc_use_isa(isa_list[k]);
        for (int d = 0; d < TC_DTYPE_COUNT; d++)
            for (size_t o = 0; o < tc_op_count; o++)
                for (int backward = 0; backward < 2; backward++)
                    for (size_t len = 0; len <= MAX_LEN; len++) {
                        size_t dims[TC_MAX_SHAPES][3];
                        const size_t ns = tc_shapes(&tc_ops[o], len, dims);
                        for (size_t s = 0; s < ns; s++)
                            for (int at_end = 0; at_end < 2; at_end++) {
                                guarded_call(reg, &tc_ops[o], (tc_dtype)d, backward, dims[s], at_end, &r);
                                calls++;
                            }
                    }
    }
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    for (int s = 0; s < S_COUNT; s++)
        region_free(&reg[s]);
    printf("%zu guarded calls on %zu ISA(s)\n", calls, isa_count);
    const unsigned long n = tc_op_fails_total(&op_fails);
    if (n)
        fail_msg("%lu wrong results next to guard pages", n);
}

int main(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    isa_count = tc_isas(isa_list);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guard_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
