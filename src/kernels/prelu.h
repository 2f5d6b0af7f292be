/*
 * prelu.h — prelu forward and backward on x viewed as (outer, channels,
 * inner), one slope alpha[c] per channel.
 *
 * When inner > 1 the lanes run along inner (one broadcast slope per row,
 * masked tail per row); when inner == 1 a row of x is one element per
 * channel, so the lanes run across channels against a vector of slopes.
 * dalpha[c] = Σ (x > 0 ? 0 : x·dy) keeps per-lane partial sums combined
 * pairwise (struct vsum), well inside SPEC §4's log2(count) budget.
 */

/* x > 0 ? x : a·x, and its gradient; NaN x takes the a·x branch. Slopes
 * are data, so a zero slope against x or dy = ±inf and an infinite slope
 * against x or dy = ±0 are both zero factors (loops.h). */
static inline V prelu_v(V x, V a)
{
    return vsel(vgt(x, vzero()), x, vmul_zero_factor(a, x));
}

static inline V prelu_dx_v(M pos, V dy, V a)
{
    return vsel(pos, dy, vmul_zero_factor(a, dy));
}

/*
 * dalpha sums. The reference sums exact products in double, so a T product
 * or partial sum that overflows must not turn its answer into NaN: beside
 * the plain sum, every large term (|x·dy| >= PRELU_LARGE, or not a number)
 * is also added scaled by 2^-2s (both factors scaled by 2^-s, so no scaled
 * product or sum overflows). When the plain sum is not finite and the scaled
 * one is, the scaled one, scaled back, is the answer: the plain sum then
 * exceeds T_MAX, so the budget is at least ε·T_MAX, far above what the small
 * terms (fewer than 2^64, each below PRELU_LARGE) add up to. Small terms stay
 * out of the scaled sum because scaled they would be subnormal, and
 * subnormal products cost ~15x the whole kernel (f32, measured on Zen 4):
 * their lanes multiply zeros instead. NaN and ±inf entries make both sums
 * NaN or ±inf alike.
 */
#ifdef ACTFN_TYPE_F32
#define PRELU_DOWN 0x1p-75f
#define PRELU_UP_LOG2 150
#define PRELU_LARGE 0x1p24f /* scaled by 2^-150: >= 2^-126, normal */
#else
#define PRELU_DOWN 0x1p-550
#define PRELU_UP_LOG2 1100
#define PRELU_LARGE 0x1p78 /* scaled by 2^-1100: >= 2^-1022, normal */
#endif

struct prelu_dalpha {
    struct vsum plain, scaled;
};

static inline void prelu_dalpha_init(struct prelu_dalpha *d)
{
    vsum_init(&d->plain);
    vsum_init(&d->scaled);
}

/* The running blocks of both sums (kept by the caller, in registers). */
struct prelu_blocks {
    V plain, scaled;
    unsigned in_plain, in_scaled;
};

/* The terms x > 0 ? 0 : x·dy of one vector, plain and scaled (shared by
 * both kernel sets). A product that is NaN while x + dy is not is 0·inf, a
 * zero factor whose term is the limit 0 (loops.h); a NaN x or dy still
 * makes its term NaN. Such lanes are rare, so they cost one test. */
static inline void prelu_dalpha_terms(M pos, V x, V dy, V *plain, V *scaled)
{
    const V down = vset1(PRELU_DOWN);
    const V prod = vmul(x, dy);
    M zero = pos;
    if (many(visnan(prod)))
        zero = mor(pos, vzero_factor_lanes(x, dy, prod));
    *plain = vsel(zero, vzero(), prod);
    const M skip = mor(zero, vlt(vabs(prod), vset1(PRELU_LARGE))); /* NaN: not small */
    const V xs = vsel(skip, vzero(), x), dys = vsel(skip, vzero(), dy);
    *scaled = vmul(vmul(xs, down), vmul(dys, down));
}

#ifndef ACTFN_REPRO
/* Add the terms of one vector to both sums: the rare vector with a large
 * or NaN product (prelu_dalpha_step), kept out of line. */
KERNEL_COLD void prelu_dalpha_add_rare(struct prelu_dalpha *d, struct prelu_blocks *b, M pos, V x, V dy)
{
    V plain, scaled;
    prelu_dalpha_terms(pos, x, dy, &plain, &scaled);
    vsum_add(&d->plain, &b->plain, &b->in_plain, plain);
    vsum_add(&d->scaled, &b->scaled, &b->in_scaled, scaled);
}

/* Add the terms of one vector to both sums, for loops that keep the plain
 * block and its count in registers (*plain, *in_plain; b's copies of them
 * are stale between calls). The common vector, whose every product is a
 * number below PRELU_LARGE (vmin gives the bound for a NaN lane too), has
 * no zero factor (0·inf is NaN) and no scaled term: it costs that test and
 * the plain add. So the scaled sum's pairwise tree holds only the vectors
 * with a large or NaN product: the same bound, and the plain sum the same
 * bits. */
KERNEL_INLINE void prelu_dalpha_step(struct prelu_dalpha *d, struct prelu_blocks *b, V *plain, unsigned *in_plain,
                                    M pos, V x, V dy)
{
    const V prod = vmul(x, dy), large = vset1(PRELU_LARGE);
    if (KERNEL_UNLIKELY(many(vge(vmin(vabs(prod), large), large)))) {
        b->plain = *plain;
        b->in_plain = *in_plain;
        prelu_dalpha_add_rare(d, b, pos, x, dy);
        *plain = b->plain;
        *in_plain = b->in_plain;
        return;
    }
    vsum_add(&d->plain, plain, in_plain, vsel(pos, vzero(), prod));
}
#endif

static inline T prelu_dalpha_value(T plain, T scaled)
{
    if (plain - plain == 0 || scaled - scaled != 0)
        return plain - plain == 0 ? plain : scaled;
    return (T)ldexp((double)scaled, PRELU_UP_LOG2);
}

/* Channels [c0, c1) of every outer row: a channel's results never depend on
 * which other channels share the call (the pool splits by channels). */
static void prelu_fwd(const S *x, const S *alpha, S *y, size_t outer, size_t channels, size_t inner, size_t c0,
                      size_t c1)
{
    if (inner == 1) {
        for (size_t o = 0; o < outer; o++) {
            const S *xr = x + o * channels;
            S *yr = y + o * channels;
            size_t c = c0;
            for (; c + VW <= c1; c += VW)
                sstore(yr + c, prelu_v(sload(xr + c), sload(alpha + c)));
            if (c < c1) {
                const size_t r = c1 - c;
                sstore_part(yr + c, prelu_v(sload_part(xr + c, r), sload_part(alpha + c, r)), r);
            }
        }
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = c0; c < c1; c++) {
            const size_t base = (o * channels + c) * inner;
            const S *xr = x + base;
            S *yr = y + base;
            const V a = vset1(sget(alpha[c]));
            size_t i = 0;
            for (; i + 2 * VW <= inner; i += 2 * VW) {
                const V x0 = sload(xr + i), x1 = sload(xr + i + VW);
                sstore(yr + i, prelu_v(x0, a));
                sstore(yr + i + VW, prelu_v(x1, a));
            }
            for (; i + VW <= inner; i += VW)
                sstore(yr + i, prelu_v(sload(xr + i), a));
            if (i < inner)
                sstore_part(yr + i, prelu_v(sload_part(xr + i, inner - i), a), inner - i);
        }
    }
}

#ifndef ACTFN_REPRO

/* dx of one vector. A slope that is finite and nonzero (`ordinary`, decided
 * once per channel) makes a·dy NaN only for a NaN dy, whose NaN is the
 * answer: no zero factor to test. */
KERNEL_INLINE V prelu_dx_slope(M pos, V dy, V a, int ordinary)
{
    return ordinary ? vsel(pos, dy, vmul(a, dy)) : prelu_dx_v(pos, dy, a);
}

static inline int prelu_slope_ordinary(T a) { return a != 0 && a - a == 0; }

/* inner == 1: lanes across channels c0 .. c0+width-1 (width <= VW), rows
 * over outer; each lane's terms are summed pairwise. */
static void prelu_bwd_channels(const S *x, const S *alpha, const S *dy, S *dx, S *dalpha, size_t outer,
                               size_t channels, size_t c0, size_t width)
{
    struct prelu_dalpha sum;
    prelu_dalpha_init(&sum);
    struct prelu_blocks blk = {vzero(), vzero(), 0, 0};
    const V a = width == VW ? sload(alpha + c0) : sload_part(alpha + c0, width);
    int ordinary = 1;
    for (size_t w = 0; w < width; w++)
        ordinary &= prelu_slope_ordinary(sget(alpha[c0 + w]));
    V plain = blk.plain;
    unsigned in_plain = blk.in_plain;
    for (size_t o = 0; o < outer; o++) {
        const size_t at = o * channels + c0;
        V xv, dyv;
        if (width == VW) {
            xv = sload(x + at);
            dyv = sload(dy + at);
        } else {
            xv = sload_part(x + at, width);
            dyv = sload_part(dy + at, width);
        }
        const M pos = vgt(xv, vzero());
        prelu_dalpha_step(&sum, &blk, &plain, &in_plain, pos, xv, dyv);
        const V dxv = prelu_dx_slope(pos, dyv, a, ordinary);
        if (width == VW)
            sstore(dx + at, dxv);
        else
            sstore_part(dx + at, dxv, width);
    }
    blk.plain = plain;
    blk.in_plain = in_plain;
    if (dalpha) {
        /* Lanes hold separate channels: each lane's sum is its own. */
        T plain[VW], scaled[VW];
        vstore(plain, vsum_lanes(&sum.plain, blk.plain));
        vstore(scaled, vsum_lanes(&sum.scaled, blk.scaled));
        for (size_t w = 0; w < width; w++)
            dalpha[c0 + w] = sput(prelu_dalpha_value(plain[w], scaled[w]));
    }
}

/* One channel's rows, lanes along inner; `ordinary` is a constant in each
 * inlined copy. The plain block and its count are local copies, so that
 * they stay in registers. */
KERNEL_INLINE void prelu_bwd_rows(const S *x, V a, const S *dy, S *dx, struct prelu_dalpha *sum,
                                  struct prelu_blocks *blocks, size_t outer, size_t channels, size_t inner,
                                  size_t c, int ordinary)
{
    V plain = blocks->plain;
    unsigned in_plain = blocks->in_plain;
    for (size_t o = 0; o < outer; o++) {
        const size_t base = (o * channels + c) * inner;
        size_t i = 0;
        for (; i + VW <= inner; i += VW) {
            const V xv = sload(x + base + i), dyv = sload(dy + base + i);
            const M pos = vgt(xv, vzero());
            prelu_dalpha_step(sum, blocks, &plain, &in_plain, pos, xv, dyv);
            sstore(dx + base + i, prelu_dx_slope(pos, dyv, a, ordinary));
        }
        if (i < inner) {
            const size_t r = inner - i;
            const V xv = sload_part(x + base + i, r), dyv = sload_part(dy + base + i, r);
            const M pos = vgt(xv, vzero());
            prelu_dalpha_step(sum, blocks, &plain, &in_plain, pos, xv, dyv); /* zero lanes add 0 */
            sstore_part(dx + base + i, prelu_dx_slope(pos, dyv, a, ordinary), r);
        }
    }
    blocks->plain = plain;
    blocks->in_plain = in_plain;
}

/* inner > 1: one channel at a time, lanes along inner; every row of the
 * channel (one per outer index) feeds the same pairwise sum. */
static void prelu_bwd_inner(const S *x, T a_scalar, const S *dy, S *dx, S *dalpha_c, size_t outer,
                            size_t channels, size_t inner, size_t c)
{
    struct prelu_dalpha sum;
    prelu_dalpha_init(&sum);
    struct prelu_blocks blk = {vzero(), vzero(), 0, 0};
    const V a = vset1(a_scalar);
    if (prelu_slope_ordinary(a_scalar))
        prelu_bwd_rows(x, a, dy, dx, &sum, &blk, outer, channels, inner, c, 1);
    else
        prelu_bwd_rows(x, a, dy, dx, &sum, &blk, outer, channels, inner, c, 0);
    if (dalpha_c)
        *dalpha_c = sput(prelu_dalpha_value(vsum_total(&sum.plain, blk.plain), vsum_total(&sum.scaled, blk.scaled)));
}

/* Channels [c0, c1), as prelu_fwd; dalpha[c] only for those. */
static void prelu_bwd(const S *x, const S *alpha, const S *dy, S *dx, S *dalpha, size_t outer, size_t channels,
                      size_t inner, size_t c0, size_t c1)
{
    if (inner == 1) {
        size_t c = c0;
        for (; c + VW <= c1; c += VW)
            prelu_bwd_channels(x, alpha, dy, dx, dalpha, outer, channels, c, VW);
        if (c < c1)
            prelu_bwd_channels(x, alpha, dy, dx, dalpha, outer, channels, c, c1 - c);
        return;
    }
    for (size_t c = c0; c < c1; c++)
        prelu_bwd_inner(x, sget(alpha[c]), dy, dx, dalpha ? dalpha + c : NULL, outer, channels, inner, c);
}

#else /* ACTFN_REPRO: dalpha over 16 virtual lanes (repro_math.h) */

/* Both dalpha sums of prelu.h (plain, and scaled against overflow) over one
 * block of RV staged elements; every term (all_terms: the sum of x·dy, for
 * the bias ops' dbias) or prelu's (x > 0 adds 0). */
static void r_dalpha_block(struct rsum *plain, struct rsum *scaled, const T *xs, const T *dys, int all_terms,
                           V terms_p[RVEC], V terms_s[RVEC])
{
    for (size_t k = 0; k < RVEC; k++) {
        const V xv = vload(xs + k * VW), dv = vload(dys + k * VW);
        const M skip = all_terms ? vlt(vzero(), vzero()) : vgt(xv, vzero());
        prelu_dalpha_terms(skip, xv, dv, &terms_p[k], &terms_s[k]);
    }
    if (plain) {
        rsum_add(plain, terms_p);
        rsum_add(scaled, terms_s);
    }
}

/* dalpha[c]: the channel's elements in order (outer, then inner) form one
 * stream; element q goes to virtual lane q mod 16 through a staging block.
 * dy == NULL stands for dy = 1 and every term counted: the sum of x itself
 * (the bias ops' dbias, fused.h). */
static T r_dalpha_channel(const S *x, const S *dy, size_t outer, size_t channels, size_t inner, size_t c)
{
    struct rsum plain, scaled;
    rsum_init(&plain);
    rsum_init(&scaled);
    T xs[RV], dys[RV];
    V tp[RVEC], ts[RVEC];
    size_t fill = 0;
    for (size_t o = 0; o < outer; o++) {
        const size_t base = (o * channels + c) * inner;
        for (size_t i = 0; i < inner;) {
            size_t take = inner - i < RV - fill ? inner - i : RV - fill;
            for (size_t j = 0; j < take; j++)
                xs[fill + j] = sget(x[base + i + j]);
            if (dy)
                for (size_t j = 0; j < take; j++)
                    dys[fill + j] = sget(dy[base + i + j]);
            else
                for (size_t j = 0; j < take; j++)
                    dys[fill + j] = (T)1;
            fill += take;
            i += take;
            if (fill == RV) {
                r_dalpha_block(&plain, &scaled, xs, dys, !dy, tp, ts);
                fill = 0;
            }
        }
    }
    T lp[RV], ls[RV];
    rsum_lanes(&plain, lp);
    rsum_lanes(&scaled, ls);
    if (fill) {
        memset(xs + fill, 0, (RV - fill) * sizeof(T));
        memset(dys + fill, 0, (RV - fill) * sizeof(T));
        r_dalpha_block(NULL, NULL, xs, dys, !dy, tp, ts);
        T pp[RV], ps[RV];
        for (size_t k = 0; k < RVEC; k++) {
            vstore(pp + k * VW, tp[k]);
            vstore(ps + k * VW, ts[k]);
        }
        for (size_t j = 0; j < fill; j++) {
            lp[j] = lp[j] + pp[j];
            ls[j] = ls[j] + ps[j];
        }
    }
    return prelu_dalpha_value(r_tree_sum(lp), r_tree_sum(ls));
}

/* dalpha first (dx may be x or dy), then dx elementwise. */
static void prelu_bwd(const S *x, const S *alpha, const S *dy, S *dx, S *dalpha, size_t outer, size_t channels,
                      size_t inner, size_t c0, size_t c1)
{
    if (dalpha)
        for (size_t c = c0; c < c1; c++)
            dalpha[c] = sput(r_dalpha_channel(x, dy, outer, channels, inner, c));
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = c0; c < c1; c++) {
            const size_t base = (o * channels + c) * inner;
            const V a = vset1(sget(alpha[c]));
            size_t i = 0;
            for (; i + VW <= inner; i += VW) {
                const V xv = sload(x + base + i);
                sstore(dx + base + i, prelu_dx_v(vgt(xv, vzero()), sload(dy + base + i), a));
            }
            if (i < inner) {
                const size_t r = inner - i;
                const V xv = sload_part(x + base + i, r);
                sstore_part(dx + base + i, prelu_dx_v(vgt(xv, vzero()), sload_part(dy + base + i, r), a), r);
            }
        }
    }
}

#endif /* ACTFN_REPRO */
