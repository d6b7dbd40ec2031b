"""The evidence lower bound, its closed-form KL term, and the importance-weighted bound.

Lemma 3.1.5 (:func:`gaussian_kl`), Theorem 3.1.4 (:func:`negative_elbo`), Theorem 3.1.9
(:func:`iwae_bound`), Definition 3.2.1 (β-VAE, :func:`vae_loss`) and Definition 3.2.2
(:func:`active_units`).  All log-densities are in nats and summed over the D pixels of
an image; "per image" means averaged over the images of a batch.
"""

from __future__ import annotations

import math
from typing import Callable, Literal, Sequence

import numpy as np
import torch

from ._checks import positive_int
from .vae import VAE, check_vae_data, reparameterize

__all__ = ["gaussian_kl", "negative_elbo", "iwae_bound", "iwae_nll", "vae_loss", "active_units"]


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
    return 0.5 * (mu.pow(2) + log_var.exp() - log_var - 1.0).sum(-1)


def _gaussian(mu: torch.Tensor, log_var: torch.Tensor) -> torch.distributions.Distribution:
    """q_φ(z|x) = N(μ, diag σ²) as a distribution with event shape (d,)."""
    return torch.distributions.Independent(torch.distributions.Normal(mu, torch.exp(0.5 * log_var)), 1)


def _reduce(t: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return t.mean()
    if reduction == "sum":
        return t.sum()
    if reduction == "none":
        return t
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def negative_elbo(model: VAE, x: torch.Tensor, generator: torch.Generator | None = None, *,
                  beta: float = 1.0, n_samples: int = 1,
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
    x : torch.Tensor, shape (n, D)
        Data valid for ``model.likelihood`` (see :func:`~ae_lib.check_vae_data`).
    generator : torch.Generator, optional
    beta : float
        Weight β ≥ 0 of the KL term (Definition 3.2.1).
    n_samples : int
    reduction : {"mean", "sum", "none"}
        Over the n images: ``"mean"`` gives nats per image, ``"none"`` a tensor of shape (n,).

    Returns
    -------
    total, reconstruction, kl : torch.Tensor
        ``total = reconstruction + beta * kl``, each reduced as asked.
    """
    if not beta >= 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    x = check_vae_data(x, model.likelihood)
    mu, log_var = model.encode(x)
    z = reparameterize(mu, log_var, generator, n_samples=n_samples)  # (S, n, d)
    rec = -model.decoder.distribution(z).log_prob(x).mean(0)
    if model.decoder.latent_prior.standard:
        kl = gaussian_kl(mu, log_var)
    else:
        q = _gaussian(mu, log_var)
        kl = (q.log_prob(z) - model.decoder.prior().log_prob(z)).mean(0)
    total = rec + beta * kl
    return _reduce(total, reduction), _reduce(rec, reduction), _reduce(kl, reduction)


def iwae_bound(model: VAE, x: torch.Tensor, k: int, generator: torch.Generator | None = None, *,
               max_rows: int = 20_000) -> torch.Tensor:
    """L_k(x) = E log (1/k) Σᵢ p_θ(x, zᵢ) / q_φ(zᵢ | x), zᵢ ~ q_φ(· | x) (Theorem 3.1.9).

    ELBO = L_1 ≤ L_k ≤ L_{k+1} ≤ log p_θ(x), and L_k → log p_θ(x) as k → ∞
    :cite:p:`burda2016importance`.  Returns one draw of the estimator per image.

    Parameters
    ----------
    model : VAE
    x : torch.Tensor, shape (n, D)
    k : int
        Number of importance samples, k ≥ 1.
    generator : torch.Generator, optional
    max_rows : int
        Images are processed in chunks of at most ``max_rows // k`` images (memory).

    Returns
    -------
    torch.Tensor, shape (n,)
        Estimates of log p_θ(x) in nats (differentiable unless under ``torch.no_grad``).
    """
    k = positive_int("k", k)
    x = check_vae_data(x, model.likelihood)
    chunk = max(1, positive_int("max_rows", max_rows) // k)
    out = []
    for start in range(0, x.shape[0], chunk):
        xb = x[start:start + chunk]
        mu, log_var = model.encode(xb)
        z = reparameterize(mu, log_var, generator, n_samples=k)  # (k, m, d)
        q = _gaussian(mu, log_var)
        log_w = model.decoder.distribution(z).log_prob(xb) + model.decoder.prior().log_prob(z) - q.log_prob(z)
        out.append(torch.logsumexp(log_w, dim=0) - math.log(k))
    return torch.cat(out)


@torch.no_grad()
def iwae_nll(model: VAE | Sequence[VAE], x: np.ndarray | torch.Tensor, k: int = 1000, seed: int = 0) -> float:
    """Test negative log-likelihood −(1/n) Σ L_k(xᵢ) in nats per image, as in Figure 3.15.

    The models are evaluated in eval mode (no dropout).

    Parameters
    ----------
    model : VAE or sequence of VAE
        A sequence of M models is the equal-weight mixture p(x) = (1/M) Σ_m p_m(x); its estimate
        is log (1/M) Σ_m exp L_k^{(m)}(x), again a stochastic lower bound on log p(x) (Jensen).
    x : array or tensor, shape (n, D)
    k : int
    seed : int
        Seeds the importance samples.
    """
    models = list(model) if isinstance(model, (list, tuple)) else [model]
    if not models:
        raise ValueError("model must be a VAE or a non-empty sequence of VAEs")
    gen = torch.Generator().manual_seed(seed)
    x = torch.as_tensor(x, dtype=torch.float32)
    bounds = []
    for m in models:
        was_training = m.training
        m.eval()
        bounds.append(iwae_bound(m, x, k, gen))
        m.train(was_training)
    log_p = torch.logsumexp(torch.stack(bounds), dim=0) - math.log(len(bounds))
    return -float(log_p.mean())


def vae_loss(beta: float = 1.0, k: int = 1) -> Callable[[VAE, tuple[torch.Tensor, ...], torch.Generator], torch.Tensor]:
    """The β-VAE objective as a ``loss_fn`` for :func:`~ae_lib.fit` (Definition 3.2.1).

    ``k = 1``: the mean over the minibatch of −ELBO_β = E_q[−log p_θ(x|z)] + β KL
    :cite:p:`higgins2017beta`.  ``k > 1``: the mean of −L_k (IWAE training), which needs β = 1.
    """
    k = positive_int("k", k)
    if not beta >= 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    if k > 1 and beta != 1.0:
        raise ValueError(f"the IWAE bound (k={k} > 1) has no beta; pass beta=1.0, got {beta}")

    def loss_fn(model: VAE, batch: tuple[torch.Tensor, ...], generator: torch.Generator) -> torch.Tensor:
        if k == 1:
            return negative_elbo(model, batch[0], generator, beta=beta)[0]
        return -iwae_bound(model, batch[0], k, generator).mean()

    return loss_fn


@torch.no_grad()
def active_units(model: VAE, x: np.ndarray | torch.Tensor, threshold: float = 0.01) -> tuple[int, np.ndarray]:
    """Number of active latent units: Cov_x(E_q[zⱼ | x]) > ``threshold`` (Definition 3.2.2).

    A unit whose posterior mean does not vary with x carries no information about x:
    the posterior has collapsed to the prior in that coordinate :cite:p:`burda2016importance`.

    Returns
    -------
    count : int
    variances : numpy.ndarray, shape (d,)
        Variance over the data of each coordinate of μ_φ(x).
    """
    mu, _ = model.encode(check_vae_data(torch.as_tensor(x, dtype=torch.float32), model.likelihood))
    var = mu.var(0, unbiased=False).numpy()
    return int((var > threshold).sum()), var
