/*
 * relu.h — relu, relu6, hardtanh, leaky_relu: piecewise-linear ops whose
 * results must be the reference's bits on every ISA, ±0 and NaN included.
 * Each condition is SPEC §3's, written so that NaN (false in every ordered
 * comparison) lands on the branch that returns x.
 */

/* relu: x > 0 ? x : 0, NaN → NaN. Written as x <= 0 ? 0 : x, so that NaN
 * (for which both comparisons are false) keeps x, and −0 gives +0. */
KERNEL_INLINE V relu_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return vsel(vle(x, vzero()), vzero(), x);
}

KERNEL_INLINE V relu_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    return vsel(vgt(x, vzero()), dy, vzero());
}

/* relu6: min(relu(x), 6); vmin(6, r) is 6 < r ? 6 : r, so NaN keeps r. */
KERNEL_INLINE V relu6_fwd_v(V x, const struct vparams *p)
{
    return vmin(vset1((T)6), relu_fwd_v(x, p));
}

KERNEL_INLINE V relu6_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const M inside = mand(vgt(x, vzero()), vlt(x, vset1((T)6)));
    return vsel(inside, dy, vzero());
}

/* hardtanh: r = x > lo ? x : lo, then r < hi ? r : hi (SPEC's max then
 * min), NaN kept. Written with the tests negated, so NaN — for which every
 * comparison is false — falls through to x, and ±0 ties pick the bound
 * exactly as the literal form does. */
KERNEL_INLINE V hardtanh_fwd_v(V x, const struct vparams *p)
{
    const V r = vsel(vle(x, p->min_val), p->min_val, x);
    return vsel(vge(r, p->max_val), p->max_val, r);
}

KERNEL_INLINE V hardtanh_bwd_v(V x, V dy, const struct vparams *p)
{
    const M inside = mand(vgt(x, p->min_val), vlt(x, p->max_val));
    return vsel(inside, dy, vzero());
}

/* leaky_relu: x > 0 ? x : alpha·x (NaN → alpha·NaN = NaN); alpha = 0 is a
 * zero factor against x or dy = ±inf (loops.h). alpha·x is exact once
 * rounded to the caller's type: a plain product for f32 and f64, rounded
 * to odd in float for the 16-bit types (storage.h). */
KERNEL_INLINE V leaky_relu_fwd_v(V x, const struct vparams *p)
{
    return vsel(vgt(x, vzero()), x, vmul_for_storage(p->alpha, vzero_factor(p->alpha, x)));
}

KERNEL_INLINE V leaky_relu_bwd_v(V x, V dy, const struct vparams *p)
{
    return vsel(vgt(x, vzero()), dy, vmul_for_storage(p->alpha, vzero_factor(p->alpha, dy)));
}
