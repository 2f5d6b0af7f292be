/*
 * kernels.h — every kernel body, compiled once per (ISA, type, kernel set)
 * unit: the fast set, or with ACTFN_REPRO defined the reproducible set of
 * SPEC §8.
 *
 * A unit defines ACTFN_TYPE_F32 or ACTFN_TYPE_F64 (the type it computes
 * in) and, for the 16-bit types of SPEC §9, ACTFN_STORAGE_BF16 or
 * ACTFN_STORAGE_F16 (the type of the caller's arrays, storage.h), includes
 * its vocabulary (T, V, M, VW, vload, ... — see VOCABULARY.md), names its
 * table (ACTFN_KTAB; reproducible units also say which SLEEF functions to
 * use, repro_math.h), then includes this file, which
 *   1. includes the math the set is built from (vmath.h, or repro_math.h)
 *      and the family files of oplist.h, each of which defines
 *      <name>_fwd_v(x, p) / <name>_bwd_v(in, dy, p) for its elementwise ops,
 *      or whole kernels for the shaped ops, for the set being compiled;
 *   2. turns each elementwise pair into loops over arrays, and into the
 *      gated and fused bias kernels (fused.h);
 *   3. defines the unit's table (KERNEL_TABLE, loops.h).
 */
#ifndef ACTFN_KERNELS_H
#define ACTFN_KERNELS_H

#include <math.h>
#include <stddef.h>

#include "internal.h"

#include "loops.h"

#include "constants.h"

#ifdef ACTFN_REPRO
#include "repro_math.h"
#else
#include "vmath.h"
#endif

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

#include "fused.h"

KERNEL_TABLE;

#endif /* ACTFN_KERNELS_H */
