"""The evidence lower bound, its closed-form KL, the importance-weighted bound and the β-VAE loss.

Thesis items: Theorem 3.1.4 (:obj:`~ae_lib.negative_elbo`); Lemma 3.1.5
(:obj:`~ae_lib.gaussian_kl`); Theorem 3.1.9 (:obj:`~ae_lib.iwae_bound`); Figure 3.11
(:obj:`~ae_lib.active_units`); Definition 3.2.1 (:obj:`~ae_lib.vae_loss`); Definition 3.2.2
(:obj:`~ae_lib.active_units`); Figure 3.14 (:obj:`~ae_lib.active_units`).

The evidence lower bound, its closed-form KL term, and the importance-weighted bound.

Lemma 3.1.5 (:func:`gaussian_kl`), Theorem 3.1.4 (:func:`negative_elbo`) and Theorem 3.1.9
(:func:`iwae_bound`; the test NLL built on it is :func:`~ae_lib.iwae_nll`).  All log-densities are
in nats and summed over the D pixels of an image; "per image" means averaged over the images
of a batch.

Training a VAE: the β-VAE objective and the active units of its code (Section 3.2).

Definition 3.2.1 (β-VAE, :func:`vae_loss`, the ``loss_fn`` that :func:`~ae_lib.fit` minimises)
and Definition 3.2.2 (:func:`active_units`, which counts the code coordinates that carry
information about x).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import torch

from ..core import checks as check
from ..core.seeds import Seed, torch_gen
from .vae import VAE, diagonal_gaussian, reparameterize

__all__ = ["active_units", "gaussian_kl", "iwae_bound", "negative_elbo", "vae_loss"]


def gaussian_kl(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σⱼ (μⱼ² + σⱼ² − log σⱼ² − 1) (Lemma 3.1.5).

    Parameters
    ----------
    mu, log_var : torch.Tensor, shape (…, d)

    Returns
    -------
    torch.Tensor, shape (…,)
        One KL divergence per row, in nats.
    """
    mu, log_var = check.gaussian_params(mu, log_var)
    return 0.5 * (mu.pow(2) + log_var.exp() - log_var - 1.0).sum(-1)


def _reduce(t: torch.Tensor, reduction: str) -> torch.Tensor:
    return {"mean": t.mean, "sum": t.sum, "none": lambda: t}[reduction]()


def _as_vae(model: Any) -> VAE:
    return check.instance("model", model, VAE)


def negative_elbo(
    model: VAE,
    X: torch.Tensor,
    *,
    seed: Seed = 0,
    beta: float = 1.0,
    n_samples: int = 1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """−ELBO(x) = E_q[−log p_θ(x|z)] + β · KL(q_φ(z|x) ‖ p(z)) (Theorem 3.1.4; β = 1).

    The reconstruction term is a Monte-Carlo average over ``n_samples`` reparameterised
    codes; the KL term is exact (Lemma 3.1.5) for p(z) = N(0, I), and the Monte-Carlo
    average of log q_φ(z|x) − log p(z) over the same codes for a learned mixture prior
    (Definition 3.3.5).  With β = 1, −ELBO ≥ −log p_θ(x).

    Parameters
    ----------
    model : VAE
    X : array or tensor, shape (n, D)
        Data in the support of ``model.likelihood`` (e.g. binary for "bernoulli").
    seed : int, numpy.random.Generator or torch.Generator
        Source of the codes.
    beta : float
        Weight β ≥ 0 of the KL term (Definition 3.2.1).
    n_samples : int
        Codes per image in the Monte-Carlo reconstruction term.
    reduction : {"mean", "sum", "none"}
        Over the n images: ``"mean"`` gives nats per image, ``"none"`` a tensor of shape (n,).

    Returns
    -------
    total, reconstruction, kl : torch.Tensor
        ``total = reconstruction + beta * kl``, each reduced as asked.
    """
    X = _as_vae(model).likelihood.check(X, "X", model.dtype)
    beta = check.nonneg_float("beta", beta)
    n_samples = check.positive_int("n_samples", n_samples)
    check.one_of("reduction", reduction, ("mean", "sum", "none"))
    gen = torch_gen(seed)
    mu, log_var = model.encoder(model.likelihood.encoder_input(X))
    z = reparameterize(mu, log_var, seed=gen, n_samples=n_samples)  # (S, n, d)
    rec = -model.likelihood.log_prob(model.decoder(z), X).mean(0)
    if model.prior.standard:
        kl = gaussian_kl(mu, log_var)
    else:
        kl = (diagonal_gaussian(mu, log_var).log_prob(z) - model.prior.distribution().log_prob(z)).mean(0)
    total = rec + beta * kl
    return _reduce(total, reduction), _reduce(rec, reduction), _reduce(kl, reduction)


def iwae_bound(
    model: VAE, X: torch.Tensor, k: int, *, seed: Seed = 0, max_rows: int = 20_000
) -> torch.Tensor:
    """L_k(x) = E log (1/k) Σᵢ p_θ(x, zᵢ) / q_φ(zᵢ | x), zᵢ ~ q_φ(· | x) (Theorem 3.1.9).

    ELBO = L_1 ≤ L_k ≤ L_{k+1} ≤ log p_θ(x), and L_k → log p_θ(x) as k → ∞
    :cite:p:`burda2016importance`.  Returns one draw of the estimator per image.

    Parameters
    ----------
    model : VAE
    X : array or tensor, shape (n, D)
        Data in the support of ``model.likelihood``.
    k : int
        Number of importance samples, k ≥ 1.
    seed : int, numpy.random.Generator or torch.Generator
    max_rows : int
        Images are processed in chunks of at most ``max_rows // k`` images (memory).

    Returns
    -------
    torch.Tensor, shape (n,)
        Estimates of log p_θ(x) in nats (differentiable unless under ``torch.no_grad``).
    """
    X = _as_vae(model).likelihood.check(X, "X", model.dtype)
    k = check.positive_int("k", k)
    max_rows = check.positive_int("max_rows", max_rows)
    gen, chunk = torch_gen(seed), max(1, max_rows // k)
    out = []
    for start in range(0, X.shape[0], chunk):
        xb = X[start : start + chunk]
        mu, log_var = model.encoder(model.likelihood.encoder_input(xb))
        z = reparameterize(mu, log_var, seed=gen, n_samples=k)  # (k, m, d)
        log_w = (
            model.likelihood.log_prob(model.decoder(z), xb)
            + model.prior.distribution().log_prob(z)
            - diagonal_gaussian(mu, log_var).log_prob(z)
        )
        out.append(torch.logsumexp(log_w, dim=0) - math.log(k))
    return torch.cat(out)


def vae_loss(
    beta: float = 1.0, k: int = 1
) -> Callable[[VAE, tuple[torch.Tensor, ...], torch.Generator], torch.Tensor]:
    """The β-VAE objective as a ``loss_fn`` for :func:`~ae_lib.fit` (Definition 3.2.1).

    ``k = 1``: the mean over the minibatch of −ELBO_β = E_q[−log p_θ(x|z)] + β KL
    :cite:p:`higgins2017beta`.  ``k > 1``: the mean of −L_k (IWAE training), which needs β = 1.

    Parameters
    ----------
    beta : float
        β ≥ 0.
    k : int
        Importance samples, ≥ 1.

    Returns
    -------
    callable
        ``loss_fn(model, (X,), seed) -> scalar tensor`` with X of shape (n, D).
    """
    k = check.positive_int("k", k)
    beta = check.nonneg_float("beta", beta)
    if k > 1 and beta != 1.0:
        raise ValueError(f"the IWAE bound (k={k} > 1) has no beta; pass beta=1.0, got {beta}")

    def loss_fn(model: VAE, batch: tuple[torch.Tensor, ...], seed: torch.Generator) -> torch.Tensor:
        if k == 1:
            return negative_elbo(model, batch[0], seed=seed, beta=beta)[0]
        return -iwae_bound(model, batch[0], k, seed=seed).mean()

    return loss_fn


@torch.no_grad()
def active_units(model: VAE, X: np.ndarray | torch.Tensor, threshold: float = 0.01) -> tuple[int, np.ndarray]:
    """Number of active latent units: Cov_x(E_q[zⱼ | x]) > ``threshold`` (Definition 3.2.2).

    A unit whose posterior mean does not vary with x carries no information about x:
    the posterior has collapsed to the prior in that coordinate :cite:p:`burda2016importance`.

    Parameters
    ----------
    model : VAE
    X : array or tensor, shape (n, D)
        Data in the support of ``model.likelihood``, n ≥ 2.
    threshold : float
        > 0.

    Returns
    -------
    count : int
    variances : numpy.ndarray, shape (d,)
        Variance over the data of each coordinate of μ_φ(x).
    """
    X = _as_vae(model).likelihood.check(X, "X", model.dtype)
    if X.shape[0] < 2:
        raise ValueError(f"X needs at least 2 rows to measure a variance, got shape {tuple(X.shape)}")
    threshold = check.positive_float("threshold", threshold)
    mu, _ = model.encode(X)
    var = mu.var(0, unbiased=False).double().numpy()
    return int((var > threshold).sum()), var
