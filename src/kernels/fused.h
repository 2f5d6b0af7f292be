/*
 * fused.h — the gated ops and the fused bias ops of SPEC §11, built from the
 * elementwise bodies of the family files: no op here has math of its own.
 * Included by kernels.h after every family file, for both kernel sets.
 *
 * The bodies are passed to one always-inlined loop per shape as constant
 * function pointers; inlining the loop makes each call direct, and the body
 * is inlined into it, so every op gets its own specialised loop.
 */
#ifndef ACTFN_KERNELS_FUSED_H
#define ACTFN_KERNELS_FUSED_H

typedef V (*kernel_fwd_body)(V x, const struct vparams *p);
typedef V (*kernel_dx_body)(V x, V dy, const struct vparams *p);

/*
 * The derivative of an elementwise op read from x: <name>_dx_v(x, dy, p).
 * An op whose backward reads x has it already; sigmoid and tanh, whose
 * backward reads y, have it written in their family files from x directly
 * (y − y² of a rounded y loses every bit of 1 − y where y rounds to 1).
 */
#define KERNEL_DX_X(name)                                                     \
    KERNEL_INLINE V name##_dx_v(V x, V dy, const struct vparams *p) { return name##_bwd_v(x, dy, p); }
#define KERNEL_DX_Y(name)
#define KERNEL_DX(name, NAME, from, cls, family) KERNEL_DX_##from(name)
ACTFN_UNARY_OPS(KERNEL_DX)

/* ---- Gated ops: y = act(g)·v ------------------------------------------------ */

/*
 * (g, v) = (a, b), or (b, a) for glu. The backward is dv = dy·act(g) and
 * dg = act'(g)·dy·v, the gate's derivative times dy first (it is bounded
 * by |dy| times a constant near 1, so it cannot overflow where the result
 * does not), then v. The gates have no parameters.
 */
static const ACTFN_PARAMS_T kernel_no_params;

KERNEL_INLINE void glu_fwd_any(kernel_fwd_body act, int gate_b, const S *a, const S *b, S *y, size_t n)
{
    const ACTFN_PARAMS_T *p = &kernel_no_params;
    const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;
    const S *g = gate_b ? b : a, *v = gate_b ? a : b;
    size_t i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        const V g0 = sload(g + i), v0 = sload(v + i), g1 = sload(g + i + VW), v1 = sload(v + i + VW);
        sstore(y + i, vmul(act(g0, pv), v0));
        sstore(y + i + VW, vmul(act(g1, pv), v1));
    }
    for (; i + VW <= n; i += VW)
        sstore(y + i, vmul(act(sload(g + i), pv), sload(v + i)));
    if (i < n)
        sstore_part(y + i, vmul(act(sload_part(g + i, n - i), pv), sload_part(v + i, n - i)), n - i);
}

/* da and db may each be a, b or dy: each vector is loaded before either
 * result is stored. */
KERNEL_INLINE void glu_bwd_any(kernel_fwd_body act, kernel_dx_body act_dx, int gate_b, const S *a, const S *b,
                               const S *dy, S *da, S *db, size_t n)
{
    const ACTFN_PARAMS_T *p = &kernel_no_params;
    const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;
    const S *g = gate_b ? b : a, *v = gate_b ? a : b;
    S *dg = gate_b ? db : da, *dv = gate_b ? da : db;
    size_t i = 0;
    for (; i + VW <= n; i += VW) {
        const V gv = sload(g + i), vv = sload(v + i), d = sload(dy + i);
        const V rg = vmul(act_dx(gv, d, pv), vv), rv = vmul(d, act(gv, pv));
        sstore(dg + i, rg);
        sstore(dv + i, rv);
    }
    if (i < n) {
        const size_t r = n - i;
        const V gv = sload_part(g + i, r), vv = sload_part(v + i, r), d = sload_part(dy + i, r);
        const V rg = vmul(act_dx(gv, d, pv), vv), rv = vmul(d, act(gv, pv));
        sstore_part(dg + i, rg, r);
        sstore_part(dv + i, rv, r);
    }
}

#define KERNEL_GATE_IS_B_A 0
#define KERNEL_GATE_IS_B_B 1
#define KERNEL_GLU(name, NAME, act, ACT, gate)                                                       \
    static void name##_fwd(const S *a, const S *b, S *y, size_t n)                                  \
    {                                                                                               \
        glu_fwd_any(act##_fwd_v, KERNEL_GATE_IS_B_##gate, a, b, y, n);                              \
    }                                                                                               \
    static void name##_bwd(const S *a, const S *b, const S *dy, S *da, S *db, size_t n)             \
    {                                                                                               \
        glu_bwd_any(act##_fwd_v, act##_dx_v, KERNEL_GATE_IS_B_##gate, a, b, dy, da, db, n);          \
    }
ACTFN_GLU_OPS(KERNEL_GLU)
#undef KERNEL_GLU

/* ---- Fused bias: y = op(x + bias[c]) over (outer, channels, inner) ----------- */

/*
 * Channels [c0, c1) of every outer row, as prelu (the pool splits by
 * channels). x + bias[c] is rounded to T, then the op's body runs on it.
 * Lanes run along inner, or across channels against a vector of biases
 * when inner == 1.
 */
KERNEL_INLINE void bias_fwd_any(kernel_fwd_body op, const S *x, const S *bias, S *y, size_t outer,
                                size_t channels, size_t inner, size_t c0, size_t c1, const ACTFN_PARAMS_T *p)
{
    const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;
    for (size_t o = 0; o < outer; o++) {
        if (inner == 1) {
            const S *xr = x + o * channels;
            S *yr = y + o * channels;
            size_t c = c0;
            for (; c + VW <= c1; c += VW)
                sstore(yr + c, op(vadd(sload(xr + c), sload(bias + c)), pv));
            if (c < c1) {
                const size_t r = c1 - c;
                sstore_part(yr + c, op(vadd(sload_part(xr + c, r), sload_part(bias + c, r)), pv), r);
            }
            continue;
        }
        for (size_t c = c0; c < c1; c++) {
            const size_t base = (o * channels + c) * inner;
            const S *xr = x + base;
            S *yr = y + base;
            const V bv = vset1(sget(bias[c]));
            size_t i = 0;
            for (; i + 4 * VW <= inner; i += 4 * VW) {
                const V s0 = vadd(sload(xr + i), bv), s1 = vadd(sload(xr + i + VW), bv);
                const V s2 = vadd(sload(xr + i + 2 * VW), bv), s3 = vadd(sload(xr + i + 3 * VW), bv);
                sstore(yr + i, op(s0, pv));
                sstore(yr + i + VW, op(s1, pv));
                sstore(yr + i + 2 * VW, op(s2, pv));
                sstore(yr + i + 3 * VW, op(s3, pv));
            }
            for (; i + VW <= inner; i += VW)
                sstore(yr + i, op(vadd(sload(xr + i), bv), pv));
            if (i < inner)
                sstore_part(yr + i, op(vadd(sload_part(xr + i, inner - i), bv), pv), inner - i);
        }
    }
}

/* dx = op'(x + bias[c])·dy for channels [c0, c1) of one outer row. */
KERNEL_INLINE void bias_dx_row(kernel_dx_body dxf, const S *x, const S *bias, const S *dy, S *dx, size_t channels,
                               size_t inner, size_t o, size_t c, const struct vparams *pv)
{
    const size_t base = (o * channels + c) * inner;
    const V bv = vset1(sget(bias[c]));
    size_t i = 0;
    for (; i + 2 * VW <= inner; i += 2 * VW) {
        const V s0 = vadd(sload(x + base + i), bv), s1 = vadd(sload(x + base + i + VW), bv);
        const V d0 = sload(dy + base + i), d1 = sload(dy + base + i + VW);
        sstore(dx + base + i, dxf(s0, d0, pv));
        sstore(dx + base + i + VW, dxf(s1, d1, pv));
    }
    for (; i + VW <= inner; i += VW)
        sstore(dx + base + i, dxf(vadd(sload(x + base + i), bv), sload(dy + base + i), pv));
    if (i < inner) {
        const size_t r = inner - i;
        sstore_part(dx + base + i, dxf(vadd(sload_part(x + base + i, r), bv), sload_part(dy + base + i, r), pv), r);
    }
}

#ifndef ACTFN_REPRO

/*
 * dbias in the fast set: the plain pairwise sum of dx (one add per vector).
 * Where that is not finite — a NaN or infinite dx, or partial sums beyond
 * T's range — the channel's dx (already written) are summed again in long
 * double, whose wider range decides: NaN for a NaN term or inf − inf, ±inf
 * where the sum itself overflows T, else the finite sum (well inside the
 * budget: one rounding per term at 64 bits). Rare, and the same for every
 * thread count: a channel's sum is one task's.
 */
static T bias_dbias_wide(const S *dx, size_t outer, size_t channels, size_t inner, size_t c)
{
    long double sum = 0;
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < inner; i++)
            sum += sget(dx[(o * channels + c) * inner + i]);
    return (T)sum;
}

/*
 * inner == 1, the (rows, features) layout: channels [c0, c1) of every row.
 * Each lane's dbias is the same pairwise sum struct vsum takes down its
 * channel — blocks of VSUM_BLOCK rows added in row order, block sums met by
 * a binary counter, the last partial block and the levels folded upwards —
 * but memory is walked a block of rows at a time across all the channels,
 * a cache line of channels at a time (BIAS_GROUP), instead of one vector of
 * channels down every row (a whole row's stride per load, a TLB miss per row
 * out of cache: 4-5.5 ns/element at 16M, docs/threads.md). The counter's
 * levels of every vector of channels live in `lev` (a struct vsum per vector
 * packed to the levels outer needs; its `full` mask is the same for all);
 * when they do not all fit in BIAS_LEVEL_BYTES, the channels go in chunks
 * that do. So every channel gets the bits it got down its column, whichever
 * chunk, task or thread count holds it. (A row-major walk with the blocks
 * in memory was faster in cache but slower at 16M, measured.)
 */
#define BIAS_LEVEL_BYTES 16384

/* dx of `width` channels at element `at` (bias bv), stored; with sum, the
 * dx the caller gets added to blk, as vsum_add (tail lanes: never read). */
KERNEL_INLINE V bias_bwd_at(kernel_dx_body dxf, const S *x, V bv, const S *dy, S *dx, size_t at, size_t width,
                            int sum, V blk, const struct vparams *pv)
{
    const V xv = width == VW ? sload(x + at) : sload_part(x + at, width);
    const V dyv = width == VW ? sload(dy + at) : sload_part(dy + at, width);
    const V d = dxf(vadd(xv, bv), dyv, pv);
    if (width == VW)
        sstore(dx + at, d);
    else
        sstore_part(dx + at, d, width);
    return sum ? vadd(blk, vstorage_round(d)) : blk;
}

/* One vector of channels: dx of rows [o, o + rows), their (rounded) dx
 * summed into a block from zero. */
KERNEL_INLINE V bias_bwd_rows(kernel_dx_body dxf, const S *x, V bv, const S *dy, S *dx, size_t channels,
                              size_t o, size_t rows, size_t c, size_t width, int sum, const struct vparams *pv)
{
    V blk = vzero();
    for (size_t r = 0; r < rows; r++)
        blk = bias_bwd_at(dxf, x, bv, dy, dx, (o + r) * channels + c, width, sum, blk, pv);
    return blk;
}

/* BIAS_GROUP vectors of channels from c, a cache line of S where vectors are
 * shorter (each line is used whole before the next rows' lines evict it):
 * bias_bwd_rows of each, a row at a time. */
#define BIAS_GROUP (VW * sizeof(S) >= 64 ? 1 : VW * sizeof(S) >= 32 ? 2 : 4)
KERNEL_INLINE void bias_bwd_group(kernel_dx_body dxf, const S *x, const S *bias, const S *dy, S *dx, size_t channels,
                                  size_t o, size_t c, int sum, V blk[BIAS_GROUP], const struct vparams *pv)
{
    V bv[BIAS_GROUP];
    for (size_t g = 0; g < BIAS_GROUP; g++) {
        bv[g] = sload(bias + c + g * VW);
        blk[g] = vzero();
    }
    for (size_t r = 0; r < VSUM_BLOCK; r++)
        for (size_t g = 0; g < BIAS_GROUP; g++)
            blk[g] = bias_bwd_at(dxf, x, bv[g], dy, dx, (o + r) * channels + c + g * VW, VW, sum, blk[g], pv);
}

/*
 * The same blocks as bias_bwd_group over `ngroups` groups from cs, walked
 * skewed: at step t, row r takes group t - r. Where a row is a multiple of
 * BIAS_SKEW_BYTES, a group's 8 rows lie in one or two of L1's 64 sets; if
 * x, dy and dx also sit close in their pages (dx = dy in place, or arrays
 * allocated alike), the 24 lines a group touches (with the next group's,
 * prefetched) share a few sets and do not fit their 8 ways. One group to
 * the side per row spreads them over 8 sets. Each group's rows are still
 * added in row order, so dbias keeps its bits; only the order between
 * groups changes. The partial sums in flight, group t - r's rows 0..r-1,
 * sit in slot BIAS_SKEW_SLOT: where a group is one vector, 8 registers
 * shifted by one each step; where it is more, a ring in memory (the shift
 * would spill: a spilled shift measured 0.8x the straight walk).
 *
 * Measured (f32, 64 rows of 1024 channels, ns/element straight → skewed;
 * arrays' offsets in their pages x/dy/dx): bias_relu at 0/0/0 AVX-512
 * 0.44 → 0.23, AVX2 0.48 → 0.19, f64 0.85 → 0.49; at 64/128/192 0.36 →
 * 0.22; at 0/1024/512 within 0.97-1.04 either way. The skew costs the
 * compute-bound ops more than it saves, even at 0/0/0 (AVX2, ns/element:
 * bias_sigmoid 0.99 → 1.14, bias_gelu f64 6.4 → 7.4, bias_hardswish at
 * 64/128/192 0.24 → 0.32), so it is taken for the exact class only (a dx
 * of a compare and a select: relu, relu6, hardtanh, leaky_relu, measured
 * 1.2-2.7x faster at 0/0/0 and 64/128/192 on both ISAs), and only where two
 * of the arrays are within BIAS_SKEW_GAP bytes of each other in the page
 * (at 0/192/384 f32 still gained 1.1-1.7x, but f64 on AVX2, whose ring is
 * in memory, lost: leaky_relu 0.62 → 1.13).
 * The 16-bit types measured slower skewed (their conversions) and keep the
 * straight walk.
 */
#define BIAS_SKEW_BYTES 2048
#define BIAS_SKEW_GAP 192
#define BIAS_SKEW_SLOT(t, r) (BIAS_GROUP == 1 ? (r) : ((t) - (r)) % VSUM_BLOCK)

/* |a - b| modulo the 4 KiB page, the shorter way round */
static inline size_t bias_page_gap(const void *a, const void *b)
{
    const size_t d = ((uintptr_t)a - (uintptr_t)b) & 4095;
    return d < 4096 - d ? d : 4096 - d;
}

static inline int bias_bwd_skew_wanted(int exact, const S *x, const S *dy, const S *dx, size_t channels)
{
    return exact && sizeof(S) == sizeof(T) && channels * sizeof(S) % BIAS_SKEW_BYTES == 0 &&
           (bias_page_gap(x, dy) < BIAS_SKEW_GAP || bias_page_gap(x, dx) < BIAS_SKEW_GAP ||
            bias_page_gap(dy, dx) < BIAS_SKEW_GAP);
}

KERNEL_INLINE void bias_bwd_skewed(kernel_dx_body dxf, const S *x, const S *bias, const S *dy, S *dx, size_t channels,
                                   size_t o, size_t cs, size_t ngroups, V *lev, unsigned nlev,
                                   unsigned long long full, int sum, const struct vparams *pv)
{
    V acc[VSUM_BLOCK][BIAS_GROUP] = {0};
    for (size_t t = 0; t + 1 < ngroups + VSUM_BLOCK; t++) {
        for (size_t g = 0; g < BIAS_GROUP; g++)
            acc[BIAS_SKEW_SLOT(t, 0)][g] = vzero();
#pragma GCC unroll 8
        for (size_t r = 0; r < VSUM_BLOCK; r++) {
            if (t < r || t - r >= ngroups)
                continue;
            const size_t c = cs + (t - r) * BIAS_GROUP * VW;
            V *a = acc[BIAS_SKEW_SLOT(t, r)];
            for (size_t g = 0; g < BIAS_GROUP; g++)
                a[g] = bias_bwd_at(dxf, x, sload(bias + c + g * VW), dy, dx, (o + r) * channels + c + g * VW, VW, sum,
                                   a[g], pv);
        }
        if (sum && t + 1 >= VSUM_BLOCK)
            for (size_t g = 0; g < BIAS_GROUP; g++)
                vsum_levels_push(lev + ((t + 1 - VSUM_BLOCK) * BIAS_GROUP + g) * nlev, full,
                                 acc[BIAS_SKEW_SLOT(t, VSUM_BLOCK - 1)][g]);
        if (BIAS_GROUP == 1)
            for (size_t r = VSUM_BLOCK - 1; r > 0; r--)
                acc[r][0] = acc[r - 1][0];
    }
}

KERNEL_INLINE void bias_bwd_channels(kernel_dx_body dxf, int exact, const S *x, const S *bias, const S *dy, S *dx, S *dbias,
                                     size_t outer, size_t channels, size_t c0, size_t c1, const struct vparams *pv)
{
    V lev[BIAS_LEVEL_BYTES / sizeof(V)];
    unsigned nlev = 0; /* levels 0 .. nlev-1: enough for outer / VSUM_BLOCK blocks */
    while ((outer / VSUM_BLOCK) >> nlev)
        nlev++;
    const size_t nvec = BIAS_LEVEL_BYTES / sizeof(V) / (nlev ? nlev : 1); /* vectors of channels per chunk */
    const int sum = dbias != NULL, skew = bias_bwd_skew_wanted(exact, x, dy, dx, channels);
    for (size_t cs = c0; cs < c1; cs += nvec * VW) {
        const size_t ce = c1 - cs > nvec * VW ? cs + nvec * VW : c1;
        unsigned long long full = 0; /* struct vsum's counter: the same for every vector */
        size_t o = 0;
        for (; o + VSUM_BLOCK <= outer; o += VSUM_BLOCK) {
            size_t c = cs, j = 0;
            if (skew) {
                const size_t ngroups = (ce - cs) / (BIAS_GROUP * VW);
                bias_bwd_skewed(dxf, x, bias, dy, dx, channels, o, cs, ngroups, lev, nlev, full, sum, pv);
                c += ngroups * BIAS_GROUP * VW;
                j += ngroups * BIAS_GROUP;
            }
            for (; c + BIAS_GROUP * VW <= ce; c += BIAS_GROUP * VW, j += BIAS_GROUP) {
                V blk[BIAS_GROUP];
                bias_bwd_group(dxf, x, bias, dy, dx, channels, o, c, sum, blk, pv);
                if (sum)
                    for (size_t g = 0; g < BIAS_GROUP; g++)
                        vsum_levels_push(lev + (j + g) * nlev, full, blk[g]);
            }
            for (; c < ce; c += VW, j++) {
                const size_t width = ce - c < VW ? ce - c : VW;
                const V bv = width == VW ? sload(bias + c) : sload_part(bias + c, width);
                const V blk = bias_bwd_rows(dxf, x, bv, dy, dx, channels, o, VSUM_BLOCK, c, width, sum, pv);
                if (sum)
                    vsum_levels_push(lev + j * nlev, full, blk);
            }
            full++;
        }
        /* the last rows (a partial block), then vsum_lanes' fold */
        for (size_t c = cs, j = 0; c < ce; c += VW, j++) {
            const size_t width = ce - c < VW ? ce - c : VW;
            const V bv = width == VW ? sload(bias + c) : sload_part(bias + c, width);
            const V blk = bias_bwd_rows(dxf, x, bv, dy, dx, channels, o, outer - o, c, width, sum, pv);
            if (!sum)
                continue;
            T lanes[VW];
            vstore(lanes, vsum_levels_fold(lev + j * nlev, full, blk));
            for (size_t w = 0; w < width; w++)
                dbias[c + w] = sput(lanes[w] - lanes[w] == 0 ? lanes[w] : bias_dbias_wide(dx, outer, channels, 1, c + w));
        }
    }
}

/* inner > 1: one channel, every outer row; dbias[c] sums the channel's dx
 * as each row is computed. */
KERNEL_INLINE void bias_bwd_inner(kernel_dx_body dxf, const S *x, const S *bias, const S *dy, S *dx, S *dbias,
                                  size_t outer, size_t channels, size_t inner, size_t c, const struct vparams *pv)
{
    struct vsum sum;
    vsum_init(&sum);
    V blk = vzero();
    unsigned in_blk = 0;
    const V bv = vset1(sget(bias[c]));
    for (size_t o = 0; o < outer; o++) {
        const size_t base = (o * channels + c) * inner;
        size_t i = 0;
        for (; i + VW <= inner; i += VW) {
            const V d = dxf(vadd(sload(x + base + i), bv), sload(dy + base + i), pv);
            sstore(dx + base + i, d);
            if (dbias)
                vsum_add(&sum, &blk, &in_blk, vstorage_round(d));
        }
        if (i < inner) {
            const size_t r = inner - i;
            /* the lanes past r hold dx of zeros; they are masked out of the sum */
            const V d = dxf(vadd(sload_part(x + base + i, r), bv), sload_part(dy + base + i, r), pv);
            sstore_part(dx + base + i, d, r);
            if (dbias)
                vsum_add(&sum, &blk, &in_blk, sload_part(dx + base + i, r));
        }
    }
    if (dbias) {
        const T total = vsum_total(&sum, blk);
        dbias[c] = sput(total - total == 0 ? total : bias_dbias_wide(dx, outer, channels, inner, c));
    }
}

KERNEL_INLINE void bias_bwd_any(kernel_dx_body dxf, int exact, const S *x, const S *bias, const S *dy, S *dx, S *dbias,
                                size_t outer, size_t channels, size_t inner, size_t c0, size_t c1,
                                const ACTFN_PARAMS_T *p)
{
    const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;
    if (inner == 1) {
        bias_bwd_channels(dxf, exact, x, bias, dy, dx, dbias, outer, channels, c0, c1, pv);
        return;
    }
    for (size_t c = c0; c < c1; c++)
        bias_bwd_inner(dxf, x, bias, dy, dx, dbias, outer, channels, inner, c, pv);
}

#else /* ACTFN_REPRO: dbias over prelu.h's 16 virtual lanes, the same on every ISA */

/* dx of the channel's rows first, then dbias[c] as the virtual-lane sum of
 * those dx values (dx may be x or dy: each row's dx depends on that row
 * only). */
KERNEL_INLINE void bias_bwd_any(kernel_dx_body dxf, int exact, const S *x, const S *bias, const S *dy, S *dx, S *dbias,
                                size_t outer, size_t channels, size_t inner, size_t c0, size_t c1,
                                const ACTFN_PARAMS_T *p)
{
    (void)exact;
    const struct vparams pv_ = KERNEL_VPARAMS(p), *pv = &pv_;
    for (size_t c = c0; c < c1; c++) {
        for (size_t o = 0; o < outer; o++)
            bias_dx_row(dxf, x, bias, dy, dx, channels, inner, o, c, pv);
        if (dbias)
            dbias[c] = sput(r_dalpha_channel(dx, NULL, outer, channels, inner, c));
    }
}

#endif /* ACTFN_REPRO */

/* the accuracy class as bias_bwd_any's `exact` */
#define BIAS_EXACT_EXACT 1
#define BIAS_EXACT_HARD 0
#define BIAS_EXACT_SMOOTH 0
#define BIAS_EXACT_INNER 0
#define KERNEL_BIAS(name, NAME, from, cls, family)                                                   \
    static void bias_##name##_fwd(const S *x, const S *bias, S *y, size_t outer, size_t channels,     \
                                  size_t inner, size_t c0, size_t c1, const ACTFN_PARAMS_T *p)        \
    {                                                                                               \
        bias_fwd_any(name##_fwd_v, x, bias, y, outer, channels, inner, c0, c1, p);                  \
    }                                                                                               \
    static void bias_##name##_bwd(const S *x, const S *bias, const S *dy, S *dx, S *dbias, size_t outer, \
                                  size_t channels, size_t inner, size_t c0, size_t c1,                \
                                  const ACTFN_PARAMS_T *p)                                           \
    {                                                                                               \
        bias_bwd_any(name##_dx_v, BIAS_EXACT_##cls, x, bias, dy, dx, dbias, outer, channels, inner, c0, \
                     c1, p);                                                                        \
    }
ACTFN_UNARY_OPS(KERNEL_BIAS)
#undef KERNEL_BIAS

#endif /* ACTFN_KERNELS_FUSED_H */
