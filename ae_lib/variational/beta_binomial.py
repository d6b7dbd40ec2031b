"""The beta-binomial distribution, its likelihood and its EM mixture (Definition 3.3.4).

Thesis items: Definition 3.3.4 (:obj:`~ae_lib.BetaBinomial`).

The beta-binomial distribution: a grey level as a count of inked cells (Definition 3.3.4).

The digits of :func:`~ae_lib.load_digits` were made by counting the black cells of a 32 × 32
bitmap in each 4 × 4 block :cite:p:`alpaydin1998optdigits`, so a pixel is a count out of
N = 16.  A binomial count treats the 16 cells as independent coins and is far too narrow;
the beta-binomial draws the coin's bias from a Beta(α, β) first, which lets a block be
all-white or all-black more often than a binomial allows (overdispersion):

    P(x) = C(N, x) B(x + α, N − x + β) / B(α, β),    x ∈ {0, …, N},

with B the Beta function.  ``torch.distributions`` has no beta-binomial; this one is tested
against ``scipy.stats.betabinom``.

The M-step of :class:`~ae_lib.BetaBinomialMixture`: beta-binomial (Pólya) parameters from level counts.

Private: the numerics behind the mixture's generalised EM (its docstring states the
method): log BB(l; N, a, b) for all levels at once, and one ascent step for (a, b) that
takes the better of Minka's fixed point :cite:p:`minka2000estimating` and a Newton step
in (log a, log b).  Everything is vectorised over the components k and the pixels j.

A mixture of beta-binomials fitted by generalised EM: the classical baseline for grey levels as counts.

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

import math
from typing import ClassVar

import numpy as np
import torch
from scipy.special import gammaln, logsumexp
from torch import distributions as td

from ..core import checks as check
from ..core.checks import as_finite_array, nonneg_float, positive_int
from ..core.seeds import Seed, forked_global_rng, numpy_rng, seed_ints, torch_gen
from .likelihoods import N_LEVELS, CategoricalLikelihood

__all__ = ["BetaBinomial", "BetaBinomialLikelihood", "BetaBinomialMixture"]

_EPS = 1e-4  # floor of the likelihood's α, β: keeps log B(α, β) finite


def _log_beta(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b)


class BetaBinomial(td.Distribution):
    """Beta-binomial distribution on {0, …, N} (Definition 3.3.4).

    Parameters
    ----------
    total_count : int
        N ≥ 1, the number of cells (16 for the digits).
    concentration1, concentration0 : torch.Tensor
        α > 0 and β > 0 of the Beta prior on the cell probability, broadcastable; the batch
        shape is their broadcast shape.  The mean is N α / (α + β); as α + β → ∞ with the
        mean fixed it becomes Binomial(N, α / (α + β)).
    validate_args : bool, optional
        Passed to ``torch.distributions.Distribution`` (checks the support in ``log_prob``);
        ``False`` also skips the check that α and β are finite and > 0 (for the decoder's
        inner loop, whose parameters the training loop checks itself).
    """

    arg_constraints: ClassVar[dict] = {
        "concentration1": td.constraints.positive,
        "concentration0": td.constraints.positive,
    }
    has_rsample = False

    def __init__(
        self,
        total_count: int,
        concentration1: torch.Tensor,
        concentration0: torch.Tensor,
        validate_args: bool | None = None,
    ) -> None:
        self.total_count = check.positive_int("total_count", total_count)
        if validate_args is not False:
            for name, c in (("concentration1", concentration1), ("concentration0", concentration0)):
                c = torch.as_tensor(check.as_finite_array(name, c, finite=False))
                if not bool((torch.isfinite(c) & (c > 0)).all()):
                    raise ValueError(f"{name} must be finite and > 0")
        self.concentration1, self.concentration0 = torch.broadcast_tensors(
            torch.as_tensor(concentration1), torch.as_tensor(concentration0)
        )
        super().__init__(self.concentration1.shape, validate_args=validate_args)

    @property
    def support(self) -> td.constraints.Constraint:
        return td.constraints.integer_interval(0, self.total_count)

    @property
    def mean(self) -> torch.Tensor:
        """N α / (α + β)."""
        a, b = self.concentration1, self.concentration0
        return self.total_count * a / (a + b)

    @property
    def variance(self) -> torch.Tensor:
        """N α β (α + β + N) / ((α + β)² (α + β + 1))."""
        a, b, n = self.concentration1, self.concentration0, self.total_count
        s = a + b
        return n * a * b * (s + n) / (s**2 * (s + 1))

    def log_prob(self, value: torch.Tensor) -> torch.Tensor:
        """log P(x), elementwise over the batch shape; x broadcasts against α and β."""
        if self._validate_args:
            self._validate_sample(value)
        n, a, b = float(self.total_count), self.concentration1, self.concentration0
        log_choose = math.lgamma(n + 1.0) - torch.lgamma(value + 1) - torch.lgamma(n - value + 1)
        return log_choose + _log_beta(value + a, n - value + b) - _log_beta(a, b)

    def sample(self, sample_shape: torch.Size | tuple[int, ...] = (), *, seed: Seed = 0) -> torch.Tensor:
        """x ~ Binomial(N, p) with p ~ Beta(α, β), shape ``(*sample_shape, *batch_shape)``.

        ``seed`` (int or generator) seeds both draws; torch's Beta and Binomial take no
        generator, so they run under torch's global generator forked and seeded from it.
        """
        (inner,) = seed_ints(torch_gen(seed), 1)
        with torch.no_grad(), forked_global_rng(inner):
            p = td.Beta(self.concentration1, self.concentration0).sample(sample_shape)
            return td.Binomial(self.total_count, probs=p).sample()


class BetaBinomialLikelihood(CategoricalLikelihood):
    """Grey levels as counts out of 16 with a beta-binomial per pixel; α, β = softplus(params) + 10⁻⁴."""

    name = "beta_binomial"
    params_per_pixel = 2

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        alpha, beta = torch.nn.functional.softplus(params).unbind(-1)
        return td.Independent(BetaBinomial(N_LEVELS - 1, alpha + _EPS, beta + _EPS, validate_args=False), 1)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        return self.distribution(params).base_dist.mean

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        return self.distribution(params).base_dist.sample(seed=seed)


_FLOOR, _CEIL = 1e-4, 1e6  # range of a, b (the floor is reached only without pseudo-counts)


def rising_sums(a: np.ndarray, N: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σ_{m<l} f(a + m) for l = 0..N and f = log, 1/x, 1/x²: each of shape (*a.shape, N + 1).

    These are log Γ(a + l) − log Γ(a), ψ(a + l) − ψ(a) and ψ′(a) − ψ′(a + l): exact finite
    sums for integer l, cheaper and more accurate for large a than the special functions.
    """
    x = a[..., None] + np.arange(N)
    zero = np.zeros((*a.shape, 1))
    log_g, psi, trigamma = (np.concatenate([zero, np.cumsum(v, -1)], -1) for v in (np.log(x), 1 / x, x**-2.0))
    return log_g, psi, trigamma


def log_pmf_table(N: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log BB(l; N, a, b) for l = 0..N: shape (*a.shape, N + 1)."""
    levels = np.arange(N + 1)
    log_choose = gammaln(N + 1) - gammaln(levels + 1) - gammaln(N - levels + 1)
    la, lb, ls = rising_sums(a, N)[0], rising_sums(b, N)[0], rising_sums(a + b, N)[0]
    return log_choose + la + lb[..., ::-1] - ls[..., -1:]


def m_update(counts: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One ascent step for (a, b) of every (k, j), given level counts of shape (K, D, N + 1).

    Two proposals: Minka's fixed point (a minorise–maximise step, never lower) and Newton's
    step in (log a, log b); each (k, j) keeps the better of the two.
    """
    N = counts.shape[-1] - 1
    W = counts.sum(-1)
    _, d1a, d2a = rising_sums(a, N)
    _, d1b, d2b = rising_sums(b, N)
    _, d1s, d2s = rising_sums(a + b, N)
    rev = counts[..., ::-1]  # counts of N − l: b plays a's part for the complementary count
    num_a, num_b, den = (counts * d1a).sum(-1), (rev * d1b).sum(-1), W * d1s[..., -1]
    live = den > 0  # a component without weight keeps its parameters
    safe = np.where(live, den, 1.0)
    a1 = np.where(live, np.clip(a * num_a / safe, _FLOOR, _CEIL), a)
    b1 = np.where(live, np.clip(b * num_b / safe, _FLOOR, _CEIL), b)
    # Newton in u = log a, v = log b (the objective is far closer to quadratic there).
    gu, gv = a * (num_a - den), b * (num_b - den)
    th = W * d2s[..., -1]  # −∂²/∂a∂b of the normaliser term
    huu = a * a * (th - (counts * d2a).sum(-1)) + gu
    hvv = b * b * (th - (rev * d2b).sum(-1)) + gv
    huv = a * b * th
    det = huu * hvv - huv**2
    ok = live & (huu < 0) & (det > 0)
    det = np.where(ok, det, 1.0)
    du = np.clip((hvv * gu - huv * gv) / det, -3, 3)
    dv = np.clip((huu * gv - huv * gu) / det, -3, 3)
    a2, b2 = np.clip(a * np.exp(-du), _FLOOR, _CEIL), np.clip(b * np.exp(-dv), _FLOOR, _CEIL)
    f1 = (counts * log_pmf_table(N, a1, b1)).sum(-1)
    f2 = (counts * log_pmf_table(N, a2, b2)).sum(-1)
    newton = ok & (f2 > f1)
    return np.where(newton, a2, a1), np.where(newton, b2, b1)


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
