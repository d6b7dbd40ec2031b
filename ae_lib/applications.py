"""Applications I: corrupted digits, PSNR, and novelty scores judged by ROC AUC (Chapter 4).

Model-agnostic tools for Sections 4.1 and 4.2: the two corruptions (Gaussian noise,
dropped pixels), the peak signal-to-noise ratio, the PCA baselines (projection and
residual), scikit-learn's IsolationForest as a score, and the leave-one-digit-out
protocol that turns any "fit on normal data, then score" recipe into one ROC AUC per
held-out digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

from ._checks import as_finite_array, positive_int
from .data import DigitsSplit

__all__ = [
    "add_gaussian_noise", "mask_pixels", "psnr", "pca_projector", "pca_residual_scorer",
    "isolation_forest_scorer", "novelty_auc", "NoveltyResult", "leave_one_digit_out",
]

Array = np.ndarray | torch.Tensor
Scorer = Callable[[np.ndarray], np.ndarray]


def _unit_fraction(name: str, value: float, *, closed: bool = True) -> float:
    v = float(value)
    if not (0.0 <= v <= 1.0 if closed else 0.0 <= v < 1.0):
        raise ValueError(f"{name} must lie in [0, 1{']' if closed else ')'}, got {value}")
    return v


def add_gaussian_noise(X: Array, sigma: float, *, rng: np.random.Generator | torch.Generator) -> Array:
    """``X + σ·ε`` with standard normal ``ε``, clipped back to the pixel range [0, 1].

    Works on NumPy arrays (``rng`` a ``numpy.random.Generator``) and on torch tensors
    (``rng`` a ``torch.Generator``, as inside a loss passed to :func:`fit`).

    Parameters
    ----------
    X : array or tensor of shape (n, d), entries in [0, 1]
    sigma : float
        Noise standard deviation, ≥ 0.
    rng : numpy.random.Generator or torch.Generator
    """
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma must be finite and >= 0, got {sigma}")
    if isinstance(X, torch.Tensor):
        return (X + sigma * torch.randn(X.shape, generator=rng, dtype=X.dtype)).clamp(0.0, 1.0)
    X = as_finite_array("X", X)
    return np.clip(X + sigma * rng.standard_normal(X.shape), 0.0, 1.0)


def mask_pixels(X: Array, fraction: float, *, rng: np.random.Generator | torch.Generator) -> Array:
    """Set each pixel independently to 0 with probability ``fraction`` (dropped pixels).

    Parameters
    ----------
    X : array or tensor of shape (n, d)
    fraction : float in [0, 1)
        Probability that a pixel is dropped.
    rng : numpy.random.Generator or torch.Generator
    """
    fraction = _unit_fraction("fraction", fraction, closed=False)
    if isinstance(X, torch.Tensor):
        return X * (torch.rand(X.shape, generator=rng, dtype=X.dtype) >= fraction)
    X = as_finite_array("X", X)
    return X * (rng.random(X.shape) >= fraction)


def psnr(clean: np.ndarray, estimate: np.ndarray, *, data_range: float = 1.0) -> np.ndarray | float:
    """Peak signal-to-noise ratio in dB, image by image (Definition 4.1.1).

    ``PSNR(x, x̂) = 10 log10(R² / MSE(x, x̂))`` with ``MSE`` the mean squared error over the
    pixels of one image and ``R`` the data range (1 for pixels in [0, 1]).  Higher is
    better; a perfect estimate gives ``inf``.

    Parameters
    ----------
    clean, estimate : array of shape (d,) or (n, d)
    data_range : float

    Returns
    -------
    float or array of shape (n,)
    """
    clean = as_finite_array("clean", clean, ndim=(1, 2))
    estimate = as_finite_array("estimate", estimate, ndim=(1, 2))
    if clean.shape != estimate.shape:
        raise ValueError(f"clean and estimate need the same shape, got {clean.shape} and {estimate.shape}")
    if not data_range > 0:
        raise ValueError(f"data_range must be > 0, got {data_range}")
    mse = ((clean - estimate) ** 2).mean(axis=-1)
    with np.errstate(divide="ignore"):
        out = 10.0 * np.log10(data_range**2 / mse)
    return float(out) if out.ndim == 0 else out


def pca_projector(X_fit: np.ndarray, n_components: int) -> Callable[[np.ndarray], np.ndarray]:
    """The PCA baseline denoiser: ``x ↦ μ + P(x − μ)``, projection onto the top principal subspace.

    By Eckart–Young this is the best *linear* autoencoder with ``n_components`` codes
    (Chapter 2); fitted on ``X_fit`` (clean data), clipped to [0, 1] on the way out.

    Returns
    -------
    callable
        ``project(X) -> X_hat`` for arrays of shape (n, d).
    """
    pca = PCA(positive_int("n_components", n_components)).fit(as_finite_array("X_fit", X_fit, ndim=2))
    return lambda X: np.clip(pca.inverse_transform(pca.transform(np.asarray(X, float))), 0.0, 1.0)


def pca_residual_scorer(n_components: int) -> Callable[[np.ndarray], Scorer]:
    """Fit-and-score factory: the squared distance of ``x`` to the principal subspace of the normal data.

    Returns
    -------
    callable
        ``fit(X_normal) -> score`` with ``score(X) -> (n,)``, ``‖x − μ − P(x − μ)‖²``.
    """
    k = positive_int("n_components", n_components)

    def fit(X_normal: np.ndarray) -> Scorer:
        pca = PCA(k).fit(X_normal)
        return lambda X: ((X - pca.inverse_transform(pca.transform(X))) ** 2).sum(axis=1)

    return fit


def isolation_forest_scorer(*, n_estimators: int = 200, seed: int = 0) -> Callable[[np.ndarray], Scorer]:
    """Fit-and-score factory for scikit-learn's IsolationForest (higher score = more anomalous).

    The score is ``-IsolationForest.score_samples``: points isolated by few random
    splits (short paths) score high.
    """
    n_estimators = positive_int("n_estimators", n_estimators)

    def fit(X_normal: np.ndarray) -> Scorer:
        forest = IsolationForest(n_estimators=n_estimators, random_state=seed).fit(X_normal)
        return lambda X: -forest.score_samples(X)

    return fit


def novelty_auc(scores: np.ndarray, is_novel: np.ndarray) -> float:
    """ROC AUC of a novelty score (Definition 4.2.1), via ``sklearn.metrics.roc_auc_score``.

    The probability that a random novel point scores higher than a random normal one
    (ties count one half): 1 is a perfect ranking, 0.5 is chance.

    Parameters
    ----------
    scores : array of shape (n,)
        Higher means "more novel".
    is_novel : array of shape (n,) of bool
        Needs both classes.
    """
    scores = as_finite_array("scores", scores, ndim=1)
    is_novel = np.asarray(is_novel, dtype=bool)
    if is_novel.shape != scores.shape:
        raise ValueError(f"is_novel needs the shape of scores {scores.shape}, got {is_novel.shape}")
    if is_novel.all() or not is_novel.any():
        raise ValueError("is_novel must contain both novel (True) and normal (False) points")
    return float(roc_auc_score(is_novel, scores))


@dataclass(frozen=True)
class NoveltyResult:
    """One held-out digit: its AUC, the test scores and which test digits were novel."""

    digit: int
    auc: float
    scores: np.ndarray
    is_novel: np.ndarray


def leave_one_digit_out(
    fit: Callable[[np.ndarray], Scorer], split: DigitsSplit, digits: Iterable[int] = range(10)
) -> list[NoveltyResult]:
    """Novelty detection with one digit left out, for each digit in ``digits``.

    For held-out digit ``c``: ``fit`` sees the training images of every other digit,
    the returned score is evaluated on the whole test set, and the test images of
    digit ``c`` are the novelties.

    Parameters
    ----------
    fit : callable
        ``fit(X_normal) -> score`` with ``score(X) -> array of shape (n,)``, higher =
        more novel (e.g. :func:`pca_residual_scorer`, :func:`isolation_forest_scorer`).
    split : DigitsSplit
    digits : iterable of int

    Returns
    -------
    list of NoveltyResult
    """
    out = []
    for c in digits:
        if int(c) not in set(split.y_train.tolist()):
            raise ValueError(f"digit {c} does not occur in split.y_train")
        score = fit(split.X_train[split.y_train != c])
        s = np.asarray(score(split.X_test), dtype=float)
        is_novel = split.y_test == c
        out.append(NoveltyResult(int(c), novelty_auc(s, is_novel), s, is_novel))
    return out
