"""Novelty detection: scores, the AUC with its standard error, leave-one-digit-out (Section 4.2).

Thesis items: Definition 4.2.1 (:obj:`~ae_lib.novelty_auc`).

Novelty scores (Section 4.2): four fit-and-score factories.

A *novelty score* is a function ``score(X) -> (n,)`` fitted on normal data only; higher
means "less like the training data".  Each method here is a fit-and-score factory,
``fit(X_normal) -> score``: the PCA residual, scikit-learn's IsolationForest
:cite:p:`liu2008isolation`, an autoencoder's reconstruction error and a VAE's negative
ELBO.  :mod:`ae_lib.applications.novelty` judges them (ROC AUC, the leave-one-digit-out protocol).

Judging a novelty score: the ROC AUC and its standard error over the test items (Section 4.2).

:func:`novelty_auc` is Definition 4.2.1; :func:`auc_se` adds DeLong's standard error
:cite:p:`delong1988comparing` (or Hanley and McNeil's), from the *placements* of each
test item, which :mod:`ae_lib.applications.novelty` also uses to average AUCs over experiments.

Novelty detection with one digit left out, and the mean AUC over those experiments (Section 4.2).

:func:`leave_one_digit_out` turns any fit-and-score factory of :mod:`ae_lib.applications.novelty` into
one ROC AUC (:func:`~ae_lib.novelty_auc`) per held-out digit; :func:`mean_auc` averages
those AUCs (or their differences between two methods) with DeLong's standard error over
the test images that all experiments share :cite:p:`delong1988comparing`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

from ..book.data import DigitsSplit
from ..book.uncertainty import Estimate
from ..core import checks as check
from ..core.checks import as_finite_array
from ..core.seeds import Seed, seed_ints, sklearn_state
from ..core.torch_nets import model_dtype
from ..variational.elbo import negative_elbo

__all__ = [
    "NoveltyResult",
    "auc_se",
    "isolation_forest_scorer",
    "leave_one_digit_out",
    "mean_auc",
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


def placements(scores: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's placements: V₁₀(i) = mean_j ψ(i, j) per positive, shape (m,), and V₀₁(j) per negative, shape (n,).

    ψ(i, j) = 1 if positive i outscores negative j, ½ on a tie, else 0; both come from sorting.
    """
    x, y = scores[pos], scores[~pos]
    ys, xs = np.sort(y), np.sort(x)
    v10 = (np.searchsorted(ys, x, "left") + np.searchsorted(ys, x, "right")) / (2.0 * len(y))
    v01 = 1.0 - (np.searchsorted(xs, y, "left") + np.searchsorted(xs, y, "right")) / (2.0 * len(x))
    return v10, v01


def auc_se(scores: np.ndarray, is_positive: np.ndarray, method: str = "delong") -> Estimate:
    """ROC AUC and its standard error over the test items.

    The AUC is the Mann–Whitney statistic: the mean over (positive i, negative j) pairs of
    ψ = 1 if s_i > s_j, ½ if equal, 0 otherwise.  ``"delong"`` :cite:p:`delong1988comparing`
    estimates its variance from the placements V₁₀(i) = mean_j ψ(i, j) and
    V₀₁(j) = mean_i ψ(i, j) as Var V₁₀ / m + Var V₀₁ / n (m positives, n negatives);
    ``"hanley-mcneil"`` :cite:p:`hanley1982meaning` uses their closed form under an
    exponential-score model, with Q₁ = A/(2 − A), Q₂ = 2A²/(1 + A).

    Parameters
    ----------
    scores : array, shape (n_items,)
        Higher means "more positive" (more novel).
    is_positive : array of bool, shape (n_items,)
        Needs at least two items of each class.
    method : {"delong", "hanley-mcneil"}

    Returns
    -------
    Estimate
        ``n`` is the number of items.
    """
    s = as_finite_array("scores", scores, ndim=1)
    pos = np.asarray(is_positive)
    if pos.shape != s.shape or not np.isin(pos, (0, 1)).all():
        raise ValueError(f"is_positive must be booleans of the shape of scores {s.shape}, got {pos.shape}")
    pos = pos.astype(bool)
    m, n = int(pos.sum()), int((~pos).sum())
    if m < 2 or n < 2:
        raise ValueError(f"is_positive needs >= 2 items of each class, got {m} positive and {n} negative")
    if method not in ("delong", "hanley-mcneil"):
        raise ValueError(f"method must be 'delong' or 'hanley-mcneil', got {method!r}")
    v10, v01 = placements(s, pos)
    auc = float(v10.mean())
    if method == "delong":
        var = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    else:
        q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
        var = (auc * (1 - auc) + (m - 1) * (q1 - auc**2) + (n - 1) * (q2 - auc**2)) / (m * n)
    return Estimate(auc, float(math.sqrt(max(var, 0.0))), int(s.size))


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


def _contributions(r: NoveltyResult) -> np.ndarray:
    """Each test image's share of ``r.auc`` − AUC, scaled so that their squares sum to DeLong's variance."""
    pos = r.is_novel
    m, n = int(pos.sum()), int((~pos).sum())
    v10, v01 = placements(r.scores, pos)  # the AUC's average over one image's pairs (ties count ½)
    out = np.empty(len(pos))
    out[pos], out[~pos] = (v10 - r.auc) / math.sqrt(m * (m - 1)), (v01 - r.auc) / math.sqrt(n * (n - 1))
    return out


def mean_auc(results: Sequence[NoveltyResult], baseline: Sequence[NoveltyResult] | None = None) -> Estimate:
    """Mean ROC AUC over held-out-digit experiments, with DeLong's SE over the shared test images.

    Every experiment scores the same test images, so its AUCs are correlated.  DeLong's
    placements :cite:p:`delong1988comparing` split each AUC into one share per test image;
    the shares of all experiments are averaged image by image, and the SE is the root of
    their sum of squares.  For one experiment this is :func:`~ae_lib.auc_se`'s DeLong SE;
    with ``baseline`` it is the mean difference with DeLong's *paired* SE.

    Parameters
    ----------
    results : sequence of NoveltyResult
        From :func:`leave_one_digit_out`, all on the same test images (shape (n,) scores),
        each with at least 2 novel and 2 normal images.
    baseline : sequence of NoveltyResult, optional
        Another method's results for the same digits, in the same order.

    Returns
    -------
    Estimate
        Mean AUC (or mean AUC − the baseline's) and its SE; ``n`` is the number of test images.
    """
    runs = [_results("results", results)]
    if baseline is not None:
        runs.append(_results("baseline", baseline))
        if [(r.digit, r.is_novel.tolist()) for r in runs[1]] != [
            (r.digit, r.is_novel.tolist()) for r in runs[0]
        ]:
            raise ValueError("baseline must hold the same held-out digits as results, in the same order")
    n = runs[0][0].scores.shape
    if any(r.scores.shape != n for rs in runs for r in rs):
        raise ValueError(f"results and baseline must score the same test images, shape {n}")
    signs = [1.0, -1.0][: len(runs)]
    share = sum(sg * np.mean([_contributions(r) for r in rs], axis=0) for sg, rs in zip(signs, runs))
    mean = sum(sg * float(np.mean([r.auc for r in rs])) for sg, rs in zip(signs, runs))
    return Estimate(float(mean), float(np.sqrt((share**2).sum())), int(n[0]))


def _results(name: str, value: object) -> list[NoveltyResult]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(r, NoveltyResult) for r in value):
        raise TypeError(f"{name} must be a list of NoveltyResult (from leave_one_digit_out)")
    if not value:
        raise ValueError(f"{name} must hold at least one NoveltyResult")
    for r in value:
        if min(r.is_novel.sum(), (~r.is_novel).sum()) < 2:
            raise ValueError(f"{name}: digit {r.digit} needs >= 2 novel and >= 2 normal test images")
    return list(value)
