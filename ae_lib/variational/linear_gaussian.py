"""The linear-Gaussian model: exact log p(x), its posterior, probabilistic PCA and the linear VAE.

Thesis items: Example 3.1.2 (:obj:`~ae_lib.LinearGaussianModel`); Figure 3.1
(:obj:`~ae_lib.fit_ppca`); Figure 3.2 (:obj:`~ae_lib.fit_ppca`); Proposition 3.1.10
(:obj:`~ae_lib.fit_ppca`); Figure 3.7 (:obj:`~ae_lib.fit_linear_vae`).

The linear-Gaussian latent-variable model: an exact log p(x), its posterior and the ELBO identity.

Example 3.1.2 (:class:`LinearGaussianModel`); its two fits, closed form and by the ELBO,
are Proposition 3.1.10's (:mod:`ae_lib.variational.linear_gaussian`).  With p(z) = N(0, I_d) and p_θ(x|z) = N(Wz + b, σ² I_D)
everything is Gaussian, so log p_θ(x), the posterior p_θ(z|x), the ELBO of a Gaussian
q = N(m, S) and KL(q ‖ p_θ(z|x)) all have closed forms; this is probabilistic PCA
:cite:p:`tipping1999probabilistic`.  Computations in float64 torch tensors.

Probabilistic PCA two ways: in closed form, and as a linear VAE trained on its ELBO (Proposition 3.1.10).

:func:`fit_ppca` is Tipping and Bishop's maximum-likelihood solution
:cite:p:`tipping1999probabilistic`; :func:`fit_linear_vae` maximises the exact ELBO of a
linear encoder and the linear-Gaussian decoder (:class:`~ae_lib.LinearGaussianModel`) by
gradient steps, and reaches the same maximum.  Computations in float64 torch tensors.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import distributions as td

from ..core import checks as check
from ..core.checks import diverged, positive_float, positive_int
from ..core.seeds import Seed, torch_gen

__all__ = ["LinearGaussianModel", "fit_linear_vae", "fit_ppca"]


def _t(name: str, x: Any, ndim: int | None = None) -> torch.Tensor:
    return check.as_tensor(name, x, torch.float64, ndim=ndim)


class LinearGaussianModel:
    """p(z) = N(0, I_d), p_θ(x|z) = N(Wz + b, σ² I_D), θ = (W, b, σ²) (Example 3.1.2).

    Parameters
    ----------
    W : array_like, shape (D, d)
    b : array_like, shape (D,)
    sigma2 : float or 0-d tensor
        Noise variance σ² > 0.
    """

    def __init__(self, W: Any, b: Any, sigma2: Any) -> None:
        self.W, self.b = _t("W", W, ndim=2), _t("b", b, ndim=1)
        if self.b.shape != (self.W.shape[0],):
            raise ValueError(
                f"b must have shape (D,) = ({self.W.shape[0]},) for W of shape "
                f"{tuple(self.W.shape)}, got {tuple(self.b.shape)}"
            )
        self.sigma2 = torch.as_tensor(positive_float("sigma2", sigma2), dtype=torch.float64)

    @property
    def dims(self) -> tuple[int, int]:
        """(D, d)."""
        D, d = self.W.shape
        return D, d

    def _X(self, X: Any, name: str = "X") -> torch.Tensor:
        X = _t(name, X, ndim=2)
        if X.shape[1] != self.dims[0]:
            raise ValueError(
                f"{name} must have D = {self.dims[0]} columns (W has shape {tuple(self.W.shape)}), "
                f"got shape {tuple(X.shape)}"
            )
        return X

    def log_marginal(self, X: Any) -> torch.Tensor:
        """Exact log p_θ(x) = log N(x; b, WWᵀ + σ² I) for each row of X (shape (n, D)), shape (n,)."""
        D = self.dims[0]
        cov = self.W @ self.W.T + self.sigma2 * torch.eye(D, dtype=torch.float64)
        return td.MultivariateNormal(self.b, covariance_matrix=cov).log_prob(self._X(X))

    def posterior(self, X: Any) -> tuple[torch.Tensor, torch.Tensor]:
        """p_θ(z|x) = N(M⁻¹Wᵀ(x − b), σ² M⁻¹) with M = WᵀW + σ² I: means (n, d) and covariance (d, d)."""
        return self._posterior(self._X(X))

    def _posterior(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        d = self.dims[1]
        M = self.W.T @ self.W + self.sigma2 * torch.eye(d, dtype=torch.float64)
        Minv = torch.linalg.inv(M)
        return (X - self.b) @ self.W @ Minv.T, self.sigma2 * Minv

    def _q(self, X: Any, m: Any, S: Any) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """X (n, D), m (n, d) and a symmetric positive definite S (d, d) or (n, d, d), checked."""
        X, (_, d) = self._X(X), self.dims
        m = _t("m", m, ndim=2)
        if m.shape != (X.shape[0], d):
            raise ValueError(f"m must have shape (n, d) = ({X.shape[0]}, {d}), got {tuple(m.shape)}")
        S = _t("S", S)
        if S.shape not in ((d, d), (X.shape[0], d, d)):
            raise ValueError(
                f"S must have shape ({d}, {d}) or ({X.shape[0]}, {d}, {d}), got {tuple(S.shape)}"
            )
        if not torch.allclose(S, S.transpose(-1, -2)) or torch.linalg.cholesky_ex(S).info.any():
            raise ValueError("S must be a symmetric positive definite covariance (Cholesky failed)")
        return X, m, S

    def elbo(self, X: Any, m: Any, S: Any) -> torch.Tensor:
        """ELBO(q) = E_q[log p_θ(x|z)] − KL(q ‖ p(z)) for q = N(m, S), in closed form, shape (n,).

        Parameters
        ----------
        X : array_like, shape (n, D)
        m : array_like, shape (n, d)
            Means of q, one per row of X.
        S : array_like, shape (d, d) or (n, d, d)
            Covariance of q (shared or per row), symmetric positive definite.

        Returns
        -------
        torch.Tensor, shape (n,)
        """
        X, m, S = self._q(X, m, S)
        return closed_form_elbo(self.W, self.b, self.sigma2, X, m, S)

    def kl_to_posterior(self, X: Any, m: Any, S: Any) -> torch.Tensor:
        """KL(N(m, S) ‖ p_θ(z|x)) for each row of X (shape (n, D)), shape (n,); m, S as in :meth:`elbo`."""
        X, m, S = self._q(X, m, S)
        mean, cov = self._posterior(X)
        S = S.expand(mean.shape[0], *cov.shape)
        q = td.MultivariateNormal(m, covariance_matrix=S)
        return td.kl_divergence(q, td.MultivariateNormal(mean, covariance_matrix=cov))


def closed_form_elbo(
    W: torch.Tensor, b: torch.Tensor, sigma2: torch.Tensor, X: torch.Tensor, m: torch.Tensor, S: torch.Tensor
) -> torch.Tensor:
    """:meth:`LinearGaussianModel.elbo` without the checks, shape (n,); differentiable in every argument.

    W (D, d), b (D,), σ² (0-d), X (n, D), m (n, d), S (d, d) or (n, d, d).
    """
    D, d = W.shape
    resid = X - b - m @ W.T
    trace = torch.einsum("ij,...ji->...", W.T @ W, S)
    rec = -0.5 * D * torch.log(2 * math.pi * sigma2) - (resid.pow(2).sum(-1) + trace) / (2 * sigma2)
    tr_s = torch.diagonal(S, dim1=-2, dim2=-1).sum(-1)
    kl = 0.5 * (tr_s + m.pow(2).sum(-1) - d - torch.logdet(S))
    return rec - kl


def fit_ppca(X: Any, latent_dim: int) -> LinearGaussianModel:
    """The maximum-likelihood linear-Gaussian model of X (Proposition 3.1.10).

    Tipping and Bishop's closed form: b = mean of X; with the eigenvalues λ₁ ≥ … ≥ λ_D and
    eigenvectors U of the sample covariance (1/n normalised), σ² = mean(λ_{d+1}, …, λ_D) and
    W = U_d (Λ_d − σ² I)^{1/2}.

    Parameters
    ----------
    X : array_like, shape (n, D)
        n ≥ 2.
    latent_dim : int
        d, 1 ≤ d < D.

    Returns
    -------
    LinearGaussianModel
    """
    X = check.data_matrix("X", X, min_rows=2)
    d = positive_int("latent_dim", latent_dim)
    if d >= X.shape[1]:
        raise ValueError(f"latent_dim must be < D = {X.shape[1]} (the width of X), got {d}")
    X = torch.as_tensor(X, dtype=torch.float64)
    b = X.mean(0)
    evals, evecs = torch.linalg.eigh(torch.cov((X - b).T, correction=0))
    evals, evecs = evals.flip(0), evecs.flip(1)
    sigma2 = evals[d:].mean()
    if not sigma2 > 1e-12:
        raise ValueError(
            f"X has no variance outside its top latent_dim = {d} principal directions; "
            f"choose a smaller latent_dim"
        )
    W = evecs[:, :d] * torch.sqrt(torch.clamp(evals[:d] - sigma2, min=0.0))
    return LinearGaussianModel(W, b, sigma2)


def fit_linear_vae(
    X: Any, latent_dim: int, *, steps: int = 2000, lr: float = 0.02, seed: Seed = 0
) -> tuple[LinearGaussianModel, list[float]]:
    """Maximise the mean ELBO of a linear VAE by full-batch Adam.

    Its maximum is the PPCA maximum likelihood (Proposition 3.1.10).  Decoder: the
    linear-Gaussian model θ = (W, b, σ²); encoder: q_φ(z|x) = N(A(x − c), diag e^s),
    φ = (A, c, s).  The ELBO is exact (no sampling), so the optimum can be compared with
    :func:`fit_ppca`.

    Parameters
    ----------
    X : array_like, shape (n, D)
        n ≥ 2, not constant.
    latent_dim : int
        d ≥ 1.
    steps : int
    lr : float
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the initial W and A.

    Returns
    -------
    model : LinearGaussianModel
        The fitted decoder.
    history : list of float
        Mean ELBO per image every 10 steps.
    """
    X = torch.as_tensor(check.data_matrix("X", X, min_rows=2), dtype=torch.float64)
    D = X.shape[1]
    d = positive_int("latent_dim", latent_dim)
    if not X.var(0).mean() > 0:
        raise ValueError("X must not be constant (its variance starts σ²)")
    steps, lr = positive_int("steps", steps), positive_float("lr", lr)
    gen = torch_gen(seed)
    W = (0.1 * torch.randn(D, d, generator=gen, dtype=torch.float64)).requires_grad_()
    A = (0.1 * torch.randn(d, D, generator=gen, dtype=torch.float64)).requires_grad_()
    b, c = X.mean(0).clone().requires_grad_(), X.mean(0).clone().requires_grad_()
    s = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    log_s2 = torch.log(X.var(0).mean()).clone().requires_grad_()
    opt = torch.optim.Adam([W, A, b, c, s, log_s2], lr=lr)
    history = []
    for step in range(steps):
        loss = -closed_form_elbo(W, b, log_s2.exp(), X, (X - c) @ A.T, torch.diag(s.exp())).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0:
            history.append(-loss.item())
    if not (torch.isfinite(W).all() and torch.isfinite(log_s2)):
        raise diverged("the linear VAE's parameters became NaN or infinite", steps, None, lr)
    return LinearGaussianModel(W.detach(), b.detach(), log_s2.exp().detach()), history
