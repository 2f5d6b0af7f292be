/*
 * softplus.h — softplus, logsigmoid and mish, forward and backward.
 * softplus(t) = max(t, 0) + log1p(e^{-|t|}) with log1p on [0, 1] from
 * vmath.h; beta·x is formed exactly (hi + lo). mish uses the algebraic form
 * tanh(log1p(u)) = n/(n + 2), n = u² + 2u, u = e^x, which has no
 * cancellation, and its derivative t + x·σ(x)·(1 - t²) =
 * n/(n+2) + 4x·u(1+u)/(n+2)². Where e^{-|t|} or e^x is below the normal
 * range the 2^k of the exponential is applied last.
 */
#ifndef ACTFN_KERNELS_SOFTPLUS_H
#define ACTFN_KERNELS_SOFTPLUS_H

#ifndef ACTFN_REPRO
/* Beyond this x, tanh(softplus(x)) is 1 in T and mish(x) = x. */
#define MISH_X_MAX ((T)2 * VM_TANH_SAT)
/* Below this x, mish(x) ≈ x·e^x and its slope are far below T's smallest
 * subnormal (from x = -110 in f32, -750 in f64), and the k of e^x stays
 * within vm_scale_wide's range. */
#define MISH_X_MIN (sizeof(T) == 4 ? (T)-170 : (T)-1400)

/* log1p(e^{-|t|}) from the logistic pieces of t: exact-scale value where
 * t > 0, and the value divided by 2^k where t <= 0 (the caller scales). */
KERNEL_INLINE V log1p_exp_neg(M pos, struct vm_logistic s)
{
    return vmul(vsel(pos, s.e, s.p), vm_log1p01_ratio(s.e));
}

/* beta == 1 (the default) in every lane: t = beta·x is x exactly and the
 * division by beta the identity, so the bodies below skip both (with
 * `unit` a constant) and give the same bits as the general form. The test
 * is loop-invariant: the compiler may hoist it. */
KERNEL_INLINE int softplus_unit_beta(const struct vparams *p) { return !many(vne(p->beta, vm_one())); }

KERNEL_INLINE V softplus_fwd_body(V x, const struct vparams *p, const int unit)
{
    V lo = vzero();
    const V t = unit ? x : vm_mul_exact(p->beta, x, &lo);
    const struct vm_logistic s = vm_logistic_parts(t, lo, !unit);
    const M pos = vgt(t, vzero());
    /* t > 0: x + log1p(e^-t)/beta;  t <= 0: log1p(e^t)/beta */
    const V l = log1p_exp_neg(pos, s);
    const V q = unit ? l : vdiv(l, p->beta);
    const V y = vsel(pos, vadd(x, q), vscale(q, s.k));
    return vsel(vgt(t, p->threshold), x, y);
}

KERNEL_INLINE V softplus_fwd_v(V x, const struct vparams *p)
{
    return softplus_unit_beta(p) ? softplus_fwd_body(x, p, 1) : softplus_fwd_body(x, p, 0);
}

KERNEL_INLINE V softplus_bwd_body(V x, V dy, const struct vparams *p, const int unit)
{
    V lo = vzero();
    const V t = unit ? x : vm_mul_exact(p->beta, x, &lo);
    return vsel(vgt(t, p->threshold), dy, dy_logistic(t, lo, !unit, dy));
}

KERNEL_INLINE V softplus_bwd_v(V x, V dy, const struct vparams *p)
{
    return softplus_unit_beta(p) ? softplus_bwd_body(x, dy, p, 1) : softplus_bwd_body(x, dy, p, 0);
}

/* logsigmoid(x) = -softplus(-x): x - log1p(e^x) for x < 0, else
 * -log1p(e^-x). */
KERNEL_INLINE V logsigmoid_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const V t = vneg(x);
    const struct vm_logistic s = vm_logistic_parts(t, vzero(), 0);
    const M pos = vgt(t, vzero());
    /* e is exact while normal; a subnormal result may round twice */
    const V l = vmul(s.e, vm_log1p01_ratio(s.e));
    return vsel(pos, vsub(x, l), vneg(l));
}

KERNEL_INLINE V logsigmoid_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    return dy_logistic(vneg(x), vzero(), 0, dy);
}

/* The pieces of mish at x: u = e^x, n = u² + 2u, and ns = n / 2^kk, us =
 * u / 2^kk with kk the exponent of e^x where x < 0 (0 elsewhere), so that
 * results near the underflow of e^x scale once at the end. */
struct mish_parts {
    V xc, u, us, n, ns, kk;
};

KERNEL_INLINE struct mish_parts mish_split(V x)
{
    struct mish_parts m;
    V k;
    m.xc = vclamp(x, MISH_X_MIN, MISH_X_MAX);
    const V pm = vm_exp_parts(m.xc, vzero(), 0, &k);
    m.u = vm_scale_wide(pm, k);
    const M neg = vlt(m.xc, vzero());
    m.us = vsel(neg, pm, m.u);
    m.kk = vsel(neg, k, vzero());
    m.n = vfma(m.u, m.u, vadd(m.u, m.u));
    m.ns = vfma(m.us, m.u, vadd(m.us, m.us));
    return m;
}

KERNEL_INLINE V mish_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    const struct mish_parts m = mish_split(x);
    const V y = vm_scale_wide(vdiv(vmul(m.xc, m.ns), vadd(m.n, vset1((T)2))), m.kk);
    return vsel(vgt(x, vset1(MISH_X_MAX)), x, y);
}

KERNEL_INLINE V mish_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    const struct mish_parts m = mish_split(x);
    const V w = vdiv(vm_one(), vadd(m.n, vset1((T)2)));
    const V h = vmul(vmul(vmul(m.us, vadd(vm_one(), m.u)), w), vmul(vset1((T)4), w));
    const V g = vm_scale_wide(vfma(m.xc, h, vmul(m.ns, w)), m.kk);
    return vmul(dy, vsel(vgt(x, vset1(MISH_X_MAX)), vm_one(), g));
}

#else /* ACTFN_REPRO: SLEEF log1p / exp / tanh pieces */

/* log1p(e^−|t|) */
static inline V r_log1p_exp_neg(V t) { return rlog1p(rexp(vneg(vabs(t)))); }

/* log(1 + e^t) = max(t, 0) + log1p(e^−|t|): no cancellation, no overflow. */
static inline V r_softplus_core(V t) { return vadd(vsel(vgt(t, vzero()), t, vzero()), r_log1p_exp_neg(t)); }

/* log1p(e^t)/β: x + log1p(e^−t)/β where t > 0, so that a β·x overflowing T
 * still gives x; log1p(e^t)/β elsewhere. */
KERNEL_INLINE V softplus_fwd_v(V x, const struct vparams *p)
{
    const V t = vmul(p->beta, x);
    const V c = vdiv(r_log1p_exp_neg(t), p->beta);
    const V y = vsel(vgt(t, vzero()), vadd(x, c), c);
    return vsel(vgt(t, p->threshold), x, y);
}

KERNEL_INLINE V softplus_bwd_v(V x, V dy, const struct vparams *p)
{
    const V t = vmul(p->beta, x);
    return vsel(vgt(t, p->threshold), dy, vmul(dy, r_sigma(t)));
}

/* −log(1 + e^−x) = −softplus(−x) */
KERNEL_INLINE V logsigmoid_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    return vneg(r_softplus_core(vneg(x)));
}

KERNEL_INLINE V logsigmoid_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    return vmul(dy, r_sigma(vneg(x)));
}

/*
 * mish: tanh(softplus(x)) = N/D as a rational function of e = e^−|x|,
 * every term positive:
 *   x <= 0 (e = e^x):   N = e·(2 + e),  D = N + 2,   D − N = 2
 *   x > 0  (e = e^−x):  N = 1 + 2e,     D = N + 2e², D − N = 2e²
 * and 1 − tanh² = (D − N)(D + N)/D², also without cancellation.
 */
static inline void r_mish_parts(V x, V *n, V *d, V *d_minus_n)
{
    const M pos = vgt(x, vzero());
    const V e = rexp(vneg(vabs(x)));
    const V two = vset1((T)2);
    const V two_e = vmul(two, e); /* exact */
    /* one rounding each: N = e² + 2e or 2e + 1; D = N + 2 or 2e·e + N */
    *n = vsel(pos, vadd(two_e, vset1((T)1)), vfma(e, e, two_e));
    *d = vsel(pos, vfma(two_e, e, *n), vadd(*n, two));
    *d_minus_n = vsel(pos, vmul(two_e, e), two);
}

KERNEL_INLINE V mish_fwd_v(V x, const struct vparams *p)
{
    (void)p;
    V n, d, dmn;
    r_mish_parts(x, &n, &d, &dmn);
    return r_tail_fix(vmul(x, vdiv(n, d)), x, x);
}

/* dy·(t + x·σ(x)·(1 − t²)), t = N/D */
KERNEL_INLINE V mish_bwd_v(V x, V dy, const struct vparams *p)
{
    (void)p;
    V n, d, dmn;
    r_mish_parts(x, &n, &d, &dmn);
    const V t = vdiv(n, d);
    const V one_minus_t2 = vdiv(vmul(dmn, vadd(d, n)), vmul(d, d));
    const V xs = vmul(vclamp(x, -REPRO_BIG, REPRO_BIG), r_sigma(x));
    return vmul(dy, vfma(xs, one_minus_t2, t));
}

#endif /* ACTFN_REPRO */

#endif /* ACTFN_KERNELS_SOFTPLUS_H */
