/*
 * loops.h — the pieces of the kernel layer that both kernel sets share (the
 * fast set, kernels.h, and the reproducible set, repro.h): the inlining
 * attribute, the pairwise running sum (struct vsum) and the array loops
 * around an elementwise op's vector body. Needs a vocabulary included first.
 */
#ifndef ACTFN_KERNELS_LOOPS_H
#define ACTFN_KERNELS_LOOPS_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "constants.h"
#include "derived.h"
#include "oplist.h"
#include "storage.h"

/*
 * Pairwise summation of a stream of vectors, for the reductions whose error
 * budget grows only with log2 of the term count (softmax sums, prelu
 * dalpha). The caller adds terms per lane into a block vector of at most
 * VSUM_BLOCK terms (kept in a register: vsum_add below), and hands each full
 * block to vsum_push; a binary counter combines block sums so they meet in
 * a balanced tree. vsum_lanes / vsum_total fold the levels with the last,
 * partial block, then (total) the lanes by vreduce_add's pairwise tree.
 */
#define VSUM_BLOCK 8
#define VSUM_LEVELS 64

struct vsum {
    unsigned long long full; /* bit l: level[l] holds the sum of 2^l blocks */
    V level[VSUM_LEVELS];
};

static inline void vsum_init(struct vsum *s)
{
    s->full = 0;
}

/* The counter's two steps on a bare array of levels, for callers that keep
 * many sums with one count (fused.h's bias backward): `full` blocks came
 * before. A push meets the full levels below the first empty one and lands
 * there (the count then goes up by one); a fold adds the full levels to the
 * last, partial block. */
static inline void vsum_levels_push(V *level, unsigned long long full, V block)
{
    unsigned l = 0;
    for (; full >> l & 1; l++)
        block = vadd(level[l], block);
    level[l] = block;
}

static inline V vsum_levels_fold(const V *level, unsigned long long full, V block)
{
    for (unsigned l = 0; full >> l; l++)
        if (full >> l & 1)
            block = vadd(level[l], block);
    return block;
}

static inline void vsum_push(struct vsum *s, V block)
{
    vsum_levels_push(s->level, s->full, block);
    s->full++; /* the binary counter: the full levels met clear, the landing one sets */
}

/* *block += term; a full block goes to the counter and restarts. */
static inline void vsum_add(struct vsum *s, V *block, unsigned *in_block, V term)
{
    *block = vadd(*block, term);
    if (++*in_block == VSUM_BLOCK) {
        vsum_push(s, *block);
        *block = vzero();
        *in_block = 0;
    }
}

/* The per-lane sums (each lane's own pairwise tree). */
static inline V vsum_lanes(const struct vsum *s, V block)
{
    return vsum_levels_fold(s->level, s->full, block);
}

/* The sum of all terms of all lanes. */
static inline T vsum_total(const struct vsum *s, V block)
{
    return vreduce_add(vsum_lanes(s, block));
}

/* The types of the unit's table and of the parameters its elementwise
 * kernels receive (src/internal.h); the unit names the table: ACTFN_KTAB. */
#if defined(ACTFN_STORAGE_BF16)
#define ACTFN_KTAB_T struct actfn_ktab_bf16
#define ACTFN_PARAMS_T struct actfn_params_f32
#elif defined(ACTFN_STORAGE_F16)
#define ACTFN_KTAB_T struct actfn_ktab_f16
#define ACTFN_PARAMS_T struct actfn_params_f32
#elif defined(ACTFN_TYPE_F32)
#define ACTFN_KTAB_T struct actfn_ktab_f32
#define ACTFN_PARAMS_T struct actfn_params_f32
#else
#define ACTFN_KTAB_T struct actfn_ktab_f64
#define ACTFN_PARAMS_T struct actfn_params_f64
#endif

/* The parameters of an elementwise op, broadcast once per call: bodies
 * read p->alpha, p->beta, ... (the names of oplist.h). */
#define KERNEL_VPARAM_MEMBER(pname) V pname;
struct vparams {
    ACTFN_PARAM_NAMES(KERNEL_VPARAM_MEMBER)
};
#undef KERNEL_VPARAM_MEMBER
#define KERNEL_VPARAM_INIT(pname) .pname = vset1(p->pname),
#define KERNEL_VPARAMS(p) {ACTFN_PARAM_NAMES(KERNEL_VPARAM_INIT)}

/*
 * Stores past the caches. A call whose arrays are far larger than the
 * last-level cache (api.c sets p->stream, by a measured size) gains from
 * writing its output with vstore_stream: an ordinary store first reads the
 * line it writes (read for ownership), so a forward pass moves three bytes
 * over the memory bus for every two it needs. Those stores want an output
 * aligned to a whole vector: stream_head is the count of elements before
 * the first aligned one (< VW, done by a partial store), or STREAM_OFF where
 * the call does not stream — not asked to, an output not aligned to its own
 * element (it never reaches a vector boundary), or too short. The results
 * are the same bits either way: only the store differs.
 */
#define STREAM_OFF SIZE_MAX

static inline size_t stream_head(const S *y, size_t n, unsigned stream)
{
    const uintptr_t at = (uintptr_t)y, bytes = VW * sizeof(S);
    if (!stream || at % sizeof(S) != 0 || n < 2 * VW)
        return STREAM_OFF;
    return (size_t)((bytes - at % bytes) % bytes / sizeof(S));
}

/* A full vector's store, past the caches or not (a constant once inlined). */
#define LOOP_STORE(stream, p, v) ((stream) ? sstore_stream(p, v) : sstore(p, v))

/*
 * The array loops of one elementwise op (arrays of the storage type S,
 * storage.h): the parameters are broadcast once,
 * full vectors go four at a time (independent chains hide the latency of the
 * longer bodies), then single vectors, then one masked tail that touches
 * nothing past n. Each vector is loaded before its result is stored, so
 * y == x (and dx == in or dx == dy) works. The loops from element i on
 * (name_fwd_loop) are written once and compiled twice: with ordinary stores,
 * and with stores past the caches from an aligned y + i.
 */
#define ACTFN_UNARY_LOOPS(name, NAME, from, cls, family)                                             \
    KERNEL_INLINE void name##_fwd_loop(const S *x, S *y, size_t i, size_t n, const struct vparams *pv, \
                                       const int stream)                                            \
    {                                                                                               \
        for (; i + 4 * VW <= n; i += 4 * VW) {                                                      \
            const V a = sload(x + i), b = sload(x + i + VW);                                        \
            const V c = sload(x + i + 2 * VW), d = sload(x + i + 3 * VW);                           \
            LOOP_STORE(stream, y + i, name##_fwd_v(a, pv));                                         \
            LOOP_STORE(stream, y + i + VW, name##_fwd_v(b, pv));                                    \
            LOOP_STORE(stream, y + i + 2 * VW, name##_fwd_v(c, pv));                                \
            LOOP_STORE(stream, y + i + 3 * VW, name##_fwd_v(d, pv));                                \
        }                                                                                           \
        for (; i + VW <= n; i += VW)                                                                \
            LOOP_STORE(stream, y + i, name##_fwd_v(sload(x + i), pv));                              \
        if (i < n)                                                                                  \
            sstore_part(y + i, name##_fwd_v(sload_part(x + i, n - i), pv), n - i);                  \
    }                                                                                               \
    static void name##_fwd(const S *x, S *y, size_t n, const ACTFN_PARAMS_T *p)                     \
    {                                                                                               \
        const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;                                   \
        const size_t head = stream_head(y, n, p->stream);                                           \
        if (head == STREAM_OFF) {                                                                   \
            name##_fwd_loop(x, y, 0, n, pv, 0);                                                     \
            return;                                                                                 \
        }                                                                                           \
        if (head)                                                                                   \
            sstore_part(y, name##_fwd_v(sload_part(x, head), pv), head);                            \
        name##_fwd_loop(x, y, head, n, pv, 1);                                                      \
        vstream_fence();                                                                            \
    }                                                                                               \
    KERNEL_INLINE void name##_bwd_loop(const S *in, const S *dy, S *dx, size_t i, size_t n,          \
                                       const struct vparams *pv, const int stream)                  \
    {                                                                                               \
        for (; i + 4 * VW <= n; i += 4 * VW) {                                                      \
            const V a = sload(in + i), b = sload(in + i + VW);                                      \
            const V c = sload(in + i + 2 * VW), d = sload(in + i + 3 * VW);                         \
            const V da = sload(dy + i), db = sload(dy + i + VW);                                    \
            const V dc = sload(dy + i + 2 * VW), dd = sload(dy + i + 3 * VW);                       \
            LOOP_STORE(stream, dx + i, name##_bwd_v(a, da, pv));                                    \
            LOOP_STORE(stream, dx + i + VW, name##_bwd_v(b, db, pv));                               \
            LOOP_STORE(stream, dx + i + 2 * VW, name##_bwd_v(c, dc, pv));                           \
            LOOP_STORE(stream, dx + i + 3 * VW, name##_bwd_v(d, dd, pv));                           \
        }                                                                                           \
        for (; i + VW <= n; i += VW)                                                                \
            LOOP_STORE(stream, dx + i, name##_bwd_v(sload(in + i), sload(dy + i), pv));             \
        if (i < n) {                                                                                \
            const size_t r = n - i;                                                                 \
            sstore_part(dx + i, name##_bwd_v(sload_part(in + i, r), sload_part(dy + i, r), pv), r); \
        }                                                                                           \
    }                                                                                               \
    static void name##_bwd(const S *in, const S *dy, S *dx, size_t n, const ACTFN_PARAMS_T *p)       \
    {                                                                                               \
        const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;                                   \
        const size_t head = stream_head(dx, n, p->stream);                                          \
        if (head == STREAM_OFF) {                                                                   \
            name##_bwd_loop(in, dy, dx, 0, n, pv, 0);                                               \
            return;                                                                                 \
        }                                                                                           \
        if (head)                                                                                   \
            sstore_part(dx, name##_bwd_v(sload_part(in, head), sload_part(dy, head), pv), head);    \
        name##_bwd_loop(in, dy, dx, head, n, pv, 1);                                                \
        vstream_fence();                                                                            \
    }

/*
 * The unit's table (src/internal.h): both kernel sets name their kernels
 * alike — <op>_fwd / <op>_bwd for every elementwise op of oplist.h, the
 * shaped kernels, bias_<op>_fwd / _bwd and the gated <op>_fwd / _bwd
 * (fused.h) — so one definition serves both. The unit names the
 * table (ACTFN_KTAB) and its type (ACTFN_KTAB_T).
 */
#define KERNEL_FWD_ENTRY(name, NAME, from, cls, family) [ACTFN_OP_##NAME] = name##_fwd,
#define KERNEL_BWD_ENTRY(name, NAME, from, cls, family) [ACTFN_OP_##NAME] = name##_bwd,
#define KERNEL_BIAS_FWD_ENTRY(name, NAME, from, cls, family) [ACTFN_OP_##NAME] = bias_##name##_fwd,
#define KERNEL_BIAS_BWD_ENTRY(name, NAME, from, cls, family) [ACTFN_OP_##NAME] = bias_##name##_bwd,
#define KERNEL_GLU_FWD_ENTRY(name, NAME, act, ACT, gate) [ACTFN_GLU_##NAME] = name##_fwd,
#define KERNEL_GLU_BWD_ENTRY(name, NAME, act, ACT, gate) [ACTFN_GLU_##NAME] = name##_bwd,
#define KERNEL_TABLE                                                                                \
    const ACTFN_KTAB_T ACTFN_KTAB = {                                                               \
        .fwd = {ACTFN_UNARY_OPS(KERNEL_FWD_ENTRY)},                                                 \
        .bwd = {ACTFN_UNARY_OPS(KERNEL_BWD_ENTRY)},                                                 \
        .prelu_fwd = prelu_fwd,                                                                     \
        .prelu_bwd = prelu_bwd,                                                                     \
        .softmax_fwd = softmax_fwd,                                                                 \
        .softmax_bwd = softmax_bwd,                                                                 \
        .log_softmax_fwd = log_softmax_fwd,                                                         \
        .log_softmax_bwd = log_softmax_bwd,                                                         \
        .maxout_fwd = maxout_fwd,                                                                   \
        .maxout_bwd = maxout_bwd,                                                                   \
        .glu_fwd = {ACTFN_GLU_OPS(KERNEL_GLU_FWD_ENTRY)},                                           \
        .glu_bwd = {ACTFN_GLU_OPS(KERNEL_GLU_BWD_ENTRY)},                                           \
        .bias_fwd = {ACTFN_UNARY_OPS(KERNEL_BIAS_FWD_ENTRY)},                                       \
        .bias_bwd = {ACTFN_UNARY_OPS(KERNEL_BIAS_BWD_ENTRY)},                                       \
    }

#endif /* ACTFN_KERNELS_LOOPS_H */
