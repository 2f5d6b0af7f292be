/*
 * pool.c — the persistent thread pool (SPEC §10) and the thread count.
 *
 * Why not pthreadpool or OpenMP: docs/threads.md has the measurements. In
 * short, both hang or fail in a child after fork() once the parent used
 * them, OpenMP spins after a region by default, and pthreadpool's
 * futex-and-atomics handshake lives in an uninstrumented library, so
 * ThreadSanitizer cannot see it and reports every result as a race. This
 * pool is two mutexes, one condition variable and two atomic counters:
 *
 *   - one parallel call at a time owns the pool (`call_lock`, taken with
 *     trylock); a call that finds it busy — another user thread is in a
 *     parallel call — runs its tasks on its own thread instead of queueing
 *     or oversubscribing the machine. The tasks and their order inside each
 *     task are the same either way, so the result is too;
 *   - after a job a worker watches for the next one for POOL_SPIN_NS, then
 *     sleeps on a condition variable until a call wakes it (one broadcast).
 *     Back-to-back calls — a model's layers, a benchmark's loop — so find
 *     their workers awake instead of paying a wake-up each, and an idle
 *     process burns at most that window per worker after its last call
 *     (docs/threads.md has both measured). Each call runs tasks itself,
 *     then waits (inside the call only) for the tasks others took;
 *   - tasks are claimed from one atomic word; which thread runs a task
 *     never changes what the task computes;
 *   - workers run under the caller's floating-point environment (rounding,
 *     flush-to-zero), so a split call rounds exactly as a call on one
 *     thread does, and restore their own afterwards;
 *   - fork(): pthread_atfork handlers hold the pool's locks across fork(),
 *     so no call is half-posted; the child forgets the parent's workers
 *     (they do not exist there), starts its locks and condition variable
 *     afresh and its own workers on its first parallel call;
 *   - the number of workers follows actfn_set_num_threads at the next
 *     parallel call, so changing it never waits for, or disturbs, a call in
 *     flight. Nothing is allocated per call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"


/* ---- The thread count --------------------------------------------------- */

static atomic_int num_threads;
static pthread_once_t count_once = PTHREAD_ONCE_INIT;

/* The CPUs this process may run on: its affinity mask, else 1. */
static int affinity_cpus(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
#endif
    return 1;
}

/* ACTFN_NUM_THREADS: a whole number >= 1 that fits an int, else a warning. */
static void count_init(void)
{
    int n = affinity_cpus();
    const char *env = getenv("ACTFN_NUM_THREADS");
    if (env && *env) {
        char *end;
        errno = 0;
        long v = strtol(env, &end, 10);
        if (errno == 0 && *end == '\0' && v >= 1 && v <= INT_MAX)
            n = (int)v;
        else
            fprintf(stderr, "actfn: warning: ACTFN_NUM_THREADS=%s is not a thread count (a whole number >= 1); using %d\n",
                    env, n);
    }
    atomic_store(&num_threads, n);
}

int actfn_get_num_threads(void)
{
    pthread_once(&count_once, count_init);
    return atomic_load(&num_threads);
}

size_t actfn_pool_threads(void)
{
    const int n = actfn_get_num_threads();
    return n < ACTFN_POOL_MAX_THREADS ? (size_t)n : ACTFN_POOL_MAX_THREADS;
}

int actfn_set_num_threads(int n)
{
    if (n < 1)
        return ACTFN_ERR_PARAM;
    pthread_once(&count_once, count_init);
    atomic_store(&num_threads, n);
    return ACTFN_OK;
}

/* ---- The pool ----------------------------------------------------------- */

/*
 * Tasks are claimed from one atomic word: the job's generation in the high
 * 32 bits, the next task in the low 32. A claim is a compare-and-swap that
 * succeeds only while the word still names the claimer's job, so a worker
 * that wakes late, after its job is over and another posted, can never run
 * a task of the new job with the old job's arguments. The caller returns
 * when every task is done — it does not wait for sleeping workers to wake —
 * so a worker the system is slow to schedule costs the call nothing.
 */
struct pool_job {
    void (*task)(void *ctx, size_t t);
    void *ctx;
    size_t ntasks;
    fenv_t env; /* the caller's floating-point environment */
    int cpu;    /* the CPU the caller posted it from, or -1 */
};

static struct {
    pthread_mutex_t call_lock; /* held by the one call that owns the pool */
    pthread_mutex_t lock;      /* guards the fields up to `job` */
    pthread_cond_t wake;       /* workers: a new job, or stop */
    pthread_t *threads;
    size_t nworkers;
    uint32_t generation; /* of the current job */
    atomic_int stop;     /* written under `lock`; read without it while spinning */
    struct pool_job job;
    _Atomic uint64_t claim;    /* generation << 32 | next task */
    atomic_size_t done;        /* tasks of the current job finished */
} pool = {
    .call_lock = PTHREAD_MUTEX_INITIALIZER,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};

/* Run tasks of job `gen` until none is left to claim. */
static void run_tasks(uint32_t gen, const struct pool_job *job)
{
    uint64_t w = atomic_load_explicit(&pool.claim, memory_order_relaxed);
    for (;;) {
        if ((uint32_t)(w >> 32) != gen || (w & 0xffffffffu) >= job->ntasks)
            return;
        if (atomic_compare_exchange_weak_explicit(&pool.claim, &w, w + 1, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            job->task(job->ctx, (size_t)(w & 0xffffffffu));
            atomic_fetch_add_explicit(&pool.done, 1, memory_order_release);
            w = atomic_load_explicit(&pool.claim, memory_order_relaxed);
        }
    }
}

/* arg: the generation current when the worker was created. A worker must
 * not read it itself: by the time it first takes the lock, the job it was
 * started for may already be posted. */
/*
 * A worker woken onto the CPU its caller is running on would take that CPU
 * from the caller (the scheduler often places a woken thread on the waker's
 * CPU), and the call would run on one CPU while another idles. Such a
 * worker moves itself off that CPU for the job — to the others its affinity
 * allows — and back to its own affinity afterwards: two system calls, only
 * when it happens. `mask` is the worker's own affinity, read when it started;
 * returns 1 if it moved (and must go back to `mask`).
 */
static int step_aside(int caller_cpu, const cpu_set_t *mask)
{
    if (caller_cpu < 0 || sched_getcpu() != caller_cpu || !CPU_ISSET(caller_cpu, mask))
        return 0;
    cpu_set_t others = *mask;
    CPU_CLR(caller_cpu, &others);
    if (CPU_COUNT(&others) == 0)
        return 0;
    return pthread_setaffinity_np(pthread_self(), sizeof others, &others) == 0;
}

/* While a task finishes on another thread, or the next job may be posted. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/*
 * How long a worker keeps watching for the next job before it sleeps. A
 * sleeping worker costs a call its wake-up — on this VM a good part of a
 * 1M-element call, which then runs mostly on the caller's thread — and a
 * spinning one costs a CPU that another process could use. 100 µs covers
 * the gap between back-to-back calls (measured: docs/threads.md) and is a
 * small fraction of what OpenMP's default (GOMP_SPINCOUNT) burns.
 */
#ifndef POOL_SPIN_NS
#define POOL_SPIN_NS 100000
#endif

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Watch the claim word for a job after `seen` (or a stop) for up to
 * POOL_SPIN_NS; the clock is read once every 64 pauses. */
static void spin_for_next(uint32_t seen)
{
    const uint64_t until = now_ns() + POOL_SPIN_NS;
    for (unsigned i = 1;; i++) {
        if ((uint32_t)(atomic_load_explicit(&pool.claim, memory_order_relaxed) >> 32) != seen ||
            atomic_load_explicit(&pool.stop, memory_order_relaxed))
            return;
        cpu_relax();
        if (i % 64 == 0 && now_ns() >= until)
            return;
    }
}

static void *worker(void *arg)
{
    uint32_t seen = (uint32_t)(uintptr_t)arg;
    cpu_set_t mask; /* its own affinity; all zero (never step aside) if unknown */
    if (pthread_getaffinity_np(pthread_self(), sizeof mask, &mask) != 0)
        CPU_ZERO(&mask);
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (!pool.stop && pool.generation == seen)
            pthread_cond_wait(&pool.wake, &pool.lock);
        if (pool.stop)
            break;
        seen = pool.generation;
        const struct pool_job job = pool.job;
        pthread_mutex_unlock(&pool.lock);

        fenv_t own;
        fegetenv(&own);
        fesetenv(&job.env);
        const int moved = step_aside(job.cpu, &mask);
        run_tasks(seen, &job);
        if (moved)
            pthread_setaffinity_np(pthread_self(), sizeof mask, &mask);
        fesetenv(&own);

        spin_for_next(seen);
        pthread_mutex_lock(&pool.lock);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

/* Stop and join every worker (call_lock held). */
static void pool_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stop = 1;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (size_t i = 0; i < pool.nworkers; i++)
        pthread_join(pool.threads[i], NULL);
    free(pool.threads);
    pool.threads = NULL;
    pool.nworkers = 0;
    pool.stop = 0;
}

/* Start `want` workers (call_lock held, none running). Workers block every
 * signal, so signals keep going to the application's own threads. Fewer
 * start if the system refuses: the pool then runs with what it has. */
static void pool_start(size_t want)
{
    pool.threads = malloc(want * sizeof *pool.threads);
    if (!pool.threads)
        return;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_mutex_lock(&pool.lock);
    for (size_t i = 0; i < want; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker, (void *)(uintptr_t)pool.generation) != 0)
            break;
        pool.nworkers++;
    }
    pthread_mutex_unlock(&pool.lock);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* fork(): the child inherits the locks held here and no workers. */
static void fork_prepare(void)
{
    pthread_mutex_lock(&pool.call_lock);
    pthread_mutex_lock(&pool.lock);
}

static void fork_parent(void)
{
    pthread_mutex_unlock(&pool.lock);
    pthread_mutex_unlock(&pool.call_lock);
}

static void fork_child(void)
{
    /* The parent's workers are not in this process: forget them (their
     * array is the parent's memory, freed as any other allocation). The
     * condition variable still counts them as waiters — a broadcast would
     * wait for them to acknowledge it, forever — so it starts afresh, and
     * so do the locks this thread holds. */
    free(pool.threads);
    pool.threads = NULL;
    pool.nworkers = 0;
    pool.stop = 0;
    pthread_cond_init(&pool.wake, NULL);
    pthread_mutex_init(&pool.lock, NULL);
    pthread_mutex_init(&pool.call_lock, NULL);
}

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void atfork_init(void)
{
    pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* Split calls so far, for tests (internal.h). */
static atomic_size_t jobs;

size_t actfn_internal_pool_jobs(void) { return atomic_load_explicit(&jobs, memory_order_relaxed); }

void actfn_pool_run(size_t ntasks, void (*task)(void *ctx, size_t t), void *ctx)
{
    atomic_fetch_add_explicit(&jobs, 1, memory_order_relaxed);
    const size_t want = actfn_pool_threads() - 1;
    if (ntasks < 2 || ntasks > 0xffffffffu || want == 0 || pthread_mutex_trylock(&pool.call_lock) != 0) {
        for (size_t t = 0; t < ntasks; t++)
            task(ctx, t);
        return;
    }
    pthread_once(&atfork_once, atfork_init);
    if (pool.nworkers != want) {
        if (pool.nworkers)
            pool_stop();
        pool_start(want);
    }

    pthread_mutex_lock(&pool.lock);
    const uint32_t gen = ++pool.generation;
    pool.job.task = task;
    pool.job.ctx = ctx;
    pool.job.ntasks = ntasks;
    fegetenv(&pool.job.env);
    pool.job.cpu = sched_getcpu();
    atomic_store_explicit(&pool.done, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.claim, (uint64_t)gen << 32, memory_order_relaxed);
    const struct pool_job job = pool.job;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);

    run_tasks(gen, &job);
    for (unsigned spins = 0; atomic_load_explicit(&pool.done, memory_order_acquire) < ntasks; spins++) {
        if (spins < 4096)
            cpu_relax();
        else
            sched_yield();
    }
    pthread_mutex_unlock(&pool.call_lock);
}
