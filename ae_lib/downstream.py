"""Applications II: judging samples with a classifier, and learning from few labels (Chapter 4).

Model-agnostic tools for Sections 4.3 and 4.4: a classifier's verdict on generated
digits (confidence, spread of predicted classes, an "inception-style" score, with a
bootstrap standard error over the images), and logistic regression trained on ``k`` labels
per class on any features.
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
from .uncertainty import Estimate

__all__ = [
    "SampleScore",
    "classifier_sample_score",
    "draw_labelled",
    "few_label_accuracy",
    "inception_score_se",
]


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
    P = _probabilities(classifier, X)
    marginal = P.mean(axis=0)
    h_marginal = float(_entropy(marginal))
    h_cond = float(_entropy(P, axis=1).mean())
    counts = np.bincount(P.argmax(axis=1), minlength=P.shape[1])
    return SampleScore(float(P.max(axis=1).mean()), h_marginal, float(np.exp(h_marginal - h_cond)), counts)


def _probabilities(classifier: Any, X: Any, name: str = "X") -> np.ndarray:
    if not callable(getattr(classifier, "predict_proba", None)):
        raise TypeError("classifier must have a predict_proba method (a fitted scikit-learn classifier)")
    X = check.data_matrix(
        name, X, getattr(classifier, "n_features_in_", None), "the classifier's n_features_in_"
    )
    return as_finite_array(f"classifier.predict_proba({name})", classifier.predict_proba(X), ndim=2)


def inception_score_se(
    classifier: Any, X: np.ndarray, X_paired: np.ndarray | None = None, *, n_boot: int = 1000, seed: Seed = 0
) -> Estimate:
    """The inception-style score of ``X`` with a bootstrap standard error over its images.

    The rows of ``X`` are resampled with replacement ``n_boot`` times and the score of
    :func:`classifier_sample_score` is recomputed on each resample; the SE is the standard
    deviation of those scores.  With ``X_paired`` (the same items in another form, row by
    row: binarised images, or decoder samples of the same codes) the estimate is
    IS(X) − IS(X_paired), both scored on the same resampled rows: a paired bootstrap.

    Parameters
    ----------
    classifier : fitted scikit-learn classifier with ``predict_proba``
    X : array, shape (n, d)
        n ≥ 2 samples.
    X_paired : array, shape (n, d), optional
    n_boot : int
        Number of resamples, ≥ 2.
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the resampling.

    Returns
    -------
    Estimate
        The score on all of ``X`` (or the difference), its bootstrap SE, and n.
    """
    P = [_probabilities(classifier, X)]
    if X_paired is not None:
        P.append(_probabilities(classifier, X_paired, "X_paired"))
        if P[1].shape != P[0].shape:
            raise ValueError(f"X_paired must have the {len(P[0])} rows of X, got {len(P[1])}")
    n, n_boot = len(P[0]), positive_int("n_boot", n_boot, minimum=2)
    if n < 2:
        raise ValueError(f"X needs at least 2 rows for a standard error, got {n}")
    # Resampling with replacement = multinomial counts of each row; weights w sum to 1 per resample.
    w = np.vstack([np.full(n, 1.0 / n), numpy_rng(seed).multinomial(n, np.full(n, 1.0 / n), n_boot) / n])
    log_is = [_entropy(w @ p) - w @ _entropy(p) for p in P]  # (1 + n_boot,): all rows, then resamples
    scores = np.exp(log_is[0]) - (np.exp(log_is[1]) if len(P) > 1 else 0.0)
    return Estimate(float(scores[0]), float(scores[1:].std(ddof=1)), n)


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
