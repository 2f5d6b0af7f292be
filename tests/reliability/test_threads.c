/*
 * test_threads.c — thread safety (SPEC §1: "All calls are thread-safe").
 *
 *  1. first_use: 64 threads, released together by a barrier, make the
 *     process's first use of the library — through op calls of every op,
 *     pass and dtype, actfn_get_isa and actfn_isa_supported. All must see
 *     the same ISA (the one a fresh process should pick), and every result
 *     must equal, bit for bit, the same call made again afterwards on one
 *     thread.
 *  2. mixed_with_isa_switching: 63 threads make random calls of every op,
 *     pass and dtype while one more thread keeps switching the ISA with
 *     actfn_set_isa. Each call runs entirely on one ISA's table, so every
 *     result must equal, bit for bit, the result of the same call made
 *     single-threaded on one of the supported ISAs — and for the exact ops
 *     (SPEC §3: bit-identical on every ISA) the scalar table's result
 *     (their main output; prelu's dalpha is a sum with a budget).
 *
 * The first test must stay the first thing this process does with the
 * library. tests/reliability/meson.build also builds this file with
 * ThreadSanitizer (scripts/stages/12-tsan.sh). ACTFN_TEST_SCALE scales the
 * number of calls of the second test.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "rel_calls.h"
#include "rel_isa.h"
#include "test_common.h"

#define N_THREADS 64

/* One call a thread made: enough to re-make it, and what it produced. */
typedef struct {
    const tc_op *op;
    tc_dtype dt;
    int backward;
    uint64_t seed;
    int status;
    uint64_t hash;     /* every output */
    uint64_t out_hash; /* out only: prelu's dalpha is a sum, not an exact result */
} call_record;

/* The seed of call `i` of thread `t` (distinct for every pair). */
static uint64_t call_seed(uint64_t base, size_t t, size_t i)
{
    return base ^ ((uint64_t)t << 40) ^ ((uint64_t)i * 0x9e3779b97f4a7c15ULL);
}

static void make_and_run(call_record *rec)
{
    rel_call c;
    rel_call_make(&c, rec->op, rec->dt, rec->backward, -1, rec->seed);
    rec->status = rel_call_run(&c);
    rec->hash = rel_call_hash(&c, 1);
    rec->out_hash = rel_call_hash(&c, 0);
    rel_call_free(&c);
}

/* ---- 1. First use from 64 threads at once -------------------------------- */

typedef struct {
    pthread_barrier_t *barrier;
    call_record rec;
    int first_call;         /* 0: op call, 1: get_isa, 2: isa_supported */
    actfn_isa seen;         /* actfn_get_isa() after the first call */
} first_use_slot;

static void *first_use_thread(void *arg)
{
    first_use_slot *s = arg;
    /* Build the inputs before the barrier, so the threads really do meet in
     * the library. */
    rel_call c;
    rel_call_make(&c, s->rec.op, s->rec.dt, s->rec.backward, -1, s->rec.seed);
    pthread_barrier_wait(s->barrier);
    switch (s->first_call) {
    case 1:
        s->seen = actfn_get_isa();
        break;
    case 2:
        (void)actfn_isa_supported(ACTFN_ISA_AVX2);
        break;
    default:
        break;
    }
    s->rec.status = rel_call_run(&c);
    s->rec.hash = rel_call_hash(&c, 1);
    if (s->first_call != 1)
        s->seen = actfn_get_isa();
    rel_call_free(&c);
    return NULL;
}

static void first_use(void **state)
{
    (void)state;
    static first_use_slot slots[N_THREADS];
    pthread_t threads[N_THREADS];
    pthread_barrier_t barrier;
    tc_rng rng;
    tc_rng_init(&rng, 0xf1257, 1);
    const uint64_t base = tc_rng_u64(&rng);

    assert_int_equal(pthread_barrier_init(&barrier, NULL, N_THREADS), 0);
    for (size_t t = 0; t < N_THREADS; t++) {
        /* Spread the threads over the ops, passes and dtypes (every dtype
         * and pass, with ops of every kind). */
        slots[t] = (first_use_slot){
            .barrier = &barrier,
            .rec = {.op = &tc_ops[t % tc_op_count],
                    .dt = (tc_dtype)(t % TC_DTYPE_COUNT),
                    .backward = (int)(t / TC_DTYPE_COUNT % 2),
                    .seed = call_seed(base, t, 0)},
            .first_call = (int)(t % 3),
        };
        assert_int_equal(pthread_create(&threads[t], NULL, first_use_thread, &slots[t]), 0);
    }
    for (size_t t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    pthread_barrier_destroy(&barrier);

    /* Everyone saw the ISA a fresh process must choose... */
    const actfn_isa want = rel_expected_start_isa();
    for (size_t t = 0; t < N_THREADS; t++) {
        if (slots[t].seen != want)
            print_error("thread %zu saw ISA %s, want %s\n", t, actfn_isa_name(slots[t].seen),
                        actfn_isa_name(want));
        assert_int_equal(slots[t].seen, want);
    }
    assert_int_equal(actfn_get_isa(), want);
    /* ...and computed what one thread computes now. */
    for (size_t t = 0; t < N_THREADS; t++) {
        call_record again = slots[t].rec;
        make_and_run(&again);
        char label[64];
        tc_label(again.op, again.backward, again.dt, label, sizeof label);
        if (slots[t].rec.status != ACTFN_OK || again.hash != slots[t].rec.hash)
            print_error("thread %zu: %s status %d, result differs from a single-threaded run\n", t, label,
                        slots[t].rec.status);
        assert_int_equal(slots[t].rec.status, ACTFN_OK);
        assert_true(again.hash == slots[t].rec.hash);
    }
}

/* ---- 2. Mixed calls while the ISA keeps changing ------------------------- */

typedef struct {
    call_record *recs;
    size_t count;
    atomic_int *workers_left;
} worker_arg;

static void *worker_thread(void *arg)
{
    worker_arg *w = arg;
    for (size_t i = 0; i < w->count; i++)
        make_and_run(&w->recs[i]);
    atomic_fetch_sub(w->workers_left, 1);
    return NULL;
}

typedef struct {
    atomic_int *workers_left;
    actfn_isa isas[TC_MAX_ISAS];
    size_t n_isas;
    unsigned long switches;
    int failures;           /* set_isa refused, or get_isa not a supported ISA */
} switcher_arg;

static void *switcher_thread(void *arg)
{
    switcher_arg *s = arg;
    for (size_t i = 0; atomic_load(s->workers_left) > 0; i++) {
        const actfn_isa isa = s->isas[i % s->n_isas];
        if (actfn_set_isa(isa) != ACTFN_OK)
            s->failures++;
        if (!actfn_isa_supported(actfn_get_isa()))
            s->failures++;
        s->switches++;
        sched_yield();
    }
    return NULL;
}

static void mixed_with_isa_switching(void **state)
{
    (void)state;
    enum { N_WORKERS = N_THREADS - 1 };
    const size_t per_thread = tc_scaled(60);
    call_record *recs = calloc(N_WORKERS * per_thread, sizeof *recs);
    assert_non_null(recs);
    tc_rng rng;
    tc_rng_init(&rng, 0x5717c4, 2);
    const uint64_t base = tc_rng_u64(&rng);
    for (size_t t = 0; t < N_WORKERS; t++)
        for (size_t i = 0; i < per_thread; i++) {
            call_record *r = &recs[t * per_thread + i];
            r->seed = call_seed(base, t, i);
            tc_rng pick;
            rel_rng_seed(&pick, ~r->seed);
            r->op = &tc_ops[tc_rng_below(&pick, tc_op_count)];
            r->dt = (tc_dtype)tc_rng_below(&pick, TC_DTYPE_COUNT);
            r->backward = (int)tc_rng_below(&pick, 2);
        }

    atomic_int workers_left = N_WORKERS;
    switcher_arg sw = {.workers_left = &workers_left};
    sw.n_isas = tc_isas(sw.isas);
    worker_arg args[N_WORKERS];
    pthread_t workers[N_WORKERS], switcher;
    assert_int_equal(pthread_create(&switcher, NULL, switcher_thread, &sw), 0);
    for (size_t t = 0; t < N_WORKERS; t++) {
        args[t] = (worker_arg){.recs = &recs[t * per_thread], .count = per_thread, .workers_left = &workers_left};
        assert_int_equal(pthread_create(&workers[t], NULL, worker_thread, &args[t]), 0);
    }
    for (size_t t = 0; t < N_WORKERS; t++)
        assert_int_equal(pthread_join(workers[t], NULL), 0);
    assert_int_equal(pthread_join(switcher, NULL), 0);
    print_message("%zu calls on %d threads, %lu ISA switches over %zu ISAs\n", (size_t)N_WORKERS * per_thread,
                  N_WORKERS, sw.switches, sw.n_isas);
    assert_int_equal(sw.failures, 0);
    assert_true(sw.switches > 0);

    /* Re-run every call single-threaded on each ISA; the threaded result
     * must be one of those (and the scalar one for the exact ops). */
    const size_t total = (size_t)N_WORKERS * per_thread;
    unsigned char *matched = calloc(total, 1);
    uint64_t *scalar_out_hash = calloc(total, sizeof *scalar_out_hash);
    assert_non_null(matched);
    assert_non_null(scalar_out_hash);
    for (size_t k = 0; k < sw.n_isas; k++) {
        tc_use_isa(sw.isas[k]);
        for (size_t i = 0; i < total; i++) {
            call_record again = recs[i];
            make_and_run(&again);
            assert_int_equal(again.status, ACTFN_OK);
            matched[i] |= again.hash == recs[i].hash;
            if (sw.isas[k] == ACTFN_ISA_SCALAR)
                scalar_out_hash[i] = again.out_hash;
        }
    }
    tc_use_isa(rel_expected_best());

    tc_fails fails = {0};
    for (size_t i = 0; i < total; i++) {
        char label[64];
        tc_label(recs[i].op, recs[i].backward, recs[i].dt, label, sizeof label);
        if (recs[i].status != ACTFN_OK)
            tc_fail(&fails, "call %zu (%s): status %d", i, label, recs[i].status);
        else if (!matched[i])
            tc_fail(&fails, "call %zu (%s, seed %#llx): result matches no ISA's single-threaded result", i,
                    label, (unsigned long long)recs[i].seed);
        else if (recs[i].op->cls == TC_CLASS_EXACT && recs[i].out_hash != scalar_out_hash[i])
            tc_fail(&fails, "call %zu (%s): exact op differs from the scalar table", i, label);
    }
    tc_fails_summary(&fails, "threaded calls");
    free(matched);
    free(scalar_out_hash);
    free(recs);
    assert_int_equal(fails.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_use), /* must stay first: it is the first use */
        cmocka_unit_test(mixed_with_isa_switching),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
