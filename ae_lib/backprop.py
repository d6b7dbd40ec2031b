"""Backpropagation: the gradient of the empirical risk of a deep network, Lemma 1.2.4.

For f = H_L ∘ … ∘ H_1 with H_i(a) = φ_i(W_i a + b_i), write a_0 = x, z_i = W_i a_{i-1} + b_i
and a_i = φ_i(z_i).  The chain rule, run from the output back to the input, gives for one
sample (x, y)::

    δ_L = ∂L/∂ŷ ⊙ φ_L'(z_L),      δ_{i-1} = (W_iᵀ δ_i) ⊙ φ_{i-1}'(z_{i-1}),
    ∂L/∂W_i = δ_i a_{i-1}ᵀ,       ∂L/∂b_i = δ_i.

θ = (W_1, b_1, …, W_L, b_L) is handled as the list ``[(W_1, b_1), …, (W_L, b_L)]`` (the
layout of ``DeepNetwork.theta``); :func:`flatten_theta` and :func:`set_theta` turn it
into one vector of ℝᴺ and back, which is what the optimisers of ae_lib.optim work on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

import numpy as np

from . import _checks as check
from ._checks import as_finite_array
from .loss import Loss
from .network import DeepNetwork
from .risk import data_pair

__all__ = ["flatten_theta", "per_sample_gradients", "risk_gradient", "set_theta"]

Pairs = list[tuple[np.ndarray, np.ndarray]]


def check_net(
    net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray, x_name: str = "X", y_name: str = "Y"
) -> tuple[np.ndarray, np.ndarray]:
    check.instance("net", net, DeepNetwork)
    check.instance("loss", loss, Loss)
    X, Y = data_pair(X, Y, x_name, y_name)
    if X.shape[1] != net.widths[0]:
        raise ValueError(
            f"{x_name} must have {net.widths[0]} columns (net's input width), got shape {X.shape}"
        )
    if Y.shape[1] != net.widths[-1]:
        raise ValueError(
            f"{y_name} must have {net.widths[-1]} columns (net's output width), got shape {Y.shape}"
        )
    if loss.domain is not None:
        check.in_range(f"{y_name} (for the {loss.name} loss)", Y, *loss.domain)
    for i, H in enumerate(net.layers):
        if H.phi.fn_prime is None:
            raise ValueError(f"net.layers[{i}] has activation {H.phi.name!r} without a derivative")
    return X, Y


def backward_pass(net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray) -> tuple[list, list]:
    """Forward pass, then the backward recursion: inputs a_{i-1} and errors δ_i per layer."""
    inputs, pre = [], []
    a = X
    for H in net.layers:
        inputs.append(a)
        pre.append(a @ H.W.T + H.b)
        a = H.phi.fn(pre[-1])
    primes = [
        cast(Callable[[np.ndarray], np.ndarray], H.phi.fn_prime) for H in net.layers
    ]  # checked: not None
    delta = loss.fn_grad(Y, a) * primes[-1](pre[-1])
    deltas = [delta]
    for i in range(net.depth - 1, 0, -1):
        delta = (delta @ net.layers[i].W) * primes[i - 1](pre[i - 1])
        deltas.append(delta)
    return inputs, deltas[::-1]


def risk_gradient(net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray) -> Pairs:
    """∂_θ R_{L,D}(f_θ), the gradient of the empirical risk by backpropagation (Lemma 1.2.4).

    Computed for the whole data set at once (matrix products over the k samples), not
    as an average of per-sample gradients, so that comparing it with
    :func:`per_sample_gradients` checks Lemma 1.2.4 rather than assuming it.

    Parameters
    ----------
    net : DeepNetwork
        f_θ; every layer's activation needs a derivative.
    loss : Loss
    X : array_like, shape (k, d_0)
    Y : array_like, shape (k, d_L)

    Returns
    -------
    list of (ndarray, ndarray)
        [(∂R/∂W_1, ∂R/∂b_1), …, (∂R/∂W_L, ∂R/∂b_L)], shapes as ``net.theta``.
    """
    X, Y = check_net(net, loss, X, Y)
    inputs, deltas = backward_pass(net, loss, X, Y)
    k = len(X)
    return [(d.T @ a / k, d.sum(axis=0) / k) for a, d in zip(inputs, deltas)]


def per_sample_gradients(net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray) -> Pairs:
    """∂_θ L(x_i, y_i, f_θ(x_i)) for each sample i separately.

    Parameters
    ----------
    net : DeepNetwork
    loss : Loss
    X : array_like, shape (k, d_0)
    Y : array_like, shape (k, d_L)

    Returns
    -------
    list of (ndarray, ndarray)
        Per layer, gradients of shapes ``(k, *W_i.shape)`` and ``(k, *b_i.shape)``; entry ``[j]``
        of each is the gradient of the loss at sample j alone.
    """
    X, Y = check_net(net, loss, X, Y)
    inputs, deltas = backward_pass(net, loss, X, Y)
    return [(d[:, :, None] * a[:, None, :], d.copy()) for a, d in zip(inputs, deltas)]


def flatten_theta(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """θ = [(W_1, b_1), …] (or a gradient of the same layout) as one vector of ℝᴺ.

    Order: W_1 row by row, b_1, W_2, b_2, … (torch's ``parameters()`` order).

    Parameters
    ----------
    pairs : sequence of (array, array)
        ``[(W_1, b_1), …, (W_L, b_L)]``, shapes (d_i, d_{i-1}) and (d_i,).

    Returns
    -------
    numpy.ndarray, shape (N,)

    Examples
    --------
    >>> flatten_theta([(np.ones((2, 1)), np.zeros(2))])
    array([1., 1., 0., 0.])
    """
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence) or not pairs:
        raise TypeError(f"pairs must be a non-empty sequence of (W, b) pairs, got {type(pairs).__name__}")
    parts = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"pairs[{i}] must be a pair (W, b), got {type(pair).__name__}")
        parts += [np.ravel(as_finite_array(f"pairs[{i}][{j}]", p)) for j, p in enumerate(pair)]
    return np.concatenate(parts)


def flat(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """:func:`flatten_theta` without checks, for the training loop (which checks finiteness itself)."""
    return np.concatenate([np.ravel(p) for pair in pairs for p in pair])


def set_theta(net: DeepNetwork, vector: np.ndarray) -> DeepNetwork:
    """Write the vector θ ∈ ℝᴺ, shape (N,) (layout of :func:`flatten_theta`), into ``net``; returns ``net``."""
    check.instance("net", net, DeepNetwork)
    n = sum(H.W.size + H.b.size for H in net.layers)
    vector = as_finite_array("vector", vector, ndim=1)
    if vector.size != n:
        raise ValueError(f"vector must have {n} entries (the parameters of net), got {vector.size}")
    i = 0
    for H in net.layers:
        H.W = vector[i : i + H.W.size].reshape(H.W.shape).copy()
        i += H.W.size
        H.b = vector[i : i + H.b.size].copy()
        i += H.b.size
    return net
