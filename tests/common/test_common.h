/*
 * test_common.h — what every libactfn test program shares: one table that
 * describes every public function, a uniform way to call it through the
 * PUBLIC API, and the small tools the tests are built from.
 *
 * Link with `test_common_dep` (tests/meson.build); it brings the public
 * library (actfn_dep), libm and this header, and contains tests/oracle.c
 * (tests/oracle.h: exact long-double values of every op) and the SPEC §4
 * budget rules (budget.c, declared at the end of this file).
 *
 * API at a glance
 * ---------------
 *  Types        tc_dtype (TC_F32, TC_F64, and the 16-bit storage types of
 *               SPEC §9, TC_BF16 and TC_F16); tc_size(), tc_dtype_name().
 *               tc_compute_type(): the type a call computes in (f32 for the
 *               16-bit types: their scalar parameters are floats, bias_<op>
 *               rounds x + bias to float, a gate's value is a float).
 *  Registry     tc_ops[tc_op_count]: every op of SPEC §3, generated from the
 *               library's op list (src/oplist.h): the elementwise ops, then
 *               prelu, softmax, log_softmax, maxout. Each tc_op has its
 *               name, kind (shape), which tensor its backward takes (x or
 *               y), its error class, parameter names and parameter sets
 *               (sets[0] = the list's defaults, then registry.c's others).
 *               tc_op_find("gelu") looks one up by name.
 *  Calling      tc_args holds every argument a call can take; tc_call(op,
 *               dtype, backward, &args) calls the public function and
 *               returns its status. tc_counts() gives the element count of
 *               each array of a call for given dims.
 *  Values       tc_get/tc_set read/write element i of a T array as double;
 *               tc_bits gives its bit pattern; tc_round(dt, v) rounds to T
 *               (bf16/f16: a model of the formats written here, not the
 *               library's src/half.h: one rounding of v, ties to even);
 *               tc_fmt(dt, v, buf) prints a value as hex float + decimal.
 *  ULPs         tc_ulp(dt, v): spacing of T at v; tc_ulp_err(dt, got,
 *               exact): |got − exact| in ULPs of exact rounded to T (0 when
 *               both are the same NaN/inf class, +inf on a class mismatch).
 *  Buffers      tc_buf_new(dt, n, offset): n elements starting `offset`
 *               elements past a 64-byte boundary, with sentinel bytes before
 *               and after; tc_buf_sentinels_ok() checks them untouched.
 *  ISAs         tc_isas(list): every ISA this build + CPU supports (scalar
 *               first); tc_use_isa(isa) switches with actfn_set_isa and
 *               fails loudly if that is refused.
 *  Random       tc_rng (xoshiro256**), seeded by tc_rng_init() from
 *               ACTFN_TEST_SEED (default fixed); tc_rng_any() gives finite
 *               values of T over all magnitudes incl. subnormals.
 *  Scale        tc_scaled(base): a sample count scaled by ACTFN_TEST_SCALE
 *               (a positive real, default 1); tc_sample_this() thins out
 *               costly checks when the scale is below 1.
 *  Failures     tc_fails: a failure counter that prints the first few
 *               messages in full and then only counts.
 *  Budgets      tc_check_value(): one result against SPEC §4 (budget.c), and
 *               SPEC §9 for the 16-bit types: the f32 allowance (its sens,
 *               floor, abs_min: compute them in tc_compute_type) plus one
 *               ULP of the storage type.
 *  Whole calls  tc_fill_call() fills a call's inputs with fitting data;
 *               tc_verify_call() judges all of a call's outputs against the
 *               oracle and prints every failure (verify.c).
 */
#ifndef ACTFN_TEST_COMMON_H
#define ACTFN_TEST_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "actfn.h"
#include "oplist.h"

/* ---- Element types ------------------------------------------------------ */

typedef enum { TC_F32, TC_F64, TC_BF16, TC_F16 } tc_dtype;
#define TC_DTYPE_COUNT 4

size_t tc_size(tc_dtype dt);
const char *tc_dtype_name(tc_dtype dt); /* "f32", "f64", "bf16", "f16" */
/* 1 for the 16-bit storage types. */
int tc_is_half(tc_dtype dt);
/* The type a call of dt computes in: dt itself, or TC_F32 for bf16 / f16
 * (SPEC §9). Parameters, bias sums, gate values and the f32 part of a
 * 16-bit budget are of this type. */
tc_dtype tc_compute_type(tc_dtype dt);

/* ---- The op registry ---------------------------------------------------- */

/* How an op's arrays are shaped (what tc_args.dim means). */
typedef enum {
    TC_KIND_UNARY,       /* dim = {n}                      */
    TC_KIND_PRELU,       /* dim = {outer, channels, inner} */
    TC_KIND_SOFTMAX,     /* dim = {rows, cols}             */
    TC_KIND_LOG_SOFTMAX, /* dim = {rows, cols}             */
    TC_KIND_MAXOUT,      /* dim = {outer, k, inner}        */
    TC_KIND_GLU,         /* dim = {n}: a in x, b in alpha; backward: da in out, db in dalpha */
    TC_KIND_BIAS         /* dim = {outer, channels, inner}: bias in alpha, dbias in dalpha */
} tc_kind;

/* The elementwise ops, in the order of the library's op list (src/oplist.h,
 * which also gives the registry below its names, classes and parameters). */
#define TC_UNARY_ENUM(name, NAME, from, cls, family) TC_##NAME,
typedef enum { ACTFN_UNARY_OPS(TC_UNARY_ENUM) TC_UNARY_COUNT } tc_unary;
#undef TC_UNARY_ENUM

/* Which tensor a backward pass reads as `in`. */
typedef enum { TC_FROM_X, TC_FROM_Y } tc_from;

/* Error classes of SPEC §4 (softplus is SMOOTH with beta == 1, else INNER:
 * use tc_op_class()). */
typedef enum {
    TC_CLASS_EXACT,       /* relu relu6 hardtanh leaky_relu prelu maxout    */
    TC_CLASS_HARD,        /* hardsigmoid hardswish: 2 ULP                   */
    TC_CLASS_SMOOTH,      /* sigmoid tanh elu selu silu logsigmoid mish ... */
    TC_CLASS_INNER,       /* swish softplus(beta != 1) gelu gelu_tanh: + A  */
    TC_CLASS_SOFTMAX,
    TC_CLASS_LOG_SOFTMAX
} tc_class;

#define TC_MAX_PARAMS ACTFN_MAX_PARAMS
#define TC_MAX_PARAM_SETS 6

typedef struct {
    /* in the order of the C signature; unused = 0, and p[TC_MAX_PARAMS] is
     * always 0 (so an op without parameters has an initializer too) */
    double p[TC_MAX_PARAMS + 1];
} tc_params;

struct tc_args_s;

typedef struct tc_op {
    const char *name;            /* "gelu"; the C names are actfn_<name>[_backward]_<t> */
    tc_kind kind;
    int unary;                   /* tc_unary for TC_KIND_UNARY, the op of a bias_<op> (TC_KIND_BIAS) and
                                    the gate's activation (TC_KIND_GLU); else -1 */
    tc_from bwd_from;
    tc_class cls;
    int nparams;
    const char *param_names[TC_MAX_PARAMS + 1]; /* NULL after the last */
    int nsets;
    tc_params sets[TC_MAX_PARAM_SETS]; /* sets[0]: defaults; then others in the domain */
    /* call[backward][dtype]: the wrapper around the public function. */
    int (*call[2][TC_DTYPE_COUNT])(const struct tc_args_s *a);
    int gate_b; /* TC_KIND_GLU: 1 if the activation is applied to b (glu), 0 to a */
} tc_op;

/* Every argument a call can take; members an op does not use are ignored. */
typedef struct tc_args_s {
    const void *x;     /* forward: x; backward: in (x or y, see bwd_from); glu: a */
    const void *alpha; /* prelu: the per-channel slopes; bias_<op>: the biases; glu: b */
    const void *dy;    /* backward: the incoming gradient */
    void *out;         /* forward: y; backward: dx (glu: da) */
    void *dalpha;      /* backward: prelu's dalpha, bias_<op>'s dbias (both may be NULL), glu's db */
    size_t dim[3];     /* see tc_kind */
    tc_params par;     /* scalar parameters, converted to T (bf16/f16: float) at the call */
} tc_args;

extern const tc_op tc_ops[];
extern const size_t tc_op_count;

/* What a call's alpha and dalpha slots hold: per-channel arrays (prelu,
 * bias_<op>: alpha must not overlap an output, dalpha is optional and
 * overlaps nothing), or glu's second input and output (full arrays with the
 * aliasing rules of x and out). */
int tc_has_alpha(const tc_op *op);
int tc_per_channel(const tc_op *op);
/* The slot dalpha may be NULL in (prelu, bias_<op>). */
int tc_dalpha_optional(const tc_op *op);

const tc_op *tc_op_find(const char *name);
tc_class tc_op_class(const tc_op *op, const tc_params *par);

/* Call the public function (forward if backward == 0) for dtype dt. */
int tc_call(const tc_op *op, tc_dtype dt, int backward, const tc_args *a);

/* Element counts of each array a call reads or writes, for dims `dim`. */
typedef struct {
    size_t in, alpha, dy, out, dalpha;
} tc_count;
tc_count tc_counts(const tc_op *op, int backward, const size_t dim[3]);

/* Up to TC_MAX_SHAPES shapes of an op whose row / inner / element count is
 * n (unary: n elements; prelu: inner = n, channels = n with inner = 1, and a
 * batch; softmax: one row, three rows, n rows of 1; maxout: inner = n, and
 * n positions of inner = 1). Returns how many it wrote to dims. */
#define TC_MAX_SHAPES 3
size_t tc_shapes(const tc_op *op, size_t n, size_t dims[TC_MAX_SHAPES][3]);

/* "sigmoid_backward f64" style label for messages (static buffer per call
 * site is the caller's: pass buf of >= 64 bytes). */
const char *tc_label(const tc_op *op, int backward, tc_dtype dt, char *buf, size_t size);
/* "beta=0x1p+0 threshold=0x1.4p+4" (or "" for no params). */
const char *tc_params_str(const tc_op *op, const tc_params *par, char *buf, size_t size);

/* ---- Values ------------------------------------------------------------- */

double tc_get(tc_dtype dt, const void *buf, size_t i);
void tc_set(tc_dtype dt, void *buf, size_t i, double v);
uint64_t tc_bits(tc_dtype dt, const void *buf, size_t i);
/* Write the bit pattern `bits` (of T's width) into element i. */
void tc_set_bits(tc_dtype dt, void *buf, size_t i, uint64_t bits);
/* NaNs of every kind, written bit-exactly into element i: kind 0 the
 * canonical quiet NaN, 1 negative quiet, 2 quiet with a payload, 3 negative
 * with a payload, 4 signalling. */
#define TC_NAN_KINDS 5
void tc_set_nan(tc_dtype dt, void *buf, size_t i, int kind);
/* The canonical quiet NaN's bits (reproducible mode returns only this NaN):
 * 0x7fc00000, 0x7ff8000000000000, bf16 0x7fc0, f16 0x7e00. */
uint64_t tc_canonical_nan_bits(tc_dtype dt);
/* 1 if element i (a NaN) has its quiet bit set. */
int tc_nan_is_quiet(tc_dtype dt, const void *buf, size_t i);
/* v rounded once to T, to nearest even; ±inf where it rounds past the
 * largest finite value. */
double tc_round(tc_dtype dt, long double v);
/* bf16 / f16 only: the bit pattern of v rounded to dt, and the value of a
 * bit pattern. */
uint16_t tc_half_bits_of(tc_dtype dt, long double v);
double tc_half_value(tc_dtype dt, uint16_t bits);
/* The parameters as the call will see them (each rounded to T; to float
 * for the 16-bit types, whose parameters are floats). */
tc_params tc_params_round(tc_dtype dt, const tc_params *par);
/* Hex float and %.9g/%.17g decimal; buf >= 64 bytes. */
const char *tc_fmt(tc_dtype dt, long double v, char *buf, size_t size);
/* Smallest normal, epsilon (2^-23 / 2^-52 / bf16 2^-7 / f16 2^-10), the
 * largest finite (bf16 0x7f7f, f16 0x7bff = 65504) and the smallest
 * subnormal (2^-149 / 2^-1074 / 2^-133 / 2^-24) of T. */
double tc_min_normal(tc_dtype dt);
double tc_eps(tc_dtype dt);
double tc_max_finite(tc_dtype dt);
double tc_true_min(tc_dtype dt);
/* nextafter in T. */
double tc_next(tc_dtype dt, double v, double toward);

/* ---- ULPs --------------------------------------------------------------- */

long double tc_ulp(tc_dtype dt, long double v);
long double tc_ulp_err(tc_dtype dt, double got, long double exact);

/* ---- Buffers with sentinels --------------------------------------------- */

#define TC_SENTINEL_BYTES 64
#define TC_SENTINEL_BYTE 0xA5

typedef struct {
    unsigned char *base; /* the allocation */
    void *p;             /* the n elements */
    size_t n, elem, offset;
} tc_buf;

/* p = 64-byte boundary + offset elements; the bytes before and after the n
 * elements (64 + alignment slack each side) are TC_SENTINEL_BYTE; the
 * elements are zeroed. Aborts on allocation failure. */
tc_buf tc_buf_new(tc_dtype dt, size_t n, size_t offset);
int tc_buf_sentinels_ok(const tc_buf *b);
void tc_buf_free(tc_buf *b);

/* ---- ISAs --------------------------------------------------------------- */

#define TC_MAX_ISAS 16 /* room for the ISAs the library enumerates */
/* Supported ISAs, in actfn_isa order (scalar first), found by asking the
 * library (actfn_isa_name up to "unknown"), not from a list; returns how many. */
size_t tc_isas(actfn_isa list[TC_MAX_ISAS]);
/* actfn_set_isa(isa), aborting the program if it is refused. */
void tc_use_isa(actfn_isa isa);
/* actfn_set_mode(mode): 1, or 0 (saying so) when the build has no
 * reproducible mode; any other refusal aborts the program. */
int tc_use_mode(actfn_mode mode);
/* The CPU has a native bf16 conversion for `isa` (AVX512_BF16 on AVX-512,
 * FEAT_BF16 on NEON), read from the CPU itself rather than the library
 * (which converts bf16 natively on that ISA by default when it has it). */
int tc_cpu_has_native_bf16(actfn_isa isa);

/* ---- Random numbers ----------------------------------------------------- */

typedef struct {
    uint64_t s[4];
} tc_rng;

/* Seed from ACTFN_TEST_SEED (decimal or 0x hex) if set, else `fallback`,
 * mixed with `stream` so each test gets its own sequence. */
void tc_rng_init(tc_rng *r, uint64_t fallback, uint64_t stream);
uint64_t tc_rng_seed_used(void);
uint64_t tc_rng_u64(tc_rng *r);
/* Uniform in [lo, hi). */
double tc_rng_uniform(tc_rng *r, double lo, double hi);
/* Uniform integer in [0, n). */
size_t tc_rng_below(tc_rng *r, size_t n);
/* A finite value of T with random sign, an exponent uniform over the whole
 * range of T (subnormals included) and random mantissa bits. */
double tc_rng_any(tc_rng *r, tc_dtype dt);
/* Random sign, magnitude log-uniform in [lo, hi] (0 < lo < hi), rounded to T. */
double tc_rng_logmag(tc_rng *r, tc_dtype dt, double lo, double hi);

/* ---- Scale -------------------------------------------------------------- */

double tc_scale(void);
size_t tc_scaled(size_t base);
/* For checks too costly to make on every call under a scale below 1: true
 * on every ⌈1/scale⌉-th call (always at scale >= 1). */
int tc_sample_this(void);

/* ---- Failures ----------------------------------------------------------- */

typedef struct {
    unsigned long count;   /* failures seen */
    unsigned long printed; /* of them printed */
    unsigned long limit;   /* print at most this many (0: 20) */
} tc_fails;

/* Count a failure and print it (printf format) while under the limit. */
void tc_fail(tc_fails *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "N more failures not shown" if some were suppressed. */
void tc_fails_summary(const tc_fails *f, const char *what);

/* In a cmocka test: print the summary and fail the test if f counted any. */
#define TC_ASSERT_NO_FAILS(f, what)                                       \
    do {                                                                  \
        tc_fails_summary((f), (what));                                    \
        if ((f)->count)                                                   \
            fail_msg("%lu %s failures", (f)->count, (what));              \
    } while (0)

/* One failure counter per op of tc_ops (each printing a few messages), so
 * one broken op cannot use up the printed messages of the others. */
#define TC_MAX_OPS 64
typedef struct {
    tc_fails f[TC_MAX_OPS];
} tc_op_fails;
tc_fails *tc_op_fails_of(tc_op_fails *t, const tc_op *op);
/* Print each op's summary; the sum of all counts. */
unsigned long tc_op_fails_total(const tc_op_fails *t);

/* ---- Budgets of SPEC §4 (budget.c) --------------------------------------- */

/* Everything the budget of one result depends on, besides exact and got. */
typedef struct {
    tc_class cls;
    int backward;
    /* Forward, TC_CLASS_INNER / SOFTMAX / LOG_SOFTMAX: the allowance
     * A = 2·eps·|t·∂f/∂t| (absolute); the caller passes |t·∂f/∂t| here. */
    long double sens;
    /* Backward: the absolute floor below which errors are not counted
     * (eps·|dy| for HARD/SMOOTH, eps·|dy|·(1 + |t·∂f'/∂t|) for INNER,
     * the softmax/log_softmax floors of §4). */
    long double floor;
    size_t cols; /* softmax / log_softmax: the row length */
    /* ULPs of the result added to the class's (the gated ops' product: one
     * rounding, SPEC §11). */
    long double extra_ulps;
    /* An absolute error always allowed (the gated ops: the gate's own
     * subnormal allowance, scaled by the other factor). */
    long double abs_min;
    /* A NaN result is also right (the gated ops: a gate value in the
     * subnormal range may round to ±0, and ±0 times ±inf is NaN). */
    int nan_ok;
} tc_budget;

/* The error allowed for `exact` (absolute). Special results (exact NaN or
 * inf) are not covered: tc_check_value handles those. For bf16 / f16
 * (SPEC §9): 0 for the exact class (correctly rounded to the storage
 * type), else ulp_S(exact) + tc_allowed(TC_F32, b, exact) — the whole f32
 * allowance of the same op, pass and input (so b's sens, floor and
 * abs_min are f32 quantities) and one ULP of the storage type, subnormal
 * spacing below its smallest normal (no smallest-normal allowance of
 * its own). */
long double tc_allowed(tc_dtype dt, const tc_budget *b, long double exact);

/* Check one result: 1 if `got` is within budget of `exact`; *err_ulp gets
 * the error in ULPs (for reports). NaN/inf results must match exactly
 * (NaN: any NaN; inf: same sign). */
int tc_check_value(tc_dtype dt, const tc_budget *b, double got, long double exact, long double *err_ulp);

/* prelu dalpha (SPEC §4): the absolute bound 4·max(1, log2(count))·eps·sum_abs,
 * where count is the number of terms x·dy that enter and sum_abs = Σ|x·dy|. */
long double tc_dalpha_allowed(tc_dtype dt, size_t count, long double sum_abs);
/* The same for a reduction whose exact value is `sum` (prelu dalpha, bias
 * dbias): for bf16 / f16 the f32 bound plus one ULP of the storage type at
 * sum (it is accumulated in float and rounded once, SPEC §9). */
long double tc_sum_allowed(tc_dtype dt, size_t count, long double sum_abs, long double sum);

/* ---- Whole calls (verify.c) --------------------------------------------- */

/* Fill the inputs of a call (a->x, a->alpha, a->dy: buffers the caller owns,
 * sized by tc_counts) with data fit for the op: mostly moderate values with
 * some of every magnitude; a backward from y gets true forward outputs
 * (rounded to T), maxout often gets ties. */
void tc_fill_call(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, tc_rng *r);

/* Called for every output element tc_verify_call judges. */
typedef void (*tc_observer)(void *ctx, size_t i, double got, long double exact, const tc_budget *b, int ok);

/* Judge every output element of a finished call (and prelu's dalpha) against
 * the oracle with the SPEC §4 budgets; print each failure through f with op,
 * ISA, dtype, params, dims, `context`, the input and both values. Returns the
 * number of bad elements. obs may be NULL. */
size_t tc_verify_call(const tc_op *op, tc_dtype dt, int backward, const tc_args *a, const char *context,
                      tc_fails *f, tc_observer obs, void *ctx);

#endif /* ACTFN_TEST_COMMON_H */
