/*
 * compare.c — libactfn's own pool (src/pool.c) against pthreadpool and
 * OpenMP (libgomp), for the one job the library gives a pool: splitting one
 * activation call over 2 threads. Built and run by bench/pools/run.sh.
 *
 * Every pool does the same work: the call's range is cut into 2 halves
 * (2 tasks), and each task calls the public actfn_relu_f32 or actfn_gelu_f32
 * on its half, single-threaded:
 *
 *   single thread   one call on the whole range, actfn_set_num_threads(1);
 *   actfn pool      actfn_pool_run(2, task, ...) with actfn_set_num_threads(2);
 *                   the per-task calls are kept from splitting again with the
 *                   test hook actfn_internal_set_split_min(SIZE_MAX);
 *   pthreadpool     pthreadpool_parallelize_1d over 2 tasks, on one pool
 *                   created once with 2 threads; actfn_set_num_threads(1);
 *   OpenMP          #pragma omp parallel for num_threads(2) schedule(static)
 *                   over the 2 tasks; actfn_set_num_threads(1);
 *   actfn API       (table 1 only, for reference) the plain public call with
 *                   actfn_set_num_threads(2): the library's own split, which
 *                   uses the pool only above its per-op thresholds.
 *
 * Measurements (one table each):
 *   1. time per call, median of BATCHES batches of many calls, in three
 *      parts: a) the times, b) where the two halves ran, c) each pool alone
 *      in a fresh process, without the others around it;
 *   2. fork(): a child forked after the parent used a pool uses it again;
 *   3. CPU time the process burns while idle right after a parallel call;
 *   4. two user threads calling at once (oversubscription).
 *
 * `compare --omp-env` only exits: run.sh runs it under OMP_DISPLAY_ENV to
 * show the wait policy libgomp uses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <pthreadpool.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "actfn.h"
#include "internal.h" /* actfn_pool_run, actfn_internal_set_split_min */

/* ---- Parameters ---------------------------------------------------------- */

#define NTASKS 2                /* tasks per call = threads per pool */
#define BATCHES 11              /* timed batches per (op, n, pool); median */
#define BATCH_NS 10000000.0     /* target length of one batch: 10 ms */
#define MIN_CALLS 20            /* calls per batch, at least */
#define WARM_NS 20000000.0      /* warm-up per (op, n, pool): 20 ms */
#define SETTLE_MS 30            /* pause before each batch (spinners go idle) */
#define IDLE_SLEEP_MS 200       /* the idle window of table 3 */
#define IDLE_REPS 5
#define OVER_CALLS 2000         /* table 4: calls per user thread */
#define OVER_N 65536
#define OVER_REPS 5
#define FORK_ALARM_S 10

static const size_t sizes[] = {4096, 65536, 1048576};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* ---- Small helpers --------------------------------------------------------- */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Process CPU time, all threads, user + system, in ns. */
static double cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec) * 1e9 +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) * 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static float *alloc_floats(size_t n)
{
    float *p = aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64);
    if (!p) {
        fprintf(stderr, "compare: out of memory\n");
        exit(1);
    }
    return p;
}

/* Inputs in [-6, 6): both branches of relu, the whole curve of gelu. */
static void fill_input(float *x, size_t n, uint32_t seed)
{
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = (float)(s >> 8) / 16777216.0f * 12.0f - 6.0f;
    }
}

/* ---- The work: one activation call, cut into NTASKS tasks ------------------ */

enum op { OP_RELU, OP_GELU };
static const char *const op_names[] = {"relu", "gelu"};

/* Where and when each task ran, written by the task itself: the time and
 * CPU it started at and whether the thread was a pool's own worker. One
 * cache line per task, so the two threads never write the same line. The
 * bookkeeping costs a clock read (~25 ns here) per task. */
struct task_slot {
    _Alignas(64) double start;
    int cpu;
    int worker;
};

struct work {
    enum op op;
    const float *x;
    float *y;
    size_t n;
    _Alignas(64) int caller_cpu; /* set by run_call */
    struct task_slot slot[NTASKS];
};

/* The whole range or a sub-range [b, e), on the calling thread. */
static void call_range(const struct work *w, size_t b, size_t e)
{
    const int s = w->op == OP_RELU ? actfn_relu_f32(w->x + b, w->y + b, e - b)
                                   : actfn_gelu_f32(w->x + b, w->y + b, e - b);
    if (s != ACTFN_OK) {
        fprintf(stderr, "compare: actfn call failed: %s\n", actfn_strerror(s));
        abort();
    }
}

/* User threads (main and table 4's callers) set on_caller; a pool's own
 * workers leave it 0. */
static _Thread_local int on_caller;

/* Task t of NTASKS: an even cut (n is a multiple of 16 floats here, so each
 * half starts on a cache line). The signature suits all three pools. */
static void work_task(void *ctx, size_t t)
{
    struct work *w = ctx;
    w->slot[t].start = now_ns();
    w->slot[t].cpu = sched_getcpu();
    w->slot[t].worker = !on_caller;
    call_range(w, w->n * t / NTASKS, w->n * (t + 1) / NTASKS);
}

/*
 * Where the two halves of each call ran, from the task slots: on two
 * threads (the split worked), or both on one thread — the caller (its
 * worker came too late) or the worker (it preempted the caller, typically
 * on the caller's own CPU, and the caller sat waiting). Also: two-thread
 * calls whose halves started on the same CPU (threads taking turns on one
 * core), and how much later the worker started than the caller.
 */
struct tally {
    long calls;
    long two_threads, two_one_cpu;
    long caller_alone;
    long worker_alone, worker_alone_caller_cpu;
};

/* Adds one call; returns the worker's start delay (ns) for a two-thread
 * call, else -1. */
static double tally_call(struct tally *tl, const struct work *w)
{
    int workers = 0, same_cpu = 1;
    double caller_start = 0, worker_start = 0;
    for (int t = 0; t < NTASKS; t++) {
        workers += w->slot[t].worker;
        same_cpu &= w->slot[t].cpu == w->slot[0].cpu;
        if (w->slot[t].worker)
            worker_start = w->slot[t].start;
        else
            caller_start = w->slot[t].start;
    }
    tl->calls++;
    if (workers == 0) {
        tl->caller_alone++;
    } else if (workers == NTASKS) {
        tl->worker_alone++;
        tl->worker_alone_caller_cpu += w->slot[0].cpu == w->caller_cpu;
    } else {
        tl->two_threads++;
        tl->two_one_cpu += same_cpu;
        return worker_start - caller_start;
    }
    return -1;
}

static void tally_add(struct tally *to, const struct tally *from)
{
    to->calls += from->calls;
    to->two_threads += from->two_threads;
    to->two_one_cpu += from->two_one_cpu;
    to->caller_alone += from->caller_alone;
    to->worker_alone += from->worker_alone;
    to->worker_alone_caller_cpu += from->worker_alone_caller_cpu;
}

static double pct(long part, long whole) { return whole ? 100.0 * (double)part / (double)whole : 0.0; }

/* The columns of a tally (header: tally_head); "-" for rows without one. */
static const char *tally_head(void)
{
    return "2 threads  (1 cpu)  caller alone  worker alone (on caller's cpu)";
}

static void tally_print(const struct tally *tl)
{
    if (tl->calls == 0) {
        printf("%9s  %7s  %12s  %12s\n", "-", "", "-", "-");
        return;
    }
    printf("%8.0f%%  (%4.0f%%)  %11.0f%%  %11.0f%%  (%3.0f%%)\n", pct(tl->two_threads, tl->calls),
           pct(tl->two_one_cpu, tl->two_threads), pct(tl->caller_alone, tl->calls), pct(tl->worker_alone, tl->calls),
           pct(tl->worker_alone_caller_cpu, tl->worker_alone));
}

/* ---- The pools ------------------------------------------------------------- */

enum pool { P_SINGLE, P_ACTFN, P_PTP, P_OMP, P_API };
static const char *const pool_names[] = {"single thread", "actfn pool", "pthreadpool", "OpenMP",
                                         "actfn API (own split)"};

static pthreadpool_t ptp; /* created once, 2 threads */

/* The library settings a pool's row runs under (process-wide). */
static void select_pool(enum pool p)
{
    actfn_set_num_threads(p == P_ACTFN || p == P_API ? NTASKS : 1);
    actfn_internal_set_split_min(p == P_API ? 0 : SIZE_MAX);
}

/* One call of `w` through pool p. */
static void run_call(enum pool p, struct work *w)
{
    w->caller_cpu = sched_getcpu();
    switch (p) {
    case P_SINGLE:
    case P_API:
        call_range(w, 0, w->n);
        break;
    case P_ACTFN:
        actfn_pool_run(NTASKS, work_task, w);
        break;
    case P_PTP:
        pthreadpool_parallelize_1d(ptp, work_task, w, NTASKS, 0);
        break;
    case P_OMP:
#pragma omp parallel for num_threads(NTASKS) schedule(static)
        for (size_t t = 0; t < NTASKS; t++)
            work_task(w, t);
        break;
    default:
        abort();
    }
}

/* ---- 1. Time per call ------------------------------------------------------- */

/* Calls per batch for pool p: warm up (threads started, caches filled) for
 * WARM_NS, then time growing runs until one takes >= 1 ms and scale it to
 * BATCH_NS. The warm-up matters: a pool's first call (thread creation, a
 * vCPU waking) can alone take milliseconds. */
static long calibrate(enum pool p, struct work *w)
{
    for (double t0 = now_ns(); now_ns() - t0 < WARM_NS;)
        run_call(p, w);
    for (long calls = 1;; calls *= 2) {
        const double t0 = now_ns();
        for (long i = 0; i < calls; i++)
            run_call(p, w);
        const double dt = now_ns() - t0;
        if (dt >= 1e6) {
            const long c = (long)(calls * BATCH_NS / dt);
            return c > MIN_CALLS ? c : MIN_CALLS;
        }
    }
}

static void table_time(void)
{
    static const enum pool rows[] = {P_SINGLE, P_ACTFN, P_PTP, P_OMP, P_API};
    enum { NROWS = sizeof rows / sizeof rows[0] };
    /* Kept for table 1b, printed after 1a. */
    static struct tally tl[2][NSIZES][NROWS];
    static double late[2][NSIZES][NROWS];

    printf("\n1a. Time per call (ns), each call split into %d tasks. Median of %d batches; a batch is\n", NTASKS,
           BATCHES);
    printf("   one call after %d ms idle (\"after idle\"), then ~%.0f ms of back-to-back calls (\"ns/call\",\n",
           SETTLE_MS, BATCH_NS / 1e6);
    printf("   its min..max over the batches in %% of the median). speedup = single thread / row;\n");
    printf("   excess = row - single/2, the cost above a perfect 2-way split\n");
    printf("   %-4s %8s  %-22s %11s %13s %8s %11s %11s\n", "op", "n", "pool", "ns/call", "(min..max %)", "speedup",
           "excess ns", "after idle");

    for (int op = OP_RELU; op <= OP_GELU; op++) {
        for (size_t si = 0; si < NSIZES; si++) {
            const size_t n = sizes[si];
            float *x = alloc_floats(n), *ref = alloc_floats(n), *y = alloc_floats(n);
            fill_input(x, n, 12345u + (uint32_t)n);
            struct work w = {.op = (enum op)op, .x = x, .y = ref, .n = n};
            select_pool(P_SINGLE);
            run_call(P_SINGLE, &w); /* the reference output */
            w.y = y;

            long calls[NROWS];
            double ns[NROWS][BATCHES], first[NROWS][BATCHES];
            double *delay[NROWS]; /* worker start delays of two-thread calls */
            long ndelay[NROWS] = {0};
            int same[NROWS];
            for (int r = 0; r < NROWS; r++) {
                select_pool(rows[r]);
                memset(y, 0, n * sizeof *y);
                calls[r] = calibrate(rows[r], &w);
                same[r] = memcmp(y, ref, n * sizeof *y) == 0;
                delay[r] = malloc((size_t)calls[r] * BATCHES * sizeof *delay[r]);
                if (!delay[r]) {
                    fprintf(stderr, "compare: out of memory\n");
                    exit(1);
                }
            }
            /* Batches round-robin over the pools, so slow drifts of a noisy
             * machine hit every pool alike; the pause before each batch lets
             * spinning workers (pthreadpool, OpenMP) of the previous pool go
             * idle, so they do not steal a CPU from this one. */
            for (int b = 0; b < BATCHES; b++) {
                for (int r = 0; r < NROWS; r++) {
                    const int ours = rows[r] != P_SINGLE && rows[r] != P_API; /* tasks of ours */
                    select_pool(rows[r]);
                    sleep_ms(SETTLE_MS);
                    double t0 = now_ns();
                    run_call(rows[r], &w);
                    first[r][b] = now_ns() - t0;
                    t0 = now_ns();
                    for (long i = 0; i < calls[r]; i++) {
                        run_call(rows[r], &w);
                        if (ours) {
                            const double d = tally_call(&tl[op][si][r], &w);
                            if (d >= 0)
                                delay[r][ndelay[r]++] = d;
                        }
                    }
                    ns[r][b] = (now_ns() - t0) / (double)calls[r];
                }
            }
            double single = 0;
            for (int r = 0; r < NROWS; r++) {
                const double med = median(ns[r], BATCHES); /* sorts: [0] min, [last] max */
                if (rows[r] == P_SINGLE)
                    single = med;
                char spread[32];
                snprintf(spread, sizeof spread, "(-%.0f..+%.0f)", 100.0 * (med - ns[r][0]) / med,
                         100.0 * (ns[r][BATCHES - 1] - med) / med);
                printf("   %-4s %8zu  %-22s %11.0f %13s %7.2fx %11.0f %11.0f%s\n", op_names[op], n,
                       pool_names[rows[r]], med, spread, single / med, med - single / 2, median(first[r], BATCHES),
                       same[r] ? "" : "  OUTPUT DIFFERS");
                late[op][si][r] = ndelay[r] ? median(delay[r], (size_t)ndelay[r]) : -1;
                free(delay[r]);
            }
            printf("\n");
            free(x);
            free(ref);
            free(y);
        }
    }

    printf("\n1b. Where the two halves of the back-to-back calls of 1a ran (%% of calls): on two threads\n");
    printf("   (1 cpu: of those, started on the same CPU), all on the caller (the worker came too late),\n");
    printf("   or all on the worker (it preempted the caller; of those, on the CPU the caller called\n");
    printf("   from). late: median delay of the worker's half after the caller's, in two-thread calls\n");
    printf("   %-4s %8s  %-12s %8s  %s\n", "op", "n", "pool", "late us", tally_head());
    for (int op = OP_RELU; op <= OP_GELU; op++) {
        for (size_t si = 0; si < NSIZES; si++) {
            for (int r = 0; r < NROWS; r++) {
                if (rows[r] == P_SINGLE || rows[r] == P_API)
                    continue;
                char lt[16] = "-";
                if (late[op][si][r] >= 0)
                    snprintf(lt, sizeof lt, "%.1f", late[op][si][r] / 1e3);
                printf("   %-4s %8zu  %-12s %8s  ", op_names[op], sizes[si], pool_names[rows[r]], lt);
                tally_print(&tl[op][si][r]);
            }
        }
    }
}

/* ---- 1c. Each pool alone ---------------------------------------------------- */

/*
 * Table 1a interleaves the pools and pauses between batches, which is fair
 * to all of them but is not how one pool alone behaves: a pool whose worker
 * sleeps between calls is sensitive to what the CPUs did just before. So
 * here each pool runs in a fresh child process, forked before the parent
 * uses any pool (pthreadpool's and OpenMP's workers would not survive the
 * fork, table 2), doing only back-to-back calls with no pauses. The child
 * sends its results back through a pipe.
 */
struct alone_result {
    double ns[2][NSIZES];
    struct tally tl[2][NSIZES];
};

static void alone_measure(enum pool p, struct alone_result *res)
{
    if (p == P_PTP && !(ptp = pthreadpool_create(NTASKS)))
        exit(1);
    select_pool(p);
    for (int op = OP_RELU; op <= OP_GELU; op++) {
        for (size_t si = 0; si < NSIZES; si++) {
            const size_t n = sizes[si];
            float *x = alloc_floats(n), *y = alloc_floats(n);
            fill_input(x, n, 12345u + (uint32_t)n);
            struct work w = {.op = (enum op)op, .x = x, .y = y, .n = n};
            const long calls = calibrate(p, &w);
            double ns[BATCHES];
            for (int b = 0; b < BATCHES; b++) {
                const double t0 = now_ns();
                for (long i = 0; i < calls; i++) {
                    run_call(p, &w);
                    if (p != P_SINGLE)
                        tally_call(&res->tl[op][si], &w);
                }
                ns[b] = (now_ns() - t0) / (double)calls;
            }
            res->ns[op][si] = median(ns, BATCHES);
            free(x);
            free(y);
        }
    }
}

static const enum pool alone_rows[] = {P_SINGLE, P_ACTFN, P_PTP, P_OMP};
#define ALONE_ROWS (sizeof alone_rows / sizeof alone_rows[0])
static struct alone_result alone[ALONE_ROWS];

/* Before any pool is used in this process. */
static void alone_collect(void)
{
    for (size_t r = 0; r < ALONE_ROWS; r++) {
        int fd[2];
        if (pipe(fd) != 0) {
            perror("pipe");
            exit(1);
        }
        fflush(stdout);
        const pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            exit(1);
        }
        if (pid == 0) {
            close(fd[0]);
            alarm(60);
            struct alone_result res;
            memset(&res, 0, sizeof res);
            alone_measure(alone_rows[r], &res);
            const char *p = (const char *)&res;
            for (size_t left = sizeof res; left > 0;) {
                const ssize_t k = write(fd[1], p, left);
                if (k <= 0)
                    _exit(1);
                p += k;
                left -= (size_t)k;
            }
            _exit(0);
        }
        close(fd[1]);
        char *p = (char *)&alone[r];
        size_t got = 0;
        while (got < sizeof alone[r]) {
            const ssize_t k = read(fd[0], p + got, sizeof alone[r] - got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        close(fd[0]);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        if (got != sizeof alone[r] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "compare: the child measuring %s failed\n", pool_names[alone_rows[r]]);
            exit(1);
        }
    }
}

static void table_alone(void)
{
    printf("\n1c. Each pool alone in a fresh process, back-to-back calls only (no other pool, no pauses):\n");
    printf("   ns/call, median of %d batches of ~%.0f ms; speedup = single thread / row; where the\n", BATCHES,
           BATCH_NS / 1e6);
    printf("   halves ran as in 1b\n");
    printf("   %-4s %8s  %-13s %10s %8s  %s\n", "op", "n", "pool", "ns/call", "speedup", tally_head());
    for (int op = OP_RELU; op <= OP_GELU; op++) {
        for (size_t si = 0; si < NSIZES; si++) {
            const double single = alone[0].ns[op][si];
            for (size_t r = 0; r < ALONE_ROWS; r++) {
                const double ns = alone[r].ns[op][si];
                printf("   %-4s %8zu  %-13s %10.0f %7.2fx  ", op_names[op], sizes[si], pool_names[alone_rows[r]], ns,
                       single / ns);
                tally_print(&alone[r].tl[op][si]);
            }
            printf("\n");
        }
    }
}

/* ---- 2. fork() --------------------------------------------------------------- */

static void table_fork(void)
{
    static const enum pool rows[] = {P_ACTFN, P_PTP, P_OMP, P_API};
    const size_t n = 1048576; /* large enough that the API row splits too */
    float *x = alloc_floats(n), *ref = alloc_floats(n), *y = alloc_floats(n);
    fill_input(x, n, 777u);
    struct work w = {.op = OP_RELU, .x = x, .y = ref, .n = n};
    select_pool(P_SINGLE);
    run_call(P_SINGLE, &w);
    w.y = y;

    printf("\n2. fork(): the parent uses the pool, forks, and the child uses it again (relu, n = %zu)\n", n);
    printf("   the child has alarm(%d); a hang ends as SIGALRM\n", FORK_ALARM_S);
    printf("   %-22s %-36s %10s\n", "pool", "child", "wall ms");
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const enum pool p = rows[r];
        select_pool(p);
        run_call(p, &w); /* the parent has used this pool */
        fflush(stdout);
        const double t0 = now_ns();
        const pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            exit(1);
        }
        if (pid == 0) {
            alarm(FORK_ALARM_S);
            memset(y, 0, n * sizeof *y);
            run_call(p, &w);
            _exit(memcmp(y, ref, n * sizeof *y) == 0 ? 0 : 3);
        }
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        const double ms = (now_ns() - t0) / 1e6;
        char what[64];
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            snprintf(what, sizeof what, "ok");
        else if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
            snprintf(what, sizeof what, "finished, WRONG OUTPUT");
        else if (WIFEXITED(st))
            snprintf(what, sizeof what, "exit status %d", WEXITSTATUS(st));
        else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
            snprintf(what, sizeof what, "hang (killed by SIGALRM)");
        else if (WIFSIGNALED(st))
            snprintf(what, sizeof what, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
        else
            snprintf(what, sizeof what, "status 0x%x", st);
        printf("   %-22s %-36s %10.1f\n", pool_names[p], what, ms);
    }
    free(x);
    free(ref);
    free(y);
}

/* ---- 3. Idle CPU after a call -------------------------------------------------- */

static void table_idle(void)
{
    static const enum pool rows[] = {P_SINGLE, P_ACTFN, P_PTP, P_OMP};
    const size_t n = 65536;
    float *x = alloc_floats(n), *y = alloc_floats(n);
    fill_input(x, n, 4242u);
    struct work w = {.op = OP_GELU, .x = x, .y = y, .n = n};

    const char *wp = getenv("OMP_WAIT_POLICY"), *sc = getenv("GOMP_SPINCOUNT");
    printf("\n3. Idle CPU: process CPU time (user+sys, all threads) during a %d ms sleep right after\n",
           IDLE_SLEEP_MS);
    printf("   10 parallel calls (gelu, n = %zu); median of %d\n", n, IDLE_REPS);
    if (!wp && !sc)
        printf("   OpenMP: OMP_WAIT_POLICY and GOMP_SPINCOUNT unset, libgomp's default: a worker spins\n"
               "   300000 iterations (100 if threads > CPUs) waiting for work, then sleeps on a futex\n");
    else
        printf("   OpenMP: OMP_WAIT_POLICY=%s GOMP_SPINCOUNT=%s\n", wp ? wp : "(unset)", sc ? sc : "(unset)");
    printf("   %-22s %14s %14s\n", "pool", "CPU ms/200 ms", "max");
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const enum pool p = rows[r];
        double ms[IDLE_REPS];
        select_pool(p);
        for (int k = 0; k < IDLE_REPS; k++) {
            sleep_ms(300); /* every other pool's workers are asleep by now */
            for (int i = 0; i < 10; i++)
                run_call(p, &w);
            const double c0 = cpu_ns();
            sleep_ms(IDLE_SLEEP_MS);
            ms[k] = (cpu_ns() - c0) / 1e6;
        }
        const double med = median(ms, IDLE_REPS);
        printf("   %-22s %14.1f %14.1f\n", pool_names[p], med, ms[IDLE_REPS - 1]);
    }
    free(x);
    free(y);
}

/* ---- 4. Two user threads at once ------------------------------------------------ */

struct caller {
    enum pool p;
    pthread_barrier_t *start;
    struct work w;
    struct tally tl;
};

static void *caller_main(void *arg)
{
    struct caller *c = arg;
    on_caller = 1;
    pthread_barrier_wait(c->start);
    for (int i = 0; i < OVER_CALLS; i++) {
        run_call(c->p, &c->w);
        if (c->p != P_SINGLE)
            tally_call(&c->tl, &c->w);
    }
    return NULL;
}

/* Wall time, in ms, of 2 user threads each making OVER_CALLS calls via p;
 * adds their tallies to *tl. */
static double two_callers(enum pool p, float *const x[2], float *const y[2], struct tally *tl)
{
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 3);
    struct caller c[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        c[i] = (struct caller){.p = p, .start = &start, .w = {.op = OP_GELU, .x = x[i], .y = y[i], .n = OVER_N}};
        if (pthread_create(&th[i], NULL, caller_main, &c[i]) != 0) {
            fprintf(stderr, "compare: pthread_create failed\n");
            exit(1);
        }
    }
    pthread_barrier_wait(&start);
    const double t0 = now_ns();
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    const double ms = (now_ns() - t0) / 1e6;
    pthread_barrier_destroy(&start);
    for (int i = 0; i < 2; i++)
        tally_add(tl, &c[i].tl);
    return ms;
}

static void table_oversub(void)
{
    static const enum pool rows[] = {P_SINGLE, P_ACTFN, P_PTP, P_OMP};
    enum { NROWS = sizeof rows / sizeof rows[0] };
    float *x[2], *y[2];
    for (int i = 0; i < 2; i++) {
        x[i] = alloc_floats(OVER_N);
        y[i] = alloc_floats(OVER_N);
        fill_input(x[i], OVER_N, 99u + (uint32_t)i);
    }

    printf("\n4. Two user threads at once, each making %d gelu calls of n = %d through the pool\n", OVER_CALLS,
           OVER_N);
    printf("   (single thread: each user thread calls single-threaded); wall ms, median of %d. Where the\n",
           OVER_REPS);
    printf("   halves ran, %% of both callers' calls, as in table 1b (for the actfn pool, \"caller alone\"\n");
    printf("   includes the calls that found the pool busy and ran inline)\n");
    printf("   %-13s %8s %12s %9s  %s\n", "pool", "wall ms", "(min..max)", "vs single", tally_head());
    double ms[NROWS][OVER_REPS];
    struct tally tl[NROWS] = {{0}};
    for (int k = 0; k < OVER_REPS; k++) {
        for (int r = 0; r < NROWS; r++) {
            select_pool(rows[r]);
            sleep_ms(SETTLE_MS);
            ms[r][k] = two_callers(rows[r], x, y, &tl[r]);
        }
    }
    double single = 0;
    for (int r = 0; r < NROWS; r++) {
        const double med = median(ms[r], OVER_REPS);
        if (rows[r] == P_SINGLE)
            single = med;
        char spread[32];
        snprintf(spread, sizeof spread, "(%.0f..%.0f)", ms[r][0], ms[r][OVER_REPS - 1]);
        printf("   %-13s %8.1f %12s %8.2fx  ", pool_names[rows[r]], med, spread, med / single);
        tally_print(&tl[r]);
    }
    for (int i = 0; i < 2; i++) {
        free(x[i]);
        free(y[i]);
    }
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--omp-env") == 0)
        return 0; /* libgomp prints OMP_DISPLAY_ENV at start-up */

    setvbuf(stdout, NULL, _IOLBF, 0);
    on_caller = 1;
    printf("libactfn %s, ISA %s, %ld CPUs online, %d tasks per call\n", actfn_version(),
           actfn_isa_name(actfn_get_isa()), sysconf(_SC_NPROCESSORS_ONLN), NTASKS);
    alone_collect(); /* first: the children must not inherit used pools */

    ptp = pthreadpool_create(NTASKS);
    if (!ptp || pthreadpool_get_threads_count(ptp) != NTASKS) {
        fprintf(stderr, "compare: pthreadpool_create(%d) failed\n", NTASKS);
        return 1;
    }

    table_time();
    table_alone();
    table_fork();
    table_idle();
    table_oversub();

    pthreadpool_destroy(ptp);
    return 0;
}
