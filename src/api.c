/*
 * api.c — the public entry points: every argument check of SPEC §5 in one
 * place, then one call through the active kernel table.
 *
 * Checks run in the order the header documents: parameters, size products,
 * NULL pointers, overlap. Nothing is written before all checks pass.
 * The entry points themselves are written once in api_entry.h and
 * instantiated here for float and double.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>

#include "internal.h"
#include "split.h"

/* ---- Messages (SPEC §5) ------------------------------------------------- */

const char *actfn_strerror(int status)
{
    switch (status) {
    case ACTFN_OK:
        return "success";
    case ACTFN_ERR_NULL:
        return "a required pointer is NULL while the element count is > 0";
    case ACTFN_ERR_OVERLAP:
        return "an output partially overlaps an input or another output";
    case ACTFN_ERR_PARAM:
        return "a parameter is NaN or outside its domain";
    case ACTFN_ERR_SIZE:
        return "a size product overflows size_t";
    case ACTFN_ERR_UNSUPPORTED:
        return "the requested ISA is not supported by this CPU, OS or build";
    default:
        return "unknown actfn status";
    }
}

/* ---- Checks shared by every entry point --------------------------------- */

/* A span of memory an argument covers: [p, p + bytes). */
struct span {
    const void *p;
    size_t bytes;
};

/* An output may be exactly one input (same start, same length) or disjoint
 * from it; anything in between is partial overlap. */
static int partial_overlap(struct span out, struct span other)
{
    if (!out.p || !other.p || out.bytes == 0 || other.bytes == 0)
        return 0;
    const uintptr_t a = (uintptr_t)out.p, b = (uintptr_t)other.p;
    const int disjoint = a + out.bytes <= b || b + other.bytes <= a;
    const int exact = a == b && out.bytes == other.bytes;
    return !disjoint && !exact;
}

/* Two outputs must be fully disjoint (no exact aliasing allowed). */
static int any_overlap(struct span a, struct span b)
{
    if (!a.p || !b.p || a.bytes == 0 || b.bytes == 0)
        return 0;
    const uintptr_t pa = (uintptr_t)a.p, pb = (uintptr_t)b.p;
    return !(pa + a.bytes <= pb || pb + b.bytes <= pa);
}

/* *prod = a * b, or 0 when that overflows size_t. */
static int mul_size(size_t a, size_t b, size_t *prod)
{
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *prod = a * b;
    return 1;
}

/* The element count, and then the byte count, of a shaped array: both must
 * fit size_t (the byte count so that overlap checks are meaningful). */
static int shape_count(size_t elem_size, size_t a, size_t b, size_t c, size_t *count)
{
    size_t ab, abc, bytes;
    if (!mul_size(a, b, &ab) || !mul_size(ab, c, &abc) || !mul_size(abc, elem_size, &bytes))
        return ACTFN_ERR_SIZE;
    *count = abc;
    return ACTFN_OK;
}

/* The parameter domains of oplist.h (SPEC §5): v is one parameter, par all
 * of its op's (api_entry.h checks each in signature order). */
#define PARAM_OK_ANY(v, par) (!isnan(v))
#define PARAM_OK_FINITE(v, par) isfinite(v)
#define PARAM_OK_FINITE_NONZERO(v, par) (isfinite(v) && (v) != 0)
#define PARAM_OK_NOT_BELOW_MIN_VAL(v, par) (!isnan(v) && (v) >= (par).min_val)

/* Elementwise forward: y = f(x). */
static int check_unary_fwd(size_t elem_size, const void *x, const void *y, size_t n)
{
    size_t count;
    int s = shape_count(elem_size, n, 1, 1, &count);
    if (s != ACTFN_OK || n == 0)
        return s;
    if (!x || !y)
        return ACTFN_ERR_NULL;
    const struct span sy = {y, n * elem_size}, sx = {x, n * elem_size};
    return partial_overlap(sy, sx) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

/* Elementwise backward: dx = f'(in) * dy. */
static int check_unary_bwd(size_t elem_size, const void *in, const void *dy, const void *dx, size_t n)
{
    size_t count;
    int s = shape_count(elem_size, n, 1, 1, &count);
    if (s != ACTFN_OK || n == 0)
        return s;
    if (!in || !dy || !dx)
        return ACTFN_ERR_NULL;
    const size_t bytes = n * elem_size;
    const struct span sdx = {dx, bytes}, sin = {in, bytes}, sdy = {dy, bytes};
    return partial_overlap(sdx, sin) || partial_overlap(sdx, sdy) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

/* Row-wise ops (softmax, log_softmax): forward reads x and writes y;
 * backward reads y and dy and writes dx (dy is NULL for the forward). */
static int check_rows(size_t elem_size, const void *in, const void *dy, const void *out, size_t rows,
                      size_t cols, int backward)
{
    size_t count;
    int s = shape_count(elem_size, rows, cols, 1, &count);
    if (s != ACTFN_OK || count == 0)
        return s;
    if (!in || !out || (backward && !dy))
        return ACTFN_ERR_NULL;
    const size_t bytes = count * elem_size;
    const struct span so = {out, bytes}, sin = {in, bytes}, sdy = {dy, bytes};
    return partial_overlap(so, sin) || partial_overlap(so, sdy) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

static int check_prelu_fwd(size_t elem_size, const void *x, const void *alpha, const void *y, size_t outer,
                           size_t channels, size_t inner)
{
    size_t count;
    int s = shape_count(elem_size, outer, channels, inner, &count);
    if (s != ACTFN_OK || count == 0)
        return s;
    if (!x || !alpha || !y)
        return ACTFN_ERR_NULL;
    const size_t bytes = count * elem_size;
    const struct span sy = {y, bytes}, sx = {x, bytes}, sa = {alpha, channels * elem_size};
    return partial_overlap(sy, sx) || any_overlap(sy, sa) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

static int check_prelu_bwd(size_t elem_size, const void *x, const void *alpha, const void *dy, const void *dx,
                           const void *dalpha, size_t outer, size_t channels, size_t inner)
{
    size_t count;
    int s = shape_count(elem_size, outer, channels, inner, &count);
    if (s != ACTFN_OK)
        return s;
    if (count == 0) {
        /* Nothing to read; dalpha, if given, is still overwritten with zeros
         * for every channel, so it must be writable and not overlap alpha. */
        if (channels == 0 || !dalpha)
            return ACTFN_OK;
        const struct span sda = {dalpha, channels * elem_size}, sa = {alpha, channels * elem_size};
        return any_overlap(sda, sa) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
    }
    if (!x || !alpha || !dy || !dx)
        return ACTFN_ERR_NULL;
    const size_t bytes = count * elem_size, abytes = channels * elem_size;
    const struct span sx = {x, bytes}, sdy = {dy, bytes}, sdx = {dx, bytes};
    const struct span sa = {alpha, abytes}, sda = {dalpha, abytes};
    if (partial_overlap(sdx, sx) || partial_overlap(sdx, sdy) || any_overlap(sdx, sa))
        return ACTFN_ERR_OVERLAP;
    if (any_overlap(sda, sx) || any_overlap(sda, sdy) || any_overlap(sda, sdx) || any_overlap(sda, sa))
        return ACTFN_ERR_OVERLAP;
    return ACTFN_OK;
}

/* The gated ops: a, b (and dy) of n elements in; y (forward) or da and db
 * (backward, db != NULL) out. Each output may be exactly one input or
 * disjoint from all; da and db must be disjoint from each other. */
static int check_glu(size_t elem_size, const void *a, const void *b, const void *dy, const void *out,
                     const void *db, size_t n)
{
    size_t count;
    int s = shape_count(elem_size, n, 1, 1, &count);
    if (s != ACTFN_OK || n == 0)
        return s;
    const int backward = db != NULL || dy != NULL;
    if (!a || !b || !out || (backward && (!dy || !db)))
        return ACTFN_ERR_NULL;
    const size_t bytes = n * elem_size;
    const struct span sa = {a, bytes}, sb = {b, bytes}, sdy = {dy, bytes};
    const struct span outs[2] = {{out, bytes}, {db, bytes}};
    for (int i = 0; i < 2; i++)
        if (partial_overlap(outs[i], sa) || partial_overlap(outs[i], sb) || partial_overlap(outs[i], sdy))
            return ACTFN_ERR_OVERLAP;
    return any_overlap(outs[0], outs[1]) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

/* maxout: in = x (outer, k, inner); out = y (outer, inner) for the forward,
 * dx (outer, k, inner) for the backward, whose `dy` is (outer, inner). */
static int check_maxout(size_t elem_size, const void *x, const void *dy, const void *out, size_t outer, size_t k,
                        size_t inner, int backward)
{
    size_t count, ocount;
    if (k == 0)
        return ACTFN_ERR_PARAM;
    int s = shape_count(elem_size, outer, k, inner, &count);
    if (s != ACTFN_OK)
        return s;
    ocount = outer * inner; /* <= count, so it fits */
    if (count == 0)
        return ACTFN_OK;
    if (!x || !out || (backward && !dy))
        return ACTFN_ERR_NULL;
    const struct span sx = {x, count * elem_size};
    if (!backward) {
        const struct span sy = {out, ocount * elem_size};
        return partial_overlap(sy, sx) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
    }
    const struct span sdx = {out, count * elem_size}, sdy = {dy, ocount * elem_size};
    return partial_overlap(sdx, sx) || partial_overlap(sdx, sdy) ? ACTFN_ERR_OVERLAP : ACTFN_OK;
}

/* ---- Splitting (split.h) ------------------------------------------------ */

/*
 * The least work, in elements, that a task of a split call gets, by the
 * op's accuracy class (oplist.h) as a proxy for its cost per element: the
 * exact and piecewise-linear ops are a few instructions per vector, the
 * smooth ones one or two transcendentals. A call is split when it gives at
 * least two tasks this much. Measured on the 2-core AVX-512 machine the
 * library is tuned on (docs/threads.md): below these a second thread's
 * wake-up costs more than it saves.
 */
#define SPLIT_MIN_EXACT 262144
#define SPLIT_MIN_HARD 262144
#define SPLIT_MIN_SMOOTH 65536
#define SPLIT_MIN_INNER 65536

/* Each elementwise op's threshold by name, for the gated ops: a gated op
 * costs what its gate's activation costs. */
#define SPLIT_MIN_OF(name, NAME, from, cls, family) SPLIT_MIN_OF_##NAME = SPLIT_MIN_##cls,
enum { ACTFN_UNARY_OPS(SPLIT_MIN_OF) };
#undef SPLIT_MIN_OF

static atomic_size_t split_min_override;

void actfn_internal_set_split_min(size_t elems)
{
    atomic_store_explicit(&split_min_override, elems, memory_order_relaxed);
}

static size_t split_min(size_t measured)
{
    const size_t o = atomic_load_explicit(&split_min_override, memory_order_relaxed);
    return o ? o : measured;
}

/*
 * Stores past the caches (kernels/loops.h). Where an elementwise kernel is
 * faster than memory, a call whose arrays (inputs and output) add up to at
 * least ACTFN_STREAM_MIN_BYTES (internal.h) stores its output with non-temporal stores, and
 * saves the read of every output line before it is written. Measured on
 * the machine the library is tuned on (Zen 4, 32 MiB L3, AVX-512 f32,
 * docs/threads.md): relu6 forward and sigmoid backward, 1 and 2 threads,
 * gain 1.3–1.6× from 40 MiB on; at 24–32 MiB two threads still lose up to
 * 0.6× (the arrays fit the L3, which ordinary stores keep using).
 *
 * Which passes outrun memory, by the op's class and `from` (oplist.h):
 * the exact and piecewise-linear ops (1.2–1.8× at 16M on AVX-512 and
 * AVX2, f32 and f64), and the backward of the ops that read y (sigmoid,
 * tanh: 1.4× on both ISAs). The other smooth passes compute longer than
 * memory takes; streaming cost them up to 0.85× (mish, gelu forward,
 * AVX-512) and every smooth forward on AVX2 0.88–0.98×.
 */
#define STREAM_EXACT 1
#define STREAM_HARD 1
#define STREAM_SMOOTH 0
#define STREAM_INNER 0
#define STREAM_BWD_FROM_X 0
#define STREAM_BWD_FROM_Y 1

static atomic_size_t stream_min_override;

void actfn_internal_set_stream_min(size_t bytes)
{
    atomic_store_explicit(&stream_min_override, bytes, memory_order_relaxed);
}

static atomic_size_t stream_calls;

size_t actfn_internal_stream_calls(void)
{
    return atomic_load_explicit(&stream_calls, memory_order_relaxed);
}

/* For `arrays` arrays of `bytes` each (compared so that nothing overflows). */
static unsigned stream_wanted(size_t bytes, size_t arrays)
{
    const size_t o = atomic_load_explicit(&stream_min_override, memory_order_relaxed);
    if (bytes < (o ? o : ACTFN_STREAM_MIN_BYTES) / arrays)
        return 0;
    atomic_fetch_add_explicit(&stream_calls, 1, memory_order_relaxed);
    return 1;
}

/* ---- The entry points, once per type ------------------------------------ */

#define T float
#define PT float
#define SFX f32
#define PARAMS_T struct actfn_params_f32
#define KTAB actfn_active_f32
#define KTAB_T struct actfn_ktab_f32
#include "api_entry.h"

#define T double
#define PT double
#define SFX f64
#define PARAMS_T struct actfn_params_f64
#define KTAB actfn_active_f64
#define KTAB_T struct actfn_ktab_f64
#include "api_entry.h"

/* The 16-bit storage types (SPEC §9): float parameters, checked as the
 * f32 entry points check them. */
#define T actfn_bf16
#define PT float
#define SFX bf16
#define PARAMS_T struct actfn_params_f32
#define KTAB actfn_active_bf16
#define KTAB_T struct actfn_ktab_bf16
#include "api_entry.h"

#define T actfn_f16
#define PT float
#define SFX f16
#define PARAMS_T struct actfn_params_f32
#define KTAB actfn_active_f16
#define KTAB_T struct actfn_ktab_f16
#include "api_entry.h"
