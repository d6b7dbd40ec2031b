"""Applications II: judging samples with a classifier, and learning from few labels (Chapter 4).

Model-agnostic tools for Sections 4.3 and 4.4: a classifier's verdict on generated
digits (confidence, spread of predicted classes, an "inception-style" score), and
logistic regression trained on ``k`` labels per class on any features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from . import _checks as check
from ._checks import as_finite_array, positive_int
from ._random import Seed, numpy_rng

__all__ = ["SampleScore", "classifier_sample_score", "draw_labelled", "few_label_accuracy"]


@dataclass(frozen=True)
class SampleScore:
    """A classifier's verdict on a batch of samples (see :func:`classifier_sample_score`).

    Attributes
    ----------
    confidence : float
        Mean over the samples of the largest class probability, in [1/K, 1].
    class_entropy : float
        Entropy (nats) of the mean predicted class distribution: ``log K`` when the
        samples cover all K classes evenly, 0 when they are all one class.
    inception_score : float
        ``exp(E_x KL(p(y|x) ‖ p(y)))``, in [1, K].
    class_counts : numpy.ndarray of shape (K,)
        How many samples the classifier assigns to each class (argmax).
    """

    confidence: float
    class_entropy: float
    inception_score: float
    class_counts: np.ndarray


def _entropy(p: np.ndarray, axis: int = -1) -> np.ndarray:
    return -(p * np.log(np.clip(p, 1e-300, None))).sum(axis=axis)


def classifier_sample_score(classifier: Any, X: np.ndarray) -> SampleScore:
    """How a classifier trained on real digits judges samples ``X`` (Definition 4.3.1).

    With ``p(y|x)`` the classifier's ``predict_proba`` and ``p(y)`` its mean over the
    samples, the *inception-style score* of :cite:t:`salimans2016improved` is

    ``IS = exp( mean_x KL(p(y|x) ‖ p(y)) ) = exp( H(p(y)) − mean_x H(p(y|x)) )``.

    It is high when each sample is confidently one class (low ``H(p(y|x))``) *and* the
    classes are spread evenly (high ``H(p(y))``); it is K for K confident, balanced
    classes and 1 for samples the classifier cannot tell apart.

    Parameters
    ----------
    classifier : fitted scikit-learn classifier with ``predict_proba``
    X : array of shape (n, d)

    Returns
    -------
    SampleScore
    """
    if not callable(getattr(classifier, "predict_proba", None)):
        raise TypeError("classifier must have a predict_proba method (a fitted scikit-learn classifier)")
    X = check.data_matrix(
        "X", X, getattr(classifier, "n_features_in_", None), "the classifier's n_features_in_"
    )
    P = as_finite_array("classifier.predict_proba(X)", classifier.predict_proba(X), ndim=2)
    marginal = P.mean(axis=0)
    h_marginal = float(_entropy(marginal))
    h_cond = float(_entropy(P, axis=1).mean())
    counts = np.bincount(P.argmax(axis=1), minlength=P.shape[1])
    return SampleScore(float(P.max(axis=1).mean()), h_marginal, float(np.exp(h_marginal - h_cond)), counts)


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

    Returns
    -------
    numpy.ndarray of shape (n_draws,) or (len(per_class), n_draws)
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
    if standardize:
        scaler = StandardScaler().fit(F_train)
        F_train, F_test = scaler.transform(F_train), scaler.transform(F_test)
    rng = numpy_rng(seed)
    acc = np.empty((len(ks), n_draws))
    for i, k in enumerate(ks):
        for j in range(n_draws):
            idx = draw_labelled(y_train, k, seed=rng)
            clf = LogisticRegression(C=C, max_iter=2000).fit(F_train[idx], y_train[idx])
            acc[i, j] = clf.score(F_test, y_test)
    return acc if isinstance(per_class, Sequence) else acc[0]
