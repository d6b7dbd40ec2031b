"""Judging generated samples with a classifier: confidence, class spread, an inception-style score (Section 4.3).

Thesis items: Definition 4.3.1 (:obj:`~ae_lib.classifier_sample_score`).

Model-agnostic: any classifier with ``predict_proba`` judges any batch of digits (a VAE's
samples, a mixture's, real test digits), and :func:`inception_score_se` adds a bootstrap
standard error over the images.  :func:`sample_gaussian_mixture` draws the Gaussian mixture's
samples that the section judges, in a way that does not depend on the BLAS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..book.uncertainty import Estimate
from ..core import checks as check
from ..core.checks import as_finite_array, positive_int
from ..core.seeds import Seed, numpy_rng

__all__ = ["SampleScore", "classifier_sample_score", "inception_score_se", "sample_gaussian_mixture"]


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


def sample_gaussian_mixture(mixture: Any, n: int, *, seed: Seed = 0) -> np.ndarray:
    """Draw ``n`` samples of a fitted scikit-learn ``GaussianMixture`` with full covariances.

    Each draw picks a component k with probability ``weights_[k]`` and returns
    ``means_[k] + L_k ε`` with ``L_k`` the Cholesky factor of ``covariances_[k]`` and
    ``ε ~ N(0, I)``, all from one seeded NumPy generator.  ``GaussianMixture.sample``
    factorises each covariance with an SVD, whose result depends on the BLAS's kernels (an
    AMD machine's draws differ from an Intel one's); a Cholesky factor of the same matrix is
    the same to rounding, so these draws are too.  Unlike ``sample``, the draws are not
    grouped by component.

    Parameters
    ----------
    mixture : sklearn.mixture.GaussianMixture
        Fitted, with ``covariance_type="full"``.
    n : int
        Number of samples, >= 1.
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    numpy.ndarray, shape (n, D)
    """
    from sklearn.mixture import GaussianMixture

    check.instance("mixture", mixture, GaussianMixture)
    if not hasattr(mixture, "means_"):
        raise ValueError("mixture must be fitted (call .fit(X) first)")
    if mixture.covariance_type != "full":
        raise ValueError(f"mixture must have covariance_type='full', got {mixture.covariance_type!r}")
    n = positive_int("n", n)
    rng = numpy_rng(seed)
    component = rng.choice(len(mixture.weights_), n, p=mixture.weights_)
    factors = np.linalg.cholesky(mixture.covariances_)[component]  # (n, D, D)
    return mixture.means_[component] + np.einsum(
        "nij,nj->ni", factors, rng.standard_normal((n, mixture.means_.shape[1]))
    )
