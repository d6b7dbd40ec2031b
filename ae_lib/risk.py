"""Risk: the L-risk and the empirical risk of Definitions 1.2.2 and 1.2.3 of the thesis.

For a loss L (:mod:`ae_lib.loss`), the L-risk R_{L,P}(p) = ∫ L(x, y, p(x)) dP(x, y) is
estimated by Monte Carlo from a sampler of P; the empirical risk R_{L,D}(p) is the
average loss over a data set D (eq. 1.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _checks as check
from ._checks import as_finite_array
from ._random import Seed, numpy_rng
from .loss import Loss

__all__ = ["RiskEstimate", "empirical_risk", "l_risk"]


def data_pair(
    X: np.ndarray, Y: np.ndarray, x_name: str = "X", y_name: str = "Y"
) -> tuple[np.ndarray, np.ndarray]:
    """X and Y as float arrays with one sample per row: shapes (k, d_in) and (k, d_out), k ≥ 1."""
    X = as_finite_array(x_name, X, ndim=(1, 2))
    Y = as_finite_array(y_name, Y, ndim=(1, 2))
    if len(X) == 0:
        raise ValueError(f"{x_name} is empty: the data set D needs k >= 1 data points")
    if len(X) != len(Y):
        raise ValueError(f"{x_name} and {y_name} must have the same length k, got {len(X)} and {len(Y)}")
    return X.reshape(len(X), -1), Y.reshape(len(Y), -1)


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
    X, Y = data_pair(X, Y)
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
    X, Y = data_pair(*drawn, x_name="sample(n)[0]", y_name="sample(n)[1]")
    Y, P = _predictions(loss, predict, X, Y)
    losses = loss.fn(Y, P)
    return RiskEstimate(float(losses.mean()), float(losses.std(ddof=1) / np.sqrt(n)), n)
