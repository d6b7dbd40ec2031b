"""A mixture of beta-binomials fitted by generalised EM: the classical baseline for grey levels as counts.

The classical counterpart of the beta-binomial decoder (Definition 3.3.4); component k draws
the D pixels independently, each a count out of N = 16:
p(x) = Σ_k π_k Π_j BB(x_j; N, a_{kj}, b_{kj}).  It is a mixture of categoricals
(Definition 3.3.1) whose N + 1 level probabilities per pixel are tied to two numbers.

The E-step is exact.  For fixed responsibilities r_{ik} the M-step objective of (a, b) = (a_{kj},
b_{kj}) is Σ_l c_l log BB(l; N, a, b) with c_l = Σ_i r_{ik} [x_{ij} = l] + ``alpha``; it has no
closed-form maximiser.  Each EM iteration therefore takes ``m_steps`` ascent steps, vectorised
over all (k, j): Minka's fixed point for the Pólya distribution :cite:p:`minka2000estimating`,
a ← a Σ_l c_l (ψ(l + a) − ψ(a)) / (W (ψ(N + a + b) − ψ(a + b))), W = Σ_l c_l (b likewise with
the counts N − l), which maximises a lower bound touching the objective at the current
point and so never lowers it; and a Newton step in (log a, log b).  Each (k, j) keeps the
better of the two, so the step never lowers the objective either: a *generalised* EM, with
the ascent property of Theorem 3.3.3.  ``alpha`` adds ``alpha`` pseudo-observations of every
level (the log-prior α Σ_l log BB(l; N, a, b), which pulls towards BB(1, 1), the uniform
distribution): it keeps a, b away from 0, so no level gets probability 0.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from ._checks import as_finite_array, nonneg_float, positive_int
from ._polya import log_pmf_table, m_update
from ._random import Seed, numpy_rng

__all__ = ["BetaBinomialMixture"]


class BetaBinomialMixture:
    """A mixture of K products of D beta-binomials on {0, …, N}, fitted by generalised EM.

    With K = 1 it is the independent beta-binomial model (one BB per pixel).

    Parameters
    ----------
    n_components : int
        K ≥ 1.
    total_count : int
        N ≥ 1 (16 for the digits' grey levels).
    alpha : float
        Pseudo-count ≥ 0 of every level per component and pixel (see the module docstring);
        0 for plain maximum likelihood.
    m_steps : int
        Ascent steps of (a, b) per EM iteration (≥ 1), see the module docstring.

    Attributes
    ----------
    weights_ : numpy.ndarray, shape (K,)
    concentration1_, concentration0_ : numpy.ndarray, shape (K, D)
        a_{kj} and b_{kj}.
    log_likelihood_ : list of float
        Training log-likelihood Σ_i log p(x_i) before each EM iteration, then after the last.
    objective_ : list of float
        The same plus the pseudo-count term: the quantity EM never lowers.
    """

    def __init__(
        self, n_components: int, total_count: int = 16, alpha: float = 0.1, m_steps: int = 1
    ) -> None:
        self.n_components = positive_int("n_components", n_components)
        self.total_count = positive_int("total_count", total_count)
        self.alpha = nonneg_float("alpha", alpha)
        self.m_steps = positive_int("m_steps", m_steps)
        self.weights_: np.ndarray
        self.concentration1_: np.ndarray
        self.concentration0_: np.ndarray

    def _check(self, X, name: str = "X") -> np.ndarray:
        X = as_finite_array(name, X, ndim=2)
        if not np.all((X == np.round(X)) & (X >= 0) & (X <= self.total_count)):
            raise ValueError(f"{name} must hold integers in 0..{self.total_count}")
        if hasattr(self, "weights_") and X.shape[1] != self.concentration1_.shape[1]:
            raise ValueError(f"{name} must have {self.concentration1_.shape[1]} columns, got {X.shape[1]}")
        return X.astype(np.int64)

    def _one_hot(self, X: np.ndarray) -> np.ndarray:
        return (X[..., None] == np.arange(self.total_count + 1)).reshape(X.shape[0], -1).astype(float)

    def _joint(self, onehot: np.ndarray) -> np.ndarray:
        """log π_k + log p(x_i | k), shape (n, K), from one-hot data of shape (n, D (N + 1))."""
        table = log_pmf_table(self.total_count, self.concentration1_, self.concentration0_)
        with np.errstate(divide="ignore"):
            return np.log(self.weights_) + onehot @ table.reshape(self.n_components, -1).T

    def _prior(self) -> float:
        table = log_pmf_table(self.total_count, self.concentration1_, self.concentration0_)
        return self.alpha * float(table.sum()) if self.alpha else 0.0

    def _m_step(self, resp: np.ndarray, onehot: np.ndarray, steps: int) -> None:
        K, L = self.n_components, self.total_count + 1
        counts = (resp.T @ onehot).reshape(K, -1, L) + self.alpha
        for _ in range(steps):
            self.concentration1_, self.concentration0_ = m_update(
                counts, self.concentration1_, self.concentration0_
            )
        nk = resp.sum(0)
        self.weights_ = nk / nk.sum()

    def fit(
        self, X: np.ndarray, *, max_iter: int = 200, tol: float = 1e-4, seed: Seed = 0
    ) -> BetaBinomialMixture:
        """Fit by generalised EM from random responsibilities; returns ``self``.

        Parameters
        ----------
        X : numpy.ndarray, shape (n, D)
            Integers in 0..N.
        max_iter : int
        tol : float
            Stop when the objective per image gains less than ``tol`` nats in one iteration
            (10⁻⁴: later iterations moved the validation NLL of the digits by < 0.1 nat and
            took five times as long; see results/ch3_notes.md).
        seed : int, numpy.random.Generator or torch.Generator
            Seeds the initial responsibilities.
        """
        for attr in ("weights_", "concentration1_", "concentration0_"):
            self.__dict__.pop(attr, None)
        X = self._check(X)
        max_iter = positive_int("max_iter", max_iter)
        if not tol >= 0:
            raise ValueError(f"tol must be >= 0, got {tol}")
        onehot = self._one_hot(X)
        resp = numpy_rng(seed).dirichlet(np.ones(self.n_components), size=X.shape[0])
        self.concentration1_ = np.ones((self.n_components, X.shape[1]))
        self.concentration0_ = np.ones((self.n_components, X.shape[1]))
        self._m_step(resp, onehot, steps=20)  # start: (a, b) fitted to random responsibilities
        self.log_likelihood_: list[float] = []
        self.objective_: list[float] = []
        for _ in range(max_iter):
            joint = self._joint(onehot)
            log_px = logsumexp(joint, axis=1)
            self.log_likelihood_.append(float(log_px.sum()))
            self.objective_.append(self.log_likelihood_[-1] + self._prior())
            if len(self.objective_) > 1 and self.objective_[-1] - self.objective_[-2] < tol * X.shape[0]:
                break
            self._m_step(np.exp(joint - log_px[:, None]), onehot, self.m_steps)
        else:
            self.log_likelihood_.append(float(self.log_prob(X).sum()))
            self.objective_.append(self.log_likelihood_[-1] + self._prior())
        return self

    def log_prob(self, X: np.ndarray) -> np.ndarray:
        """log p(x_i) in nats for each row of ``X`` (shape (n, D), integers 0..N): shape (n,)."""
        if not hasattr(self, "weights_"):
            raise RuntimeError("BetaBinomialMixture is not fitted: call fit(X) first")
        return logsumexp(self._joint(self._one_hot(self._check(X))), axis=1)

    def nll(self, X: np.ndarray) -> float:
        """Mean negative log-likelihood of the rows of ``X`` (shape (n, D)) in nats per image."""
        return -float(self.log_prob(X).mean())

    def sample(self, n: int, *, seed: Seed = 0) -> np.ndarray:
        """n draws x ~ p(x), shape (n, D), integers in 0..N; ``seed``: int or a NumPy/torch Generator."""
        if not hasattr(self, "weights_"):
            raise RuntimeError("BetaBinomialMixture is not fitted: call fit(X) first")
        n = positive_int("n", n)
        rng = numpy_rng(seed)
        k = rng.choice(self.n_components, size=n, p=self.weights_)
        p = rng.beta(self.concentration1_[k], self.concentration0_[k])
        return rng.binomial(self.total_count, p)

    def means(self) -> np.ndarray:
        """E[x | component k] = N a / (a + b), shape (K, D)."""
        a, b = self.concentration1_, self.concentration0_
        return self.total_count * a / (a + b)
