/*
 * tanh.h — tanh and gelu_tanh, forward and backward. tanh goes through
 * expm1 (vmath.h) so it has no cancellation near 0; gelu_tanh uses
 * 0.5·(1 + tanh(u)) = σ(2u), i.e. gelu_tanh(x) = x·σ(t) with
 * t = 2√(2/π)·(x + 0.044715·x³), and shares the logistic pieces of silu.
 */
#ifndef ACTFN_KERNELS_TANH_H
#define ACTFN_KERNELS_TANH_H

/* t = x·(C1 + C2·x²): C1 = 2√(2/π), C2 = 2√(2/π)·0.044715 */
#define GELU_TANH_C1 ((T)1.5957691216057307117597842397375)
#define GELU_TANH_C2 ((T)0.071354816766111754175333287445427)

static inline V tanh_fwd_v(V x, const V *p)
{
    (void)p;
    return vm_tanh(x);
}

/* from y = tanh(x): dy·(1 - y²), 1 - y² in one rounding */
static inline V tanh_bwd_v(V y, V dy, const V *p)
{
    (void)p;
    return vmul(dy, vfnma(y, y, vm_one()));
}

static inline V gelu_tanh_arg(V x) { return vmul(x, vfma(vset1(GELU_TANH_C2), vmul(x, x), vset1(GELU_TANH_C1))); }

static inline V gelu_tanh_fwd_v(V x, const V *p)
{
    (void)p;
    const V t = gelu_tanh_arg(x);
    return logistic_times(x, t, vm_logistic_parts(t, vzero(), 0));
}

/* d/dx x·σ(t) = σ(t)·(1 + x·t'·σ(-t)), t' = C1 + 3·C2·x² */
static inline V gelu_tanh_bwd_v(V x, V dy, const V *p)
{
    (void)p;
    const V t = gelu_tanh_arg(x);
    const V xc = vm_clamp(x, -VM_EXP_ARG_MAX, VM_EXP_ARG_MAX);
    const V dt = vfma(vset1((T)3 * GELU_TANH_C2), vmul(xc, xc), vset1(GELU_TANH_C1));
    return vmul(dy, logistic_slope(t, vmul(xc, dt), vm_logistic_parts(t, vzero(), 0)));
}

#endif /* ACTFN_KERNELS_TANH_H */
