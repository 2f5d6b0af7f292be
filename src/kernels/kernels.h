/*
 * kernels.h — every kernel body, compiled once per (ISA, type) unit.
 *
 * A unit defines ACTFN_TYPE_F32 or ACTFN_TYPE_F64, includes its vocabulary
 * (T, V, M, VW, vload, ... — see VOCABULARY.md), then this file, which
 *   1. includes the vector math (vmath.h) and the op files, each of which
 *      defines NAME_fwd_v(x, p) / NAME_bwd_v(in, dy, p) for its elementwise
 *      ops, or whole kernels for the shaped ops;
 *   2. turns each elementwise pair into loops over arrays;
 *   3. defines the unit's table ACTFN_KTAB (src/internal.h).
 */
#ifndef ACTFN_KERNELS_H
#define ACTFN_KERNELS_H

#include <math.h>
#include <stddef.h>

#include "internal.h"

#include "loops.h"

#include "vmath.h"

#include "relu.h"
#include "hard.h"
#include "sigmoid.h"
#include "tanh.h"
#include "elu.h"
#include "softplus.h"
#include "gelu.h"

#include "prelu.h"
#include "softmax.h"
#include "maxout.h"

ACTFN_UNARY_OPS(ACTFN_UNARY_LOOPS)

#define ACTFN_FWD_ENTRY(OP, name) [ACTFN_OP_##OP] = name##_fwd,
#define ACTFN_BWD_ENTRY(OP, name) [ACTFN_OP_##OP] = name##_bwd,

const ACTFN_KTAB_T ACTFN_KTAB = {
    .fwd = {ACTFN_UNARY_OPS(ACTFN_FWD_ENTRY)},
    .bwd = {ACTFN_UNARY_OPS(ACTFN_BWD_ENTRY)},
    .prelu_fwd = prelu_fwd,
    .prelu_bwd = prelu_bwd,
    .softmax_fwd = softmax_fwd,
    .softmax_bwd = softmax_bwd,
    .log_softmax_fwd = log_softmax_fwd,
    .log_softmax_bwd = log_softmax_bwd,
    .maxout_fwd = maxout_fwd,
    .maxout_bwd = maxout_bwd,
};

#undef ACTFN_FWD_ENTRY
#undef ACTFN_BWD_ENTRY

#endif /* ACTFN_KERNELS_H */
