"""Loss and risk: Definitions 1.2.2 and 1.2.3 of the thesis.

A loss L(x, y, ŷ) compares a true value y with a prediction ŷ = p(x); the losses here do
not look at x, so they are called as ``loss(Y, Y_hat)`` with one sample per row and
return one number per sample.  The L-risk R_{L,P}(p) = ∫ L(x, y, p(x)) dP(x, y) is
estimated by Monte Carlo from a sampler of P; the empirical risk R_{L,D}(p) is the
average loss over a data set D (eq. 1.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._checks import as_finite_array, positive_int

__all__ = [
    "Loss",
    "squared_loss",
    "absolute_loss",
    "binary_cross_entropy",
    "RiskEstimate",
    "l_risk",
    "empirical_risk",
    "check_data",
]

ArrayFn = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Predictions are clipped into [BCE_EPS, 1 - BCE_EPS] before the logarithm.
BCE_EPS = 1e-12


class Loss:
    """A loss function L(y, ŷ) ≥ 0, with its derivative in ŷ (for backpropagation).

    Parameters
    ----------
    name : str
    fn : callable
        ``fn(Y, Y_hat)`` with both of shape (n, d) returns the n losses, shape (n,).
    grad : callable
        ``grad(Y, Y_hat)`` returns ∂L/∂ŷ for each sample, shape (n, d).

    Notes
    -----
    These are loss functions in the sense of the thesis's Definition 1.2.2 that ignore
    the input x.  Outputs are summed over their d components (not averaged), so that
    L(y, ŷ) is a function of one sample only.
    """

    def __init__(self, name: str, fn: ArrayFn, grad: ArrayFn) -> None:
        self.name, self._fn, self._grad = name, fn, grad

    @staticmethod
    def _pair(Y: np.ndarray, Y_hat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        Y = as_finite_array("Y", Y, ndim=(1, 2))
        Y_hat = as_finite_array("Y_hat", Y_hat, ndim=(1, 2))
        Y, Y_hat = Y.reshape(len(Y), -1), Y_hat.reshape(len(Y_hat), -1)
        if Y.shape != Y_hat.shape:
            raise ValueError(f"Y and Y_hat must have the same shape, got {Y.shape} and {Y_hat.shape}")
        return Y, Y_hat

    def __call__(self, Y: np.ndarray, Y_hat: np.ndarray) -> np.ndarray:
        """L(y_i, ŷ_i) for every row i, shape (n,)."""
        return self._fn(*self._pair(Y, Y_hat))

    def grad(self, Y: np.ndarray, Y_hat: np.ndarray) -> np.ndarray:
        """∂L(y_i, ŷ_i)/∂ŷ_i for every row i, shape (n, d)."""
        return self._grad(*self._pair(Y, Y_hat))

    def __repr__(self) -> str:
        return f"Loss({self.name})"


def _bce(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    P = np.clip(P, BCE_EPS, 1 - BCE_EPS)
    return -(Y * np.log(P) + (1 - Y) * np.log1p(-P)).sum(axis=1)


def _bce_grad(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    P = np.clip(P, BCE_EPS, 1 - BCE_EPS)
    return (P - Y) / (P * (1 - P))


squared_loss = Loss("squared", lambda Y, P: ((P - Y) ** 2).sum(axis=1), lambda Y, P: 2 * (P - Y))
"""Squared loss L(y, ŷ) = ‖y − ŷ‖²₂."""

absolute_loss = Loss("absolute", lambda Y, P: np.abs(P - Y).sum(axis=1), lambda Y, P: np.sign(P - Y))
"""Absolute loss L(y, ŷ) = ‖y − ŷ‖₁ (derivative sign(ŷ − y), 0 at a kink, as in torch)."""

binary_cross_entropy = Loss("binary cross-entropy", _bce, _bce_grad)
"""Binary cross-entropy L(y, ŷ) = −Σ_j [y_j log ŷ_j + (1 − y_j) log(1 − ŷ_j)] for ŷ ∈ (0, 1)ᵈ."""


def check_data(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X and Y as float arrays with one sample per row; errors for empty data or a length mismatch.

    Returns
    -------
    X : ndarray, shape (k, d_in)
    Y : ndarray, shape (k, d_out)
    """
    X = as_finite_array("X", X, ndim=(1, 2))
    Y = as_finite_array("Y", Y, ndim=(1, 2))
    if len(X) == 0:
        raise ValueError("X is empty: the data set D needs k >= 1 data points")
    if len(X) != len(Y):
        raise ValueError(f"X and Y must have the same length k, got {len(X)} and {len(Y)}")
    X = X.reshape(len(X), -1)
    return X, Y.reshape(len(Y), -1)


def empirical_risk(loss: Loss, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                   Y: np.ndarray) -> float:
    """The empirical risk R_{L,D}(p) = (1/k) Σ_i L(x_i, y_i, p(x_i)) of Definition 1.2.3 (eq. 1.5).

    Parameters
    ----------
    loss : Loss
    predict : callable
        The prediction function p, mapping X of shape (k, d_in) to predictions (k, d_out),
        e.g. a :class:`~ae_lib.DeepNetwork`.
    X : array_like, shape (k, d_in)
    Y : array_like, shape (k, d_out) or (k,)

    Returns
    -------
    float
    """
    X, Y = check_data(X, Y)
    return float(loss(Y, predict(X)).mean())


@dataclass(frozen=True)
class RiskEstimate:
    """A Monte-Carlo estimate of R_{L,P}(p): ``value`` ± ``stderr`` from ``n`` samples."""

    value: float
    stderr: float
    n: int


def l_risk(loss: Loss, predict: Callable[[np.ndarray], np.ndarray],
           sample: Callable[[int, np.random.Generator], tuple[np.ndarray, np.ndarray]],
           n: int = 100_000, *, seed: int = 0) -> RiskEstimate:
    """The L-risk R_{L,P}(p) = ∫ L(x, y, p(x)) dP(x, y) of Definition 1.2.2, by Monte Carlo.

    Draws n pairs (x_j, y_j) ~ P and averages their losses; the standard error is the
    sample standard deviation of the losses over √n.

    Parameters
    ----------
    loss : Loss
    predict : callable
        p: X of shape (n, d_in) to predictions (n, d_out).
    sample : callable
        ``sample(n, rng)`` returns n independent draws (X, Y) from P.
    n : int
        Number of Monte-Carlo samples (≥ 2, for the standard error).
    seed : int
        Seed of the generator handed to ``sample``.

    Returns
    -------
    RiskEstimate
    """
    n = positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be >= 2 to estimate a standard error, got {n}")
    X, Y = check_data(*sample(n, np.random.default_rng(seed)))
    losses = loss(Y, predict(X))
    return RiskEstimate(float(losses.mean()), float(losses.std(ddof=1) / np.sqrt(n)), n)
