/*
 * test_pool.c — threads (SPEC §10): the thread-count API, the pool, and
 * results bit-identical for every thread count.
 *
 * Linked with the library's internal static build (src/internal.h), so it
 * can lower the amount of work a split call needs
 * (actfn_internal_set_split_min) — then calls of a few hundred elements are
 * split too, and every op, pass, dtype, ISA and mode can be checked at every
 * thread count in seconds — count the split calls
 * (actfn_internal_pool_jobs), so a test cannot pass because nothing was
 * split, and drive actfn_pool_run itself.
 *
 *  1. count_api: the default, ACTFN_ERR_PARAM for n < 1, counts kept.
 *  2. every_thread_runs_tasks / tasks_run_once: the workers really run
 *     tasks at once, each task exactly once, in the caller's FP environment.
 *  3. same_bits_for_every_count: every op × pass × dtype × ISA × mode, at
 *     shapes that cut every way (elements, rows, channels, outer rows),
 *     gives the bits of one thread on 2..8 threads (more than the cores).
 *  4. measured_thresholds: at the shipped thresholds, no call of 64K
 *     elements or fewer touches the pool, and a 4M one of each class splits
 *     with the same result.
 *  5. calls_while_count_changes: user threads calling at once while another
 *     keeps changing the thread count.
 *  6. fork_then_call: a child forked after the pool started can split calls.
 *  7. idle_after_call: workers go to sleep after a call (no CPU used).
 *  8. bf16_flavours_agree: on AVX-512 with AVX512_BF16 or NEON with
 *     FEAT_BF16, the native bf16
 *     conversion and the integer rounding (actfn_internal_set_bf16_native)
 *     give the same bits for every op × pass × mode, NaNs, subnormals and
 *     overflow included, and for every bf16 pattern through a few ops
 *     whose results need rounding. (3. also runs every bf16 case under
 *     both.)
 *
 * Also built with ThreadSanitizer (scripts/stages/12-tsan.sh). Tests named
 * by ACTFN_TEST_SKIP (a cmocka pattern) are not run (it prints which): the
 * stages under qemu-user name fork_then_call (scripts/lib.sh says why).
 * ACTFN_NUM_THREADS at start-up is tested in test_dispatch.c (a fresh
 * process per value).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <fenv.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "rel_calls.h"
#include "rel_isa.h"
#include "test_common.h"

/* Work per task while a test forces small calls to split. */
#define SMALL_SPLIT 8
#define MAX_COUNT 8

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- 1. The thread count ------------------------------------------------- */

static void count_api(void **state)
{
    (void)state;
    int want = rel_affinity_cpus();
    const char *env = getenv("ACTFN_NUM_THREADS");
    if (env && *env)
        want = atoi(env); /* the runner set it: test_dispatch checks parsing */
    assert_int_equal(actfn_get_num_threads(), want);

    static const int bad[] = {0, -1, -8, INT_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(actfn_set_num_threads(bad[i]), ACTFN_ERR_PARAM);
        assert_int_equal(actfn_get_num_threads(), want);
    }
    for (int n = 1; n <= MAX_COUNT; n++) {
        assert_int_equal(actfn_set_num_threads(n), ACTFN_OK);
        assert_int_equal(actfn_get_num_threads(), n);
    }
    /* Any count >= 1 is kept; at most ACTFN_POOL_MAX_THREADS work on a call. */
    assert_int_equal(actfn_set_num_threads(INT_MAX), ACTFN_OK);
    assert_int_equal(actfn_get_num_threads(), INT_MAX);
    assert_int_equal((int)actfn_pool_threads(), ACTFN_POOL_MAX_THREADS);
    assert_int_equal(actfn_set_num_threads(want), ACTFN_OK);
}

/* ---- 2. The pool itself -------------------------------------------------- */

/* Each task waits until `want` tasks have started, so they can only all
 * finish if `want` threads run them at once. */
struct meet {
    atomic_int entered;
    int want;
    pthread_t who[MAX_COUNT];
    int rounding[MAX_COUNT];
    int timed_out;
};

static void meet_task(void *ctx, size_t t)
{
    struct meet *m = ctx;
    m->who[t] = pthread_self();
    m->rounding[t] = fegetround();
    atomic_fetch_add(&m->entered, 1);
    const double give_up = seconds(CLOCK_MONOTONIC) + 60;
    while (atomic_load(&m->entered) < m->want) {
        if (seconds(CLOCK_MONOTONIC) > give_up) {
            m->timed_out = 1; /* read after the pool returns */
            return;
        }
        sched_yield();
    }
}

static void meet_on(int threads, int rounding)
{
    assert_int_equal(actfn_set_num_threads(threads), ACTFN_OK);
    struct meet m = {.want = threads};
    assert_int_equal(fesetround(rounding), 0);
    actfn_pool_run((size_t)threads, meet_task, &m);
    const int after = fegetround();
    assert_int_equal(fesetround(FE_TONEAREST), 0);
    assert_int_equal(after, rounding); /* the caller's environment is its own */
    assert_false(m.timed_out);
    assert_int_equal(atomic_load(&m.entered), threads);
    for (int i = 0; i < threads; i++) {
        assert_int_equal(m.rounding[i], rounding); /* workers take the caller's */
        for (int j = 0; j < i; j++)
            assert_false(pthread_equal(m.who[i], m.who[j]));
    }
}

static void every_thread_runs_tasks(void **state)
{
    (void)state;
    /* Workers start with the rounding of the call that starts them (a new
     * thread inherits it), so each count is run under several: the calls
     * after the first must be followed by workers already asleep. */
    for (int threads = 2; threads <= MAX_COUNT; threads++) {
        meet_on(threads, FE_TONEAREST);
        meet_on(threads, FE_UPWARD);
        meet_on(threads, FE_TOWARDZERO);
        meet_on(threads, FE_TONEAREST);
    }
    /* Back to fewer threads: the pool shrinks. */
    meet_on(3, FE_DOWNWARD);
    meet_on(2, FE_TONEAREST);
    assert_int_equal(actfn_set_num_threads(1), ACTFN_OK);
    struct meet one = {.want = 1};
    actfn_pool_run(1, meet_task, &one);
    assert_true(pthread_equal(one.who[0], pthread_self()));
}

#define MANY_TASKS 1000

static void count_task(void *ctx, size_t t) { atomic_fetch_add(&((atomic_int *)ctx)[t], 1); }

static void tasks_run_once(void **state)
{
    (void)state;
    static atomic_int runs[MANY_TASKS];
    for (int threads = 1; threads <= 4; threads++) {
        assert_int_equal(actfn_set_num_threads(threads), ACTFN_OK);
        for (int round = 0; round < 50; round++) {
            for (size_t t = 0; t < MANY_TASKS; t++)
                atomic_store(&runs[t], 0);
            const size_t n = 2 + (size_t)round * 19 % (MANY_TASKS - 1);
            actfn_pool_run(n, count_task, runs);
            for (size_t t = 0; t < MANY_TASKS; t++)
                assert_int_equal(atomic_load(&runs[t]), t < n ? 1 : 0);
        }
    }
}

/* ---- 3. Bit-identical for every thread count ----------------------------- */

/* The shapes an op is checked at: tc_shapes' (cut by elements, rows,
 * channels, outer rows, or not at all where a split would change a sum),
 * and for prelu a batch with few channels, which is cut by outer rows. */
static size_t shapes_of(const tc_op *op, size_t dims[][3])
{
    static const size_t sizes[] = {1, 45, 333};
    size_t k = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        k += tc_shapes(op, sizes[i], dims + k);
    if (tc_per_channel(op)) {
        dims[k][0] = 7, dims[k][1] = 3, dims[k][2] = 40, k++;
    }
    return k;
}

/* One call of the check: op × pass × dtype × shape, with or without dalpha
 * (prelu's and bias_<op>'s reduction is optional: without it the call can
 * be cut by rows), its bits on one thread, and the split calls it made. */
struct same_bits_case {
    const tc_op *op;
    tc_dtype dt;
    int bwd, with_dalpha;
    size_t dim[3];
    uint64_t seed, want;
    size_t jobs;
};

static uint64_t same_bits_run(struct same_bits_case *k, int threads)
{
    rel_call c;
    rel_call_make_shaped(&c, k->op, k->dt, k->bwd, -1, k->seed, k->dim);
    if (!k->with_dalpha)
        c.args.dalpha = NULL;
    const size_t before = actfn_internal_pool_jobs();
    assert_int_equal(rel_call_run(&c), ACTFN_OK);
    if (threads > 1)
        k->jobs += actfn_internal_pool_jobs() - before;
    const uint64_t h = rel_call_hash(&c, k->with_dalpha);
    rel_call_free(&c);
    return h;
}

/* Every case of one ISA and mode, for every op × pass × dtype (only_dt >=
 * 0: for that dtype only). */
static size_t same_bits_cases(struct same_bits_case **out, int only_dt)
{
    size_t n = 0, cap = 0;
    struct same_bits_case *v = NULL;
    for (size_t o = 0; o < tc_op_count; o++)
        for (int dt = 0; dt < TC_DTYPE_COUNT; dt++)
            for (int bwd = 0; bwd < 2; bwd++) {
                if (only_dt >= 0 && dt != only_dt)
                    continue;
                const tc_op *op = &tc_ops[o];
                size_t dims[4 * TC_MAX_SHAPES][3];
                const size_t nshapes = shapes_of(op, dims);
                const uint64_t seed = 0x5e11 + 1000 * (o * 2 * TC_DTYPE_COUNT + (size_t)dt * 2 + (size_t)bwd);
                for (int with = 1; with >= (bwd && tc_dalpha_optional(op) ? 0 : 1); with--)
                    for (size_t s = 0; s < nshapes; s++) {
                        if (n == cap) {
                            cap = cap ? 2 * cap : 256;
                            v = realloc(v, cap * sizeof *v);
                            assert_non_null(v);
                        }
                        v[n++] = (struct same_bits_case){op, (tc_dtype)dt, bwd, with,
                                                         {dims[s][0], dims[s][1], dims[s][2]}, seed + s, 0, 0};
                    }
            }
    *out = v;
    return n;
}

/*
 * The thread count is the outer loop: each case's bits on one thread
 * first, then every case on 2, 3, ... MAX_COUNT threads, so the pool is
 * rebuilt once per count rather than once per call (under qemu-user every
 * thread a guest starts keeps host memory: per-call rebuilds took it past
 * 20 GB).
 */
static size_t same_bits_all(const char *where, size_t *checked, int only_dt)
{
    struct same_bits_case *cases;
    const size_t n = same_bits_cases(&cases, only_dt);
    size_t bad = 0;
    assert_int_equal(actfn_set_num_threads(1), ACTFN_OK);
    for (size_t i = 0; i < n; i++)
        cases[i].want = same_bits_run(&cases[i], 1);
    for (int threads = 2; threads <= MAX_COUNT; threads++) {
        assert_int_equal(actfn_set_num_threads(threads), ACTFN_OK);
        for (size_t i = 0; i < n; i++) {
            if (same_bits_run(&cases[i], threads) == cases[i].want)
                continue;
            char label[64];
            tc_label(cases[i].op, cases[i].bwd, cases[i].dt, label, sizeof label);
            print_error("%s %s%s dims %zu,%zu,%zu: %d threads differ from 1\n", where, label,
                        cases[i].with_dalpha ? "" : " (no dalpha)", cases[i].dim[0], cases[i].dim[1],
                        cases[i].dim[2], threads);
            bad++;
        }
    }
    /* Every op × pass × dtype is split at some shape (a test that never
     * splits would prove nothing). */
    for (size_t i = 0; i < n;) {
        size_t j = i, jobs = 0;
        for (; j < n && cases[j].op == cases[i].op && cases[j].dt == cases[i].dt && cases[j].bwd == cases[i].bwd; j++)
            jobs += cases[j].jobs;
        (*checked)++;
        if (jobs == 0) {
            char label[64];
            print_error("%s %s: never split\n", where, tc_label(cases[i].op, cases[i].bwd, cases[i].dt, label, sizeof label));
            bad++;
        }
        i = j;
    }
    free(cases);
    return bad;
}

static void same_bits_for_every_count(void **state)
{
    (void)state;
    actfn_isa isas[TC_MAX_ISAS];
    const size_t n_isas = tc_isas(isas);
    static const actfn_mode modes[] = {ACTFN_MODE_FAST, ACTFN_MODE_REPRODUCIBLE};
    size_t bad = 0, checked = 0;
    actfn_internal_set_split_min(SMALL_SPLIT);
    for (size_t m = 0; m < 2; m++) {
        if (!tc_use_mode(modes[m]))
            continue;
        for (size_t i = 0; i < n_isas; i++) {
            tc_use_isa(isas[i]);
            char where[64];
            snprintf(where, sizeof where, "%s/%s", actfn_isa_name(isas[i]), m ? "reproducible" : "fast");
            bad += same_bits_all(where, &checked, -1);
            /* bf16 on an ISA with a native conversion: the integer flavour too */
            if (tc_cpu_has_native_bf16(isas[i])) {
                assert_int_equal(actfn_internal_bf16_native_isa(isas[i]), 1);
                actfn_internal_set_bf16_native(0);
                assert_int_equal(actfn_internal_bf16_native(), 0);
                snprintf(where, sizeof where, "%s/%s/bf16-integer", actfn_isa_name(isas[i]),
                         m ? "reproducible" : "fast");
                bad += same_bits_all(where, &checked, TC_BF16);
                actfn_internal_set_bf16_native(1);
                assert_int_equal(actfn_internal_bf16_native(), 1);
            }
        }
    }
    actfn_internal_set_split_min(0);
    assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
    tc_use_isa(rel_expected_best());
    print_message("%zu op × pass × dtype × ISA × mode combinations on 1..%d threads\n", checked, MAX_COUNT);
    assert_int_equal(bad, 0);
}

/* ---- 4. The shipped thresholds ------------------------------------------- */

static void measured_thresholds(void **state)
{
    (void)state;
    /* One op of each cost class of oplist.h, and the ops cut by rows. */
    static const char *const names[] = {"relu",  "hardswish", "sigmoid",   "gelu", "prelu",
                                        "softmax", "maxout", "bias_gelu", "swiglu"};
    assert_int_equal(actfn_set_num_threads(2), ACTFN_OK);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const tc_op *op = tc_op_find(names[i]);
        assert_non_null(op);
        /* 64K elements: never split (small calls pay nothing). 4M: split. */
        static const size_t sizes[] = {1024, 65536, (size_t)1 << 22};
        for (size_t k = 0; k < 3; k++) {
            const size_t n = sizes[k];
            size_t dim[3] = {n, 1, 1};
            if (tc_per_channel(op))
                dim[0] = n / 1024, dim[1] = 16, dim[2] = 64;
            else if (op->kind == TC_KIND_SOFTMAX)
                dim[0] = n / 1024, dim[1] = 1024;
            else if (op->kind == TC_KIND_MAXOUT)
                dim[0] = n / 256, dim[1] = 4, dim[2] = 64; /* x holds outer·k·inner = n */
            rel_call one, two;
            rel_call_make_shaped(&one, op, TC_F32, 0, 0, 77 + k, dim);
            rel_call_make_shaped(&two, op, TC_F32, 0, 0, 77 + k, dim);
            assert_int_equal(actfn_set_num_threads(1), ACTFN_OK);
            assert_int_equal(rel_call_run(&one), ACTFN_OK);
            assert_int_equal(actfn_set_num_threads(2), ACTFN_OK);
            const size_t before = actfn_internal_pool_jobs();
            assert_int_equal(rel_call_run(&two), ACTFN_OK);
            const size_t jobs = actfn_internal_pool_jobs() - before;
            if (jobs != (n > 65536))
                print_error("%s on %zu elements: %zu split calls, want %d\n", names[i], n, jobs, n > 65536);
            assert_int_equal(jobs, n > 65536);
            assert_true(rel_call_same_outputs(&one, &two));
            rel_call_free(&one);
            rel_call_free(&two);
        }
    }
}

/* ---- 5. User threads calling while the count changes --------------------- */

#define USERS 8

struct user {
    uint64_t seed;
    size_t calls;
    uint64_t *hashes;
    int bad_status;
    atomic_int *left;
};

static const tc_op *pick(uint64_t seed, tc_dtype *dt, int *bwd)
{
    tc_rng r;
    rel_rng_seed(&r, ~seed);
    const tc_op *op = &tc_ops[tc_rng_below(&r, tc_op_count)];
    *dt = (tc_dtype)tc_rng_below(&r, TC_DTYPE_COUNT);
    *bwd = (int)tc_rng_below(&r, 2);
    return op;
}

static uint64_t run_seeded(uint64_t seed, int *status)
{
    tc_dtype dt;
    int bwd;
    const tc_op *op = pick(seed, &dt, &bwd);
    rel_call c;
    rel_call_make(&c, op, dt, bwd, -1, seed);
    *status = rel_call_run(&c);
    const uint64_t h = rel_call_hash(&c, 1);
    rel_call_free(&c);
    return h;
}

static void *user_thread(void *arg)
{
    struct user *u = arg;
    for (size_t i = 0; i < u->calls; i++) {
        int status;
        u->hashes[i] = run_seeded(u->seed + i, &status);
        u->bad_status |= status != ACTFN_OK;
    }
    atomic_fetch_sub(u->left, 1);
    return NULL;
}

static void calls_while_count_changes(void **state)
{
    (void)state;
    actfn_internal_set_split_min(SMALL_SPLIT);
    const size_t calls = tc_scaled(150);
    atomic_int left = USERS;
    struct user users[USERS];
    pthread_t tid[USERS];
    for (int u = 0; u < USERS; u++) {
        users[u] = (struct user){.seed = 0xc0ffee00 + (uint64_t)u * 100000, .calls = calls, .left = &left};
        users[u].hashes = calloc(calls, sizeof *users[u].hashes);
        assert_non_null(users[u].hashes);
        assert_int_equal(pthread_create(&tid[u], NULL, user_thread, &users[u]), 0);
    }
    unsigned long changes = 0;
    while (atomic_load(&left) > 0) {
        assert_int_equal(actfn_set_num_threads(1 + (int)(changes % 6)), ACTFN_OK);
        changes++;
        sched_yield();
    }
    for (int u = 0; u < USERS; u++)
        assert_int_equal(pthread_join(tid[u], NULL), 0);
    print_message("%zu calls from %d threads, %lu thread-count changes\n", calls * USERS, USERS, changes);

    /* The same calls again, one at a time on one thread. */
    assert_int_equal(actfn_set_num_threads(1), ACTFN_OK);
    size_t bad = 0;
    for (int u = 0; u < USERS; u++) {
        assert_false(users[u].bad_status);
        for (size_t i = 0; i < calls; i++) {
            int status;
            bad += run_seeded(users[u].seed + i, &status) != users[u].hashes[i];
        }
        free(users[u].hashes);
    }
    actfn_internal_set_split_min(0);
    assert_int_equal(bad, 0);
}

/* ---- 6. fork() ----------------------------------------------------------- */

static void fork_then_call(void **state)
{
    (void)state;
    actfn_internal_set_split_min(SMALL_SPLIT);
    const tc_op *op = tc_op_find("gelu");
    assert_non_null(op);
    const size_t dim[3] = {5000, 1, 1};
    rel_call want, c;
    rel_call_make_shaped(&want, op, TC_F32, 0, 0, 99, dim);
    rel_call_make_shaped(&c, op, TC_F32, 0, 0, 99, dim);
    assert_int_equal(actfn_set_num_threads(1), ACTFN_OK);
    assert_int_equal(rel_call_run(&want), ACTFN_OK);
    /* The parent's pool is running, its workers asleep. */
    assert_int_equal(actfn_set_num_threads(3), ACTFN_OK);
    assert_int_equal(rel_call_run(&c), ACTFN_OK);
    assert_true(rel_call_same_outputs(&want, &c));

    fflush(stdout);
    fflush(stderr);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(60); /* a hang becomes SIGALRM, and a failure below */
        int ok = 1;
        for (int threads = 1; threads <= 4; threads++) {
            actfn_set_num_threads(threads);
            memset(c.out.p, 0, c.out.n * c.out.elem);
            const size_t before = actfn_internal_pool_jobs();
            ok &= rel_call_run(&c) == ACTFN_OK && rel_call_same_outputs(&want, &c);
            ok &= threads == 1 || actfn_internal_pool_jobs() > before;
        }
        _exit(ok ? 0 : 1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        print_error("child: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exit status",
                    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The parent's pool still works. */
    memset(c.out.p, 0, c.out.n * c.out.elem);
    assert_int_equal(rel_call_run(&c), ACTFN_OK);
    assert_true(rel_call_same_outputs(&want, &c));
    rel_call_free(&want);
    rel_call_free(&c);
    actfn_internal_set_split_min(0);
}

/* ---- 7. No spinning after a call ----------------------------------------- */

static void idle_after_call(void **state)
{
    (void)state;
    actfn_internal_set_split_min(SMALL_SPLIT);
    assert_int_equal(actfn_set_num_threads(4), ACTFN_OK);
    const tc_op *op = tc_op_find("sigmoid");
    rel_call c;
    const size_t dim[3] = {4096, 1, 1};
    rel_call_make_shaped(&c, op, TC_F32, 0, 0, 5, dim);
    const size_t before = actfn_internal_pool_jobs();
    assert_int_equal(rel_call_run(&c), ACTFN_OK);
    assert_int_equal(actfn_internal_pool_jobs(), before + 1);
    /* Three workers that spun on would use 3 × 200 ms of CPU while the
     * caller sleeps; they watch for a next call for 100 µs (pool.c's
     * POOL_SPIN_NS), then sleep and use next to none. */
    const double cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    const struct timespec nap = {0, 200 * 1000 * 1000};
    nanosleep(&nap, NULL);
    const double used = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    print_message("CPU time used while idle for 200 ms: %.1f ms\n", used * 1e3);
    assert_true(used < 0.1);
    rel_call_free(&c);
    actfn_internal_set_split_min(0);
}

/* ---- 8. The two bf16 conversions (AVX-512, NEON) --------------------------- */

/* Inputs of every kind (tc_fill_call: all magnitudes, subnormals, ties
 * for maxout), NaNs of every pattern at a few places, and the largest
 * finite values (whose results overflow on rounding). */
static void flavour_inputs(const tc_op *op, int bwd, tc_args *a, tc_rng *r)
{
    tc_fill_call(op, TC_BF16, bwd, a, r);
    const tc_count c = tc_counts(op, bwd, a->dim);
    void *const bufs[3] = {(void *)a->x, (void *)a->alpha, (void *)a->dy};
    const size_t counts[3] = {c.in, c.alpha, c.dy};
    for (int b = 0; b < 3; b++)
        for (size_t i = 0; i < counts[b]; i++) {
            const size_t pick = tc_rng_below(r, 64);
            if (pick < 2)
                tc_set_nan(TC_BF16, bufs[b], i, (int)tc_rng_below(r, TC_NAN_KINDS));
            else if (pick < 4)
                tc_set(TC_BF16, bufs[b], i, (pick & 1 ? -1 : 1) * tc_max_finite(TC_BF16));
        }
}

/* The first of n bf16 elements whose bits differ between a and b (n if
 * none); with nan_equal, two NaNs of any payload are the same. */
static size_t first_diff(const void *a, const void *b, size_t n, int nan_equal)
{
    for (size_t i = 0; i < n; i++) {
        if (tc_bits(TC_BF16, a, i) == tc_bits(TC_BF16, b, i))
            continue;
        if (nan_equal && isnan(tc_get(TC_BF16, a, i)) && isnan(tc_get(TC_BF16, b, i)))
            continue;
        return i;
    }
    return n;
}

static void bf16_flavours_agree(void **state)
{
    (void)state;
    /* the ISA with a native bf16 conversion: AVX-512 or NEON, if any */
    actfn_isa native_isa = ACTFN_ISA_SCALAR;
    actfn_isa isas[TC_MAX_ISAS];
    const size_t n_isas = tc_isas(isas);
    for (size_t i = 0; i < n_isas; i++)
        if (tc_cpu_has_native_bf16(isas[i]))
            native_isa = isas[i];
    if (native_isa == ACTFN_ISA_SCALAR) {
        /* one flavour only: nothing to compare */
        tc_use_isa(rel_expected_best());
        actfn_internal_set_bf16_native(1);
        assert_int_equal(actfn_internal_bf16_native(), 0);
        print_message("no AVX-512 with AVX512_BF16 or NEON with FEAT_BF16 here: one bf16 conversion only\n");
        skip();
    }
    assert_int_equal(actfn_internal_bf16_native_isa(native_isa), 1);
    tc_use_isa(native_isa);
    assert_int_equal(actfn_set_num_threads(1), ACTFN_OK);
    tc_rng r;
    tc_rng_init(&r, 0xbf16, 8);
    static const size_t lengths[] = {1, 7, 16, 17, 31, 67, 333};
    static const actfn_mode modes[] = {ACTFN_MODE_FAST, ACTFN_MODE_REPRODUCIBLE};
    size_t calls = 0, bad = 0;
    for (size_t m = 0; m < 2; m++) {
        if (actfn_set_mode(modes[m]) != ACTFN_OK)
            continue;
        for (size_t o = 0; o < tc_op_count; o++)
            for (int bwd = 0; bwd < 2; bwd++)
                for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
                    const tc_op *op = &tc_ops[o];
                    size_t dims[TC_MAX_SHAPES][3];
                    const size_t ns = tc_shapes(op, lengths[l], dims);
                    for (size_t s = 0; s < ns; s++) {
                        const tc_count c = tc_counts(op, bwd, dims[s]);
                        tc_buf in = tc_buf_new(TC_BF16, c.in, 1), al = tc_buf_new(TC_BF16, c.alpha, 3),
                               dy = tc_buf_new(TC_BF16, c.dy, 0);
                        tc_buf out[2] = {tc_buf_new(TC_BF16, c.out, 1), tc_buf_new(TC_BF16, c.out, 1)};
                        tc_buf dal[2] = {tc_buf_new(TC_BF16, c.dalpha, 0), tc_buf_new(TC_BF16, c.dalpha, 0)};
                        tc_args a = {.x = in.p, .alpha = al.p, .dy = dy.p, .par = op->sets[op->nsets - 1]};
                        memcpy(a.dim, dims[s], sizeof a.dim);
                        flavour_inputs(op, bwd, &a, &r);
                        for (int native = 1; native >= 0; native--) {
                            actfn_internal_set_bf16_native(native);
                            assert_int_equal(actfn_internal_bf16_native(), native);
                            a.out = out[native].p;
                            a.dalpha = c.dalpha ? dal[native].p : NULL;
                            assert_int_equal(tc_call(op, TC_BF16, bwd, &a), ACTFN_OK);
                            calls++;
                        }
                        /* fast mode: NaN payloads are not specified (a NaN from arithmetic
                         * on a NaN may differ between the units); reproducible: the canonical NaN */
                        const size_t io = first_diff(out[1].p, out[0].p, c.out, m == 0);
                        const size_t ia = first_diff(dal[1].p, dal[0].p, c.dalpha, m == 0);
                        if (io < c.out || ia < c.dalpha) {
                            char label[64], b1[80], b2[80];
                            const int in_out = io < c.out;
                            const void *nat = in_out ? out[1].p : dal[1].p, *itg = in_out ? out[0].p : dal[0].p;
                            const size_t i = in_out ? io : ia;
                            if (bad++ < 10)
                                print_error("%s %s dims %zu,%zu,%zu: native and integer bf16 differ: %s[%zu] %s native, "
                                            "%s integer\n",
                                            tc_label(op, bwd, TC_BF16, label, sizeof label),
                                            m ? "reproducible" : "fast", dims[s][0], dims[s][1], dims[s][2],
                                            in_out ? "out" : "dalpha", i, tc_fmt(TC_BF16, tc_get(TC_BF16, nat, i), b1, 80),
                                            tc_fmt(TC_BF16, tc_get(TC_BF16, itg, i), b2, 80));
                        }
                        tc_buf_free(&in), tc_buf_free(&al), tc_buf_free(&dy);
                        tc_buf_free(&out[0]), tc_buf_free(&out[1]), tc_buf_free(&dal[0]), tc_buf_free(&dal[1]);
                    }
                }
    }
    /* every bf16 pattern through ops whose float results need rounding
     * (halfway cases, subnormal results, overflow, NaN payloads) */
    static const struct {
        const char *op;
        double p0, p1;
    } rows[] = {{"relu", 0, 0}, {"leaky_relu", 0.01, 0}, {"leaky_relu", 0.75, 0}, {"leaky_relu", 3, 0},
                {"leaky_relu", 0x1p-10, 0}, {"hardtanh", -1.0 / 3, 0.1}, {"sigmoid", 0, 0}, {"gelu", 0, 0}};
    const size_t n = 65536;
    tc_buf x = tc_buf_new(TC_BF16, n, 1), dy = tc_buf_new(TC_BF16, n, 0);
    tc_buf out[2] = {tc_buf_new(TC_BF16, n, 0), tc_buf_new(TC_BF16, n, 3)};
    for (size_t i = 0; i < n; i++)
        tc_set_bits(TC_BF16, x.p, i, i), tc_set_bits(TC_BF16, dy.p, i, (i * 40503u) & 0xffffu);
    for (size_t m = 0; m < 2; m++) {
        if (actfn_set_mode(modes[m]) != ACTFN_OK)
            continue;
        for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
            for (int bwd = 0; bwd < 2; bwd++) {
                const tc_op *op = tc_op_find(rows[k].op);
                assert_non_null(op);
                tc_args a = {.x = x.p, .dy = dy.p, .dim = {n, 0, 0}, .par = {{rows[k].p0, rows[k].p1}}};
                for (int native = 1; native >= 0; native--) {
                    actfn_internal_set_bf16_native(native);
                    a.out = out[native].p;
                    assert_int_equal(tc_call(op, TC_BF16, bwd, &a), ACTFN_OK);
                    calls++;
                }
                const size_t i = first_diff(out[1].p, out[0].p, n, m == 0);
                char label[64];
                if (i < n && bad++ < 10)
                    print_error("%s %s p0=%g, every pattern: x 0x%04zx dy 0x%04llx: 0x%04llx native, 0x%04llx integer\n",
                                tc_label(op, bwd, TC_BF16, label, sizeof label), m ? "reproducible" : "fast",
                                rows[k].p0, i, (unsigned long long)tc_bits(TC_BF16, dy.p, i),
                                (unsigned long long)tc_bits(TC_BF16, out[1].p, i),
                                (unsigned long long)tc_bits(TC_BF16, out[0].p, i));
            }
    }
    tc_buf_free(&x), tc_buf_free(&dy), tc_buf_free(&out[0]), tc_buf_free(&out[1]);
    actfn_internal_set_bf16_native(1);
    assert_int_equal(actfn_set_mode(ACTFN_MODE_FAST), ACTFN_OK);
    tc_use_isa(rel_expected_best());
    print_message("%zu bf16 calls on %s, native and integer conversion: %zu differ\n", calls,
                  actfn_isa_name(native_isa), bad);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(count_api), /* first: it checks the default */
        cmocka_unit_test(every_thread_runs_tasks),
        cmocka_unit_test(tasks_run_once),
        cmocka_unit_test(same_bits_for_every_count),
        cmocka_unit_test(measured_thresholds),
        cmocka_unit_test(calls_while_count_changes),
        cmocka_unit_test(fork_then_call),
        cmocka_unit_test(idle_after_call),
        cmocka_unit_test(bf16_flavours_agree),
    };
    /* ACTFN_TEST_SKIP: a cmocka pattern of tests an emulator cannot run
     * (QEMU_USER_SKIP in scripts/lib.sh says which and why). */
    const char *skip = getenv("ACTFN_TEST_SKIP");
    if (skip && *skip) {
        print_message("skipping %s (ACTFN_TEST_SKIP)\n", skip);
        cmocka_set_skip_filter(skip);
    }
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
