"""A downstream task from few labels: logistic regression on k labels per class (Section 4.4).

Thesis items: none numbered; what the chapter's section computes beyond the draft.

Model-agnostic: the features may be raw pixels, PCA codes or a VAE's mean codes; only the
drawn examples' labels are used.  Many draws of the labelled examples, and a per-image
output for standard errors paired between feature sets.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from ..core import checks as check
from ..core.checks import as_finite_array, positive_int
from ..core.seeds import Seed, numpy_rng

__all__ = ["draw_labelled", "few_label_accuracy"]


def draw_labelled(y: np.ndarray, per_class: int, *, seed: Seed = 0) -> np.ndarray:
    """Indices of ``per_class`` examples of every class of ``y``, drawn without replacement.

    Parameters
    ----------
    y : array, shape (n,)
        Class labels.
    per_class : int
    seed : int, numpy.random.Generator or torch.Generator
        A generator is advanced (successive calls draw new examples).

    Returns
    -------
    numpy.ndarray of int, shape (K * per_class,)
    """
    per_class = positive_int("per_class", per_class)
    y = np.asarray(y)
    as_finite_array("y", y, ndim=1)
    if y.size == 0:
        raise ValueError("y is empty")
    rng = numpy_rng(seed)
    idx = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if members.size < per_class:
            raise ValueError(f"per_class={per_class} exceeds the {members.size} examples of class {c}")
        idx.append(rng.choice(members, size=per_class, replace=False))
    return np.concatenate(idx)


def few_label_accuracy(
    F_train: np.ndarray,
    y_train: np.ndarray,
    F_test: np.ndarray,
    y_test: np.ndarray,
    per_class: int | Sequence[int],
    *,
    n_draws: int = 10,
    seed: Seed = 0,
    C: float = 1.0,
    standardize: bool = False,
    per_image: bool = False,
) -> np.ndarray:
    """Test accuracy of logistic regression fitted on ``per_class`` labelled examples per class.

    The features ``F_train`` of *all* training images may be used without their
    labels (they are standardised with their mean and spread, as an encoder would be
    trained on them); only the drawn examples' labels are used.  Each draw picks new
    labelled examples (``draw_labelled`` with ``numpy.random.default_rng(seed)``).

    Parameters
    ----------
    F_train, F_test : array of shape (n, p)
        Features (raw pixels, PCA codes, VAE codes, ...).
    y_train, y_test : array of shape (n,)
    per_class : int or sequence of int
        Labels per class, e.g. ``[1, 5, 10, 50]``.
    n_draws : int
    seed : int, numpy.random.Generator or torch.Generator
    C : float
        Inverse L2 regularisation strength of ``LogisticRegression``.
    standardize : bool
        Scale every feature to mean 0 and variance 1 over ``F_train`` first.
    per_image : bool
        Return whether each test image was classified correctly (bool, one more axis of
        length n_test) instead of the accuracies, its means: for standard errors over the
        test images, paired between feature sets (the draws depend on ``seed`` only).

    Returns
    -------
    numpy.ndarray of shape (n_draws,) or (len(per_class), n_draws)
        With ``per_image``: shape (n_draws, n_test) or (len(per_class), n_draws, n_test).
    """
    F_train = check.data_matrix("F_train", F_train)
    F_test = check.data_matrix("F_test", F_test, F_train.shape[1], "the width of F_train")
    for name, y, F in (("y_train", y_train, F_train), ("y_test", y_test, F_test)):
        if len(as_finite_array(name, y, ndim=1)) != len(F):
            raise ValueError(f"{name} needs one label per row of its features ({len(F)}), got {len(y)}")
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    if isinstance(per_class, (str, bytes)) or not (
        np.ndim(per_class) == 0 or isinstance(per_class, Sequence)
    ):
        raise TypeError(f"per_class must be an int or a sequence of int, got {type(per_class).__name__}")
    ks = [
        positive_int("per_class", k) for k in (per_class if isinstance(per_class, Sequence) else [per_class])
    ]
    n_draws = positive_int("n_draws", n_draws)
    C = check.positive_float("C", C)
    check.instance("standardize", standardize, bool)
    check.instance("per_image", per_image, bool)
    if standardize:
        scaler = StandardScaler().fit(F_train)
        F_train, F_test = scaler.transform(F_train), scaler.transform(F_test)
    rng = numpy_rng(seed)
    correct = np.empty((len(ks), n_draws, len(y_test)), dtype=bool)
    for i, k in enumerate(ks):
        for j in range(n_draws):
            idx = draw_labelled(y_train, k, seed=rng)
            clf = LogisticRegression(C=C, max_iter=2000).fit(F_train[idx], y_train[idx])
            correct[i, j] = clf.predict(F_test) == y_test
    out = correct if per_image else correct.mean(axis=-1)
    return out if isinstance(per_class, Sequence) else out[0]
