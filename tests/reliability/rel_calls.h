/*
 * rel_calls.h — random but reproducible calls of any public function, for
 * the reliability tests that need many different calls (threads, FP
 * environment): one seed fixes the shape, the parameter set, the alignment
 * offsets and every input value, so a call can be re-made and re-run later
 * and its outputs compared bit for bit.
 *
 * Inputs are normal numbers away from overflow and underflow: x has a
 * magnitude in [2^-8, 8] and either sign; a backward "from y" gets values
 * its forward can produce (sigmoid (0,1), tanh (-1,1), softmax (0,1),
 * log_softmax < 0); dy and prelu slopes have magnitudes in [2^-4, 4].
 */
#ifndef ACTFN_REL_CALLS_H
#define ACTFN_REL_CALLS_H

#include <stdint.h>

#include "test_common.h"

typedef struct {
    const tc_op *op;
    tc_dtype dt;
    int backward;
    tc_buf in, alpha, dy, out, dalpha;
    tc_args args;
} rel_call;

/* Make a call of op / dt / pass from `seed`, with the parameter set
 * op->sets[param_set] (param_set < 0: one chosen by the seed). Buffers are
 * allocated; free them with rel_call_free. Thread-safe. */
void rel_call_make(rel_call *c, const tc_op *op, tc_dtype dt, int backward, int param_set, uint64_t seed);
/* The same with the dims given (tc_args.dim; NULL: chosen by the seed). */
void rel_call_make_shaped(rel_call *c, const tc_op *op, tc_dtype dt, int backward, int param_set, uint64_t seed,
                          const size_t shape[3]);
/* Run it through the public API (tc_call); returns the status. */
int rel_call_run(const rel_call *c);
/* A 64-bit hash of the bytes of out, and of dalpha too if with_dalpha. */
uint64_t rel_call_hash(const rel_call *c, int with_dalpha);
/* Every output element the same bit pattern in a and b (same op/dims). */
int rel_call_same_outputs(const rel_call *a, const rel_call *b);
void rel_call_free(rel_call *c);

/* A tc_rng seeded from a 64-bit value without touching any global state
 * (tc_rng_init records the seed globally, so is for the main thread). */
void rel_rng_seed(tc_rng *r, uint64_t seed);

#endif /* ACTFN_REL_CALLS_H */
