"""The elementwise activations, forward and backward.

Every function takes float32 or float64 arrays of any shape and returns an
array of the same shape and dtype (or writes ``out``). sigma(x) denotes the
logistic function 1 / (1 + exp(-x)). Scalar parameters keep the names and
defaults of the C API; a NaN or out-of-domain parameter raises
:class:`actfn.ActfnParamError`.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from . import _core

Out = Optional[np.ndarray]


def _forward(op: str, x: ArrayLike, out: Out, *params: float) -> np.ndarray:
    x = _core.float_array(x, "x")
    y = _core.output(out, x.shape, x.dtype)
    x = _core.dense(x)
    _core.call(op, _core.SUFFIX[x.dtype], _core.ptr(x), _core.ptr(y), x.size, *params)
    return y


def _backward(op: str, inp: ArrayLike, dy: ArrayLike, out: Out, *params: float) -> np.ndarray:
    inp = _core.float_array(inp, "the forward input/output")
    dy = _core.float_array(dy, "dy")
    _core.same_dtype(inp, dy, "dy")
    _core.same_shape(inp.shape, dy, "dy")
    dx = _core.output(out, inp.shape, inp.dtype)
    inp, dy = _core.dense(inp), _core.dense(dy)
    _core.call(f"{op}_backward", _core.SUFFIX[inp.dtype], _core.ptr(inp), _core.ptr(dy), _core.ptr(dx),
               inp.size, *params)
    return dx


def sigmoid(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = sigma(x) = 1 / (1 + exp(-x))."""
    return _forward("sigmoid", x, out)


def sigmoid_backward(y: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From the forward output y: dx = dy * y * (1 - y)."""
    return _backward("sigmoid", y, dy, out)


def tanh(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = tanh(x)."""
    return _forward("tanh", x, out)


def tanh_backward(y: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From the forward output y: dx = dy * (1 - y**2)."""
    return _backward("tanh", y, dy, out)


def relu(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = x if x > 0 else 0 (NaN gives NaN)."""
    return _forward("relu", x, out)


def relu_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy if x > 0 else 0."""
    return _backward("relu", x, dy, out)


def relu6(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = min(max(x, 0), 6) (NaN gives NaN)."""
    return _forward("relu6", x, out)


def relu6_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy if 0 < x < 6 else 0."""
    return _backward("relu6", x, dy, out)


def hardtanh(x: ArrayLike, min_val: float = -1.0, max_val: float = 1.0, *, out: Out = None) -> np.ndarray:
    """y = clamp(x, min_val, max_val) (NaN gives NaN); needs min_val <= max_val."""
    return _forward("hardtanh", x, out, _core.scalar(min_val, "min_val"), _core.scalar(max_val, "max_val"))


def hardtanh_backward(x: ArrayLike, dy: ArrayLike, min_val: float = -1.0, max_val: float = 1.0, *,
                      out: Out = None) -> np.ndarray:
    """From x: dx = dy if min_val < x < max_val else 0."""
    return _backward("hardtanh", x, dy, out, _core.scalar(min_val, "min_val"), _core.scalar(max_val, "max_val"))


def leaky_relu(x: ArrayLike, alpha: float = 0.01, *, out: Out = None) -> np.ndarray:
    """y = x if x > 0 else alpha * x (alpha finite)."""
    return _forward("leaky_relu", x, out, _core.scalar(alpha, "alpha"))


def leaky_relu_backward(x: ArrayLike, dy: ArrayLike, alpha: float = 0.01, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy if x > 0 else alpha * dy."""
    return _backward("leaky_relu", x, dy, out, _core.scalar(alpha, "alpha"))


def elu(x: ArrayLike, alpha: float = 1.0, *, out: Out = None) -> np.ndarray:
    """y = x if x > 0 else alpha * expm1(x) (alpha finite)."""
    return _forward("elu", x, out, _core.scalar(alpha, "alpha"))


def elu_backward(x: ArrayLike, dy: ArrayLike, alpha: float = 1.0, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy if x > 0 else dy * alpha * exp(x)."""
    return _backward("elu", x, dy, out, _core.scalar(alpha, "alpha"))


def selu(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = lambda * elu(x, alpha), lambda = 1.0507009873554804934, alpha = 1.6732632423543772848."""
    return _forward("selu", x, out)


def selu_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = lambda * dy if x > 0 else lambda * alpha * exp(x) * dy."""
    return _backward("selu", x, dy, out)


def silu(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = x * sigma(x)."""
    return _forward("silu", x, out)


def silu_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy * sigma(x) * (1 + x * (1 - sigma(x)))."""
    return _backward("silu", x, dy, out)


def swish(x: ArrayLike, beta: float = 1.0, *, out: Out = None) -> np.ndarray:
    """y = x * sigma(beta * x) (beta finite; beta = 1 is silu)."""
    return _forward("swish", x, out, _core.scalar(beta, "beta"))


def swish_backward(x: ArrayLike, dy: ArrayLike, beta: float = 1.0, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy * (s + beta * x * s * (1 - s)), s = sigma(beta * x)."""
    return _backward("swish", x, dy, out, _core.scalar(beta, "beta"))


def hardsigmoid(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = min(max(x + 3, 0), 6) / 6."""
    return _forward("hardsigmoid", x, out)


def hardsigmoid_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy / 6 if -3 < x < 3 else 0."""
    return _backward("hardsigmoid", x, dy, out)


def hardswish(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = x * min(max(x + 3, 0), 6) / 6."""
    return _forward("hardswish", x, out)


def hardswish_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = 0 if x <= -3, dy * (x / 3 + 0.5) if x < 3, else dy."""
    return _backward("hardswish", x, dy, out)


def softplus(x: ArrayLike, beta: float = 1.0, threshold: float = 20.0, *, out: Out = None) -> np.ndarray:
    """y = x if beta * x > threshold else log1p(exp(beta * x)) / beta.

    beta must be finite and non-zero; threshold may be +-inf (+inf: never linear).
    """
    return _forward("softplus", x, out, _core.scalar(beta, "beta"), _core.scalar(threshold, "threshold"))


def softplus_backward(x: ArrayLike, dy: ArrayLike, beta: float = 1.0, threshold: float = 20.0, *,
                      out: Out = None) -> np.ndarray:
    """From x: dx = dy if beta * x > threshold else dy * sigma(beta * x)."""
    return _backward("softplus", x, dy, out, _core.scalar(beta, "beta"), _core.scalar(threshold, "threshold"))


def logsigmoid(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = -log(1 + exp(-x)) (no threshold)."""
    return _forward("logsigmoid", x, out)


def logsigmoid_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy * sigma(-x)."""
    return _backward("logsigmoid", x, dy, out)


def mish(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = x * tanh(softplus(x)), softplus(x) = log1p(exp(x))."""
    return _forward("mish", x, out)


def mish_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy * (t + x * sigma(x) * (1 - t**2)), t = tanh(softplus(x))."""
    return _backward("mish", x, dy, out)


def gelu(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = x * Phi(x) = 0.5 * x * erfc(-x / sqrt(2)) (the exact, erf form)."""
    return _forward("gelu", x, out)


def gelu_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy * (Phi(x) + x * phi(x)), phi the standard normal density."""
    return _backward("gelu", x, dy, out)


def gelu_tanh(x: ArrayLike, *, out: Out = None) -> np.ndarray:
    """y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3)))."""
    return _forward("gelu_tanh", x, out)


def gelu_tanh_backward(x: ArrayLike, dy: ArrayLike, *, out: Out = None) -> np.ndarray:
    """From x: dx = dy * d/dx of the gelu_tanh forward (its exact derivative)."""
    return _backward("gelu_tanh", x, dy, out)
