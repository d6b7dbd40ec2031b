"""Backpropagation and training a NumPy network by gradient descent, SGD or Adam (Lemma 1.2.4).

Thesis items: Lemma 1.2.4 (:obj:`~ae_lib.risk_gradient`); Corollary 1.2.5
(:obj:`~ae_lib.train_network`).

Backpropagation: the gradient of the empirical risk of a deep network, Lemma 1.2.4.

For f = H_L ∘ … ∘ H_1 with H_i(a) = φ_i(W_i a + b_i), write a_0 = x, z_i = W_i a_{i-1} + b_i
and a_i = φ_i(z_i).  The chain rule, run from the output back to the input, gives for one
sample (x, y)::

    δ_L = ∂L/∂ŷ ⊙ φ_L'(z_L),      δ_{i-1} = (W_iᵀ δ_i) ⊙ φ_{i-1}'(z_{i-1}),
    ∂L/∂W_i = δ_i a_{i-1}ᵀ,       ∂L/∂b_i = δ_i.

θ = (W_1, b_1, …, W_L, b_L) is handled as the list ``[(W_1, b_1), …, (W_L, b_L)]`` (the
layout of ``DeepNetwork.theta``); :func:`flatten_theta` and :func:`set_theta` turn it
into one vector of ℝᴺ and back, which is what the optimisers of ae_lib.networks.optim work on.

Training a NumPy network: gradient descent on θ (Corollary 1.2.5), SGD and Adam on minibatches.

The hand-written counterpart of ``ae.fit``: backpropagation from ae_lib.networks.backprop gives
∂_θ R_{L,D}, an optimiser from ae_lib.networks.optim takes the step, and the risks are recorded
after every epoch (one pass over the k training samples).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ..core import checks as check
from ..core.checks import as_finite_array, diverged
from ..core.seeds import Seed
from .network import DeepNetwork
from .optim import Adam, GradientStep, minibatches
from .risk import Loss

__all__ = [
    "RiskHistory",
    "flatten_theta",
    "per_sample_gradients",
    "risk_gradient",
    "set_theta",
    "train_network",
]

Pairs = list[tuple[np.ndarray, np.ndarray]]


def check_net(
    net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray, x_name: str = "X", y_name: str = "Y"
) -> tuple[np.ndarray, np.ndarray]:
    check.instance("net", net, DeepNetwork)
    check.instance("loss", loss, Loss)
    X, Y = check.data_pair(X, Y, x_name, y_name)
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


@dataclass
class RiskHistory:
    """What :func:`train_network` returns; entry e is taken after e epochs (entry 0: at θ^(0)).

    Attributes
    ----------
    train_risk, test_risk : list of float
        R_{L,D} on the training data and on the test data (empty without test data).
    grad_evals : list of int
        Number of gradient evaluations ∂_θ R (one per update, on a full batch or a
        minibatch) made so far.
    """

    train_risk: list[float] = field(default_factory=list)
    test_risk: list[float] = field(default_factory=list)
    grad_evals: list[int] = field(default_factory=list)


def train_network(
    net: DeepNetwork,
    loss: Loss,
    X: np.ndarray,
    Y: np.ndarray,
    optimizer: GradientStep | Adam,
    epochs: int,
    *,
    batch_size: int | None = None,
    seed: Seed = 0,
    X_test: np.ndarray | None = None,
    Y_test: np.ndarray | None = None,
) -> RiskHistory:
    """Train ``net`` in place by θ^(t) = θ^(t−1) − γ_{t−1} ∂_θ R(f_{θ^(t−1)}) (Corollary 1.2.5).

    With ``batch_size=None`` each step uses the gradient of the empirical risk over all
    k samples (gradient descent, one step per epoch).  With a ``batch_size`` each step
    uses a minibatch (stochastic gradient descent, Theorem 1.2.6; ⌈k / batch_size⌉ steps
    per epoch), and ``optimizer`` may be :class:`~ae_lib.Adam` instead of
    :class:`~ae_lib.GradientStep`.

    Parameters
    ----------
    net : DeepNetwork
        f_θ, updated in place.
    loss : Loss
    X : array_like, shape (k, d_0)
    Y : array_like, shape (k, d_L)
    optimizer : GradientStep or Adam
        A fresh optimiser (it keeps its own step counter and moments).
    epochs : int
    batch_size : int, optional
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the minibatch order.
    X_test, Y_test : array_like, optional
        Held-out data of shapes (m, d_0) and (m, d_L) whose risk is recorded too.

    Returns
    -------
    RiskHistory

    Raises
    ------
    TrainingDiverged
        If θ or the training risk becomes NaN or infinite (naming the epoch and ``lr``).
    """
    X, Y = check_net(net, loss, X, Y)
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must be a GradientStep or Adam, got {type(optimizer).__name__}")
    epochs = check.positive_int("epochs", epochs)
    if (X_test is None) != (Y_test is None):
        raise ValueError("X_test and Y_test must be given together")
    test = None
    if X_test is not None and Y_test is not None:
        test = check_net(net, loss, X_test, Y_test, "X_test", "Y_test")
    k = len(X)
    size = k if batch_size is None else check.positive_int("batch_size", batch_size)
    batches = minibatches(k, size, seed=seed)
    per_epoch = -(-k // size)
    hist = RiskHistory()
    _record(hist, net, loss, (X, Y), test, 0, 0, optimizer)
    for epoch in range(1, epochs + 1):
        for _ in range(per_epoch):
            idx = next(batches)
            g = _gradient(net, loss, X[idx], Y[idx])
            with np.errstate(all="ignore"):
                theta = optimizer.step(flat(net.theta), g)
            if not np.all(np.isfinite(theta)):
                raise diverged("θ became NaN or infinite", epoch, None, getattr(optimizer, "lr", None))
            set_theta(net, theta)
        _record(hist, net, loss, (X, Y), test, epoch, epoch * per_epoch, optimizer)
    return hist


def _gradient(net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """∂_θ R on a minibatch as one vector (backpropagation of Lemma 1.2.4, without argument checks)."""
    with np.errstate(all="ignore"):
        inputs, deltas = backward_pass(net, loss, X, Y)
        return flat([(d.T @ a / len(X), d.sum(axis=0) / len(X)) for a, d in zip(inputs, deltas)])


def _risk(net: DeepNetwork, loss: Loss, data: tuple[np.ndarray, np.ndarray]) -> float:
    with np.errstate(all="ignore"):
        return float(np.mean(loss.fn(data[1], net(data[0]))))


def _record(
    hist: RiskHistory,
    net: DeepNetwork,
    loss: Loss,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray] | None,
    epoch: int,
    evals: int,
    optimizer: object,
) -> None:
    r = _risk(net, loss, train)
    if not np.isfinite(r):
        raise diverged(f"the training risk became {r}", epoch, None, getattr(optimizer, "lr", None))
    hist.train_risk.append(r)
    hist.grad_evals.append(evals)
    if test is not None:
        hist.test_risk.append(_risk(net, loss, test))
