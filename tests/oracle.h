/*
 * oracle.h — an independent long-double model of every libactfn op, used by
 * the tests to measure error. It shares no code with src/reference.c: every
 * formula here is written from SPEC §3 in cancellation-free long-double
 * forms (σ(−x) for 1−σ(x), (1−y)(1+y) for 1−y², log1p/expm1, erfc).
 *
 * Inputs are taken as exact values of T. Parameters must already be the
 * values of T the call sees (tc_params_round). Conditions (the kinks, the
 * softplus threshold) are evaluated as SPEC §3 writes them, in T, so the
 * oracle takes the same branch the contract prescribes.
 *
 * The piecewise-linear ops are returned correctly rounded to T (their one
 * product computed in T arithmetic, which IEEE rounds correctly); for bf16
 * and f16 exactly (their products are exact in long double), to be rounded
 * once to the storage type by the checks.
 *
 * bf16 / f16 (SPEC §9): dt is the storage type; what a call computes in
 * float (the softplus condition beta·x > threshold, the backward floors)
 * is computed for tc_compute_type(dt). Everything else is the exact
 * long-double value, which does not depend on the type.
 */
#ifndef ACTFN_TEST_ORACLE_H
#define ACTFN_TEST_ORACLE_H

#include <stddef.h>

#include "test_common.h"

/* Forward y = f(x) and backward dx = f'(in)·dy of an elementwise op. */
long double oracle_unary_fwd(tc_unary op, tc_dtype dt, long double x, const tc_params *par);
long double oracle_unary_bwd(tc_unary op, tc_dtype dt, long double in, long double dy, const tc_params *par);

/* The backward of an elementwise op read from x, for every op (sigmoid and
 * tanh included): dy·f'(x), as the fused and gated ops compute it. */
long double oracle_unary_dx(tc_unary op, tc_dtype dt, long double x, long double dy, const tc_params *par);

/* For the ops with an inner argument t (swish, softplus, gelu, gelu_tanh):
 * |t·∂f/∂t| at x (forward allowance A = 2ε·this), and |t·∂f'/∂t| at x
 * (backward floor ε|dy|·(1 + this)). 0 for the other ops and for inputs on
 * a branch that does not use t. */
long double oracle_unary_fwd_sens(tc_unary op, tc_dtype dt, long double x, const tc_params *par);
long double oracle_unary_bwd_sens(tc_unary op, tc_dtype dt, long double x, const tc_params *par);

/* One row of softmax (log == 0) or log_softmax (log == 1), with the rules of
 * SPEC §3 and the lead's decisions for NaN, +inf and all −inf rows.
 * sens (may be NULL) gets Σ_j |t_j·∂y_i/∂t_j| per entry, t = x − max. */
void oracle_softmax_row(int log, const long double *x, long double *y, long double *sens, size_t cols);
/* Backward of one row from y; floor (may be NULL) gets the §4 floor per
 * entry: ε·y·(|dy| + Σ|dy·y|) for softmax, ε·(|dy| + e^y·Σ|dy|) for
 * log_softmax. */
void oracle_softmax_bwd_row(int log, tc_dtype dt, const long double *y, const long double *dy, long double *dx,
                            long double *floor, size_t cols);

/* prelu forward/backward of one element with slope a (exact, in T). */
/* a·b with the zero-factor rule: an exact ±0 times ±inf gives ±0 (sign of
 * the product of the signs), never NaN; NaN factors still give NaN. */
long double oracle_lim_mul(long double a, long double b);

long double oracle_prelu_fwd(tc_dtype dt, long double x, long double a);
long double oracle_prelu_bwd(tc_dtype dt, long double x, long double a, long double dy);

/* maxout: the selected piece among x[0], x[stride], ..., x[(k-1)·stride]
 * (ties: lowest index; the first NaN wins). */
size_t oracle_maxout_select(tc_dtype dt, const void *x, size_t stride, size_t k);

#endif /* ACTFN_TEST_ORACLE_H */
