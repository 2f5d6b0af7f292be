/*
 * test_fpenv.c — no call changes the floating-point environment (SPEC §1),
 * and a caller's flush-to-zero setting does not change the results.
 *
 * For every ISA × op × pass × dtype × parameter set, a few calls of
 * different shapes and alignments are made under three caller settings of
 * the control register — the default, FTZ+DAZ, and FTZ+DAZ with rounding
 * toward zero — plus one call with a bad argument. After each call the
 * control register must read exactly as before: on x86 the MXCSR control
 * bits (6–15: DAZ, exception masks, rounding, FTZ; bits 0–5 are the sticky
 * exception flags that any arithmetic may set) and the x87 control word; on
 * AArch64 the whole FPCR.
 *
 * With FTZ+DAZ set, the inputs (normal numbers of moderate size, see
 * rel_calls.h) must give bit for bit the results of the default
 * environment on the same ISA — which the op tests hold to the SPEC §4
 * budgets — so a caller running with flush-to-zero loses nothing for
 * normal data.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rel_calls.h"
#include "rel_isa.h"
#include "test_common.h"

/* ---- The control registers ---------------------------------------------- */

#if defined(__x86_64__) || defined(__i386__)
#define MXCSR_FLAGS 0x003fu /* sticky exception flags: not control */
#define MXCSR_DAZ 0x0040u
#define MXCSR_RC_ZERO 0x6000u
#define MXCSR_FTZ 0x8000u

typedef struct {
    unsigned mxcsr;
    unsigned short x87_cw;
} fp_ctl;

static fp_ctl ctl_read(void)
{
    fp_ctl c;
    __asm__ volatile("stmxcsr %0" : "=m"(c.mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(c.x87_cw));
    return c;
}

static void ctl_write(fp_ctl c)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(c.mxcsr));
    __asm__ volatile("fldcw %0" : : "m"(c.x87_cw));
}

static int ctl_same(fp_ctl a, fp_ctl b)
{
    return (a.mxcsr & ~MXCSR_FLAGS) == (b.mxcsr & ~MXCSR_FLAGS) && a.x87_cw == b.x87_cw;
}

static fp_ctl ctl_with(fp_ctl c, int flush, int round_to_zero)
{
    if (flush)
        c.mxcsr |= MXCSR_FTZ | MXCSR_DAZ;
    if (round_to_zero)
        c.mxcsr |= MXCSR_RC_ZERO;
    c.mxcsr &= ~MXCSR_FLAGS;
    return c;
}

static void ctl_print(const char *what, fp_ctl c)
{
    print_error("%s: MXCSR %#06x, x87 control word %#06x\n", what, c.mxcsr, c.x87_cw);
}
#define HAVE_FP_CTL 1

#elif defined(__aarch64__)
#define FPCR_RMODE_ZERO (3ull << 22)
#define FPCR_FZ (1ull << 24)

typedef struct {
    uint64_t fpcr;
} fp_ctl;

static fp_ctl ctl_read(void)
{
    fp_ctl c;
    __asm__ volatile("mrs %0, fpcr" : "=r"(c.fpcr));
    return c;
}

static void ctl_write(fp_ctl c)
{
    __asm__ volatile("msr fpcr, %0" : : "r"(c.fpcr));
}

static int ctl_same(fp_ctl a, fp_ctl b)
{
    return a.fpcr == b.fpcr;
}

static fp_ctl ctl_with(fp_ctl c, int flush, int round_to_zero)
{
    if (flush)
        c.fpcr |= FPCR_FZ;
    if (round_to_zero)
        c.fpcr |= FPCR_RMODE_ZERO;
    return c;
}

static void ctl_print(const char *what, fp_ctl c)
{
    print_error("%s: FPCR %#llx\n", what, (unsigned long long)c.fpcr);
}
#define HAVE_FP_CTL 1
#endif

#ifdef HAVE_FP_CTL

/* ---- The test ------------------------------------------------------------ */

typedef struct {
    const char *name;
    int flush, round_to_zero;
    int same_results; /* results must equal the default environment's */
} fp_setting;

static const fp_setting settings[] = {
    {"default", 0, 0, 1},
    {"FTZ+DAZ", 1, 0, 1},
    {"FTZ+DAZ+round-to-zero", 1, 1, 0},
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

typedef struct {
    tc_fails fails;
    unsigned long calls;
} fpenv_state;

/* Run `c` under the control setting `set`; the control register must read
 * the same afterwards. Restores the default setting. */
static int run_under(fpenv_state *st, fp_ctl base, const fp_setting *set, const rel_call *c, const char *what)
{
    const fp_ctl want = ctl_with(base, set->flush, set->round_to_zero);
    ctl_write(want);
    const int status = rel_call_run(c);
    const fp_ctl got = ctl_read();
    ctl_write(base);
    st->calls++;
    if (!ctl_same(got, want)) {
        char label[64];
        tc_label(c->op, c->backward, c->dt, label, sizeof label);
        const unsigned long printed = st->fails.printed;
        tc_fail(&st->fails, "%s %s under %s (ISA %s) changed the FP control register", label, what, set->name,
                actfn_isa_name(actfn_get_isa()));
        if (st->fails.printed > printed) {
            ctl_print("  before", want);
            ctl_print("  after ", got);
        }
    }
    return status;
}

/* Every setting for one op / pass / dtype / parameter set / seed. */
static void check_one(fpenv_state *st, fp_ctl base, const tc_op *op, tc_dtype dt, int backward, int set,
                      uint64_t seed)
{
    char label[64], params[128];
    tc_label(op, backward, dt, label, sizeof label);
    tc_params_str(op, &op->sets[set], params, sizeof params);

    rel_call ref;
    rel_call_make(&ref, op, dt, backward, set, seed);
    const int ref_status = run_under(st, base, &settings[0], &ref, "");
    if (ref_status != ACTFN_OK)
        tc_fail(&st->fails, "%s %s: status %d", label, params, ref_status);

    for (size_t k = 1; k < N_SETTINGS; k++) {
        rel_call c;
        rel_call_make(&c, op, dt, backward, set, seed);
        const int status = run_under(st, base, &settings[k], &c, "");
        if (status != ref_status)
            tc_fail(&st->fails, "%s %s under %s: status %d, default environment gave %d", label, params,
                    settings[k].name, status, ref_status);
        else if (settings[k].same_results && !rel_call_same_outputs(&c, &ref))
            tc_fail(&st->fails, "%s %s (seed %#llx, ISA %s) under %s: results differ from the default "
                    "environment for normal inputs", label, params, (unsigned long long)seed,
                    actfn_isa_name(actfn_get_isa()), settings[k].name);
        rel_call_free(&c);
    }

    /* A rejected call (output NULL) leaves the environment alone too. */
    if (ref.out.n > 0) {
        ref.args.out = NULL;
        for (size_t k = 0; k < N_SETTINGS; k++) {
            const int status = run_under(st, base, &settings[k], &ref, "(bad input)");
            if (status != ACTFN_ERR_NULL)
                tc_fail(&st->fails, "%s with a NULL output: status %d, want ACTFN_ERR_NULL", label, status);
        }
    }
    rel_call_free(&ref);
}

static void control_register_untouched(void **state)
{
    (void)state;
    fpenv_state st = {.fails = {0}};
    const fp_ctl base = ctl_read();
    actfn_isa isas[TC_MAX_ISAS];
    const size_t n_isas = tc_isas(isas);
    const size_t seeds = tc_scaled(3);
    tc_rng rng;
    tc_rng_init(&rng, 0xfe1, 3);
    const uint64_t seed_base = tc_rng_u64(&rng);

    for (size_t k = 0; k < n_isas; k++) {
        tc_use_isa(isas[k]);
        for (size_t o = 0; o < tc_op_count; o++)
            for (int dt = 0; dt < TC_DTYPE_COUNT; dt++)
                for (int backward = 0; backward < 2; backward++)
                    for (int set = 0; set < tc_ops[o].nsets; set++)
                        for (size_t s = 0; s < seeds; s++)
                            check_one(&st, base, &tc_ops[o], (tc_dtype)dt, backward, set,
                                      seed_base ^ (o << 8 | (size_t)dt << 4 | (size_t)backward << 2) ^
                                          ((uint64_t)set << 32) ^ ((uint64_t)s << 48));
    }
    tc_use_isa(rel_expected_best());
    assert_true(ctl_same(ctl_read(), base));
    print_message("%lu calls on %zu ISAs, %lu failures\n", st.calls, n_isas, st.fails.count);
    tc_fails_summary(&st.fails, "FP environment checks");
    assert_int_equal(st.fails.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_register_untouched),
    };
    return cmocka_run_group_tests_name("fpenv", tests, NULL, NULL);
}

#else /* no known FP control register on this architecture */

int main(void)
{
    printf("no FP control register check for this architecture\n");
    return 77; /* meson: skipped */
}

#endif
