/*
 * softmax.h — softmax and log_softmax along contiguous rows of any length,
 * forward and backward.
 *
 * Forward in three passes over a row: the max; exp(x − max) and its sum
 * (pairwise, struct vsum); then the scale (softmax: ·1/sum) or the shift
 * (log_softmax: − log(sum), one libm log per row). A NaN entry makes the
 * sum NaN and so the whole row NaN on its own; a row whose max is ±inf or
 * NaN goes to a scalar path with the decided limits (+inf entries share the
 * mass equally; an all −inf row is NaN). y == x works: every pass reads an
 * element before it writes it, and the special path counts before writing.
 *
 * In 16-bit units y cannot hold e^(x − max) unrounded for the scale pass
 * (y is rounded once): the exponentials of a row's first SOFTMAX_STAGE
 * elements are kept in a float buffer on the stack (16 KB) and scaled from
 * there; those of longer rows' remaining elements are formed again. The
 * sum is the same sequence of additions either way, so y is bit for bit
 * what forming every exponential twice gives.
 */

/* Floats of e^(x − max) a 16-bit softmax row keeps (a multiple of 4·VW and
 * of the reproducible set's 16 lanes). */
#define SOFTMAX_STAGE 4096

/* out = e·c (or e / c with divide) for n staged floats e. */
KERNEL_INLINE void row_from_stage(const T *e, S *out, size_t n, T c_scalar, int divide)
{
    const V c = vset1(c_scalar);
    size_t i = 0;
    for (; i + VW <= n; i += VW)
        sstore(out + i, divide ? vdiv(vload(e + i), c) : vmul(vload(e + i), c));
    if (i < n) {
        const V t = vload_part(e + i, n - i);
        sstore_part(out + i, divide ? vdiv(t, c) : vmul(t, c), n - i);
    }
}


/* The log of one value: libm's in the fast set, SLEEF's (the same bits on
 * every ISA) in the reproducible one. */
#ifdef ACTFN_REPRO
static T softmax_log1(T v)
{
    T lanes[VW];
    vstore(lanes, rlog(vset1(v)));
    return lanes[0];
}
#else
static T softmax_log1(T v)
{
    return (T)log((double)v);
}
#endif

/* A row whose max is not finite: NaN anywhere, or no +inf (then the row is
 * all −inf), gives a NaN row; otherwise the m +inf entries share the mass:
 * softmax 1/m there and 0 elsewhere, log_softmax −log(m) and −inf. */
static void softmax_row_special(const S *x, S *y, size_t n, int log_form)
{
    size_t pos_inf = 0;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        const T v = sget(x[i]);
        nan |= v != v;
        pos_inf += v == (T)INFINITY;
    }
    T on, off;
    if (nan || pos_inf == 0) {
        on = off = (T)NAN;
    } else if (log_form) {
        on = -softmax_log1((T)pos_inf);
        off = (T)-INFINITY;
    } else {
        on = (T)1 / (T)pos_inf;
        off = 0;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = sput(sget(x[i]) == (T)INFINITY ? on : off);
}

#ifndef ACTFN_REPRO
/* What a row pass computes per element (constant at every call, so each
 * use is specialised when inlined). */
enum rowpass {
    ROW_EXP_SHIFTED,  /* term e^(a − c), a − c exact: summed, and stored to out / stage when given */
    ROW_EXP_ROUNDED,  /* term e^(a − c), a − c rounded: summed */
    ROW_PRODUCT,      /* term a·b: summed */
    ROW_PLAIN,        /* term a: summed */
    ROW_SCALE,        /* out = a·c */
    ROW_EXP_SCALED,   /* out = e^(a − c)·d, a − c exact */
    ROW_SHIFT2,       /* out = (a − c) − d */
    ROW_GRAD_SOFTMAX, /* out = a·(b − c)  (a = y, b = dy) */
    ROW_GRAD_LOGSOFT, /* out = b − e^a·c  (a = y, b = dy) */
};

/* e^(x − m) for m >= x (or NaN). With `exact`, x − m is carried exactly as
 * t + lo (Knuth's TwoSum) into the exp, so entries far below the max keep
 * their accuracy (the rounding of t is not amplified by |t|); softmax's
 * outputs need that. log_softmax only sums these terms, where the rounding
 * of t costs at most about ε·ln(cols)/2 absolute in log Σ, so it takes the
 * rounded t and saves a fifth of the pass. */
KERNEL_INLINE V exp_shifted_v(V x, V m, int exact)
{
    const V lowest = vset1(-VM_EXP_ARG_MAX);
    const V t = vsub(x, m);
    V lo = vzero();
    if (exact) {
        const V x_part = vsub(t, vneg(m)); /* TwoSum of x + (−m) */
        lo = vadd(vsub(x, x_part), vsub(vneg(m), vsub(t, x_part)));
        lo = vsel(vge(t, lowest), lo, vzero()); /* t = −inf: lo would be NaN */
    }
    V k;
    const V p = vm_exp_parts(vmax(lowest, t), lo, exact, &k);
    return vscale(p, k);
}

/* dy − e^y·s. Where e^y is below T's normal range its bits would be lost
 * before the product, which may well be normal: there 2^B moves from s to
 * e^y (B = the width of T's exponent range, so the scaled e^y stays normal
 * down to where e^y·s underflows anyway). y is clamped for the reduction;
 * NaN passes through (second operand of vmax/vmin). */
KERNEL_INLINE V grad_logsoft_v(V y, V dy, V s)
{
    const V lim = vset1(VM_EXP_ARG_MAX), shift_by = vset1((T)(sizeof(T) == 4 ? 128 : 1024));
    V k;
    const V p = vm_exp_parts(vmin(lim, vmax(vneg(lim), y)), vzero(), 0, &k);
    const V min_exponent = vset1((T)(sizeof(T) == 4 ? -126 : -1022));
    const V shift = vsel(vlt(k, vadd(min_exponent, vm_one())), shift_by, vzero());
    const V e = vscale(p, vadd(k, shift));
    return vfnma(e, vscale(s, vneg(shift)), dy);
}

KERNEL_INLINE V rowpass_v(enum rowpass kind, V a, V b, V c, V d)
{
    switch (kind) {
    case ROW_EXP_SHIFTED: return exp_shifted_v(a, c, 1);
    case ROW_EXP_ROUNDED: return exp_shifted_v(a, c, 0);
    case ROW_PRODUCT: return vmul(a, b);
    case ROW_PLAIN: return a;
    case ROW_SCALE: return vmul(a, c);
    case ROW_EXP_SCALED: return vmul(exp_shifted_v(a, c, 1), d);
    case ROW_SHIFT2: return vsub(vsub(a, c), d);
    case ROW_GRAD_SOFTMAX: return vmul(a, vsub(b, c));
    case ROW_GRAD_LOGSOFT: return grad_logsoft_v(a, b, c);
    }
    return a;
}

/*
 * One pass over a row of n elements. Reducing kinds return the pairwise sum
 * of their terms (four vectors are added as a tree, then enter the vsum);
 * mapping kinds write out and return 0. b is read only by kinds that use it.
 * With stage, the terms of elements [0, staged) are also stored there as
 * floats (staged a multiple of 4·VW, or >= n).
 * A masked tail reads and writes nothing past n; its unused lanes load as
 * zero, which adds nothing to a product or plain sum; the exp terms of those
 * lanes are cleared through a lane buffer.
 */
KERNEL_INLINE T row_pass(enum rowpass kind, const S *a, const S *b, S *out, T *stage, size_t staged, size_t n,
                         T c_scalar, T d_scalar)
{
    const int reduces = kind == ROW_EXP_SHIFTED || kind == ROW_EXP_ROUNDED || kind == ROW_PRODUCT || kind == ROW_PLAIN;
    const int uses_b = kind == ROW_PRODUCT || kind == ROW_GRAD_SOFTMAX || kind == ROW_GRAD_LOGSOFT;
    const V c = vset1(c_scalar), d = vset1(d_scalar);
    struct vsum sum;
    vsum_init(&sum);
    V block = vzero();
    unsigned in_block = 0;
    size_t i = 0;
    for (; i + 4 * VW <= n; i += 4 * VW) {
        const V t0 = rowpass_v(kind, sload(a + i), uses_b ? sload(b + i) : vzero(), c, d);
        const V t1 = rowpass_v(kind, sload(a + i + VW), uses_b ? sload(b + i + VW) : vzero(), c, d);
        const V t2 = rowpass_v(kind, sload(a + i + 2 * VW), uses_b ? sload(b + i + 2 * VW) : vzero(), c, d);
        const V t3 = rowpass_v(kind, sload(a + i + 3 * VW), uses_b ? sload(b + i + 3 * VW) : vzero(), c, d);
        if (out) {
            sstore(out + i, t0);
            sstore(out + i + VW, t1);
            sstore(out + i + 2 * VW, t2);
            sstore(out + i + 3 * VW, t3);
        }
        if (stage && i < staged) {
            vstore(stage + i, t0);
            vstore(stage + i + VW, t1);
            vstore(stage + i + 2 * VW, t2);
            vstore(stage + i + 3 * VW, t3);
        }
        if (reduces)
            vsum_add(&sum, &block, &in_block, vadd(vadd(t0, t1), vadd(t2, t3)));
    }
    for (; i + VW <= n; i += VW) {
        const V t = rowpass_v(kind, sload(a + i), uses_b ? sload(b + i) : vzero(), c, d);
        if (out)
            sstore(out + i, t);
        if (stage && i < staged)
            vstore(stage + i, t);
        if (reduces)
            vsum_add(&sum, &block, &in_block, t);
    }
    if (i < n) {
        const size_t r = n - i;
        V t = rowpass_v(kind, sload_part(a + i, r), uses_b ? sload_part(b + i, r) : vzero(), c, d);
        if (out)
            sstore_part(out + i, t, r);
        if (stage && i < staged)
            vstore_part(stage + i, t, r);
        if (reduces) {
            if (kind == ROW_EXP_SHIFTED || kind == ROW_EXP_ROUNDED) {
                /* e^(0 − c) is not 0: keep only the r real lanes. */
                T lanes[VW];
                vstore(lanes, t);
                t = vload_part(lanes, r);
            }
            vsum_add(&sum, &block, &in_block, t);
        }
    }
    return reduces ? vsum_total(&sum, block) : 0;
}

/* The max of a row by vmax: the true max when the row holds no NaN (a NaN
 * may be dropped or returned; the callers handle both). */
static inline T row_max(const S *x, size_t n)
{
    if (n < VW) {
        T m = sget(x[0]);
        for (size_t i = 1; i < n; i++)
            m = sget(x[i]) > m ? sget(x[i]) : m;
        return m;
    }
    V m0 = sload(x), m1 = m0, m2 = m0, m3 = m0;
    size_t i = VW;
    for (; i + 4 * VW <= n; i += 4 * VW) {
        m0 = vmax(sload(x + i), m0);
        m1 = vmax(sload(x + i + VW), m1);
        m2 = vmax(sload(x + i + 2 * VW), m2);
        m3 = vmax(sload(x + i + 3 * VW), m3);
    }
    for (; i + VW <= n; i += VW)
        m0 = vmax(sload(x + i), m0);
    if (i < n) /* the last VW elements again: max is idempotent */
        m1 = vmax(sload(x + n - VW), m1);
    return vreduce_max(vmax(vmax(m0, m1), vmax(m2, m3)));
}

static inline int finite_max(T m)
{
    return m > (T)-INFINITY && m < (T)INFINITY;
}

/* The forward of either op, row by row (log_form constant per caller). */
KERNEL_INLINE void softmax_rows(const S *x, S *y, size_t rows, size_t cols, int log_form)
{
    for (size_t r = 0; r < rows; r++) {
        const S *xr = x + r * cols;
        S *yr = y + r * cols;
        const T m = row_max(xr, cols);
        if (!finite_max(m)) {
            softmax_row_special(xr, yr, cols, log_form);
        } else if (log_form) {
            const T sum = row_pass(ROW_EXP_ROUNDED, xr, NULL, NULL, NULL, 0, cols, m, 0);
            row_pass(ROW_SHIFT2, xr, NULL, yr, NULL, 0, cols, m, softmax_log1(sum));
        } else if (STORAGE_HALF) {
            /* y holds 16-bit values (see the top) */
            T stage[SOFTMAX_STAGE];
            const size_t staged = cols < SOFTMAX_STAGE ? cols : SOFTMAX_STAGE;
            const T sum = row_pass(ROW_EXP_SHIFTED, xr, NULL, NULL, stage, staged, cols, m, 0);
            row_from_stage(stage, yr, staged, (T)1 / sum, 0);
            if (cols > staged)
                row_pass(ROW_EXP_SCALED, xr + staged, NULL, yr + staged, NULL, 0, cols - staged, m, (T)1 / sum);
        } else {
            const T sum = row_pass(ROW_EXP_SHIFTED, xr, NULL, yr, NULL, 0, cols, m, 0);
            row_pass(ROW_SCALE, yr, NULL, yr, NULL, 0, cols, (T)1 / sum, 0);
        }
    }
}

/* dx = y·(dy − Σ dy·y); the sum is taken before any dx is written. */
static void softmax_bwd(const S *y, const S *dy, S *dx, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const size_t at = r * cols;
        const T s = row_pass(ROW_PRODUCT, dy + at, y + at, NULL, NULL, 0, cols, 0, 0);
        row_pass(ROW_GRAD_SOFTMAX, y + at, dy + at, dx + at, NULL, 0, cols, s, 0);
    }
}

/* dx = dy − e^y·Σ dy */
static void log_softmax_bwd(const S *y, const S *dy, S *dx, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const size_t at = r * cols;
        const T s = row_pass(ROW_PLAIN, dy + at, NULL, NULL, NULL, 0, cols, 0, 0);
        row_pass(ROW_GRAD_LOGSOFT, y + at, dy + at, dx + at, NULL, 0, cols, s, 0);
    }
}

#else /* ACTFN_REPRO: 16 virtual lanes (repro_math.h), SLEEF exp and log */

/* The term a reducing row pass adds per element. */
enum rterm {
    RT_EXP_SHIFTED, /* e^(a − c) */
    RT_PRODUCT,     /* a·b */
    RT_PLAIN,       /* a */
};

KERNEL_INLINE V rterm_v(enum rterm kind, V a, V b, V c)
{
    switch (kind) {
    case RT_EXP_SHIFTED: return rexp(vsub(a, c));
    case RT_PRODUCT: return vmul(a, b);
    case RT_PLAIN: return a;
    }
    return a;
}

/* One block of up to RV elements: terms of a[0..RV) (b likewise). */
KERNEL_INLINE void rterm_block(enum rterm kind, const S *a, const S *b, V c, V terms[RVEC])
{
    for (size_t k = 0; k < RVEC; k++)
        terms[k] = rterm_v(kind, sload(a + k * VW), b ? sload(b + k * VW) : vzero(), c);
}

/* The sum of a row's terms in the 16 virtual lanes; with out, each term is
 * also stored there, and with stage, the terms of [0, staged) as floats
 * (staged a multiple of RV, or >= n). The last partial block is computed
 * from zero-padded copies and only its real terms are added (a padded +0
 * could turn a −0 lane into +0). */
KERNEL_INLINE T r_row_sum(enum rterm kind, const S *a, const S *b, S *out, T *stage, size_t staged, size_t n,
                          T c_scalar)
{
    const V c = vset1(c_scalar);
    struct rsum sum;
    rsum_init(&sum);
    V terms[RVEC];
    size_t i = 0;
    for (; i + RV <= n; i += RV) {
        rterm_block(kind, a + i, b ? b + i : NULL, c, terms);
        if (out)
            for (size_t k = 0; k < RVEC; k++)
                sstore(out + i + k * VW, terms[k]);
        if (stage && i < staged)
            for (size_t k = 0; k < RVEC; k++)
                vstore(stage + i + k * VW, terms[k]);
        rsum_add(&sum, terms);
    }
    T lanes[RV];
    rsum_lanes(&sum, lanes);
    const size_t rest = n - i;
    if (rest) {
        S pa[RV] = {0}, pb[RV] = {0}; /* all-zero bits: +0 in every type */
        T pt[RV];
        memcpy(pa, a + i, rest * sizeof(S));
        if (b)
            memcpy(pb, b + i, rest * sizeof(S));
        rterm_block(kind, pa, b ? pb : NULL, c, terms);
        for (size_t k = 0; k < RVEC; k++)
            vstore(pt + k * VW, terms[k]);
        if (out)
            for (size_t j = 0; j < rest; j++)
                out[i + j] = sput(pt[j]);
        if (stage && i < staged)
            memcpy(stage + i, pt, rest * sizeof(T));
        for (size_t j = 0; j < rest; j++)
            lanes[j] = lanes[j] + pt[j];
    }
    return r_tree_sum(lanes);
}

/* Elementwise row passes (no reduction). */
enum rmap {
    RM_DIV,           /* a / c */
    RM_SHIFT2,        /* (a − c) − d */
    RM_GRAD_SOFTMAX,  /* a·(b − c) */
    RM_GRAD_LOGSOFT,  /* b − e^a·c, fused */
    RM_EXP_DIV,       /* e^(a − c) / d */
};

KERNEL_INLINE V rmap_v(enum rmap kind, V a, V b, V c, V d)
{
    switch (kind) {
    case RM_DIV: return vdiv(a, c);
    case RM_EXP_DIV: return vdiv(rexp(vsub(a, c)), d);
    case RM_SHIFT2: return vsub(vsub(a, c), d);
    case RM_GRAD_SOFTMAX: return vmul(a, vsub(b, c));
    case RM_GRAD_LOGSOFT: {
        /* e^y subnormal while e^y·Σdy is not: (Σdy·h)·h, h = e^(y/2) */
        const V fused = vfnma(rexp(a), c, b);
        const M tail = vlt(a, vset1(REPRO_TAIL));
        return many(tail) ? vsel(tail, vsub(b, r_times_exp_tail(c, a)), fused) : fused;
    }
    }
    return a;
}

KERNEL_INLINE void r_row_map(enum rmap kind, const S *a, const S *b, S *out, size_t n, T c_scalar, T d_scalar)
{
    const V c = vset1(c_scalar), d = vset1(d_scalar);
    size_t i = 0;
    for (; i + VW <= n; i += VW)
        sstore(out + i, rmap_v(kind, sload(a + i), b ? sload(b + i) : vzero(), c, d));
    if (i < n) {
        const size_t r = n - i;
        sstore_part(out + i, rmap_v(kind, sload_part(a + i, r), b ? sload_part(b + i, r) : vzero(), c, d), r);
    }
}

KERNEL_INLINE void softmax_rows(const S *x, S *y, size_t rows, size_t cols, int log_form)
{
    for (size_t r = 0; r < rows; r++) {
        const S *xr = x + r * cols;
        S *yr = y + r * cols;
        const T m = r_row_max(xr, cols);
        if (!(m > (T)-INFINITY && m < (T)INFINITY)) {
            softmax_row_special(xr, yr, cols, log_form);
        } else if (log_form) {
            const T sum = r_row_sum(RT_EXP_SHIFTED, xr, NULL, NULL, NULL, 0, cols, m);
            r_row_map(RM_SHIFT2, xr, NULL, yr, cols, m, softmax_log1(sum));
        } else if (STORAGE_HALF) {
            /* as the fast set: y is rounded once */
            T stage[SOFTMAX_STAGE];
            const size_t staged = cols < SOFTMAX_STAGE ? cols : SOFTMAX_STAGE;
            const T sum = r_row_sum(RT_EXP_SHIFTED, xr, NULL, NULL, stage, staged, cols, m);
            row_from_stage(stage, yr, staged, sum, 1);
            if (cols > staged)
                r_row_map(RM_EXP_DIV, xr + staged, NULL, yr + staged, cols - staged, m, sum);
        } else {
            const T sum = r_row_sum(RT_EXP_SHIFTED, xr, NULL, yr, NULL, 0, cols, m);
            r_row_map(RM_DIV, yr, NULL, yr, cols, sum, 0);
        }
    }
}

static void softmax_bwd(const S *y, const S *dy, S *dx, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const size_t at = r * cols;
        const T s = r_row_sum(RT_PRODUCT, dy + at, y + at, NULL, NULL, 0, cols, 0);
        r_row_map(RM_GRAD_SOFTMAX, y + at, dy + at, dx + at, cols, s, 0);
    }
}

static void log_softmax_bwd(const S *y, const S *dy, S *dx, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        const size_t at = r * cols;
        const T s = r_row_sum(RT_PLAIN, dy + at, NULL, NULL, NULL, 0, cols, 0);
        r_row_map(RM_GRAD_LOGSOFT, y + at, dy + at, dx + at, cols, s, 0);
    }
}

#endif /* ACTFN_REPRO */

static void softmax_fwd(const S *x, S *y, size_t rows, size_t cols)
{
    softmax_rows(x, y, rows, cols, 0);
}

static void log_softmax_fwd(const S *x, S *y, size_t rows, size_t cols)
{
    softmax_rows(x, y, rows, cols, 1);
}
