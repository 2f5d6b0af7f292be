/*
 * internal.h — what the layers of libactfn agree on, and nothing else.
 *
 *   api.c        checks arguments (SPEC §5), then makes one call through the
 *                kernel table of the active ISA;
 *   dispatch.c   chooses that table once (CPU detection, ACTFN_ISA);
 *   reference.c  the scalar reference table (the oracle and the fallback);
 *   x86/, arm/   one table per ISA and type, compiled from the ISA-neutral
 *                kernel bodies in kernels/.
 *
 * Kernels receive arguments already checked: pointers valid (or n == 0),
 * sizes whose products fit size_t, parameters in their domain, and outputs
 * that are either disjoint from inputs or exactly equal to one of them.
 */
#ifndef ACTFN_INTERNAL_H
#define ACTFN_INTERNAL_H

#include <stddef.h>

#include "actfn.h"

#include "oplist.h"

/* The elementwise operations, in the order of SPEC §3 (oplist.h). */
#define ACTFN_OP_ENUM(name, NAME, from, cls, family) ACTFN_OP_##NAME,
enum actfn_unary_op { ACTFN_UNARY_OPS(ACTFN_OP_ENUM) ACTFN_UNARY_COUNT };
#undef ACTFN_OP_ENUM

/* The gated ops (oplist.h), in the order of SPEC §11. */
#define ACTFN_GLU_ENUM(name, NAME, act, ACT, gate) ACTFN_GLU_##NAME,
enum actfn_glu_op { ACTFN_GLU_OPS(ACTFN_GLU_ENUM) ACTFN_GLU_COUNT };
#undef ACTFN_GLU_ENUM

/* The scalar parameters of an elementwise op, by name (members an op does
 * not have are 0): kernels read p->beta, never a position. One member is a
 * choice of api.c rather than a parameter: `stream`, nonzero where the
 * call is large enough that the elementwise kernels store their output
 * past the caches (kernels/loops.h; the same bits either way). */
#define ACTFN_PARAM_MEMBER_F32(pname) float pname;
#define ACTFN_PARAM_MEMBER_F64(pname) double pname;
struct actfn_params_f32 {
    ACTFN_PARAM_NAMES(ACTFN_PARAM_MEMBER_F32)
    unsigned stream;
};
struct actfn_params_f64 {
    ACTFN_PARAM_NAMES(ACTFN_PARAM_MEMBER_F64)
    unsigned stream;
};
#undef ACTFN_PARAM_MEMBER_F32
#undef ACTFN_PARAM_MEMBER_F64
/* The 16-bit storage types take float parameters (SPEC §9): code generated
 * per type names their parameter struct actfn_params_<t> too. */
#define actfn_params_bf16 actfn_params_f32
#define actfn_params_f16 actfn_params_f32

/* SELU constants (SPEC §3), to full double precision. */
#define ACTFN_SELU_LAMBDA 1.0507009873554804934193349852946
#define ACTFN_SELU_ALPHA 1.6732632423543772848170429916717

/*
 * One kernel table per ISA and type. T is the element type, t its suffix.
 * The members mirror the public API with checked arguments; `in` of a
 * backward is x or y as SPEC §3 says for that op. prelu's kernels and the
 * fused bias kernels (bias_fwd[op], indexed by the elementwise op) take a
 * channel range [c0, c1) of every outer row (the pool splits by channels).
 * The gated kernels (glu_fwd[op], SPEC §11) take two arrays of n.
 */
#define ACTFN_DECLARE_KTAB(t, T, pt)                                                                   \
    typedef void (*actfn_unary_fwd_##t)(const T *x, T *y, size_t n, const struct actfn_params_##pt *p); \
    typedef void (*actfn_unary_bwd_##t)(const T *in, const T *dy, T *dx, size_t n,                     \
                                        const struct actfn_params_##pt *p);                            \
    struct actfn_ktab_##t {                                                                            \
        actfn_unary_fwd_##t fwd[ACTFN_UNARY_COUNT];                                                     \
        actfn_unary_bwd_##t bwd[ACTFN_UNARY_COUNT];                                                     \
        void (*prelu_fwd)(const T *x, const T *alpha, T *y, size_t outer, size_t channels, size_t inner, \
                          size_t c0, size_t c1);                                                       \
        void (*prelu_bwd)(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha, size_t outer,      \
                          size_t channels, size_t inner, size_t c0, size_t c1);                        \
        void (*softmax_fwd)(const T *x, T *y, size_t rows, size_t cols);                                \
        void (*softmax_bwd)(const T *y, const T *dy, T *dx, size_t rows, size_t cols);                  \
        void (*log_softmax_fwd)(const T *x, T *y, size_t rows, size_t cols);                            \
        void (*log_softmax_bwd)(const T *y, const T *dy, T *dx, size_t rows, size_t cols);              \
        void (*maxout_fwd)(const T *x, T *y, size_t outer, size_t k, size_t inner);                     \
        void (*maxout_bwd)(const T *x, const T *dy, T *dx, size_t outer, size_t k, size_t inner);       \
        void (*glu_fwd[ACTFN_GLU_COUNT])(const T *a, const T *b, T *y, size_t n);                        \
        void (*glu_bwd[ACTFN_GLU_COUNT])(const T *a, const T *b, const T *dy, T *da, T *db, size_t n);   \
        void (*bias_fwd[ACTFN_UNARY_COUNT])(const T *x, const T *bias, T *y, size_t outer, size_t channels, \
                                            size_t inner, size_t c0, size_t c1,                          \
                                            const struct actfn_params_##pt *p);                          \
        void (*bias_bwd[ACTFN_UNARY_COUNT])(const T *x, const T *bias, const T *dy, T *dx, T *dbias,      \
                                            size_t outer, size_t channels, size_t inner, size_t c0,      \
                                            size_t c1, const struct actfn_params_##pt *p);               \
    }

ACTFN_DECLARE_KTAB(f32, float, f32);
ACTFN_DECLARE_KTAB(f64, double, f64);
/* The 16-bit storage types (SPEC §9): arrays of the storage type, parameters
 * and computation in float. */
ACTFN_DECLARE_KTAB(bf16, actfn_bf16, f32);
ACTFN_DECLARE_KTAB(f16, actfn_f16, f32);

/* The storage types, each with the element type T of its tables and the
 * suffix of its parameter struct: X(t, T, pt). Lists of tables, entry
 * points and accessors are generated from it. */
#define ACTFN_TYPES(X)           \
    X(f32, float, f32)           \
    X(f64, double, f64)          \
    X(bf16, actfn_bf16, f32)     \
    X(f16, actfn_f16, f32)

/* The tables each ISA unit defines, fast and reproducible (SPEC §8:
 * bit-identical to each other across ISAs), for every type (only those the
 * build compiles exist; config.h says which). The fast scalar tables are
 * the reference path (reference.c). */
#define ACTFN_DECLARE_TABLES(t, T, pt)                                         \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_scalar;                \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_scalar_repro;          \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_avx2;                  \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_avx2_repro;            \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_avx512;                \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_avx512_repro;          \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_neon;                  \
    extern const struct actfn_ktab_##t actfn_ktab_##t##_neon_repro;
ACTFN_TYPES(ACTFN_DECLARE_TABLES)
#undef ACTFN_DECLARE_TABLES
/* The native bf16 flavours: AVX-512 with AVX512_BF16 (vcvtneps2bf16) and
 * NEON with FEAT_BF16 (BFCVTN). The same kernels as actfn_ktab_bf16_avx512
 * and _neon, which round by integer operations. */
extern const struct actfn_ktab_bf16 actfn_ktab_bf16_avx512bf16;
extern const struct actfn_ktab_bf16 actfn_ktab_bf16_avx512bf16_repro;
extern const struct actfn_ktab_bf16 actfn_ktab_bf16_neonbf16;
extern const struct actfn_ktab_bf16 actfn_ktab_bf16_neonbf16_repro;

#define ACTFN_ISA_COUNT 4
#define ACTFN_MODE_COUNT 2

/* dispatch.c: the tables of the active ISA and mode (initialising on first
 * use), and the tables of a given ISA (in the current or a given mode), or
 * NULL when this build/CPU cannot run it. The latter is how tests and the
 * benchmark reach every ISA in one process. */
#define ACTFN_DECLARE_ACCESSORS(t, T, pt)                                                   \
    const struct actfn_ktab_##t *actfn_active_##t(void);                                    \
    const struct actfn_ktab_##t *actfn_ktab_##t##_for(actfn_isa isa);                       \
    const struct actfn_ktab_##t *actfn_ktab_##t##_for_mode(actfn_isa isa, actfn_mode mode);
ACTFN_TYPES(ACTFN_DECLARE_ACCESSORS)
#undef ACTFN_DECLARE_ACCESSORS

/* dispatch.c, for tests: where the CPU has a native bf16 conversion for an
 * ISA (AVX512_BF16 on AVX-512, FEAT_BF16 on NEON) and the build its unit,
 * bf16 calls on that ISA use it (the default, enable = 1) or the integer
 * rounding (enable = 0); both give the same bits. The getter says which
 * one calls use now; actfn_internal_bf16_native_isa whether `isa` has a
 * native flavour here at all. */
void actfn_internal_set_bf16_native(int enable);
int actfn_internal_bf16_native(void);
int actfn_internal_bf16_native_isa(actfn_isa isa);

/* The most threads one call is split over, whatever the thread count: far
 * beyond any machine's cores (each is a real thread with its own stack).
 * A larger count is accepted and kept; it only cannot start more. */
#define ACTFN_POOL_MAX_THREADS 1024

/* pool.c: the threads a split call uses, min(thread count, the maximum). */
size_t actfn_pool_threads(void);

/* pool.c: run task(ctx, t) for t in [0, ntasks) on the pool's threads and
 * the caller's, returning when all are done; on the caller's thread alone
 * when the thread count is 1 or another call holds the pool (SPEC §10). */
void actfn_pool_run(size_t ntasks, void (*task)(void *ctx, size_t t), void *ctx);

/* api.c, for tests: the least work (elements) a task of a split call gets;
 * 0 restores the measured defaults. */
void actfn_internal_set_split_min(size_t elems);
/* The least bytes (read and written) of an elementwise call whose kernels
 * store past the caches: measured, see api.c. actfn_internal_set_stream_min
 * (api.c, for tests and measurement) replaces it; 0 restores it, SIZE_MAX
 * turns streaming off. */
#define ACTFN_STREAM_MIN_BYTES ((size_t)40 << 20)
void actfn_internal_set_stream_min(size_t bytes);
/* api.c, for tests: how many calls have asked their kernels to stream. */
size_t actfn_internal_stream_calls(void);
/* pool.c, for tests: how many times actfn_pool_run has been called. */
size_t actfn_internal_pool_jobs(void);

#endif /* ACTFN_INTERNAL_H */
