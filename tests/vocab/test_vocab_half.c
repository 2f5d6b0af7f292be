/*
 * test_vocab_half.c — the 16-bit storage operations of every vocabulary
 * (vload_bf16 / vstore_bf16 / vload_f16 / vstore_f16 and their _part forms,
 * src/kernels/VOCABULARY.md) against src/half.h, bit for bit, NaNs included:
 *
 *  - widening: all 65536 patterns of each format;
 *  - narrowing: every rounding boundary of each format — for every 16-bit
 *    value h, its float and the floats next to it, and the five floats
 *    around the midpoint between h and the next value up in magnitude (the
 *    overflow threshold above the largest finite value) — then ±0, ±inf,
 *    NaNs (quiet and signalling, both signs, payloads of every shape), a
 *    sweep of float subnormals, and a random sample of all 2^32 patterns
 *    (ACTFN_TEST_SCALE scales it); ACTFN_VOCAB_HALF_EXHAUSTIVE=1 adds every
 *    one of the 2^32 floats, opt-in: 45 s of CPU natively on Zen 4 for the
 *    four x86 units under three settings, against 0.2 s for the rest;
 *  - tails: every n in 0..VW, with the halves placed right before and right
 *    after a PROT_NONE page, so any access outside [p, p+n) faults, and the
 *    rest of the page checked untouched after a store; lanes >= n of a
 *    partial load must be +0.
 *
 * Every check runs under each setting of the FP control register a caller
 * may use: on x86 the default, FTZ|DAZ and FTZ|DAZ with round-toward-zero
 * (every x86 conversion ignores MXCSR); on AArch64 the default and FZ|FZ16
 * (FCVTN follows FPCR.RMode, so round-toward-zero is not one of them). The
 * register is restored after each call.
 *
 * Units: the scalar vocabulary, each SIMD vocabulary of the build the CPU
 * can run, and the AVX-512 / NEON vocabulary with ACTFN_BF16_NATIVE
 * (vcvtneps2bf16 / BFCVTN) when the build has the library's AVX512_BF16 /
 * FEAT_BF16 units and the CPU has the extension.
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "half.h"
#include "test_common.h"
#include "vocab_half.h"

VOCAB_HALF_DECLARE(scalar)
VOCAB_HALF_DECLARE(avx2)
VOCAB_HALF_DECLARE(avx512)
VOCAB_HALF_DECLARE(avx512bf16)
VOCAB_HALF_DECLARE(neon)
VOCAB_HALF_DECLARE(neonbf16)

typedef struct {
    const char *name;
    actfn_isa isa;
    int bf16_native; /* needs AVX512_BF16 / FEAT_BF16 besides the ISA */
    size_t (*full)(int, const void *, void *, size_t);
    void (*part)(int, const void *, void *, size_t);
} unit;

static const unit units[] = {
    {"scalar", ACTFN_ISA_SCALAR, 0, vocab_half_scalar, vocab_half_part_scalar},
#ifdef ACTFN_HAVE_AVX2
    {"avx2", ACTFN_ISA_AVX2, 0, vocab_half_avx2, vocab_half_part_avx2},
#endif
#ifdef ACTFN_HAVE_AVX512
    {"avx512", ACTFN_ISA_AVX512, 0, vocab_half_avx512, vocab_half_part_avx512},
#endif
#ifdef VOCAB_HAVE_AVX512BF16
    {"avx512+bf16", ACTFN_ISA_AVX512, 1, vocab_half_avx512bf16, vocab_half_part_avx512bf16},
#endif
#ifdef ACTFN_HAVE_NEON
    {"neon", ACTFN_ISA_NEON, 0, vocab_half_neon, vocab_half_part_neon},
#endif
#ifdef VOCAB_HAVE_NEONBF16
    {"neon+bf16", ACTFN_ISA_NEON, 1, vocab_half_neonbf16, vocab_half_part_neonbf16},
#endif
};
#define N_UNITS (sizeof units / sizeof units[0])

static const char *const op_names[VH_OP_COUNT] = {"vload_bf16", "vload_f16", "vstore_bf16", "vstore_f16"};

static int unit_runs(const unit *u)
{
    if (!actfn_isa_supported(u->isa))
        return 0;
    return !u->bf16_native || tc_cpu_has_native_bf16(u->isa);
}

/* The units this run checks, printed once. */
static size_t runnable(const unit *list[N_UNITS])
{
    static int printed;
    size_t k = 0;
    for (size_t i = 0; i < N_UNITS; i++) {
        if (unit_runs(&units[i]))
            list[k++] = &units[i];
        else if (!printed)
            printf("  %s: not run (the CPU lacks it)\n", units[i].name);
    }
    if (!printed) {
        printf("  units:");
        for (size_t i = 0; i < k; i++)
            printf(" %s", list[i]->name);
        printf("\n");
    }
    printed = 1;
    return k;
}

/* ---- The FP control register -------------------------------------------- */

typedef struct {
    const char *name;
    unsigned long bits; /* set on top of the caller's register */
} fp_env;

#if defined(__x86_64__) || defined(__i386__)
static const fp_env envs[] = {{"default", 0}, {"FTZ|DAZ", 0x8040}, {"FTZ|DAZ|RZ", 0xe040}};
/* MXCSR without its sticky exception flags (bits 0-5), which conversions set */
static unsigned long env_read(void)
{
    unsigned m;
    __asm__ volatile("stmxcsr %0" : "=m"(m) : : "memory");
    return m & ~0x3fu;
}
static void env_write(unsigned long v)
{
    unsigned m = (unsigned)v;
    __asm__ volatile("ldmxcsr %0" : : "m"(m) : "memory");
}
#elif defined(__aarch64__)
static const fp_env envs[] = {{"default", 0}, {"FZ|FZ16", (1ul << 24) | (1ul << 19)}};
static unsigned long env_read(void)
{
    unsigned long v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v) : : "memory");
    return v;
}
static void env_write(unsigned long v) { __asm__ volatile("msr fpcr, %0" : : "r"(v) : "memory"); }
#else
static const fp_env envs[] = {{"default", 0}};
static unsigned long env_read(void) { return 0; }
static void env_write(unsigned long v) { (void)v; }
#endif
#define N_ENVS (sizeof envs / sizeof envs[0])

/* u->full under envs[e]; the register is restored, and must not have been
 * changed by the unit. */
static void run_full(const unit *u, size_t e, int op, const void *in, void *out, size_t n)
{
    const unsigned long base = env_read();
    env_write(base | envs[e].bits);
    u->full(op, in, out, n);
    const unsigned long after = env_read();
    env_write(base);
    assert_true(after == (base | envs[e].bits));
}

/* ---- References ---------------------------------------------------------- */

static uint32_t widen_ref(int op, uint16_t h)
{
    return half_f32_bits(op == VH_WIDEN_BF16 ? half_bf16_to_f32(h) : half_f16_to_f32(h));
}

static uint16_t narrow_ref(int op, uint32_t u)
{
    const float f = half_f32_from_bits(u);
    return op == VH_NARROW_BF16 ? half_f32_to_bf16(f) : half_f32_to_f16(f);
}

/* ---- Widening: every pattern --------------------------------------------- */

static void test_widen_all(void **state)
{
    (void)state;
    const unit *list[N_UNITS];
    const size_t nu = runnable(list);
    static uint16_t in[65536];
    static uint32_t out[65536], ref[65536];
    tc_fails fails = {0, 0, 20};
    for (int op = VH_WIDEN_BF16; op <= VH_WIDEN_F16; op++) {
        for (uint32_t h = 0; h < 65536; h++)
            in[h] = (uint16_t)h, ref[h] = widen_ref(op, (uint16_t)h);
        for (size_t k = 0; k < nu; k++)
            for (size_t e = 0; e < N_ENVS; e++) {
                memset(out, 0x5a, sizeof out);
                run_full(list[k], e, op, in, out, 65536);
                for (uint32_t h = 0; h < 65536; h++)
                    if (out[h] != ref[h])
                        tc_fail(&fails, "%s [%s, %s]: 0x%04x -> 0x%08x, half.h 0x%08x", op_names[op], list[k]->name,
                                envs[e].name, (unsigned)h, (unsigned)out[h], (unsigned)ref[h]);
            }
    }
    printf("  widened all 65536 bf16 and f16 patterns: %zu units x %zu FP settings\n", nu, (size_t)N_ENVS);
    TC_ASSERT_NO_FAILS(&fails, "widening");
}

/* ---- Narrowing ------------------------------------------------------------ */

typedef struct {
    uint32_t *v;
    size_t n, cap;
} u32_list;

static void add(u32_list *l, uint32_t u)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1u << 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    l->v[l->n++] = u;
}

/* The float patterns around h's value and around the midpoint above it, for
 * bf16 (f16 = 0) or f16 (f16 = 1). */
static void add_boundaries(u32_list *l, uint16_t h, int f16)
{
    const uint16_t mag = h & 0x7fff, sign = h & 0x8000;
    const uint16_t inf = f16 ? 0x7c00 : 0x7f80;
    if (mag > inf) /* NaN: elsewhere */
        return;
    const uint32_t w = half_f32_bits(f16 ? half_f16_to_f32(h) : half_bf16_to_f32(h));
    /* w and its neighbours, staying on w's side of zero */
    if (w & 0x7fffffffu)
        add(l, w - 1);
    add(l, w);
    add(l, w + 1); /* above +inf / -inf: a signalling NaN, fine */
    if (mag == inf)
        return;
    /* The midpoint between h and the next value up in magnitude (for the
     * largest finite value, the next value the exponent range would have:
     * the overflow threshold). bf16: w + half a bf16 ulp, always. f16
     * normal: w + half an f16 ulp (2^12 float ulps); f16 subnormal or zero:
     * (frac + 1/2)·2^-24, exact in float. */
    uint32_t mid;
    if (!f16)
        mid = w + 0x8000u;
    else if (mag >= 0x0400)
        mid = w + 0x1000u;
    else {
        const float m = ((float)mag + 0.5f) * 0x1p-24f;
        mid = half_f32_bits(m) | (uint32_t)sign << 16;
    }
    for (int d = -2; d <= 2; d++)
        add(l, mid + (uint32_t)d);
}

/* Every input of the structured narrowing check, in a multiple of 16. */
static u32_list boundary_inputs(void)
{
    u32_list l = {0};
    for (uint32_t h = 0; h < 65536; h++) {
        add_boundaries(&l, (uint16_t)h, 0);
        add_boundaries(&l, (uint16_t)h, 1);
    }
    for (uint32_t s = 0; s < 2; s++) {
        const uint32_t sb = s << 31;
        /* ±0, ±inf, the extremes */
        add(&l, sb), add(&l, sb | 0x7f800000u), add(&l, sb | 0x7f7fffffu), add(&l, sb | 0x00800000u);
        /* NaNs: each payload bit alone, the low k bits, the high k bits
         * (0x400000 alone is the quiet NaN), with and without the quiet bit */
        for (int b = 0; b < 23; b++) {
            const uint32_t low = (2u << b) - 1, high = 0x7fffffu & ~((1u << b) - 1);
            const uint32_t pay[] = {1u << b, low, high, low & 0x3fffffu, high & 0x3fffffu};
            for (size_t i = 0; i < sizeof pay / sizeof pay[0]; i++) {
                if (pay[i])
                    add(&l, sb | 0x7f800000u | pay[i]);
                add(&l, sb | 0x7fc00000u | pay[i]);
            }
        }
        /* float subnormals: a sweep, and the ones next to bf16 ties */
        for (uint32_t m = 1; m < 0x800000u; m += 97)
            add(&l, sb | m);
        for (uint32_t m = 0x7f00u; m < 0x800000u; m += 0x10000u)
            for (uint32_t d = 0; d < 0x200u; d += 0x7f)
                add(&l, sb | (m + d));
        /* every exponent with a few mantissas (f16 overflow and underflow) */
        for (uint32_t e = 0; e < 256; e++) {
            const uint32_t mant[] = {0, 1, 0x1000, 0xfff, 0x1fff, 0x7fff, 0x8000, 0x8001, 0x7fffff, 0x7fe000, 0x7ff000};
            for (size_t i = 0; i < sizeof mant / sizeof mant[0]; i++)
                add(&l, sb | e << 23 | mant[i]);
        }
    }
    while (l.n % 16)
        add(&l, 0);
    return l;
}

static void check_narrow(const unit *const *list, size_t nu, const uint32_t *in, size_t n, tc_fails *fails,
                         const char *what)
{
    uint16_t *ref = malloc(n * sizeof *ref), *out = malloc(n * sizeof *out);
    assert_non_null(ref), assert_non_null(out);
    for (int op = VH_NARROW_BF16; op <= VH_NARROW_F16; op++) {
        for (size_t i = 0; i < n; i++)
            ref[i] = narrow_ref(op, in[i]);
        for (size_t k = 0; k < nu; k++)
            for (size_t e = 0; e < N_ENVS; e++) {
                memset(out, 0x5a, n * sizeof *out);
                run_full(list[k], e, op, in, out, n);
                for (size_t i = 0; i < n; i++)
                    if (out[i] != ref[i])
                        tc_fail(fails, "%s [%s, %s] (%s): 0x%08x (%a) -> 0x%04x, half.h 0x%04x", op_names[op],
                                list[k]->name, envs[e].name, what, (unsigned)in[i],
                                (double)half_f32_from_bits(in[i]), (unsigned)out[i], (unsigned)ref[i]);
            }
    }
    free(ref), free(out);
}

static void test_narrow_boundaries(void **state)
{
    (void)state;
    const unit *list[N_UNITS];
    const size_t nu = runnable(list);
    tc_fails fails = {0, 0, 20};
    u32_list l = boundary_inputs();
    check_narrow(list, nu, l.v, l.n, &fails, "boundary");
    printf("  narrowed %zu boundary floats to bf16 and f16: %zu units x %zu FP settings\n", l.n, nu, (size_t)N_ENVS);
    free(l.v);
    TC_ASSERT_NO_FAILS(&fails, "narrowing at the boundaries");
}

static void test_narrow_random(void **state)
{
    (void)state;
    const unit *list[N_UNITS];
    const size_t nu = runnable(list);
    tc_fails fails = {0, 0, 20};
    tc_rng r;
    tc_rng_init(&r, 0x16b17ull, 16);
    const size_t n = (tc_scaled(1u << 20) + 15) / 16 * 16;
    uint32_t *in = malloc(n * sizeof *in);
    assert_non_null(in);
    for (size_t i = 0; i < n; i++)
        in[i] = (uint32_t)(tc_rng_u64(&r) >> 32);
    check_narrow(list, nu, in, n, &fails, "random");
    printf("  narrowed %zu random floats (seed %#llx): %zu units x %zu FP settings\n", n,
           (unsigned long long)tc_rng_seed_used(), nu, (size_t)N_ENVS);
    free(in);
    TC_ASSERT_NO_FAILS(&fails, "narrowing of random floats");
}

/* Every float, in blocks: opt-in (ACTFN_VOCAB_HALF_EXHAUSTIVE=1). */
static void test_narrow_exhaustive(void **state)
{
    (void)state;
    const char *opt = getenv("ACTFN_VOCAB_HALF_EXHAUSTIVE");
    if (!opt || strcmp(opt, "1") != 0) {
        printf("  every float: set ACTFN_VOCAB_HALF_EXHAUSTIVE=1 to run\n");
        skip();
    }
    const unit *list[N_UNITS];
    const size_t nu = runnable(list);
    tc_fails fails = {0, 0, 20};
    enum { BLOCK = 1 << 16 };
    static uint32_t in[BLOCK];
    static uint16_t ref[BLOCK], out[BLOCK];
    const time_t t0 = time(NULL);
    for (uint64_t base = 0; base < (1ull << 32); base += BLOCK) {
        for (uint32_t i = 0; i < BLOCK; i++)
            in[i] = (uint32_t)(base + i);
        for (int op = VH_NARROW_BF16; op <= VH_NARROW_F16; op++) {
            for (uint32_t i = 0; i < BLOCK; i++)
                ref[i] = narrow_ref(op, in[i]);
            for (size_t k = 0; k < nu; k++)
                for (size_t e = 0; e < N_ENVS; e++) {
                    run_full(list[k], e, op, in, out, BLOCK);
                    if (memcmp(out, ref, sizeof out) != 0)
                        for (uint32_t i = 0; i < BLOCK; i++)
                            if (out[i] != ref[i])
                                tc_fail(&fails, "%s [%s, %s] (every float): 0x%08x -> 0x%04x, half.h 0x%04x",
                                        op_names[op], list[k]->name, envs[e].name, (unsigned)in[i],
                                        (unsigned)out[i], (unsigned)ref[i]);
                }
        }
    }
    printf("  narrowed all 2^32 floats to bf16 and f16: %zu units x %zu FP settings, %lds\n", nu, (size_t)N_ENVS,
           (long)(time(NULL) - t0));
    TC_ASSERT_NO_FAILS(&fails, "narrowing of every float");
}

/* ---- Tails ------------------------------------------------------------------ */

/* [PROT_NONE page][one writable page][PROT_NONE page] */
static unsigned char *region_base, *region_lo, *region_hi;
static size_t page;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t in_call;

static void on_fault(int sig)
{
    if (in_call)
        siglongjmp(fault_jmp, 1);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Installed inside the test: cmocka sets its own SIGSEGV handler around
 * each test function. */
static void region_setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    region_base = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(region_base != MAP_FAILED);
    region_lo = region_base + page;
    region_hi = region_base + 2 * page;
    assert_int_equal(mprotect(region_base, page, PROT_NONE), 0);
    assert_int_equal(mprotect(region_hi, page, PROT_NONE), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGSEGV, &sa, NULL), 0);
    assert_int_equal(sigaction(SIGBUS, &sa, NULL), 0);
}

static void region_teardown(void)
{
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    munmap(region_base, 3 * page);
}

/* One partial call under envs[e]; 0, or 1 if it touched a guard page. */
static int run_part(const unit *u, size_t e, int op, const void *in, void *out, size_t n)
{
    const unsigned long base = env_read();
    env_write(base | envs[e].bits);
    in_call = 1;
    if (sigsetjmp(fault_jmp, 1)) {
        in_call = 0;
        env_write(base);
        return 1;
    }
    u->part(op, in, out, n);
    in_call = 0;
    env_write(base);
    return 0;
}

/* Tail inputs: ordinary values, ties, subnormals and NaNs of every kind. */
static const uint16_t tail_halves[16] = {0x3f80, 0x7c01, 0xbe00, 0x0001, 0x7fa0, 0x8400, 0x03ff, 0xffc1,
                                         0x7c00, 0x3c01, 0xfd55, 0x0200, 0x4049, 0x7e00, 0x8001, 0x7bff};
static const uint32_t tail_floats[16] = {0x3f808000, 0x3f818000, 0x7f800001, 0x807fffff, 0x477ff000, 0x477fefff,
                                         0x33000000, 0x33000001, 0xffbfffff, 0x00018000, 0x387fe000, 0xc2f6e979,
                                         0x7f7fffff, 0x80000000, 0x3dcccccd, 0x7fc12345};

static void test_tails(void **state)
{
    (void)state;
    const unit *list[N_UNITS];
    const size_t nu = runnable(list);
    tc_fails fails = {0, 0, 20};
    size_t calls = 0;
    region_setup();
    for (size_t k = 0; k < nu; k++) {
        const unit *u = list[k];
        const size_t vw = u->full(VH_WIDEN_BF16, NULL, NULL, 0);
        assert_true(vw >= 1 && vw <= 16);
        for (int op = 0; op < VH_OP_COUNT; op++)
            for (size_t e = 0; e < N_ENVS; e++)
                for (size_t n = 0; n <= vw; n++)
                    for (int at_end = 0; at_end < 2; at_end++) {
                        /* the n halves end at the trailing guard page, or start
                         * right after the leading one */
                        uint16_t *p = at_end ? (uint16_t *)region_hi - n : (uint16_t *)region_lo;
                        const int widen = op == VH_WIDEN_BF16 || op == VH_WIDEN_F16;
                        char where[96];
                        snprintf(where, sizeof where, "%s_part [%s, %s] n=%zu, %s a guard page", op_names[op],
                                 u->name, envs[e].name, n, at_end ? "ending at" : "starting after");
                        memset(region_lo, 0xa5, page);
                        calls++;
                        if (widen) {
                            uint32_t out[16];
                            memset(out, 0x5a, sizeof out);
                            memcpy(p, tail_halves, n * sizeof *p);
                            if (run_part(u, e, op, p, out, n)) {
                                tc_fail(&fails, "%s: touched the guard page", where);
                                continue;
                            }
                            for (size_t i = 0; i < vw; i++) {
                                const uint32_t want = i < n ? widen_ref(op, tail_halves[i]) : 0;
                                if (out[i] != want)
                                    tc_fail(&fails, "%s: lane %zu is 0x%08x, want 0x%08x", where, i, (unsigned)out[i],
                                            (unsigned)want);
                            }
                        } else {
                            if (run_part(u, e, op, tail_floats, p, n)) {
                                tc_fail(&fails, "%s: touched the guard page", where);
                                continue;
                            }
                            for (size_t i = 0; i < n; i++) {
                                const uint16_t want = narrow_ref(op, tail_floats[i]);
                                if (p[i] != want)
                                    tc_fail(&fails, "%s: element %zu is 0x%04x, want 0x%04x", where, i,
                                            (unsigned)p[i], (unsigned)want);
                            }
                            /* nothing else on the page written */
                            for (unsigned char *b = region_lo; b < region_hi; b++)
                                if ((b < (unsigned char *)p || b >= (unsigned char *)(p + n)) && *b != 0xa5) {
                                    tc_fail(&fails, "%s: wrote byte %td of the page, outside [p, p+n)", where,
                                            b - region_lo);
                                    break;
                                }
                        }
                    }
    }
    region_teardown();
    printf("  %zu partial loads and stores, n = 0..VW, at both guard pages\n", calls);
    TC_ASSERT_NO_FAILS(&fails, "tails");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widen_all),
        cmocka_unit_test(test_narrow_boundaries),
        cmocka_unit_test(test_narrow_random),
        cmocka_unit_test(test_tails),
        cmocka_unit_test(test_narrow_exhaustive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
