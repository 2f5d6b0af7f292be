/*
 * vmath.h — the vector elementary functions the activation kernels build on:
 * exp (split into mantissa and exponent so callers scale once at the end),
 * expm1, tanh (f32: a doubled-argument rational), log1p on [0, 1], and the
 * scaled complementary error function gelu needs (a rational function).
 * Written once against the vocabulary of VOCABULARY.md, for
 * T = float (ACTFN_TYPE_F32) or double (ACTFN_TYPE_F64); no intrinsics.
 *
 * Polynomial coefficients come from tools/fit_coeffs.py (Chebyshev-node
 * interpolation in mpmath, rounded to T); its output is what the tables
 * below hold. Accuracy is proven by tools/sweep.c (docs/accuracy.md).
 */
#ifndef ACTFN_KERNELS_VMATH_H
#define ACTFN_KERNELS_VMATH_H

#ifdef ACTFN_TYPE_F32

#define VM_LOG2E 0x1.715476p+0f
#define VM_LN2_HI 0x1.62e43p-1f          /* ln 2 rounded to float */
#define VM_LN2_LO -0x1.05c61p-29f        /* ln 2 - VM_LN2_HI */
#define VM_EXP_ARG_MAX 200.0f            /* e^±200 is inf / 0 in float; k stays within ±300 */
#define VM_EXPM1_ARG_MIN -80.0f          /* expm1 is -1 below; 2^k stays normal */
#define VM_EXPM1_ARG_MAX 80.0f
#define VM_TANH_SAT 10.0f                /* tanh is 1 in float beyond 9.01 */
#define VM_FAST_EXP_MAX 80.0f            /* e^±80 and 2^k are normal, 1 + e^80 finite */
#define VM_GELU_ABS_MAX 15.0f            /* gelu(x) is 0 in float below -14.1 */

/* e^r = 1 + r + r^2 P(r), |r| <= ln2/2, as one Horner table (deg 6) */
#define VM_EXP_HORNER 1
static const T vm_exp_c[] = {
    0x1.000000p+0f, 0x1.000000p+0f, 0x1.000000p-1f, 0x1.5554dep-3f, 0x1.55551ap-5f, 0x1.120b62p-7f, 0x1.6d10fcp-10f,
};
/* expm1(r) = r + r^2 P(r), |r| <= ln2/2 */
static const T vm_expm1_p[] = {
    0x1.000000p-1f, 0x1.555556p-3f, 0x1.5554eap-5f, 0x1.1110e0p-7f, 0x1.6d4316p-10f, 0x1.a124e4p-13f,
};
/* log1p(v) = v + v^2 Q(v), 0 <= v <= 1 */
static const T vm_log1p_q[] = {
    -0x1.000000p-1f, 0x1.555548p-2f, -0x1.fffc0cp-3f, 0x1.9959bcp-3f, -0x1.533910p-3f, 0x1.19dc3cp-3f,
    -0x1.b956aep-4f, 0x1.271c54p-4f, -0x1.29827ep-5f, 0x1.80374ap-7f, -0x1.d02b28p-10f,
};
/* erfc(a/√2)·e^{a²/2} = P(a)/Q(a), 0 <= a <= VM_GELU_ABS_MAX */
static const T vm_gelu_p[] = {
    0x1.000000p+0f, 0x1.c1d5c6p-1f, 0x1.78c7f0p-2f, 0x1.4ee9e2p-4f, 0x1.103396p-7f,
};
/* tanh(u)/u = A(u²)/B(u²) for 0 <= u <= VM_TANH_SAT/2, fitted in relative
 * error weighted by 1/cosh(2u) (how much an error of tanh(u) survives the
 * doubling tanh(2u) = 2·tanh(u)/(1 + tanh²(u)), see vm_tanh); both tables
 * are scaled by 1.95 so that for small x the values A, B, A·B and the
 * denominator sit just below a power of 2, where roundings cost least, and
 * stored as Â(x²) = A(u²)/2 and B̃(x²) = B(u²) (exact rescalings) */
#define VM_TANH_RATIONAL 1
static const T vm_tanh_a[] = {
    0x1.f33334p-1f, 0x1.daf6ccp-6f, 0x1.cf9fbap-14f,
};
static const T vm_tanh_b[] = {
    0x1.f33334p+0f, 0x1.c38a70p-3f, 0x1.33496ap-9f, 0x1.3ccf16p-19f,
};
static const T vm_gelu_q[] = {
    0x1.000000p+0f, 0x1.ad2d14p+0f, 0x1.34a07ep+0f, 0x1.e2bd0ep-2f, 0x1.a3c6e8p-4f, 0x1.55267cp-7f,
};

#ifdef VOCAB_HAS_LUT16
/* The table exp (VM_EXP_LUT below): 2^(j/16) rounded to float, the relative
 * rounding error of each entry (entry 0 is -0: see vm_exp_lut), e^t =
 * 1 + t + t^2 P(t) on |t| <= ln2/32 (5e-9 relative), and ln2 split with the
 * head rounded down (a positive tail, also for -0). */
#define VM_EXP_LUT 1
static const T vm_exp2_lut[16] = {
    0x1.000000p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f, 0x1.306fe0p+0f, 0x1.3dea64p+0f,
    0x1.4bfdaep+0f, 0x1.5ab07ep+0f, 0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
    0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f,
};
static const T vm_exp2_lut_err[16] = {
    -0.0f,           0x1.8d96d4p-25f,  -0x1.9c0c22p-27f, 0x1.964904p-25f,  0x1.125002p-25f,  0x1.370be4p-25f,
    -0x1.0a3550p-25f, -0x1.00d8acp-27f, 0x1.26055cp-26f, -0x1.05cb44p-25f, 0x1.67a1cap-28f,  0x1.a3b5e4p-28f,
    -0x1.f9c304p-27f, -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f,
};
static const T vm_exp_lut_p[] = {0x1.000156p-1f, 0x1.555666p-3f};
/* expm1(t) = t + t^2 P(t) on the same interval, one degree more: 5e-10
 * relative to expm1(t), which near x = ±ln2/32 is the result's size after
 * the cancellation s·(1 + p) - 1 (the 2e-7 of the shorter P cost elu 3.8
 * ULP there) */
static const T vm_expm1_lut_p[] = {0x1.000000p-1f, 0x1.5556eep-3f, 0x1.555666p-5f};
#define VM_EXP_LUT_LN2_HI 0x1.62e42ep-1f
#define VM_EXP_LUT_LN2_LO 0x1.efa39ep-25f
#define VM_EXP_LUT_LN2 0x1.62e430p-1f /* ln2 rounded to float: 1.9e-9 too large */
#define VM_EXP_LUT_SHIFT 0x1.8p19f /* ulp 1/16: n = round(16·x/ln2)/16 */
#else
#define VM_EXP_LUT 0
#endif

#else /* ACTFN_TYPE_F64 */

#define VM_LOG2E 0x1.71547652b82fep+0
#define VM_LN2_HI 0x1.62e42fefa39efp-1
#define VM_LN2_LO 0x1.abc9e3b39803fp-56
#define VM_EXP_ARG_MAX 1500.0
#define VM_EXPM1_ARG_MIN -700.0
#define VM_EXPM1_ARG_MAX 700.0
#define VM_TANH_SAT 20.0
#define VM_FAST_EXP_MAX 700.0
#define VM_GELU_ABS_MAX 40.0
#define VM_EXP_HORNER 0 /* e^r = 1 + expm1(r): degree 11 needs the expm1 form */
#define VM_EXP_LUT 0
#define VM_TANH_RATIONAL 0 /* tanh through expm1 */

static const T vm_expm1_p[] = {
    0x1.0000000000001p-1, 0x1.5555555555556p-3, 0x1.5555555553d68p-5, 0x1.11111111109b5p-7,
    0x1.6c16c17889ef1p-10, 0x1.a01a01a7c2efep-13, 0x1.a019b9149a41cp-16, 0x1.71de0db2f6b19p-19,
    0x1.28917c89a43a7p-22, 0x1.af389ecfc4b9cp-26,
};
static const T vm_log1p_q[] = {
    -0x1.0000000000000p-1, 0x1.55555555554b9p-2, -0x1.fffffffff4bedp-3, 0x1.999999970365cp-3,
    -0x1.5555550459f81p-3, 0x1.2492430c8c061p-3, -0x1.ffff6260f5970p-4, 0x1.c716c84fc063fp-4,
    -0x1.99730ed878462p-4, 0x1.7395166f619e2p-4, -0x1.522c60f86b9c8p-4, 0x1.30f090840e956p-4,
    -0x1.0a677de2654e4p-4, 0x1.b401d10b0a3fbp-5, -0x1.40832de4ea7f0p-5, 0x1.9467cbf5e4b32p-6,
    -0x1.a1350510338a4p-7, 0x1.4cfe8d6ef2506p-8, -0x1.7dec9249c0d60p-10, 0x1.162ed8469e3cap-12,
    -0x1.80d9a3ccbf91fp-16,
};
static const T vm_gelu_p[] = {
    0x1.0000000000000p+0, 0x1.c247c478ca7d1p+0, 0x1.8933d74dc663fp+0, 0x1.ba9cb3e51ce19p-1,
    0x1.61afe40116eb6p-2, 0x1.a35dc7821650dp-4, 0x1.77b0f02604097p-6, 0x1.fc9fb569939e7p-9,
    0x1.fee3d15afd913p-12, 0x1.6c08399fe9be5p-15, 0x1.4d606c2df863fp-19, 0x1.2c7371dc69dbap-24,
};
static const T vm_gelu_q[] = {
    0x1.0000000000000p+0, 0x1.4744f70bb617cp+1, 0x1.89b97580c029ep+1, 0x1.273543d8c3150p+1,
    0x1.33dd05a620a9bp+0, 0x1.d77db093334b4p-2, 0x1.1089cd589d309p-3, 0x1.e0c306356ccddp-6,
    0x1.424921e34f489p-8, 0x1.41c8efa9c5b39p-11, 0x1.c8fb69b4e7eecp-15, 0x1.a1d35f113130dp-19,
    0x1.788f36dcdb807p-24,
};

#endif /* ACTFN_TYPE_F32 / ACTFN_TYPE_F64 */

#define VM_POLY(x, table) vm_poly((x), (table), (int)(sizeof(table) / sizeof((table)[0])))

/* Horner: c[0] + x·(c[1] + x·(... c[n-1])). */
KERNEL_INLINE V vm_poly(V x, const T *c, int n)
{
    V acc = vset1(c[n - 1]);
    for (int i = n - 2; i >= 0; i--)
        acc = vfma(acc, x, vset1(c[i]));
    return acc;
}

/* The same polynomial in whichever form is better conditioned per lane: for
 * lanes with rev set, x^(n-1)·poly(1/x) = Σ c[n-1-i]·z^i with z = 1/x (the
 * reversed table), else Σ c[i]·z^i with z = x. With positive coefficients
 * and large x the reversed form is dominated by its last step, so its
 * rounding errors do not pile up over the n steps. */
KERNEL_INLINE V vm_poly_dual(V z, M rev, const T *c, int n)
{
    V acc = vsel(rev, vset1(c[0]), vset1(c[n - 1]));
    for (int i = n - 2; i >= 0; i--)
        acc = vfma(acc, z, vsel(rev, vset1(c[n - 1 - i]), vset1(c[i])));
    return acc;
}

KERNEL_INLINE V vm_one(void) { return vset1((T)1); }
KERNEL_INLINE V vm_signbit(void) { return vset1((T)-0.0); }

/* clamp(x, lo, hi) that keeps NaN (the variable is the second operand of
 * vmax/vmin, which they return on NaN). */

/* Cody–Waite reduction: x = k·ln2 + r with k = round(x/ln2), |r| <= ln2/2
 * (plus rounding). The first step is exact: ln2_hi·k is subtracted inside
 * one fma and the difference fits T. |x| <= VM_EXP_ARG_MAX. */
KERNEL_INLINE V vm_exp_reduce(V x, V *k)
{
    const V kk = vround(vmul(x, vset1(VM_LOG2E)));
    const V r = vfnma(kk, vset1(VM_LN2_HI), x);
    *k = kk;
    return vfnma(kk, vset1(VM_LN2_LO), r);
}

/* expm1(r) for |r| <= ln2/2 (and a little beyond). */
KERNEL_INLINE V vm_expm1_poly(V r) { return vfma(vmul(r, r), VM_POLY(r, vm_expm1_p), r); }

/* e^r for |r| <= ln2/2 (and a little beyond): f32 one degree-6 Horner
 * chain (0.16 ulp of approximation error), f64 1 + expm1(r). */
KERNEL_INLINE V vm_exp_poly(V r)
{
#if VM_EXP_HORNER
    return VM_POLY(r, vm_exp_c);
#else
    return vadd(vm_expm1_poly(r), vm_one());
#endif
}

/* e^x = p·2^k for x already within ±VM_EXP_ARG_MAX (or NaN); p in about
 * [0.70, 1.42]. lo is added to the reduced argument, so e^(x+lo) is formed
 * for a second-order part lo of the argument (|lo| <= ulp(x)). */
KERNEL_INLINE V vm_exp_parts(V x, V lo, int with_lo, V *k)
{
    V r = vm_exp_reduce(x, k);
    if (with_lo)
        r = vadd(r, lo);
    return vm_exp_poly(r);
}

/* e^x for any x: NaN stays NaN, ±inf gives inf / 0, a subnormal result is
 * rounded once. */
KERNEL_INLINE V vm_exp(V x)
{
    V k;
    const V p = vm_exp_parts(vclamp(x, -VM_EXP_ARG_MAX, VM_EXP_ARG_MAX), vzero(), 0, &k);
    return vscale(p, k);
}

#if VM_EXP_LUT
/*
 * e^(sg·(z + lo)) = s·(1 + p), sg = -1 (neg) or +1, for |z| <= 80 (or NaN),
 * on a vocabulary with vlut16: n = round(16·sg·z/ln2)/16 (the shift's ulp
 * is 1/16, so the low 4 bits of nb are j = 16·(n - floor(n))), s =
 * 2^(j/16)·2^floor(n) = vscale(table, n) (exact: normal for |n| <= 116)
 * and p = e^t·(1 + r_j) - 1 for t = sg·(z + lo) - n·ln2, |t| <= ln2/32,
 * where r_j is the rounding error of the table entry: degree 3 in t
 * (4 for expm1) instead of the 6 of vm_exp_poly, with the table's error
 * put back. The
 * first step of t is exact (n has 4 fraction bits, ln2_hi 24 bits); with
 * sg = +1 and z = ±0 (lo = 0) p is ±0 (u·b + r_0, r_0 = -0 and a positive
 * ln2 tail), so expm1 keeps the sign of 0. Per vector 10 instructions, 6
 * of them on Zen 4's FMA pipes plus the vscalef, against 11 with 9 plus
 * the vscalef for vm_exp_parts' reduction and degree-6 Horner chain.
 */
KERNEL_INLINE V vm_exp_lut(V z, V lo, int with_lo, int neg, int for_expm1, V *s)
{
    const T sg = neg ? (T)-1 : (T)1;
    const T *c = for_expm1 ? vm_expm1_lut_p : vm_exp_lut_p;
    const int nc = for_expm1 ? 3 : 2;
    const V nb = vfma(z, vset1(sg * VM_LOG2E), vset1(VM_EXP_LUT_SHIFT));
    const V n = vsub(nb, vset1(VM_EXP_LUT_SHIFT));
    /* u = z + lo - sg·n·ln2, t = sg·u; for expm1 ln2 is one float (see
     * vm_expm1_fast) */
    V u = vfma(n, vset1(-sg * (for_expm1 ? VM_EXP_LUT_LN2 : VM_EXP_LUT_LN2_HI)), z);
    if (!for_expm1)
        u = vfma(n, vset1(-sg * VM_EXP_LUT_LN2_LO), u);
    if (with_lo)
        u = vadd(u, lo);
    /* p = t·(1 + t·P(t)) + r_j, P's coefficient of t^i times sg^i for u */
    V a = vset1(c[nc - 1] * ((nc - 1) % 2 ? sg : (T)1));
    for (int i = nc - 2; i >= 0; i--)
        a = vfma(a, u, vset1(c[i] * (i % 2 ? sg : (T)1)));
    const V r = vlut16(nb, vm_exp2_lut_err);
    *s = vscale(vlut16(nb, vm_exp2_lut), n);
    if (neg)
        return vfnma(u, vfnma(u, a, vm_one()), r);
    return vfma(u, vfma(u, a, vm_one()), r);
}
#endif

/* expm1(x) for x <= VM_EXPM1_ARG_MAX (meant for x <= 0): 2^k·expm1(r) +
 * (2^k - 1) in one fma; -1 below VM_EXPM1_ARG_MIN. Keeps the sign of x
 * (expm1(-0) = -0) and NaN. */
KERNEL_INLINE V vm_expm1(V x)
{
    V k;
    const V r = vm_exp_reduce(vclamp(x, VM_EXPM1_ARG_MIN, VM_EXPM1_ARG_MAX), &k);
    const V s = vpow2i(k);
    const V y = vfma(s, vm_expm1_poly(r), vsub(s, vm_one()));
    return vor(y, vand(x, vm_signbit()));
}

/* vm_expm1, or with the table exp s·p - (1 - s) in one fma (1 - s is exact
 * for s in [1/2, 2], where the difference cancels, and makes -0 - 0 = -0
 * at x = -0 without a sign fix). For s < 1/2 (x < -0.69) 1 - s is rounded
 * once more: about 1.2 ULP there against 0.8, which λα·expm1 (selu) turns
 * into 2.28 ULP against 1.50 (sweep over every float); elu (alpha = 1)
 * measures 1.60 against 1.79, so elu takes this one and selu vm_expm1.
 * For x <= 0 (and NaN) only: lanes above 0 are clamped on one side and
 * their result is unspecified (elu discards them), one vmax instead of a
 * clamp. The reduction uses ln2 as one float, one fma instead of two: its
 * error, |n|·1.9e-9 in t, reaches the result as e^x·|x|/ln2·1.9e-9, at
 * most 0.07 ULP of expm1 (near x = -ln2/32, where |n| = 1/16 is smallest
 * against the result; 0.02 ULP at x = -1).
 */
KERNEL_INLINE V vm_expm1_fast(V x)
{
#if VM_EXP_LUT
    V s;
    const V p = vm_exp_lut(vmax(vset1(VM_EXPM1_ARG_MIN), x), vzero(), 0, 0, 1, &s);
    return vfms(s, p, vsub(vm_one(), s));
#else
    return vm_expm1(x);
#endif
}

#if VM_TANH_RATIONAL
/* f32, no exp: for z = |x|, u = z/2 and r = u·A(u²)/B(u²) ≈ tanh(u),
 * tanh(z) = 2r/(1 + r²) = N/(N + E²) with N = z·A·B = 2z·Â·B̃ and
 * E = B - u·A = B̃ - z·Â (B² + u²A² = E² + 2uAB), one division. Near tanh = 1 both the error of r
 * and the roundings of N and E² are damped by 1 - tanh(z) (E² is the small
 * part of the denominator), so only the sum and the division count there;
 * a plain rational in x would carry its Horner rounding into the result. */
KERNEL_INLINE V vm_tanh(V x)
{
    const V z = vmin(vset1(VM_TANH_SAT), vabs(x));
    const V w = vmul(z, z);
    const V ah = VM_POLY(w, vm_tanh_a);
    const V b = VM_POLY(w, vm_tanh_b);
    const V num = vmul(vadd(z, z), vmul(ah, b));
    const V e = vfnma(z, ah, b);
    const V y = vdiv(num, vfma(e, e, num));
    return vor(y, vand(x, vm_signbit()));
}
#else
/* tanh(x) = -m/(2 + m) with m = expm1(-2|x|) in (-1, 0]: no cancellation
 * anywhere, including near 0; the sign of x is put back at the end. */
KERNEL_INLINE V vm_tanh(V x)
{
    const V z = vmin(vset1(VM_TANH_SAT), vabs(x));
    const V m = vm_expm1(vmul(z, vset1((T)-2)));
    const V y = vdiv(m, vsub(vset1((T)-2), m));
    return vor(y, vand(x, vm_signbit()));
}
#endif

/* log1p(v) = v + v²·Q(v) for 0 <= v <= 1, as 1 + v·Q(v) times v: returns
 * the factor L = log1p(v)/v so callers can multiply it by an unscaled v. */
KERNEL_INLINE V vm_log1p01_ratio(V v) { return vfma(v, VM_POLY(v, vm_log1p_q), vm_one()); }

/*
 * The logistic function of t = hi (+ lo) in pieces: e^{-|t|} = p·2^k
 * (k <= 0), e = p·2^k (exact while normal, rounded once below) and
 * d = 1 + e, so σ(|t|) = 1/d and σ(-|t|) = e/d. An op whose result can be
 * normal while e is subnormal (x·σ(t) for large x) uses p/d and scales by
 * 2^k last instead.
 */
struct vm_logistic {
    V p, k, e, d;
};

KERNEL_INLINE struct vm_logistic vm_logistic_parts(V hi, V lo, int with_lo)
{
    struct vm_logistic s;
    const V neg_abs = vmax(vset1(-VM_EXP_ARG_MAX), vor(hi, vm_signbit()));
    /* -|hi + lo| = -|hi| - sign(hi)·lo */
    const V lo_eff = vxor(lo, vxor(vand(hi, vm_signbit()), vm_signbit()));
    s.p = vm_exp_parts(neg_abs, lo_eff, with_lo, &s.k);
    s.e = vscale(s.p, s.k);
    s.d = vadd(vm_one(), s.e);
    return s;
}

/* The logistic function on the fast path, for vectors whose lanes all have
 * |t| <= VM_FAST_EXP_MAX (or NaN; callers test with vm_logistic_fast_ok):
 * E = e^{-(t + lo)} = p·2^k is normal and 1 + E finite for every such t, so
 * σ(t) = 1/(1 + E) and σ(-t) = E/(1 + E) need no clamp, no |t|, no blend. */
KERNEL_INLINE int vm_logistic_fast_ok(V t) { return !many(vgt(vabs(t), vset1(VM_FAST_EXP_MAX))); }

/* a·2^k for k known to lie in the normal exponent range (vpow2i's): the
 * native vscale where there is one, else one product by vpow2i(k), which is
 * what derived.h's vscale computes for such k without its range test (the
 * same bits, four instructions and a branch fewer per vector). */
KERNEL_INLINE V vm_scale_normal(V a, V k)
{
#ifdef VOCAB_HAS_VSCALE
    return vscale(a, k);
#else
    return vmul(a, vpow2i(k));
#endif
}

/* a·2^k for k from twice the lowest normal exponent up to the highest
 * (-252…127 f32, -2044…1023 f64), without a branch: 2^(k - last)·2^last
 * with last = max(k, lowest), both normal. These are the products
 * derived.h's vscale forms for such k (its first factor is then 1), so the
 * same bits; gelu's e^{-x²/2} and mish's e^x have their k in this range. */
KERNEL_INLINE V vm_scale_wide(V a, V k)
{
#ifdef VOCAB_HAS_VSCALE
    return vscale(a, k);
#else
    const V last = vmax(k, vset1((T)DERIVED_EXP_MIN));
    return vmul(vmul(a, vpow2i(vsub(k, last))), vpow2i(last));
#endif
}

/* e^{-(t + lo)} on the fast path: |t| <= VM_FAST_EXP_MAX puts k within
 * ±116 (f32) / ±1010 (f64), normal powers of two; lanes beyond (which the
 * caller discards) get an unspecified value. */
KERNEL_INLINE V vm_exp_neg_fast(V t, V lo, int with_lo)
{
#if VM_EXP_LUT
    V s;
    const V p = vm_exp_lut(t, lo, with_lo, 1, 0, &s);
    return vfma(s, p, s);
#else
    V k;
    const V p = vm_exp_parts(vneg(t), vneg(lo), with_lo, &k);
    return vm_scale_normal(p, k);
#endif
}

/* x·σ(t) and σ(t)·(1 + u·σ(-t)) (see logistic_slope) on the fast path,
 * from E = e^{-t}: σ(t) = q = 1/(1 + E), σ(-t) = E·q. */
KERNEL_INLINE V logistic_times_fast(V x, V e) { return vdiv(x, vadd(vm_one(), e)); }

KERNEL_INLINE V logistic_slope_fast(V u, V e)
{
    const V q = vdiv(vm_one(), vadd(vm_one(), e));
    return vmul(q, vfma(u, vmul(e, q), vm_one()));
}

/* σ(t) from its logistic pieces (a subnormal σ rounds twice: within the
 * absolute budget of SPEC §4 there). */
KERNEL_INLINE V logistic_value(V t, struct vm_logistic s)
{
    return vdiv(vsel(vgt(t, vzero()), vm_one(), s.e), s.d);
}

/* x·σ(t) for the logistic pieces s of t (x has the sign of t, or t is
 * saturated; any finite-x range). Halving p keeps x·p finite for every
 * finite x; the 2^(k+1) puts it back. */
KERNEL_INLINE V logistic_times(V x, V t, struct vm_logistic s)
{
    const M pos = vgt(t, vzero());
    const V num = vsel(pos, x, vmul(x, vmul(s.p, vset1((T)0.5))));
    const V y = vscale(vdiv(num, s.d), vsel(pos, vzero(), vadd(s.k, vm_one())));
    /* t below the clamp: σ(t)·x is below the smallest subnormal for every
     * finite x; ±0 with the sign of x (also keeps x = ∓inf from inf·0). */
    const M saturated = vlt(t, vset1(-VM_EXP_ARG_MAX));
    return vsel(saturated, vand(x, vm_signbit()), y);
}

/* σ(t)·(1 + u·σ(-t)) for the logistic pieces s of t: the derivative of
 * x·σ(t) is this with u = t (swish, silu) or u = x·t'(x) (gelu_tanh). u is
 * clamped so that u·σ(-t) never makes inf·0. */
KERNEL_INLINE V logistic_slope(V t, V u, struct vm_logistic s)
{
    const M pos = vgt(t, vzero());
    const V q = vdiv(vm_one(), s.d);
    const V eq = vmul(s.e, q);
    const V uc = vclamp(u, -VM_EXP_ARG_MAX, VM_EXP_ARG_MAX);
    /* t > 0: σ(t) = q, σ(-t) = e·q.  t <= 0: σ(t) = e·q, σ(-t) = q. */
    const V a = vsel(pos, q, eq);
    const V c = vsel(pos, eq, q);
    const V f = vfma(uc, c, vm_one());
    /* Where σ(t) = e·q is subnormal and t <= 0, the product with f (up to
     * ~100 for gelu_tanh, whose u = x·t') may still be normal: form it as
     * (p·q·f)·2^k, so that a caller's FTZ does not flush σ(t) first (the
     * same bits wherever both are normal: scaling by 2^k is exact there). */
    const M sub = mandnot(vlt(eq, vset1((T)(sizeof(T) == 4 ? FLT_MIN : DBL_MIN))), pos);
    if (many(sub))
        return vsel(sub, vscale(vmul(vmul(s.p, q), f), s.k), vmul(a, f));
    return vmul(a, f);
}

/* hi + lo = a·b exactly (lo from one fma); lo is 0 where hi is not finite,
 * so an infinite product cannot turn lo into NaN. */
KERNEL_INLINE V vm_mul_exact(V a, V b, V *lo)
{
    const V hi = vmul(a, b);
    const V err = vfms(a, b, hi);
    *lo = vsel(vle(vabs(hi), vset1((T)VM_EXP_ARG_MAX)), err, vzero());
    return hi;
}

/*
 * gelu's pieces for a = |x|: e^{-x²/2} = p·2^k (x² split exactly into hi +
 * lo) and G = erfc(a/√2)·e^{a²/2} = P(a)/Q(a) (positive coefficients, exact
 * argument: no cancellation, no rounded inner argument). Then
 * Φ(-a) = G·e^{-a²/2}/2 and φ(a) = e^{-a²/2}/√(2π).
 *
 * With dual = 0, P and Q are evaluated as they stand on every lane: one
 * division, no selects. Their Horner rounding then grows with a (each step
 * passes its error on undamped once a·acc dominates the coefficient), which
 * only matters where Φ(x) itself is the result, x < 0. With dual = 1,
 * lanes beyond a = 4 use the reversed tables in 1/a (two divisions and a
 * select per coefficient: 28% of gelu's time, f32 AVX-512). f32 takes the
 * plain form unless a lane is below -VM_GELU_DUAL_BELOW (vm_gauss_plain_ok).
 * Measured over every float in [-16, -0.5] (gelu forward, AVX-512, max ULP
 * per unit interval): plain at most 6.43 down to x = -10 (7.46 in
 * [-12, -11)), dual 5.57 below -4; both 6.51 in [-4, -3), the largest of
 * all, so the split costs no accuracy. f64 (degrees 11/12) always takes the
 * dual form: plain errs 8.69 in [-8, -7) against 7.47 overall, and a split
 * at -4 is slower than none for normal(0, 3) inputs.
 */
struct vm_gauss {
    V p, k, g;
};

/* VM_GELU_PLAIN: the type has the plain form (f32), for vectors that pass
 * vm_gauss_plain_ok; f64 has only the dual one. */
#ifdef ACTFN_TYPE_F32
#define VM_GELU_PLAIN 1
#define VM_GELU_DUAL_BELOW 10.0f
KERNEL_INLINE int vm_gauss_plain_ok(V x) { return !many(vlt(x, vset1(-VM_GELU_DUAL_BELOW))); }
#else
#define VM_GELU_PLAIN 0
#endif

KERNEL_INLINE struct vm_gauss vm_gauss_parts(V x, int dual)
{
    struct vm_gauss s;
    const V a = vmin(vset1(VM_GELU_ABS_MAX), vabs(x));
    const V sq = vmul(a, a);
    const V sq_lo = vfms(a, a, sq);
    const V half = vset1((T)-0.5);
    s.p = vm_exp_parts(vmul(sq, half), vmul(sq_lo, half), 1, &s.k);
    /* G = P(a)/Q(a); with dual, above a = 4 as b·P~(b)/Q~(b) with b = 1/a
     * and the reversed tables (deg Q = deg P + 1), formed as P~(b)/(a·Q~(b)). */
    if (!dual) {
        s.g = vdiv(VM_POLY(a, vm_gelu_p), VM_POLY(a, vm_gelu_q));
        return s;
    }
    const M rev = vgt(a, vset1((T)4));
    const V z = vsel(rev, vdiv(vm_one(), a), a);
    const V num = vm_poly_dual(z, rev, vm_gelu_p, (int)(sizeof vm_gelu_p / sizeof vm_gelu_p[0]));
    const V den = vm_poly_dual(z, rev, vm_gelu_q, (int)(sizeof vm_gelu_q / sizeof vm_gelu_q[0]));
    s.g = vdiv(num, vsel(rev, vmul(a, den), den));
    return s;
}

#endif /* ACTFN_KERNELS_VMATH_H */
