"""Novelty scores (Section 4.2): four fit-and-score factories.

A *novelty score* is a function ``score(X) -> (n,)`` fitted on normal data only; higher
means "less like the training data".  Each method here is a fit-and-score factory,
``fit(X_normal) -> score``: the PCA residual, scikit-learn's IsolationForest
:cite:p:`liu2008isolation`, an autoencoder's reconstruction error and a VAE's negative
ELBO.  :mod:`ae_lib.roc` judges them (ROC AUC, the leave-one-digit-out protocol).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest

from . import _checks as check
from ._random import Seed, seed_ints, sklearn_state
from .elbo import negative_elbo
from .torch_nets import model_dtype

__all__ = [
    "isolation_forest_scorer",
    "negative_elbo_scorer",
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


def isolation_forest_scorer(
    *, n_estimators: int = 100, max_samples: int | str = "auto", seed: Seed = 0
) -> Factory:
    """Fit-and-score factory for scikit-learn's IsolationForest (higher score = more anomalous).

    The score is ``-IsolationForest.score_samples``: points isolated by few random
    splits (short paths) score high.

    Parameters
    ----------
    n_estimators : int
    max_samples : int, "auto" or "all"
        Images drawn for each tree: ``"auto"`` is min(256, n) as recommended by
        :cite:t:`liu2008isolation`; ``"all"`` uses every normal image; an int is capped at n.
    seed : int, numpy.random.Generator or torch.Generator
        The forest's ``random_state`` (the same for every fit).
    """
    n_estimators = check.positive_int("n_estimators", n_estimators)
    if isinstance(max_samples, str):
        check.one_of("max_samples", max_samples, ("auto", "all"))
    else:
        check.positive_int("max_samples", max_samples, minimum=2)
    state = sklearn_state(seed)

    def fit(X_normal: np.ndarray) -> Scorer:
        X_normal = check.data_matrix("X_normal", X_normal)
        size: float | str = "auto" if max_samples == "auto" else 1.0  # 1.0: a fraction, every image
        if not isinstance(max_samples, str):
            size = min(len(X_normal), max_samples)
        forest = IsolationForest(n_estimators=n_estimators, max_samples=size, random_state=state).fit(
            X_normal
        )
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
                x = torch.as_tensor(X, dtype=model_dtype(model))
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
