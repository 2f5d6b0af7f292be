#!/usr/bin/python3
"""fit_coeffs.py — reproduce the polynomial coefficients of src/kernels/vmath.h.

Each approximation is a polynomial interpolating the target function at the
Chebyshev nodes of its interval (near-minimax), solved exactly in mpmath at
high precision, then rounded to float / double.  Run with /usr/bin/python3
(needs python3-mpmath); it prints the C initialisers vmath.h holds and the
max relative error of the rounded polynomial on a dense grid (evaluated in
mpmath, so it shows the approximation error alone, not the rounding of the
arithmetic).

    /usr/bin/python3 tools/fit_coeffs.py [f32|f64]
"""
import struct
import mpmath as mp

mp.mp.dps = 60


def to_f32(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


def cheb_fit(f, lo, hi, degree, var):
    """Coefficients c[0..degree] of sum c_k var(x)^k interpolating f at the
    Chebyshev nodes of [lo, hi]; var maps x to the polynomial's variable."""
    lo, hi = mp.mpf(lo), mp.mpf(hi)
    n = degree + 1
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n) for k in range(n)]
    a = mp.matrix(n, n)
    b = mp.matrix(n, 1)
    for i, x in enumerate(xs):
        v = var(x)
        for j in range(n):
            a[i, j] = v ** j
        b[i] = f(x)
    return list(mp.lu_solve(a, b))


def max_rel_err(f, approx, lo, hi, points=2000):
    lo, hi = mp.mpf(lo), mp.mpf(hi)
    worst = mp.mpf(0)
    for i in range(points + 1):
        x = lo + (hi - lo) * i / points
        fx = f(x)
        if fx != 0:
            worst = max(worst, abs(approx(x) / fx - 1))
    return worst


def horner(coeffs, v):
    acc = mp.mpf(0)
    for c in reversed(coeffs):
        acc = acc * v + c
    return acc


def rational_fit(f, lo, hi, m, n, points=400, iterations=40, weight=None):
    """P/Q (degrees m, n; Q(0) = 1) near-minimax in relative error on [lo, hi]
    (times weight(x) when given): linearised least squares (P - fQ)/(f Q_prev)
    on Chebyshev points, with Lawson reweighting towards the minimax
    solution; the best iterate wins."""
    lo, hi = mp.mpf(lo), mp.mpf(hi)
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / points) for k in range(points)]
    fs = [f(x) for x in xs]
    ws = [weight(x) if weight else mp.mpf(1) for x in xs]
    weights = [mp.mpf(1)] * points
    q_prev = [mp.mpf(1)] * points
    best = None
    for _ in range(iterations):
        a = mp.matrix(points, m + 1 + n)
        b = mp.matrix(points, 1)
        for i, (x, fx) in enumerate(zip(xs, fs)):
            s = mp.sqrt(weights[i]) * ws[i] / (fx * q_prev[i])
            for j in range(m + 1):
                a[i, j] = s * x ** j
            for j in range(1, n + 1):
                a[i, m + j] = -s * fx * x ** j
            b[i] = s * fx
        sol = mp.qr_solve(a, b)[0]
        p = [sol[j] for j in range(m + 1)]
        q = [mp.mpf(1)] + [sol[m + j] for j in range(1, n + 1)]
        q_prev = [horner(q, x) for x in xs]
        errs = [abs(horner(p, x) / qx / fx - 1) * w for x, qx, fx, w in zip(xs, q_prev, fs, ws)]
        worst = max(errs)
        if best is None or worst < best[0]:
            best = (worst, p, q)
        total = mp.fsum(w * e for w, e in zip(weights, errs))
        weights = [w * e / total * points for w, e in zip(weights, errs)]
    return best[1], best[2]


def c_literal(x, single):
    if single:
        return float(to_f32(x)).hex() + 'f'
    return float(x).hex()


def emit(name, coeffs, single):
    rounded = [mp.mpf(to_f32(c)) if single else mp.mpf(float(c)) for c in coeffs]
    body = ', '.join(c_literal(c, single) for c in coeffs)
    print('    %s = { %s }' % (name, body))
    return rounded


# --- expm1(r) = r + r^2 P(r) on [-ln2/2, ln2/2]: serves exp and expm1 -----
def expm1_tail(r):
    if abs(r) < mp.mpf(10) ** -20:
        return mp.mpf(1) / 2 + r / 6
    return (mp.expm1(r) - r) / (r * r)


# --- log1p(v) = v + v^2 Q(v) on [0, 1] (softplus / logsigmoid: v = e^-|t|) --
def log1p_tail(v):
    if abs(v) < mp.mpf(10) ** -20:
        return -mp.mpf(1) / 2 + v / 3
    return (mp.log1p(v) - v) / (v * v)


# --- gelu: G(a) = erfc(a/sqrt2) e^{a^2/2} = P(a)/Q(a), a rational function of
# a itself (a = |x| is exact; P and Q have positive coefficients, so their
# Horner evaluation has no cancellation), on [0, amax], amax: where gelu
# underflows ---------------------------------------------------------------
GELU_F64_DEGREES = (11, 12)
def gelu_g(a):
    return mp.erfc(a / mp.sqrt(2)) * mp.exp(a * a / 2)


# --- f32 tanh: tanh(u)/u = A(u^2)/B(u^2) on u in [0, 5] (x = 2u up to the
# saturation 10), relative error weighted by 1/cosh(2u): vm_tanh doubles the
# argument, tanh(2u) = 2 tanh(u)/(1 + tanh(u)^2), which damps an error of
# tanh(u) by that factor. Both tables are then scaled by TANH_SCALE (the
# ratio does not change), which puts A, B, A·B and the denominator of
# vm_tanh for small x just below a power of 2, where a rounding costs the
# least relative error -------------------------------------------------------
TANH_DEGREES = (2, 3)
TANH_SCALE = 1.95
def tanh_ratio(s):
    if s < mp.mpf(10) ** -20:
        return 1 - s / 3
    u = mp.sqrt(s)
    return mp.tanh(u) / u


def fit_tanh_f32():
    weight = lambda s: 1 / mp.cosh(2 * mp.sqrt(s))
    p, q = rational_fit(tanh_ratio, 0, 25, TANH_DEGREES[0], TANH_DEGREES[1], points=200, iterations=25,
                        weight=weight)
    # vm_tanh evaluates both in x^2 = 4u^2 (coefficient k times 4^-k) and
    # takes A/2 (both exact rescalings of the float coefficients)
    scaled = lambda cs, f: [mp.mpf(to_f32(TANH_SCALE * to_f32(c))) * f / 4 ** k for k, c in enumerate(cs)]
    ra = emit('TANH_A', scaled(p, mp.mpf(1) / 2), True)
    rb = emit('TANH_B', scaled(q, 1), True)
    err = max_rel_err(tanh_ratio,
                      lambda s: tanh_ratio(s) + (2 * horner(ra, 4 * s) / horner(rb, 4 * s) - tanh_ratio(s)) * weight(s),
                      0, 25, 1000)
    print('    /* tanh: weighted rel err %s */' % mp.nstr(err, 3))


# --- f32 table exp (vocabularies with VOCAB_HAS_LUT16): e^t = 2^(j/16)·(1 +
# t + t^2 P(t)) on |t| <= ln2/32 (2% wider for the rounding of n and the
# second-order argument), the table 2^(j/16) rounded to float with each
# entry's relative rounding error beside it (entry 0: -0, so that a -0
# argument keeps its sign), and ln2 split with its head rounded down (a
# positive tail, for the same -0) -----------------------------------------
def fit_exp_lut_f32():
    h = mp.log(2) / 32 * mp.mpf('1.02')
    co = cheb_fit(expm1_tail, -h, h, 1, lambda x: x)
    rc = emit('EXP_LUT_P', co, True)
    err = max_rel_err(lambda r: mp.exp(r), lambda r: 1 + r + r * r * horner(rc, r), -h, h)
    print('    /* e^t rel err %s */' % mp.nstr(err, 3))
    co = cheb_fit(expm1_tail, -h, h, 2, lambda x: x)
    rc = emit('EXPM1_LUT_P', co, True)
    err = max_rel_err(lambda r: mp.expm1(r), lambda r: r + r * r * horner(rc, r), -h, h)
    print('    /* expm1 rel err %s */' % mp.nstr(err, 3))
    tab, rel = [], []
    for j in range(16):
        v = mp.power(2, mp.mpf(j) / 16)
        hi = to_f32(v)
        tab.append(mp.mpf(hi))
        rel.append(mp.mpf(to_f32((v - hi) / hi)) if j else mp.mpf(0))
    print('    EXP2_LUT = { %s }' % ', '.join(c_literal(c, True) for c in tab))
    print('    EXP2_LUT_ERR = { -0.0f, %s }' % ', '.join(c_literal(c, True) for c in rel[1:]))
    ln2 = mp.log(2)
    hi = to_f32(ln2)
    if hi > ln2:
        hi = struct.unpack('f', struct.pack('I', struct.unpack('I', struct.pack('f', hi))[0] - 1))[0]
    print('    LN2_HI %s LN2_LO %s' % (c_literal(mp.mpf(hi), True), c_literal(mp.mpf(to_f32(ln2 - hi)), True)))


def main(only=None):
    ln2h = mp.log(2) / 2
    fits = {
        # name: (degree f32, degree f64)
        'expm1': (5, 9),
        'log1p': (10, 20),
    }
    for single, label in ((True, 'f32'), (False, 'f64')):
        if only and label != only:
            continue
        print('/* %s */' % label)
        deg = fits['expm1'][0 if single else 1]
        co = cheb_fit(expm1_tail, -ln2h, ln2h, deg, lambda x: x)
        rc = emit('EXPM1_P', co, single)
        err = max_rel_err(lambda r: mp.expm1(r), lambda r: r + r * r * horner(rc, r), -ln2h, ln2h)
        print('    /* expm1 rel err %s */' % mp.nstr(err, 3))

        deg = fits['log1p'][0 if single else 1]
        co = cheb_fit(log1p_tail, 0, 1, deg, lambda x: x)
        rc = emit('LOG1P_Q', co, single)
        err = max_rel_err(lambda v: mp.log1p(v), lambda v: v + v * v * horner(rc, v), mp.mpf(10) ** -30, 1)
        print('    /* log1p rel err %s */' % mp.nstr(err, 3))

        if single:
            fit_tanh_f32()
            fit_exp_lut_f32()

        amax, m, n = (15, 4, 5) if single else (40, GELU_F64_DEGREES[0], GELU_F64_DEGREES[1])
        p, q = rational_fit(gelu_g, 0, amax, m, n)
        rp = emit('GELU_P', p, single)
        rq = emit('GELU_Q', q, single)
        err = max_rel_err(gelu_g, lambda a: horner(rp, a) / horner(rq, a), 0, amax, 600)
        print('    /* gelu G = P/Q on [0, %s]: rel err %s */' % (amax, mp.nstr(err, 3)))


if __name__ == '__main__':
    import sys
    main(sys.argv[1] if len(sys.argv) > 1 else None)
