"""Training a NumPy network: gradient descent on θ (Corollary 1.2.5), SGD and Adam on minibatches.

The hand-written counterpart of ``ae.fit``: backpropagation from ae_lib.backprop gives
∂_θ R_{L,D}, an optimiser from ae_lib.optim takes the step, and the risks are recorded
after every epoch (one pass over the k training samples).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._checks import positive_int
from .backprop import flatten_theta, risk_gradient, set_theta
from .network import DeepNetwork
from .adam import Adam
from .optim import GradientStep, minibatches
from .risk import Loss, check_data, empirical_risk
from .training import TrainingDiverged

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


def train_network(net: DeepNetwork, loss: Loss, X: np.ndarray, Y: np.ndarray,
                  optimizer: GradientStep | Adam, epochs: int, *, batch_size: int | None = None,
                  seed: int = 0, X_test: np.ndarray | None = None,
                  Y_test: np.ndarray | None = None) -> RiskHistory:
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
    seed : int
        Seeds the minibatch order.
    X_test, Y_test : array_like, optional
        Held-out data whose risk is recorded too.

    Returns
    -------
    RiskHistory

    Raises
    ------
    TrainingDiverged
        If the training risk becomes NaN or infinite.
    """
    X, Y = check_data(X, Y)
    epochs = positive_int("epochs", epochs)
    k = len(X)
    per_epoch = 1 if batch_size is None else -(-k // positive_int("batch_size", batch_size))
    batches = minibatches(k, batch_size or k, np.random.default_rng(seed))
    hist = RiskHistory()

    def record(evals: int) -> None:
        with np.errstate(all="ignore"):
            r = empirical_risk(loss, net, X, Y) if np.all(np.isfinite(flatten_theta(net.theta))) else np.nan
        if not np.isfinite(r):
            raise TrainingDiverged(f"training risk is {r} after {evals} gradient evaluations")
        hist.train_risk.append(r)
        hist.grad_evals.append(evals)
        if X_test is not None:
            hist.test_risk.append(empirical_risk(loss, net, X_test, Y_test))

    record(0)
    for epoch in range(epochs):
        for _ in range(per_epoch):
            idx = np.arange(k) if batch_size is None else next(batches)
            g = flatten_theta(risk_gradient(net, loss, X[idx], Y[idx]))
            with np.errstate(all="ignore"):
                theta = optimizer.step(flatten_theta(net.theta), g)
            if not np.all(np.isfinite(theta)):
                raise TrainingDiverged(f"θ became NaN or infinite in epoch {epoch + 1}")
            set_theta(net, theta)
        record((epoch + 1) * per_epoch)
    return hist
