"""Training a NumPy network: gradient descent on θ (Corollary 1.2.5), SGD and Adam on minibatches.

The hand-written counterpart of ``ae.fit``: backpropagation from ae_lib.backprop gives
∂_θ R_{L,D}, an optimiser from ae_lib.optim takes the step, and the risks are recorded
after every epoch (one pass over the k training samples).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _checks as check
from ._random import Seed, numpy_rng
from .adam import Adam
from .backprop import backward_pass, check_net, flat, set_theta
from .errors import diverged
from .loss import Loss
from .network import DeepNetwork
from .optim import GradientStep
from .stochastic import batch_indices

__all__ = ["RiskHistory", "train_network"]


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
    batches = batch_indices(k, size, numpy_rng(seed), replace=False)
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
