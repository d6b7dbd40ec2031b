"""Choosing a baseline's settings on the validation part, never on the test set.

Thesis items: none numbered; the tools the chapters share.

The book's rule, the same for a model and for each baseline: every setting is chosen on a
validation part of the training data, and the test set is used once, to report.

* The VAE trains on the *fit* part and is early-stopped on the *validation* part (for the
  book's split, ``train_val_split(X_train, val_fraction=0.15, seed=0)``; for Tomczak's split,
  its fixed 350 validation images).  Its configuration is chosen on the same validation NLL.
* A classical baseline (a mixture's K and α, PCA's k, a ridge strength, …) is fitted on
  the fit part for every candidate and scored on the validation part; the best candidate
  is then **refitted on fit + validation**, i.e. on all training images.  Its fitting has no
  stopping point to tie it to the fit part, so refitting only gives it more data: if
  anything the rule favours the baseline over the VAE.

:func:`select_on_validation` implements the rule for any fit and score functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.checks import as_finite_array

__all__ = ["Selection", "select_on_validation"]


@dataclass(frozen=True)
class Selection:
    """What :func:`select_on_validation` returns.

    Attributes
    ----------
    best : dict
        The chosen candidate (keyword arguments of ``fit``).
    val_scores : list of (dict, float)
        Every candidate with its validation score, in the order given.
    model : object
        ``fit(X_refit, **best)``, or the model fitted on ``X_fit`` if ``X_refit`` is None.
    """

    best: dict
    val_scores: list
    model: Any


def select_on_validation(
    fit: Callable[..., Any],
    score: Callable[[Any, np.ndarray], float],
    candidates: Sequence[Mapping[str, Any]],
    X_fit: np.ndarray,
    X_val: np.ndarray,
    *,
    X_refit: np.ndarray | None = None,
    maximize: bool = False,
) -> Selection:
    """Fit every candidate on ``X_fit``, score it on ``X_val``, refit the best on ``X_refit``.

    Parameters
    ----------
    fit : callable
        ``fit(X, **candidate) -> model``.
    score : callable
        ``score(model, X_val) -> float``: lower is better (e.g. a validation NLL) unless
        ``maximize`` (e.g. a mean PSNR).
    candidates : sequence of dict
        Keyword arguments for ``fit``, at least one, e.g. ``[{"n_components": 10}, …]``.
    X_fit, X_val : array, shape (n, D)
        The fit and validation parts of the training data.
    X_refit : array, shape (m, D), optional
        Fit + validation (all training images): the best candidate is refitted on it.
        ``None`` keeps the model fitted on ``X_fit``.
    maximize : bool

    Returns
    -------
    Selection
        Ties go to the earlier candidate.
    """
    if not callable(fit) or not callable(score):
        raise TypeError("fit and score must be callables")
    for i, c in enumerate(candidates):
        if not isinstance(c, Mapping):
            raise TypeError(f"candidates[{i}] must be a mapping of keyword arguments, got {type(c).__name__}")
    candidates = [dict(c) for c in candidates]
    if not candidates:
        raise ValueError("candidates must hold at least one candidate")
    X_fit = as_finite_array("X_fit", X_fit, ndim=2)
    X_val = as_finite_array("X_val", X_val, ndim=2)
    if X_val.shape[1] != X_fit.shape[1]:
        raise ValueError(f"X_val must have the {X_fit.shape[1]} columns of X_fit, got {X_val.shape[1]}")
    if X_refit is not None:
        X_refit = as_finite_array("X_refit", X_refit, ndim=2)
        if X_refit.shape[1] != X_fit.shape[1]:
            raise ValueError(
                f"X_refit must have the {X_fit.shape[1]} columns of X_fit, got {X_refit.shape[1]}"
            )
    scores, models = [], []
    for cand in candidates:
        model = fit(X_fit, **cand)
        s = float(score(model, X_val))
        if not np.isfinite(s):
            raise ValueError(f"score of candidate {cand} is {s}; scores must be finite")
        scores.append(s)
        models.append(model)
    i = int(np.argmax(scores) if maximize else np.argmin(scores))
    model = models[i] if X_refit is None else fit(X_refit, **candidates[i])
    return Selection(dict(candidates[i]), list(zip(candidates, scores)), model)
