"""Loss functions: Definition 1.2.2 of the thesis.

A loss L(x, y, ŷ) compares a true value y with a prediction ŷ = p(x); the losses here do
not look at x, so they are called as ``loss(Y, Y_hat)`` with one sample per row and
return one number per sample, and they carry their derivative in ŷ for backpropagation.
Averaged over data they give the risks of :mod:`ae_lib.risk`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _checks as check
from ._checks import as_finite_array

__all__ = ["Loss", "absolute_loss", "binary_cross_entropy", "squared_loss"]

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
    domain : tuple of float, optional
        An interval [lo, hi] that y and ŷ must lie in (binary cross-entropy: [0, 1]).

    Notes
    -----
    These are loss functions in the sense of the thesis's Definition 1.2.2 that ignore
    the input x.  Outputs are summed over their d components (not averaged), so that
    L(y, ŷ) is a function of one sample only.
    """

    def __init__(
        self, name: str, fn: ArrayFn, grad: ArrayFn, *, domain: tuple[float, float] | None = None
    ) -> None:
        check.instance("name", name, str)
        self.name, self.fn, self.fn_grad = name, check.function("fn", fn), check.function("grad", grad)
        self.domain = domain

    def check_pair(
        self, Y: np.ndarray, Y_hat: np.ndarray, y_name: str = "Y", y_hat_name: str = "Y_hat"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Y and Y_hat as float arrays of one shape (n, d), inside the domain; errors name the arguments."""
        Y = as_finite_array(y_name, Y, ndim=(1, 2))
        Y_hat = as_finite_array(y_hat_name, Y_hat, ndim=(1, 2))
        Y, Y_hat = Y.reshape(len(Y), -1), Y_hat.reshape(len(Y_hat), -1)
        if Y.shape != Y_hat.shape:
            raise ValueError(
                f"{y_name} and {y_hat_name} must have the same shape, got {Y.shape} and {Y_hat.shape}"
            )
        if self.domain is not None and Y.size:
            check.in_range(f"{y_name} (for the {self.name} loss)", Y, *self.domain)
            check.in_range(f"{y_hat_name} (for the {self.name} loss)", Y_hat, *self.domain)
        return Y, Y_hat

    def __call__(self, Y: np.ndarray, Y_hat: np.ndarray) -> np.ndarray:
        """L(y_i, ŷ_i) for every row i, shape (n,), of Y and Y_hat of shape (n, d) (or (n,))."""
        return self.fn(*self.check_pair(Y, Y_hat))

    def grad(self, Y: np.ndarray, Y_hat: np.ndarray) -> np.ndarray:
        """∂L(y_i, ŷ_i)/∂ŷ_i for every row i, shape (n, d)."""
        return self.fn_grad(*self.check_pair(Y, Y_hat))

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

binary_cross_entropy = Loss("binary cross-entropy", _bce, _bce_grad, domain=(0.0, 1.0))
"""Binary cross-entropy L(y, ŷ) = −Σ_j [y_j log ŷ_j + (1 − y_j) log(1 − ŷ_j)] for y, ŷ ∈ [0, 1]ᵈ.

Predictions are clipped into [BCE_EPS, 1 − BCE_EPS] before the logarithm, so that ŷ = 0
or 1 gives a large finite loss; values outside [0, 1] are refused."""
