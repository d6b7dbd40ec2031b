"""Probabilistic PCA two ways: in closed form, and as a linear VAE trained on its ELBO (Proposition 3.1.10).

:func:`fit_ppca` is Tipping and Bishop's maximum-likelihood solution
:cite:p:`tipping1999probabilistic`; :func:`fit_linear_vae` maximises the exact ELBO of a
linear encoder and the linear-Gaussian decoder (:class:`~ae_lib.LinearGaussianModel`) by
gradient steps, and reaches the same maximum.  Computations in float64 torch tensors.
"""

from __future__ import annotations

from typing import Any

import torch

from . import _checks as check
from ._checks import positive_float, positive_int
from ._random import Seed, torch_gen
from .errors import diverged
from .linear_gaussian import LinearGaussianModel, closed_form_elbo

__all__ = ["fit_linear_vae", "fit_ppca"]


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
