"""Novelty detection with one digit left out, and the mean AUC over those experiments (Section 4.2).

:func:`leave_one_digit_out` turns any fit-and-score factory of :mod:`ae_lib.novelty` into
one ROC AUC (:func:`~ae_lib.novelty_auc`) per held-out digit; :func:`mean_auc` averages
those AUCs (or their differences between two methods) with DeLong's standard error over
the test images that all experiments share :cite:p:`delong1988comparing`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from . import _checks as check
from ._checks import as_finite_array
from .data import DigitsSplit
from .roc import novelty_auc, placements
from .uncertainty import Estimate

__all__ = ["NoveltyResult", "leave_one_digit_out", "mean_auc"]

Scorer = Callable[[np.ndarray], np.ndarray]


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
