"""Loss functions, the L-risk and the empirical risk R_{L,D} (Definitions 1.2.2 and 1.2.3).

Thesis items: Definition 1.2.2 (:obj:`~ae_lib.l_risk`); Definition 1.2.3
(:obj:`~ae_lib.empirical_risk`).

Loss functions: Definition 1.2.2 of the thesis.

A loss L(x, y, ŷ) compares a true value y with a prediction ŷ = p(x); the losses here do
not look at x, so they are called as ``loss(Y, Y_hat)`` with one sample per row and
return one number per sample, and they carry their derivative in ŷ for backpropagation.
Averaged over data they give the risks of :mod:`ae_lib.networks.risk`.

Risk: the L-risk and the empirical risk of Definitions 1.2.2 and 1.2.3 of the thesis.

For a loss L (:mod:`ae_lib.networks.risk`), the L-risk R_{L,P}(p) = ∫ L(x, y, p(x)) dP(x, y) is
estimated by Monte Carlo from a sampler of P; the empirical risk R_{L,D}(p) is the
average loss over a data set D (eq. 1.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..core import checks as check
from ..core.checks import as_finite_array
from ..core.seeds import Seed, numpy_rng

__all__ = [
    "Loss",
    "RiskEstimate",
    "absolute_loss",
    "binary_cross_entropy",
    "empirical_risk",
    "l_risk",
    "squared_loss",
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


def _predictions(
    loss: Loss, predict: Callable, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    check.instance("loss", loss, Loss)
    check.function("predict", predict)
    with np.errstate(all="ignore"):
        P = predict(X)
    return loss.check_pair(Y, P, "Y", "predict(X)")


def empirical_risk(
    loss: Loss, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, Y: np.ndarray
) -> float:
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

    Examples
    --------
    >>> from ae_lib import squared_loss
    >>> empirical_risk(squared_loss, lambda X: 2 * X, [[1.0], [2.0]], [[1.0], [2.0]])
    2.5
    """
    X, Y = check.data_pair(X, Y)
    Y, P = _predictions(loss, predict, X, Y)
    return float(loss.fn(Y, P).mean())


@dataclass(frozen=True)
class RiskEstimate:
    """A Monte-Carlo estimate of R_{L,P}(p): ``value`` ± ``stderr`` from ``n`` samples.

    Attributes
    ----------
    value : float
    stderr : float
        Sample standard deviation of the losses over √n.
    n : int
    """

    value: float
    stderr: float
    n: int


def l_risk(
    loss: Loss,
    predict: Callable[[np.ndarray], np.ndarray],
    sample: Callable[[int, np.random.Generator], tuple[np.ndarray, np.ndarray]],
    n: int = 100_000,
    *,
    seed: Seed = 0,
) -> RiskEstimate:
    """The L-risk R_{L,P}(p) = ∫ L(x, y, p(x)) dP(x, y) of Definition 1.2.2, by Monte Carlo.

    Draws n pairs (x_j, y_j) ~ P and averages their losses; the standard error is the
    sample standard deviation of the losses over √n.

    Parameters
    ----------
    loss : Loss
    predict : callable
        p: X of shape (n, d_in) to predictions (n, d_out).
    sample : callable
        ``sample(n, generator)`` returns n independent draws (X, Y) from P, shapes (n, d_in)
        and (n, d_out); ``generator`` is a ``numpy.random.Generator``.
    n : int
        Number of Monte-Carlo samples (≥ 2, for the standard error).
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the generator handed to ``sample``.

    Returns
    -------
    RiskEstimate
    """
    check.instance("loss", loss, Loss)
    check.function("predict", predict)
    check.function("sample", sample)
    n = check.positive_int("n", n, minimum=2)
    rng = numpy_rng(seed)
    drawn = sample(n, rng)
    if not isinstance(drawn, tuple) or len(drawn) != 2:
        raise TypeError(f"sample(n, generator) must return a pair (X, Y), got {type(drawn).__name__}")
    X, Y = check.data_pair(*drawn, x_name="sample(n)[0]", y_name="sample(n)[1]")
    Y, P = _predictions(loss, predict, X, Y)
    losses = loss.fn(Y, P)
    return RiskEstimate(float(losses.mean()), float(losses.std(ddof=1) / np.sqrt(n)), n)
