"""The linear-Gaussian latent-variable model: an exact log p(x), the ELBO identity, and PPCA.

Example 3.1.2 (:class:`LinearGaussianModel`) and Proposition 3.1.10 (:func:`fit_ppca`,
:func:`fit_linear_vae`).  With p(z) = N(0, I_d) and p_θ(x|z) = N(Wz + b, σ² I_D)
everything is Gaussian, so log p_θ(x), the posterior p_θ(z|x), the ELBO of a Gaussian
q = N(m, S) and KL(q ‖ p_θ(z|x)) all have closed forms; this is probabilistic PCA
:cite:p:`tipping1999probabilistic`.  Computations in float64 torch tensors.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import distributions as td

from ._checks import positive_float, positive_int

__all__ = ["LinearGaussianModel", "fit_ppca", "fit_linear_vae"]


def _t(x) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x, dtype=torch.float64)


class LinearGaussianModel:
    """p(z) = N(0, I_d), p_θ(x|z) = N(Wz + b, σ² I_D), θ = (W, b, σ²) (Example 3.1.2).

    Parameters
    ----------
    W : array_like, shape (D, d)
    b : array_like, shape (D,)
    sigma2 : float or 0-d tensor
        Noise variance σ² > 0.
    """

    def __init__(self, W, b, sigma2) -> None:
        self.W, self.b, self.sigma2 = _t(W), _t(b), _t(sigma2)
        if self.W.ndim != 2 or self.b.shape != (self.W.shape[0],):
            raise ValueError(f"W must have shape (D, d) and b shape (D,), got {tuple(self.W.shape)}, "
                             f"{tuple(self.b.shape)}")
        if not self.sigma2 > 0:
            raise ValueError(f"sigma2 must be > 0, got {float(self.sigma2)}")

    @property
    def dims(self) -> tuple[int, int]:
        """(D, d)."""
        return tuple(self.W.shape)

    def log_marginal(self, X) -> torch.Tensor:
        """Exact log p_θ(x) = log N(x; b, WWᵀ + σ² I) for each row of X, shape (n,)."""
        D = self.dims[0]
        cov = self.W @ self.W.T + self.sigma2 * torch.eye(D, dtype=torch.float64)
        return td.MultivariateNormal(self.b, covariance_matrix=cov).log_prob(_t(X))

    def posterior(self, X) -> tuple[torch.Tensor, torch.Tensor]:
        """p_θ(z|x) = N(M⁻¹Wᵀ(x − b), σ² M⁻¹) with M = WᵀW + σ² I: means (n, d) and covariance (d, d)."""
        d = self.dims[1]
        M = self.W.T @ self.W + self.sigma2 * torch.eye(d, dtype=torch.float64)
        Minv = torch.linalg.inv(M)
        return (_t(X) - self.b) @ self.W @ Minv.T, self.sigma2 * Minv

    def elbo(self, X, m, S) -> torch.Tensor:
        """ELBO(q) = E_q[log p_θ(x|z)] − KL(q ‖ p(z)) for q = N(m, S), in closed form, shape (n,).

        Parameters
        ----------
        X : array_like, shape (n, D)
        m : array_like, shape (n, d)
            Means of q, one per row of X.
        S : array_like, shape (d, d) or (n, d, d)
            Covariance of q (shared or per row).
        """
        X, m, S = _t(X), _t(m), _t(S)
        D, d = self.dims
        resid = X - self.b - m @ self.W.T
        trace = torch.einsum("ij,...ji->...", self.W.T @ self.W, S)
        rec = -0.5 * D * torch.log(2 * math.pi * self.sigma2) - (resid.pow(2).sum(-1) + trace) / (2 * self.sigma2)
        tr_s = torch.diagonal(S, dim1=-2, dim2=-1).sum(-1)
        kl = 0.5 * (tr_s + m.pow(2).sum(-1) - d - torch.logdet(S))
        return rec - kl

    def kl_to_posterior(self, X, m, S) -> torch.Tensor:
        """KL(N(m, S) ‖ p_θ(z|x)) for each row of X, shape (n,)."""
        mean, cov = self.posterior(X)
        S = _t(S).expand(mean.shape[0], *cov.shape)
        q = td.MultivariateNormal(_t(m), covariance_matrix=S)
        return td.kl_divergence(q, td.MultivariateNormal(mean, covariance_matrix=cov))


def fit_ppca(X, d: int) -> LinearGaussianModel:
    """The maximum-likelihood linear-Gaussian model of X (Proposition 3.1.10).

    Tipping and Bishop's closed form: b = mean of X; with the eigenvalues λ₁ ≥ … ≥ λ_D and
    eigenvectors U of the sample covariance (1/n normalised), σ² = mean(λ_{d+1}, …, λ_D) and
    W = U_d (Λ_d − σ² I)^{1/2}.

    Parameters
    ----------
    X : array_like, shape (n, D)
    d : int
        Latent dimension, 1 ≤ d < D.
    """
    X = _t(X)
    d = positive_int("d", d)
    if d >= X.shape[1]:
        raise ValueError(f"d must be < D = {X.shape[1]}, got {d}")
    b = X.mean(0)
    evals, evecs = torch.linalg.eigh(torch.cov((X - b).T, correction=0))
    evals, evecs = evals.flip(0), evecs.flip(1)
    sigma2 = evals[d:].mean()
    W = evecs[:, :d] * torch.sqrt(torch.clamp(evals[:d] - sigma2, min=0.0))
    return LinearGaussianModel(W, b, sigma2)


def fit_linear_vae(X, d: int, *, steps: int = 2000, lr: float = 0.02, seed: int = 0
                   ) -> tuple[LinearGaussianModel, list[float]]:
    """Maximise the mean ELBO of a linear VAE by full-batch Adam.

    Its maximum is the PPCA maximum likelihood (Proposition 3.1.10).  Decoder: the linear-Gaussian model θ = (W, b, σ²); encoder: q_φ(z|x) = N(A(x − c), diag e^s),
    φ = (A, c, s).  The ELBO is exact (no sampling), so the optimum can be compared with
    :func:`fit_ppca`.

    Returns
    -------
    model : LinearGaussianModel
        The fitted decoder.
    history : list of float
        Mean ELBO per image every 10 steps.
    """
    X = _t(X)
    D = X.shape[1]
    d = positive_int("d", d)
    gen = torch.Generator().manual_seed(seed)
    W = (0.1 * torch.randn(D, d, generator=gen, dtype=torch.float64)).requires_grad_()
    A = (0.1 * torch.randn(d, D, generator=gen, dtype=torch.float64)).requires_grad_()
    b, c = X.mean(0).clone().requires_grad_(), X.mean(0).clone().requires_grad_()
    s = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    log_s2 = torch.log(X.var(0).mean()).clone().requires_grad_()
    opt = torch.optim.Adam([W, A, b, c, s, log_s2], lr=positive_float("lr", lr))
    history = []
    for step in range(positive_int("steps", steps)):
        model = LinearGaussianModel.__new__(LinearGaussianModel)
        model.W, model.b, model.sigma2 = W, b, log_s2.exp()
        loss = -model.elbo(X, (X - c) @ A.T, torch.diag(s.exp())).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0:
            history.append(-loss.item())
    return LinearGaussianModel(W.detach(), b.detach(), log_s2.exp().detach()), history
