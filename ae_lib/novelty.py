"""Novelty detection: scores, ROC AUC, and the leave-one-digit-out protocol (Section 4.2).

A *novelty score* is a function ``score(X) -> (n,)`` fitted on normal data only; higher
means "less like the training data".  Each method here is a fit-and-score factory,
``fit(X_normal) -> score``: the PCA residual, scikit-learn's IsolationForest
:cite:p:`liu2008isolation`, an autoencoder's reconstruction error and a VAE's negative
ELBO.  :func:`leave_one_digit_out` turns any factory into one ROC AUC per held-out digit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

from . import _checks as check
from ._checks import as_finite_array
from ._random import Seed, seed_ints, sklearn_state
from .data import DigitsSplit
from .elbo import negative_elbo

__all__ = [
    "NoveltyResult",
    "isolation_forest_scorer",
    "leave_one_digit_out",
    "negative_elbo_scorer",
    "novelty_auc",
    "pca_residual_scorer",
    "reconstruction_error_scorer",
]

Scorer = Callable[[np.ndarray], np.ndarray]
Factory = Callable[[np.ndarray], Scorer]


def _scorer(score: Callable[[np.ndarray], np.ndarray], width: int) -> Scorer:
    """``score`` behind a check of its argument X (shape (n, width)); returns shape (n,)."""

    def checked(X: np.ndarray) -> np.ndarray:
        return score(check.data_matrix("X", X, width, "the width of the normal data"))

    return checked


def pca_residual_scorer(n_components: int) -> Factory:
    """Fit-and-score factory: the squared distance of ``x`` to the principal subspace of the normal data.

    Parameters
    ----------
    n_components : int
        Dimension of the principal subspace, ≥ 1.

    Returns
    -------
    callable
        ``fit(X_normal) -> score`` with ``score(X) -> (n,)``, ``‖x − μ − P(x − μ)‖²``.
    """
    k = check.positive_int("n_components", n_components)

    def fit(X_normal: np.ndarray) -> Scorer:
        X_normal = check.data_matrix("X_normal", X_normal)
        if k > min(X_normal.shape):
            raise ValueError(f"n_components={k} exceeds min(n, D) = {min(X_normal.shape)} of X_normal")
        pca = PCA(k).fit(X_normal)
        return _scorer(
            lambda X: ((X - pca.inverse_transform(pca.transform(X))) ** 2).sum(axis=1), X_normal.shape[1]
        )

    return fit


def isolation_forest_scorer(*, n_estimators: int = 100, seed: Seed = 0) -> Factory:
    """Fit-and-score factory for scikit-learn's IsolationForest (higher score = more anomalous).

    The score is ``-IsolationForest.score_samples``: points isolated by few random
    splits (short paths) score high.

    Parameters
    ----------
    n_estimators : int
    seed : int, numpy.random.Generator or torch.Generator
        The forest's ``random_state`` (the same for every fit).
    """
    n_estimators = check.positive_int("n_estimators", n_estimators)
    state = sklearn_state(seed)

    def fit(X_normal: np.ndarray) -> Scorer:
        X_normal = check.data_matrix("X_normal", X_normal)
        forest = IsolationForest(n_estimators=n_estimators, random_state=state).fit(X_normal)
        return _scorer(lambda X: -forest.score_samples(X), X_normal.shape[1])

    return fit


def reconstruction_error_scorer(train: Callable[[np.ndarray], torch.nn.Module]) -> Factory:
    """Fit-and-score factory: the squared reconstruction error ``‖x − g(f(x))‖²`` of an autoencoder.

    Parameters
    ----------
    train : callable
        ``train(X_normal) -> model``: builds and trains an autoencoder (a module whose
        ``model(x)`` is the reconstruction) on the normal data.
    """
    check.function("train", train)

    def fit(X_normal: np.ndarray) -> Scorer:
        X_normal = check.data_matrix("X_normal", X_normal)
        model = check.instance("train(X_normal)", train(X_normal), torch.nn.Module).eval()

        def score(X: np.ndarray) -> np.ndarray:
            with torch.no_grad():
                x = torch.as_tensor(X, dtype=check.model_dtype(model))
                return ((model(x) - x) ** 2).sum(dim=1).double().numpy()

        return _scorer(score, X_normal.shape[1])

    return fit


def negative_elbo_scorer(
    train: Callable[[np.ndarray], torch.nn.Module], *, n_samples: int = 10, seed: Seed = 0
) -> Factory:
    """Fit-and-score factory: a VAE's negative ELBO in nats, an upper bound on ``−log p_θ(x)``.

    Parameters
    ----------
    train : callable
        ``train(X_normal) -> vae``: builds and trains a :class:`~ae_lib.VAE`.
    n_samples : int
        Codes per image in the Monte-Carlo reconstruction term.
    seed : int, numpy.random.Generator or torch.Generator
        Seeds those codes (the same for every call of the score).
    """
    check.function("train", train)
    n_samples = check.positive_int("n_samples", n_samples)
    (codes_seed,) = seed_ints(seed, 1)

    def fit(X_normal: np.ndarray) -> Scorer:
        X_normal = check.data_matrix("X_normal", X_normal)
        model = train(X_normal).eval()

        def score(X: np.ndarray) -> np.ndarray:
            with torch.no_grad():
                total = negative_elbo(model, X, seed=codes_seed, n_samples=n_samples, reduction="none")[0]
            return total.double().numpy()

        return _scorer(score, X_normal.shape[1])

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
    labels = as_finite_array("is_novel", is_novel, ndim=1)
    check.integer_levels("is_novel", labels, 2)
    is_novel = labels.astype(bool)
    if is_novel.shape != scores.shape:
        raise ValueError(f"is_novel needs the shape of scores {scores.shape}, got {is_novel.shape}")
    if is_novel.all() or not is_novel.any():
        raise ValueError("is_novel must contain both novel (True) and normal (False) points")
    return float(roc_auc_score(is_novel, scores))


@dataclass(frozen=True)
class NoveltyResult:
    """One held-out digit: its AUC, the test scores and which test digits were novel.

    Attributes
    ----------
    digit : int
    auc : float
    scores : numpy.ndarray, shape (n,)
    is_novel : numpy.ndarray of bool, shape (n,)
    """

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
    check.function("fit", fit)
    check.instance("split", split, DigitsSplit)
    if not isinstance(digits, Iterable):
        raise TypeError(f"digits must be an iterable of int, got {type(digits).__name__}")
    digits = [check.positive_int("digits[]", c, minimum=0) for c in digits]
    if not digits:
        raise ValueError("digits must name at least one digit")
    out = []
    for c in digits:
        if c not in set(split.y_train.tolist()):
            raise ValueError(f"digits: {c} does not occur in split.y_train")
        score = fit(split.X_train[split.y_train != c])
        s = as_finite_array(f"fit(X_normal)(split.X_test) for digit {c}", score(split.X_test), ndim=1)
        is_novel = split.y_test == c
        out.append(NoveltyResult(int(c), novelty_auc(s, is_novel), s, is_novel))
    return out
