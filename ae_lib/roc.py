"""Judging a novelty score: the ROC AUC and its standard error over the test items (Section 4.2).

:func:`novelty_auc` is Definition 4.2.1; :func:`auc_se` adds DeLong's standard error
:cite:p:`delong1988comparing` (or Hanley and McNeil's), from the *placements* of each
test item, which :mod:`ae_lib.leave_one_out` also uses to average AUCs over experiments.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import roc_auc_score

from . import _checks as check
from ._checks import as_finite_array
from .uncertainty import Estimate

__all__ = ["auc_se", "novelty_auc"]


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
