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

/* x > 0 ? x : a·x, and its gradient; NaN x takes the a·x branch. */
static inline V prelu_v(V x, V a)
{
    return vsel(vgt(x, vzero()), x, vmul(a, x));
}

static inline V prelu_dx_v(M pos, V dy, V a)
{
    return vsel(pos, dy, vmul(a, dy));
}

/* The dalpha term of one vector: x > 0 ? 0 : x·dy. */
static inline V prelu_da_v(M pos, V x, V dy)
{
    return vsel(pos, vzero(), vmul(x, dy));
}

static void prelu_fwd(const T *x, const T *alpha, T *y, size_t outer, size_t channels, size_t inner)
{
    if (inner == 1) {
        for (size_t o = 0; o < outer; o++) {
            const T *xr = x + o * channels;
            T *yr = y + o * channels;
            size_t c = 0;
            for (; c + VW <= channels; c += VW)
                vstore(yr + c, prelu_v(vload(xr + c), vload(alpha + c)));
            if (c < channels) {
                const size_t r = channels - c;
                vstore_part(yr + c, prelu_v(vload_part(xr + c, r), vload_part(alpha + c, r)), r);
            }
        }
        return;
    }
    for (size_t o = 0; o < outer; o++) {
        for (size_t c = 0; c < channels; c++) {
            const size_t base = (o * channels + c) * inner;
            const T *xr = x + base;
            T *yr = y + base;
            const V a = vset1(alpha[c]);
            size_t i = 0;
            for (; i + 2 * VW <= inner; i += 2 * VW) {
                const V x0 = vload(xr + i), x1 = vload(xr + i + VW);
                vstore(yr + i, prelu_v(x0, a));
                vstore(yr + i + VW, prelu_v(x1, a));
            }
            for (; i + VW <= inner; i += VW)
                vstore(yr + i, prelu_v(vload(xr + i), a));
            if (i < inner)
                vstore_part(yr + i, prelu_v(vload_part(xr + i, inner - i), a), inner - i);
        }
    }
}

/* inner == 1: lanes across channels c0 .. c0+width-1 (width <= VW), rows
 * over outer; the terms of each lane are summed pairwise. */
static void prelu_bwd_channels(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha, size_t outer,
                               size_t channels, size_t c0, size_t width)
{
    struct vsum sum;
    vsum_init(&sum);
    const V a = width == VW ? vload(alpha + c0) : vload_part(alpha + c0, width);
    for (size_t o = 0; o < outer; o++) {
        const size_t at = o * channels + c0;
        V xv, dyv;
        if (width == VW) {
            xv = vload(x + at);
            dyv = vload(dy + at);
        } else {
            xv = vload_part(x + at, width);
            dyv = vload_part(dy + at, width);
        }
        const M pos = vgt(xv, vzero());
        const V dxv = prelu_dx_v(pos, dyv, a);
        vsum_add(&sum, prelu_da_v(pos, xv, dyv));
        if (width == VW)
            vstore(dx + at, dxv);
        else
            vstore_part(dx + at, dxv, width);
    }
    if (dalpha) {
        /* Lanes hold separate channels: spill them, reducing each lane's
         * pairwise tree by itself. */
        T lanes[VW];
        vstore(lanes, vsum_lanes(&sum));
        for (size_t w = 0; w < width; w++)
            dalpha[c0 + w] = lanes[w];
    }
}

/* inner > 1: one channel at a time, lanes along inner; every row of the
 * channel (one per outer index) feeds the same pairwise sum. */
static void prelu_bwd_inner(const T *x, T a_scalar, const T *dy, T *dx, T *dalpha_c, size_t outer,
                            size_t channels, size_t inner, size_t c)
{
    struct vsum sum;
    vsum_init(&sum);
    const V a = vset1(a_scalar);
    for (size_t o = 0; o < outer; o++) {
        const size_t base = (o * channels + c) * inner;
        size_t i = 0;
        for (; i + VW <= inner; i += VW) {
            const V xv = vload(x + base + i), dyv = vload(dy + base + i);
            const M pos = vgt(xv, vzero());
            vsum_add(&sum, prelu_da_v(pos, xv, dyv));
            vstore(dx + base + i, prelu_dx_v(pos, dyv, a));
        }
        if (i < inner) {
            const size_t r = inner - i;
            const V xv = vload_part(x + base + i, r), dyv = vload_part(dy + base + i, r);
            const M pos = vgt(xv, vzero());
            vsum_add(&sum, prelu_da_v(pos, xv, dyv)); /* zero lanes add 0 */
            vstore_part(dx + base + i, prelu_dx_v(pos, dyv, a), r);
        }
    }
    if (dalpha_c)
        *dalpha_c = vsum_total(&sum);
}

static void prelu_bwd(const T *x, const T *alpha, const T *dy, T *dx, T *dalpha, size_t outer, size_t channels,
                      size_t inner)
{
    if (inner == 1) {
        size_t c = 0;
        for (; c + VW <= channels; c += VW)
            prelu_bwd_channels(x, alpha, dy, dx, dalpha, outer, channels, c, VW);
        if (c < channels)
            prelu_bwd_channels(x, alpha, dy, dx, dalpha, outer, channels, c, channels - c);
        return;
    }
    for (size_t c = 0; c < channels; c++)
        prelu_bwd_inner(x, alpha[c], dy, dx, dalpha ? dalpha + c : NULL, outer, channels, inner, c);
}
