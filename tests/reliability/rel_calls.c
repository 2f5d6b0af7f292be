/*
 * rel_calls.c — reproducible random calls of the public API (rel_calls.h).
 */
#include <string.h>

#include "rel_calls.h"

void rel_rng_seed(tc_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        /* splitmix64 */
        uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        r->s[i] = z ^ (z >> 31);
    }
}

/* Dimensions: vector tails of every width (n up to 4·16+3) most of the time,
 * sometimes a few hundred elements. */
static void make_dims(tc_rng *r, const tc_op *op, size_t dim[3])
{
    const int small = tc_rng_below(r, 4) != 0;
    switch (op->kind) {
    case TC_KIND_UNARY:
    case TC_KIND_GLU:
        dim[0] = small ? tc_rng_below(r, 68) : tc_rng_below(r, 700);
        dim[1] = dim[2] = 1;
        break;
    case TC_KIND_PRELU:
    case TC_KIND_BIAS:
        dim[0] = 1 + tc_rng_below(r, 3);
        dim[1] = 1 + tc_rng_below(r, small ? 5 : 17);
        dim[2] = 1 + tc_rng_below(r, small ? 19 : 70);
        break;
    case TC_KIND_SOFTMAX:
    case TC_KIND_LOG_SOFTMAX:
        dim[0] = 1 + tc_rng_below(r, 4);
        dim[1] = 1 + tc_rng_below(r, small ? 67 : 300);
        dim[2] = 1;
        break;
    case TC_KIND_MAXOUT:
        dim[0] = 1 + tc_rng_below(r, 3);
        dim[1] = 1 + tc_rng_below(r, 5);
        dim[2] = 1 + tc_rng_below(r, small ? 19 : 70);
        break;
    }
}

/* An input value for the tensor a backward reads as `in`, or for x. */
static double make_in(tc_rng *r, const rel_call *c)
{
    if (c->backward && c->op->bwd_from == TC_FROM_Y) {
        const double lo = 1.0 / 256, hi = 1.0 - 1.0 / 256;
        switch (c->op->kind) {
        case TC_KIND_UNARY:
            if (c->op->unary == TC_TANH)
                return tc_rng_uniform(r, -hi, hi);
            return tc_rng_uniform(r, lo, hi); /* sigmoid */
        case TC_KIND_LOG_SOFTMAX:
            return -tc_rng_uniform(r, lo, 8.0);
        default:
            return tc_rng_uniform(r, lo, hi); /* softmax */
        }
    }
    return tc_rng_logmag(r, c->dt, 1.0 / 256, 8.0);
}

static void fill(tc_rng *r, rel_call *c, tc_buf *b, int is_in)
{
    for (size_t i = 0; i < b->n; i++)
        tc_set(c->dt, b->p, i, is_in ? make_in(r, c) : tc_rng_logmag(r, c->dt, 1.0 / 16, 4.0));
}

void rel_call_make(rel_call *c, const tc_op *op, tc_dtype dt, int backward, int param_set, uint64_t seed)
{
    rel_call_make_shaped(c, op, dt, backward, param_set, seed, NULL);
}

void rel_call_make_shaped(rel_call *c, const tc_op *op, tc_dtype dt, int backward, int param_set, uint64_t seed,
                          const size_t shape[3])
{
    tc_rng r;
    rel_rng_seed(&r, seed);
    memset(c, 0, sizeof *c);
    c->op = op;
    c->dt = dt;
    c->backward = backward;

    size_t dim[3];
    if (shape)
        memcpy(dim, shape, sizeof dim);
    else
        make_dims(&r, op, dim);
    const tc_count n = tc_counts(op, backward, dim);
    /* Element offsets 0..7 from a 64-byte boundary: every alignment. */
    c->in = tc_buf_new(dt, n.in, tc_rng_below(&r, 8));
    c->alpha = tc_buf_new(dt, n.alpha, tc_rng_below(&r, 8));
    c->dy = tc_buf_new(dt, n.dy, tc_rng_below(&r, 8));
    c->out = tc_buf_new(dt, n.out, tc_rng_below(&r, 8));
    c->dalpha = tc_buf_new(dt, n.dalpha, tc_rng_below(&r, 8));
    fill(&r, c, &c->in, 1);
    fill(&r, c, &c->alpha, 0);
    fill(&r, c, &c->dy, 0);

    const int set = param_set >= 0 ? param_set : (int)tc_rng_below(&r, (size_t)op->nsets);
    c->args.par = op->sets[set];
    c->args.x = c->in.p;
    c->args.alpha = n.alpha ? c->alpha.p : NULL;
    c->args.dy = backward ? c->dy.p : NULL;
    c->args.out = c->out.p;
    c->args.dalpha = n.dalpha ? c->dalpha.p : NULL;
    memcpy(c->args.dim, dim, sizeof dim);
}

int rel_call_run(const rel_call *c)
{
    return tc_call(c->op, c->dt, c->backward, &c->args);
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t bytes)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < bytes; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

uint64_t rel_call_hash(const rel_call *c, int with_dalpha)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, c->out.p, c->out.n * c->out.elem);
    return with_dalpha ? fnv1a(h, c->dalpha.p, c->dalpha.n * c->dalpha.elem) : h;
}

int rel_call_same_outputs(const rel_call *a, const rel_call *b)
{
    return a->out.n == b->out.n && a->dalpha.n == b->dalpha.n &&
           memcmp(a->out.p, b->out.p, a->out.n * a->out.elem) == 0 &&
           memcmp(a->dalpha.p, b->dalpha.p, a->dalpha.n * a->dalpha.elem) == 0;
}

void rel_call_free(rel_call *c)
{
    tc_buf_free(&c->in);
    tc_buf_free(&c->alpha);
    tc_buf_free(&c->dy);
    tc_buf_free(&c->out);
    tc_buf_free(&c->dalpha);
}
