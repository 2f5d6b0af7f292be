#!/usr/bin/env python3
"""A small multilayer perceptron trained with actfn's forward and backward passes.

The data set is three interleaved 2-D spirals (made here, nothing is
downloaded). The network is

    x (2) -> dense -> gelu -> dense -> silu -> dense -> log_softmax (3 classes)

trained full-batch with Adam on the mean cross-entropy. Every activation and
its gradient is an actfn call; the dense layers are NumPy matrix products.
``gradient_check`` compares the analytic gradient of the whole network with
central finite differences in float64.

Run:  ACTFN_LIBRARY=build/src/libactfn.so.0 /usr/bin/python3 examples/mlp_numpy.py
"""

from __future__ import annotations

import argparse
from typing import Dict, List, Tuple

import numpy as np

import actfn

Params = Dict[str, np.ndarray]


def make_spirals(points_per_class: int, classes: int = 3, noise: float = 0.15,
                 seed: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms in the plane: (x (N, 2), labels (N,))."""
    rng = np.random.default_rng(seed)
    xs, labels = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1.0, points_per_class)
        theta = np.linspace(0, 3.5, points_per_class) + 2 * np.pi * c / classes
        theta = theta + rng.standard_normal(points_per_class) * noise
        xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
        labels.append(np.full(points_per_class, c))
    return np.concatenate(xs), np.concatenate(labels)


def init_params(sizes: List[int], dtype=np.float64, seed: int = 1) -> Params:
    """He-style initial weights W1..Wn and zero biases b1..bn for ``sizes``."""
    rng = np.random.default_rng(seed)
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)
        params[f"b{i}"] = np.zeros(fan_out, dtype=dtype)
    return params


def forward(params: Params, x: np.ndarray) -> Tuple[np.ndarray, dict]:
    """Log-probabilities (N, classes) and the values the backward pass needs."""
    z1 = x @ params["W1"] + params["b1"]
    h1 = actfn.gelu(z1)
    z2 = h1 @ params["W2"] + params["b2"]
    h2 = actfn.silu(z2)
    z3 = h2 @ params["W3"] + params["b3"]
    logp = actfn.log_softmax(z3, axis=-1)
    return logp, {"x": x, "z1": z1, "h1": h1, "z2": z2, "h2": h2, "logp": logp}


def loss_of(logp: np.ndarray, labels: np.ndarray) -> float:
    """Mean cross-entropy: -mean(log p[label])."""
    return float(-np.mean(logp[np.arange(labels.size), labels]))


def backward(params: Params, cache: dict, labels: np.ndarray) -> Params:
    """Gradients of the mean cross-entropy with respect to every parameter."""
    n = labels.size
    dlogp = np.zeros_like(cache["logp"])
    dlogp[np.arange(n), labels] = -1.0 / n
    dz3 = actfn.log_softmax_backward(cache["logp"], dlogp, axis=-1)
    grads = {"W3": cache["h2"].T @ dz3, "b3": dz3.sum(axis=0)}
    dz2 = actfn.silu_backward(cache["z2"], dz3 @ params["W3"].T)
    grads.update(W2=cache["h1"].T @ dz2, b2=dz2.sum(axis=0))
    dz1 = actfn.gelu_backward(cache["z1"], dz2 @ params["W2"].T)
    grads.update(W1=cache["x"].T @ dz1, b1=dz1.sum(axis=0))
    return grads


def gradient_check(seed: int = 3, points_per_class: int = 8, hidden: int = 10, h: float = 1e-5) -> float:
    """The largest relative difference, over every parameter of a small
    float64 network, between the analytic gradient and the central finite
    difference (L(p + h) - L(p - h)) / 2h. About 1e-7 when right."""
    x, labels = make_spirals(points_per_class, seed=seed)
    params = init_params([2, hidden, hidden, 3], np.float64, seed=seed)
    for name in params:  # non-zero biases so their gradients are exercised too
        if name.startswith("b"):
            params[name] += np.random.default_rng(seed).standard_normal(params[name].shape) * 0.1
    logp, cache = forward(params, x)
    grads = backward(params, cache, labels)
    worst = 0.0
    for name, value in params.items():
        for index in np.ndindex(value.shape):
            saved = value[index]
            value[index] = saved + h
            up = loss_of(forward(params, x)[0], labels)
            value[index] = saved - h
            down = loss_of(forward(params, x)[0], labels)
            value[index] = saved
            numeric = (up - down) / (2 * h)
            analytic = grads[name][index]
            worst = max(worst, abs(analytic - numeric) / max(abs(analytic) + abs(numeric), 1e-7))
    return worst


def train(steps: int = 400, hidden: int = 32, lr: float = 0.02, dtype=np.float32, points_per_class: int = 100,
          seed: int = 0, report_every: int = 0) -> Tuple[List[float], float]:
    """Train with Adam; returns (loss at every step, final training accuracy)."""
    x, labels = make_spirals(points_per_class, seed=seed)
    x = x.astype(dtype)
    params = init_params([2, hidden, hidden, 3], dtype, seed=seed + 1)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    beta1, beta2, adam_eps = 0.9, 0.999, 1e-8
    losses = []
    for step in range(1, steps + 1):
        logp, cache = forward(params, x)
        losses.append(loss_of(logp, labels))
        grads = backward(params, cache, labels)
        for k in params:
            m[k] = beta1 * m[k] + (1 - beta1) * grads[k]
            v[k] = beta2 * v[k] + (1 - beta2) * grads[k] ** 2
            m_hat = m[k] / (1 - beta1 ** step)
            v_hat = v[k] / (1 - beta2 ** step)
            params[k] -= (lr * m_hat / (np.sqrt(v_hat) + adam_eps)).astype(dtype)
        if report_every and (step == 1 or step % report_every == 0):
            print(f"step {step:4d}  loss {losses[-1]:.4f}")
    probs = actfn.softmax(forward(params, x)[0])  # softmax of log-probabilities: the probabilities
    accuracy = float(np.mean(np.argmax(probs, axis=1) == labels))
    return losses, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--isa", choices=actfn.supported_isas(), help="kernels to use (default: the best)")
    args = parser.parse_args()
    if args.isa:
        actfn.set_isa(args.isa)
    print(f"actfn {actfn.__version__}, kernels: {actfn.get_isa()}")
    losses, accuracy = train(steps=args.steps, report_every=max(args.steps // 10, 1))
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}, training accuracy {accuracy:.1%}")
    print(f"gradient check (float64, central differences): max relative error {gradient_check():.2e}")


if __name__ == "__main__":
    main()
