#!/usr/bin/python3
"""fit_coeffs.py — reproduce the polynomial coefficients of src/kernels/vmath.h.

Each approximation is a polynomial interpolating the target function at the
Chebyshev nodes of its interval (near-minimax), solved exactly in mpmath at
high precision, then rounded to float / double.  Run with /usr/bin/python3
(needs python3-mpmath); it prints the C initialisers vmath.h holds and the
max relative error of the rounded polynomial on a dense grid (evaluated in
mpmath, so it shows the approximation error alone, not the rounding of the
arithmetic).

    /usr/bin/python3 tools/fit_coeffs.py
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


# --- gelu: G(a) = erfc(a/sqrt2) e^{a^2/2} = t H(t) with t = c/(c+a), H a
# polynomial in t on [c/(c+amax), 1] (amax: where gelu underflows) ----------
def gelu_g(a):
    return mp.erfc(a / mp.sqrt(2)) * mp.exp(a * a / 2)


def main():
    ln2h = mp.log(2) / 2
    fits = {
        # name: (degree f32, degree f64)
        'expm1': (4, 9),
        'log1p': (10, 20),
    }
    for single, label in ((True, 'f32'), (False, 'f64')):
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

        c, amax, deg = (3, 15, 12) if single else (6, 40, 24)
        tmin = mp.mpf(c) / (c + amax)
        gelu_h = lambda t: gelu_g(c / t - c) / t
        co = cheb_fit(gelu_h, tmin, 1, deg, lambda t: t)
        rc = emit('GELU_H', co, single)
        print('    /* GELU_C = %s */' % c)
        err = max_rel_err(gelu_h, lambda t: horner(rc, t), tmin, 1, 600)
        print('    /* gelu H rel err %s */' % mp.nstr(err, 3))


if __name__ == '__main__':
    main()
