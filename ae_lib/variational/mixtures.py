"""Mixtures of categoricals and of Bernoullis fitted by EM: the classical density baselines.

Thesis items: Definition 3.3.1 (:obj:`~ae_lib.CategoricalMixture`); Example 3.3.2
(:obj:`~ae_lib.BernoulliMixture`); Theorem 3.3.3 (:obj:`~ae_lib.em_step`).

Definition 3.3.1 (:class:`CategoricalMixture`), Example 3.3.2 (:class:`BernoulliMixture`)
and Theorem 3.3.3 (:func:`em_step`, the EM ascent property :cite:p:`dempster1977maximum`).
A pixel x_j ∈ {0, …, L−1}; component k draws the D pixels independently:

    p(x) = Σ_k π_k Π_j ρ_{k,j,x_j}.

EM maximises the log-likelihood plus the log of a symmetric Dirichlet prior with
pseudo-count ``alpha`` on each ρ_{k,j,·} (MAP-EM); ``alpha = 0`` is plain maximum likelihood.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import logsumexp

from ..core import checks as check
from ..core.checks import as_finite_array, positive_int
from ..core.seeds import Seed, numpy_rng

__all__ = ["BernoulliMixture", "CategoricalMixture", "em_step"]


def _one_hot(X: np.ndarray, n_levels: int) -> np.ndarray:
    return (X[..., None] == np.arange(n_levels)).astype(float)  # (n, D, L)


def _component_log_probs(X: np.ndarray, log_rho: np.ndarray) -> np.ndarray:
    """log Π_j ρ_{k,j,x_j} for integer X of shape (n, D): shape (n, K)."""
    return log_rho[:, np.arange(X.shape[1])[None, :], X].sum(-1).T


def em_step(
    X: np.ndarray, weights: np.ndarray, rho: np.ndarray, alpha: float = 0.0
) -> tuple[np.ndarray, np.ndarray, float]:
    """One EM iteration for a mixture of categoricals (Theorem 3.3.3).

    E-step: responsibilities r_{ik} = p(k | x_i); M-step: π_k = mean_i r_{ik},
    ρ_{k,j,l} = (Σ_i r_{ik} [x_{ij} = l] + α) / (Σ_i r_{ik} + L α).  The penalised
    log-likelihood never decreases from one step to the next.

    Parameters
    ----------
    X : numpy.ndarray, shape (n, D)
        Integers in 0..L−1.
    weights : numpy.ndarray, shape (K,)
    rho : numpy.ndarray, shape (K, D, L)
    alpha : float

    Returns
    -------
    weights, rho : numpy.ndarray
        The updated parameters.
    log_likelihood : float
        Σ_i log p(x_i) under the parameters *passed in* (before the update).
    """
    rho = as_finite_array("rho", rho, ndim=3)
    K, D, L = rho.shape
    if np.any(rho < 0) or not np.allclose(rho.sum(-1), 1.0):
        raise ValueError("rho must hold a probability vector over the L levels for each (k, j)")
    weights = check.probability_vector("weights", weights)
    if weights.size != K:
        raise ValueError(f"weights must have K = {K} entries (rho.shape[0]), got {weights.size}")
    X = check.data_matrix("X", X, D, "rho.shape[1]")
    check.integer_levels("X", X, L)
    X = X.astype(np.int64)
    alpha = check.nonneg_float("alpha", alpha)
    return _em_step(X, weights, rho, alpha)


def _em_step(
    X: np.ndarray, weights: np.ndarray, rho: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray, float]:
    with np.errstate(divide="ignore"):
        log_joint = np.log(weights) + _component_log_probs(X, np.log(rho))
    log_px = logsumexp(log_joint, axis=1)
    resp = np.exp(log_joint - log_px[:, None])
    nk = resp.sum(0)
    counts = np.einsum("nk,ndl->kdl", resp, _one_hot(X, rho.shape[-1])) + alpha
    new_rho = counts / counts.sum(-1, keepdims=True)
    return nk / nk.sum(), new_rho, float(log_px.sum())


class CategoricalMixture:
    """A mixture of K products of D categorical distributions over L levels (Definition 3.3.1).

    With K = 1 it is the independent model (each pixel its own categorical).

    Parameters
    ----------
    n_components : int
        K ≥ 1.
    n_levels : int
        L ≥ 2 (17 for the digits' grey levels).
    alpha : float
        Dirichlet pseudo-count (smoothing, keeps test likelihoods finite); 0 for plain ML.

    Attributes
    ----------
    weights_ : numpy.ndarray, shape (K,)
    rho_ : numpy.ndarray, shape (K, D, L)
    log_likelihood_ : list of float
        Training log-likelihood Σ_i log p(x_i) before each EM step, then after the last.
    """

    def __init__(self, n_components: int, n_levels: int = 17, alpha: float = 0.1) -> None:
        self.n_components = positive_int("n_components", n_components)
        self.n_levels = positive_int("n_levels", n_levels, minimum=2)
        self.alpha = check.nonneg_float("alpha", alpha)

    def _check(self, X: Any) -> np.ndarray:
        """X as int64 levels of shape (n, D), D the fitted width once fitted; errors name X."""
        width = self.rho_.shape[1] if hasattr(self, "rho_") else None
        X = check.data_matrix("X", X, width, "the width the mixture was fitted on")
        check.integer_levels("X", X, self.n_levels)
        return X.astype(np.int64)

    def _fitted(self) -> None:
        if not hasattr(self, "rho_"):
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit(X) first")

    def fit(
        self, X: np.ndarray, *, max_iter: int = 100, tol: float = 1e-6, seed: Seed = 0
    ) -> CategoricalMixture:
        """Fit by EM from random responsibilities; stop when the mean log-likelihood gains < ``tol``.

        Parameters
        ----------
        X : numpy.ndarray, shape (n, D)
            Integers in 0..L−1.
        max_iter : int
        tol : float
            ≥ 0.
        seed : int, numpy.random.Generator or torch.Generator
            Seeds the initial responsibilities.

        Returns
        -------
        CategoricalMixture
            ``self``, fitted.
        """
        for attr in ("rho_", "weights_"):
            self.__dict__.pop(attr, None)  # a refit may change the width
        X = self._check(X)
        max_iter, tol = positive_int("max_iter", max_iter), check.nonneg_float("tol", tol)
        onehot = _one_hot(X, self.n_levels)
        rng = numpy_rng(seed)
        resp = rng.dirichlet(np.ones(self.n_components), size=X.shape[0])
        counts = np.einsum("nk,ndl->kdl", resp, onehot) + max(self.alpha, 1e-3)
        self.weights_ = resp.mean(0)
        self.rho_ = counts / counts.sum(-1, keepdims=True)
        self.log_likelihood_: list[float] = []
        for _ in range(max_iter):
            self.weights_, self.rho_, ll = _em_step(X, self.weights_, self.rho_, self.alpha)
            self.log_likelihood_.append(ll)
            if len(self.log_likelihood_) > 1 and ll - self.log_likelihood_[-2] < tol * X.shape[0]:
                break
        self.log_likelihood_.append(float(self.log_prob(X).sum()))
        return self

    def log_prob(self, X: np.ndarray) -> np.ndarray:
        """log p(x_i) in nats for each row of X (shape (n, D)), shape (n,)."""
        self._fitted()
        X = self._check(X)
        with np.errstate(divide="ignore"):
            return logsumexp(np.log(self.weights_) + _component_log_probs(X, np.log(self.rho_)), axis=1)

    def nll(self, X: np.ndarray) -> float:
        """Mean negative log-likelihood in nats per image of X, shape (n, D)."""
        return -float(self.log_prob(X).mean())

    def sample(self, n: int, *, seed: Seed = 0) -> np.ndarray:
        """n draws x ~ p(x), shape (n, D), integer levels (as int64)."""
        self._fitted()
        n, rng = positive_int("n", n), numpy_rng(seed)
        k = rng.choice(self.n_components, size=n, p=self.weights_)
        cdf = np.cumsum(self.rho_[k], axis=-1)  # (n, D, L)
        u = rng.random(cdf.shape[:2])[..., None]
        return np.minimum((u > cdf).sum(-1), self.n_levels - 1)

    def means(self) -> np.ndarray:
        """E[x | component k], shape (K, D)."""
        self._fitted()
        return self.rho_ @ np.arange(self.n_levels)


class BernoulliMixture(CategoricalMixture):
    """A mixture of K products of D Bernoulli distributions (Example 3.3.2).

    The case L = 2 of :class:`CategoricalMixture`; ``means()`` are the pixel probabilities
    of each component :cite:p:`bishop2006pattern`.
    """

    def __init__(self, n_components: int, alpha: float = 0.1) -> None:
        super().__init__(n_components, n_levels=2, alpha=alpha)
