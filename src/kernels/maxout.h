/*
 * maxout.h — maxout forward and backward on x viewed as (outer, k, inner):
 * y[o, i] = max over pieces j of x[o, j, i]; ties go to the lowest piece and
 * the first NaN piece wins. The backward writes dy at the selected piece and
 * 0 at the others (dx may be x itself: every piece of a vector is read before
 * any of it is written).
 *
 * When inner > 1 the lanes run along inner. When inner == 1 (dense maxout,
 * pieces adjacent) the lanes run across outer, each lane reading its pieces
 * at a stride of k: one vgather per piece where the vocabulary has it, the
 * backward's dx written back through a lane buffer.
 */

/* The running choice: v (piece j) replaces best iff best is not NaN and
 * !(v <= best) — that is v > best, or v is the first NaN. With at, the
 * number of the piece kept is tracked too: ties keep the earlier piece and
 * the first NaN is never replaced, so it is the selected piece. */
static inline V maxout_pick(V best, V v, V *at, size_t j)
{
    const M r = mandnot(veq(best, best), vle(v, best));
    if (at)
        *at = vsel(r, vset1((T)j), *at);
    return vsel(r, v, best);
}

/* The selected piece is the first one equal to best, or the first NaN when
 * best is NaN (then no earlier piece is NaN; when best is not NaN no piece
 * is NaN). done collects the lanes whose piece has been found. */
static inline M maxout_selects(V v, V best, M *done)
{
    const M match = mor(veq(v, best), visnan(v));
    const M sel = mandnot(match, *done);
    *done = mor(*done, match);
    return sel;
}

/* Lanes 0..n-1 (1 <= n <= VW) of p[0], p[stride], ...; others 0. A full
 * vector of f32 or f64 is one vgather: with vgatherdpd, dense maxout f64
 * (k = 4, n = 64K, AVX-512) ran 30–34 µs a call against 78 µs through the
 * lane buffer and 65 µs on the scalar kernel; f32 25 µs against 43 µs; the
 * backward (x read by gathers) 0.5–0.6× the time on both ISAs (one
 * interleaved A/B run, Zen 4). Vocabularies without vgather (NEON, scalar)
 * and 16-bit units read lane by lane. */
static inline V maxout_gather(const S *p, size_t stride, size_t n)
{
#if defined(VOCAB_HAS_GATHER) && !STORAGE_HALF
    if (n == VW && stride <= VOCAB_GATHER_MAX_STRIDE)
        return vgather(p, stride);
#endif
    T lanes[VW];
    for (size_t l = 0; l < n; l++)
        lanes[l] = sget(p[l * stride]);
    return n == VW ? vload(lanes) : vload_part(lanes, n);
}

/* p[l·stride] = lane l, for l < n. */
static inline void maxout_scatter(S *p, size_t stride, V v, size_t n)
{
    T lanes[VW];
    vstore(lanes, v);
    for (size_t l = 0; l < n; l++)
        p[l * stride] = sput(lanes[l]);
}

/* A vector of n (<= VW) contiguous elements. */
static inline V maxout_load(const S *p, size_t n)
{
    return n == VW ? sload(p) : sload_part(p, n);
}

static inline void maxout_store(S *p, V v, size_t n)
{
    if (n == VW)
        sstore(p, v);
    else
        sstore_part(p, v, n);
}

/* inner == 1: rows o0 .. o0+n-1, one per lane; with at (NULL: not
 * tracked), the selected piece of each row (see maxout_pick). */
static inline V maxout_rows_best(const S *x, size_t k, size_t o0, size_t n, V *at)
{
    const S *base = x + o0 * k;
    V best = maxout_gather(base, k, n);
    if (at)
        *at = vzero();
    for (size_t j = 1; j < k; j++)
        best = maxout_pick(best, maxout_gather(base + j, k, n), at, j);
    return best;
}

/* inner > 1: elements i0 .. i0+n-1 of row o. */
static inline V maxout_inner_best(const S *x, size_t k, size_t inner, size_t o, size_t i0, size_t n)
{
    const S *base = x + o * k * inner + i0;
    V best = maxout_load(base, n);
    for (size_t j = 1; j < k; j++)
        best = maxout_pick(best, maxout_load(base + j * inner, n), NULL, j);
    return best;
}

static void maxout_fwd(const S *x, S *y, size_t outer, size_t k, size_t inner)
{
    if (inner == 1) {
        for (size_t o = 0; o < outer; o += VW) {
            const size_t n = outer - o < VW ? outer - o : VW;
            maxout_store(y + o, maxout_rows_best(x, k, o, n, NULL), n);
        }
        return;
    }
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < inner; i += VW) {
            const size_t n = inner - i < VW ? inner - i : VW;
            maxout_store(y + o * inner + i, maxout_inner_best(x, k, inner, o, i, n), n);
        }
}

/* Pieces are numbered in T, exactly up to here (float's 24 bits). */
#define MAXOUT_INDEX_MAX ((size_t)1 << 24)

/* inner == 1, VW whole rows o0 .. o0+VW-1, k <= MAXOUT_INDEX_MAX: the
 * forward's running choice numbers the selected piece of each row
 * (maxout_pick). The rows' k·VW outputs are contiguous: k vector stores of 0,
 * then dy at the selected piece of each row, lane by lane. Every piece is
 * read (the gathers) before dx, which may be x, is written. Against the
 * per-piece form (maxout_selects, a lane-buffer scatter per piece; kept for
 * the tail and for more pieces than MAXOUT_INDEX_MAX), k = 4, n = 64K, µs
 * per call, medians of 5 in two interleaved rounds (Zen 4): AVX-512 f32
 * 72–73 -> 43–44, f64 92 -> 53–55; AVX2 f32 64–67 -> 49, f64 81–87 -> 63–64. */
static inline void maxout_rows_bwd(const S *x, const S *dy, S *dx, size_t k, size_t o0)
{
    V at;
    (void)maxout_rows_best(x, k, o0, VW, &at);
    T g[VW], piece[VW];
    vstore(g, sload(dy + o0));
    vstore(piece, at);
    S *row = dx + o0 * k;
    for (size_t c = 0; c < k; c++)
        sstore(row + c * VW, vzero());
    for (size_t l = 0; l < VW; l++)
        row[l * k + (size_t)piece[l]] = sput(g[l]);
}

static void maxout_bwd(const S *x, const S *dy, S *dx, size_t outer, size_t k, size_t inner)
{
    if (inner == 1) {
        for (size_t o = 0; o < outer; o += VW) {
            const size_t n = outer - o < VW ? outer - o : VW;
            if (n == VW && k <= MAXOUT_INDEX_MAX) {
                maxout_rows_bwd(x, dy, dx, k, o);
                continue;
            }
            const V best = maxout_rows_best(x, k, o, n, NULL);
            const V g = maxout_load(dy + o, n);
            M done = vlt(vzero(), vzero());
            for (size_t j = 0; j < k; j++) {
                const size_t at = o * k + j;
                const M sel = maxout_selects(maxout_gather(x + at, k, n), best, &done);
                maxout_scatter(dx + at, k, vsel(sel, g, vzero()), n);
            }
        }
        return;
    }
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < inner; i += VW) {
            const size_t n = inner - i < VW ? inner - i : VW;
            const V best = maxout_inner_best(x, k, inner, o, i, n);
            const V g = maxout_load(dy + o * inner + i, n);
            M done = vlt(vzero(), vzero());
            for (size_t j = 0; j < k; j++) {
                const size_t at = (o * k + j) * inner + i;
                const M sel = maxout_selects(maxout_load(x + at, n), best, &done);
                maxout_store(dx + at, vsel(sel, g, vzero()), n);
            }
        }
}
