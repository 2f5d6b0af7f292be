"""The elementwise activations, forward and backward.

Every function takes arrays of any shape (or scalars, lists, tuples) and
returns an array of the same shape, with NumPy's dtype rules (see
:mod:`actfn._core`): float16/float32/float64 on the kernels of that type,
bool and integers in float64, ``dtype=`` to force the computation dtype
(``dtype="bfloat16"``: uint16 bit patterns in and out, see
:mod:`actfn._half`), ``out=`` under ``same_kind`` casting; 0-d inputs give
NumPy scalars. sigma(x) denotes the logistic function
1 / (1 + exp(-x)). Scalar parameters keep the names and defaults of the C
API and never change the dtype; a NaN or out-of-domain parameter raises
:class:`actfn.ActfnParamError`.
"""

from __future__ import annotations

from . import _core
from ._lib import BACKWARD_FROM_Y, UNARY_OPS


def _make(op: str, params, forward_doc: str, backward_doc: str) -> None:
    """Define actfn.<op> and actfn.<op>_backward in this module, from the op
    table: <op>(x, *params, out=None, dtype=None) and
    <op>_backward(in, dy, *params, out=None, dtype=None)."""
    names, defaults = tuple(p for p, _ in params), tuple(d for _, d in params)
    inp = "y" if op in BACKWARD_FROM_Y else "x"
    signature = "".join(f", {p}={d!r}" for p, d in params)
    globals()[op] = _core.elementwise_function(
        _core.Kernel(op, names), ("x",), ("x",), defaults, __name__,
        f"{op}(x{signature}, *, out=None, dtype=None)\n\n{forward_doc}")
    globals()[op + "_backward"] = _core.elementwise_function(
        _core.Kernel(op + "_backward", names), (inp, "dy"), ("the forward input/output", "dy"), defaults, __name__,
        f"{op}_backward({inp}, dy{signature}, *, out=None, dtype=None)\n\n{backward_doc}")


# Each op's docstrings: (forward, backward).
_DOCS = {
    "sigmoid": ('y = sigma(x) = 1 / (1 + exp(-x)).',
                'From the forward output y: dx = dy * y * (1 - y).'),
    "tanh": ('y = tanh(x).',
             'From the forward output y: dx = dy * (1 - y**2).'),
    "relu": ('y = x if x > 0 else 0 (NaN gives NaN).',
             'From x: dx = dy if x > 0 else 0.'),
    "relu6": ('y = min(max(x, 0), 6) (NaN gives NaN).',
              'From x: dx = dy if 0 < x < 6 else 0.'),
    "hardtanh": ('y = clamp(x, min_val, max_val) (NaN gives NaN); needs min_val <= max_val.',
                 'From x: dx = dy if min_val < x < max_val else 0.'),
    "leaky_relu": ('y = x if x > 0 else alpha * x (alpha finite).',
                   'From x: dx = dy if x > 0 else alpha * dy.'),
    "elu": ('y = x if x > 0 else alpha * expm1(x) (alpha finite).',
            'From x: dx = dy if x > 0 else dy * alpha * exp(x).'),
    "selu": ('y = lambda * elu(x, alpha), lambda = 1.0507009873554804934, alpha = 1.6732632423543772848.',
             'From x: dx = lambda * dy if x > 0 else lambda * alpha * exp(x) * dy.'),
    "silu": ('y = x * sigma(x).',
             'From x: dx = dy * sigma(x) * (1 + x * (1 - sigma(x))).'),
    "swish": ('y = x * sigma(beta * x) (beta finite; beta = 1 is silu).',
              'From x: dx = dy * (s + beta * x * s * (1 - s)), s = sigma(beta * x).'),
    "hardsigmoid": ('y = min(max(x + 3, 0), 6) / 6.',
                    'From x: dx = dy / 6 if -3 < x < 3 else 0.'),
    "hardswish": ('y = x * min(max(x + 3, 0), 6) / 6.',
                  'From x: dx = 0 if x <= -3, dy * (x / 3 + 0.5) if x < 3, else dy.'),
    "softplus": ('y = x if beta * x > threshold else log1p(exp(beta * x)) / beta.\n\n'
                 'beta must be finite and non-zero; threshold may be +-inf (+inf: never linear).',
                 'From x: dx = dy if beta * x > threshold else dy * sigma(beta * x).'),
    "logsigmoid": ('y = -log(1 + exp(-x)) (no threshold).',
                   'From x: dx = dy * sigma(-x).'),
    "mish": ('y = x * tanh(softplus(x)), softplus(x) = log1p(exp(x)).',
             'From x: dx = dy * (t + x * sigma(x) * (1 - t**2)), t = tanh(softplus(x)).'),
    "gelu": ('y = x * Phi(x) = 0.5 * x * erfc(-x / sqrt(2)) (the exact, erf form).',
             'From x: dx = dy * (Phi(x) + x * phi(x)), phi the standard normal density.'),
    "gelu_tanh": ('y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3))).',
                  'From x: dx = dy * d/dx of the gelu_tanh forward (its exact derivative).'),
}

for _op, _params in UNARY_OPS:
    _make(_op, _params, *_DOCS[_op])
