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

/* Beyond this x, tanh(softplus(x)) is 1 in T and mish(x) = x. */
#define MISH_X_MAX ((T)2 * VM_TANH_SAT)

/* log1p(e^{-|t|}) from the logistic pieces of t: exact-scale value where
 * t > 0, and the value divided by 2^k where t <= 0 (the caller scales). */
static inline V log1p_exp_neg(M pos, struct vm_logistic s)
{
    return vmul(vsel(pos, s.e, s.p), vm_log1p01_ratio(s.e));
}

static inline V softplus_fwd_v(V x, const V *p)
{
    V lo;
    const V t = vm_mul_exact(p[0], x, &lo);
    const struct vm_logistic s = vm_logistic_parts(t, lo, 1);
    const M pos = vgt(t, vzero());
    /* t > 0: x + log1p(e^-t)/beta;  t <= 0: log1p(e^t)/beta */
    const V q = vdiv(log1p_exp_neg(pos, s), p[0]);
    const V y = vsel(pos, vadd(x, q), vscale(q, s.k));
    return vsel(vgt(t, p[1]), x, y);
}

static inline V softplus_bwd_v(V x, V dy, const V *p)
{
    V lo;
    const V t = vm_mul_exact(p[0], x, &lo);
    const V g = logistic_value(t, vm_logistic_parts(t, lo, 1));
    return vsel(vgt(t, p[1]), dy, vmul(dy, g));
}

/* logsigmoid(x) = -softplus(-x): x - log1p(e^x) for x < 0, else
 * -log1p(e^-x). */
static inline V logsigmoid_fwd_v(V x, const V *p)
{
    (void)p;
    const V t = vneg(x);
    const struct vm_logistic s = vm_logistic_parts(t, vzero(), 0);
    const M pos = vgt(t, vzero());
    /* e is exact while normal; a subnormal result may round twice */
    const V l = vmul(s.e, vm_log1p01_ratio(s.e));
    return vsel(pos, vsub(x, l), vneg(l));
}

static inline V logsigmoid_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const V t = vneg(x);
    return vmul(dy, logistic_value(t, vm_logistic_parts(t, vzero(), 0)));
}

/* The pieces of mish at x: u = e^x, n = u² + 2u, and ns = n / 2^kk, us =
 * u / 2^kk with kk the exponent of e^x where x < 0 (0 elsewhere), so that
 * results near the underflow of e^x scale once at the end. */
struct mish_parts {
    V xc, u, us, n, ns, kk;
};

static inline struct mish_parts mish_split(V x)
{
    struct mish_parts m;
    V k;
    m.xc = vm_clamp(x, -VM_EXP_ARG_MAX, MISH_X_MAX);
    const V pm = vm_exp_parts(m.xc, vzero(), 0, &k);
    m.u = vscale(pm, k);
    const M neg = vlt(m.xc, vzero());
    m.us = vsel(neg, pm, m.u);
    m.kk = vsel(neg, k, vzero());
    m.n = vfma(m.u, m.u, vadd(m.u, m.u));
    m.ns = vfma(m.us, m.u, vadd(m.us, m.us));
    return m;
}

static inline V mish_fwd_v(V x, const V *p)
{
    (void)p;
    const struct mish_parts m = mish_split(x);
    const V y = vscale(vdiv(vmul(m.xc, m.ns), vadd(m.n, vset1((T)2))), m.kk);
    return vsel(vgt(x, vset1(MISH_X_MAX)), x, y);
}

static inline V mish_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const struct mish_parts m = mish_split(x);
    const V w = vdiv(vm_one(), vadd(m.n, vset1((T)2)));
    const V h = vmul(vmul(vmul(m.us, vadd(vm_one(), m.u)), w), vmul(vset1((T)4), w));
    const V g = vscale(vfma(m.xc, h, vmul(m.ns, w)), m.kk);
    return vmul(dy, vsel(vgt(x, vset1(MISH_X_MAX)), vm_one(), g));
}

#endif /* ACTFN_KERNELS_SOFTPLUS_H */
