/*
 * split.h — how a checked call is cut into tasks for the pool (pool.c,
 * SPEC §10). Included by api.c only.
 *
 * A split never changes what any output element is computed from, or in
 * which order a sum is taken: elementwise ops are cut into runs of
 * elements, softmax rows into runs of rows, prelu into blocks of channels
 * (each dalpha[c] stays one task's sum), maxout into runs of outer rows.
 * So every result is bit-identical for every thread count — and for a call
 * that finds the pool busy and runs its tasks on its own thread.
 *
 * A call is split only when each task gets at least `min_task` elements of
 * work (split_min_elems below, measured: docs/threads.md), so small calls
 * never touch the pool.
 */
#ifndef ACTFN_SPLIT_H
#define ACTFN_SPLIT_H

#include <stddef.h>
#include <stdint.h>

/* Tasks per thread: more than one, so that a thread slowed by another
 * process does not hold the others up; few enough that each task stays
 * long. */
#define SPLIT_TASKS_PER_THREAD 4

/* The cut of `units` units (elements or rows) into ntasks runs. Boundaries
 * are placed so that, where the output is element-aligned, each run's
 * output starts on a cache line: no two threads write one line. */
struct split {
    size_t units, ntasks;
    size_t unit_bytes; /* bytes of output per unit */
    uintptr_t out;     /* the output's address */
};

#define SPLIT_LINE 64

/* What the tasks of a prelu call cut (api_entry.h). */
enum { PRELU_BY_CHANNELS, PRELU_BY_OUTER, PRELU_BY_INNER };

/* How many tasks to cut `units` into: 1 (do not split) unless the work per
 * task — `unit_elems` elements per unit — reaches min_task elements. */
static inline size_t split_count(size_t units, size_t unit_elems, size_t min_task)
{
    const size_t threads = actfn_pool_threads();
    if (threads < 2 || units < 2)
        return 1;
    const size_t elems = units * unit_elems; /* fits: checked by api.c */
    size_t n = elems / (min_task ? min_task : 1);
    const size_t most = threads * SPLIT_TASKS_PER_THREAD;
    if (n > most)
        n = most;
    if (n > units)
        n = units;
    return n < 2 ? 1 : n;
}

/* The first unit of run t (t = ntasks gives `units`). */
static inline size_t split_start(const struct split *s, size_t t)
{
    if (t == 0)
        return 0;
    if (t >= s->ntasks)
        return s->units;
    /* The even cut, moved up to the next unit whose output starts a line. */
    const size_t even = s->units / s->ntasks * t + s->units % s->ntasks * t / s->ntasks;
    const uintptr_t at = s->out + even * s->unit_bytes;
    const uintptr_t line = (at + SPLIT_LINE - 1) & ~(uintptr_t)(SPLIT_LINE - 1);
    size_t u = even + (size_t)((line - at + s->unit_bytes - 1) / s->unit_bytes);
    return u < s->units ? u : s->units;
}

/* The units [*b, *e) of task t; 0 when that run is empty. */
static inline int split_range(const struct split *s, size_t t, size_t *b, size_t *e)
{
    *b = split_start(s, t);
    *e = split_start(s, t + 1);
    return *b < *e;
}

/* Run every task of `s`: on the pool when there are several, else the one
 * task (all the units) right here. */
static inline void split_run(const struct split *s, void (*task)(void *ctx, size_t t), void *ctx)
{
    if (s->ntasks > 1)
        actfn_pool_run(s->ntasks, task, ctx);
    else
        task(ctx, 0);
}

#endif /* ACTFN_SPLIT_H */
