"""Mixtures of categoricals and of Bernoullis fitted by EM: the classical density baselines.

Definition 3.3.1 (:class:`CategoricalMixture`), Example 3.3.2 (:class:`BernoulliMixture`)
and Theorem 3.3.3 (:func:`em_step`, the EM ascent property :cite:p:`dempster1977maximum`).
A pixel x_j ∈ {0, …, L−1}; component k draws the D pixels independently:

    p(x) = Σ_k π_k Π_j ρ_{k,j,x_j}.

EM maximises the log-likelihood plus the log of a symmetric Dirichlet prior with
pseudo-count ``alpha`` on each ρ_{k,j,·} (MAP-EM); ``alpha = 0`` is plain maximum likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from ._checks import as_finite_array, positive_int

__all__ = ["em_step", "CategoricalMixture", "BernoulliMixture"]


def _one_hot(X: np.ndarray, n_levels: int) -> np.ndarray:
    return (X[..., None] == np.arange(n_levels)).astype(float)  # (n, D, L)


def _component_log_probs(X: np.ndarray, log_rho: np.ndarray) -> np.ndarray:
    """log Π_j ρ_{k,j,x_j} for integer X of shape (n, D): shape (n, K)."""
    return log_rho[:, np.arange(X.shape[1])[None, :], X].sum(-1).T


def em_step(X: np.ndarray, weights: np.ndarray, rho: np.ndarray, alpha: float = 0.0
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
        self.n_levels = positive_int("n_levels", n_levels)
        if self.n_levels < 2:
            raise ValueError(f"n_levels must be >= 2, got {n_levels}")
        if not alpha >= 0:
            raise ValueError(f"alpha must be >= 0, got {alpha}")
        self.alpha = float(alpha)

    def _check(self, X) -> np.ndarray:
        X = as_finite_array("X", X, ndim=2)
        if not np.all((X == np.round(X)) & (X >= 0) & (X < self.n_levels)):
            raise ValueError(f"X must hold integers in 0..{self.n_levels - 1}")
        return X.astype(np.int64)

    def fit(self, X: np.ndarray, *, max_iter: int = 100, tol: float = 1e-6, seed: int = 0) -> "CategoricalMixture":
        """Fit by EM from random responsibilities; stop when the mean log-likelihood gains < ``tol``.

        Parameters
        ----------
        X : numpy.ndarray, shape (n, D)
            Integers in 0..L−1.
        max_iter : int
        tol : float
        seed : int
            Seeds the initial responsibilities.
        """
        X = self._check(X)
        onehot = _one_hot(X, self.n_levels)
        rng = np.random.default_rng(seed)
        resp = rng.dirichlet(np.ones(self.n_components), size=X.shape[0])
        counts = np.einsum("nk,ndl->kdl", resp, onehot) + max(self.alpha, 1e-3)
        self.weights_ = resp.mean(0)
        self.rho_ = counts / counts.sum(-1, keepdims=True)
        self.log_likelihood_: list[float] = []
        for _ in range(positive_int("max_iter", max_iter)):
            self.weights_, self.rho_, ll = em_step(X, self.weights_, self.rho_, self.alpha)
            self.log_likelihood_.append(ll)
            if len(self.log_likelihood_) > 1 and ll - self.log_likelihood_[-2] < tol * X.shape[0]:
                break
        self.log_likelihood_.append(float(self.log_prob(X).sum()))
        return self

    def log_prob(self, X: np.ndarray) -> np.ndarray:
        """log p(x_i) in nats for each row of X, shape (n,)."""
        X = self._check(X)
        with np.errstate(divide="ignore"):
            return logsumexp(np.log(self.weights_) + _component_log_probs(X, np.log(self.rho_)), axis=1)

    def nll(self, X: np.ndarray) -> float:
        """Mean negative log-likelihood in nats per image."""
        return -float(self.log_prob(X).mean())

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n draws x ~ p(x), shape (n, D), integers."""
        k = rng.choice(self.n_components, size=positive_int("n", n), p=self.weights_)
        cdf = np.cumsum(self.rho_[k], axis=-1)  # (n, D, L)
        u = rng.random(cdf.shape[:2])[..., None]
        return np.minimum((u > cdf).sum(-1), self.n_levels - 1)

    def means(self) -> np.ndarray:
        """E[x | component k], shape (K, D)."""
        return self.rho_ @ np.arange(self.n_levels)


class BernoulliMixture(CategoricalMixture):
    """A mixture of K products of D Bernoulli distributions (Example 3.3.2).

    The case L = 2 of :class:`CategoricalMixture`; ``means()`` are the pixel probabilities
    of each component :cite:p:`bishop2006pattern`.
    """

    def __init__(self, n_components: int, alpha: float = 0.1) -> None:
        super().__init__(n_components, n_levels=2, alpha=alpha)

    def _check(self, X) -> np.ndarray:
        X = as_finite_array("X", X, ndim=2)
        if not np.all((X == 0) | (X == 1)):
            raise ValueError("X must be binary (0 or 1) for a Bernoulli mixture")
        return X.astype(np.int64)
