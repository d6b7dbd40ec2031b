"""The evidence lower bound, its closed-form KL term, and the importance-weighted bound.

Lemma 3.1.5 (:func:`gaussian_kl`), Theorem 3.1.4 (:func:`negative_elbo`) and Theorem 3.1.9
(:func:`iwae_bound`; the test NLL built on it is :func:`~ae_lib.iwae_nll`).  All log-densities are
in nats and summed over the D pixels of an image; "per image" means averaged over the images
of a batch.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import torch

from . import _checks as check
from ._random import Seed, torch_gen
from .encoder import draw_codes, mean_and_log_var, posterior
from .vae import VAE

__all__ = ["gaussian_kl", "iwae_bound", "negative_elbo"]


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
    return kl_to_standard_normal(*mean_and_log_var(mu, log_var))


def kl_to_standard_normal(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    return 0.5 * (mu.pow(2) + log_var.exp() - log_var - 1.0).sum(-1)


def _reduce(t: torch.Tensor, reduction: str) -> torch.Tensor:
    return {"mean": t.mean, "sum": t.sum, "none": lambda: t}[reduction]()


def as_vae(model: Any) -> VAE:
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
    X = as_vae(model).likelihood.check(X, "X", model.dtype)
    beta = check.nonneg_float("beta", beta)
    n_samples = check.positive_int("n_samples", n_samples)
    check.one_of("reduction", reduction, ("mean", "sum", "none"))
    return negative_elbo_terms(model, X, torch_gen(seed), beta, n_samples, reduction)


def negative_elbo_terms(
    model: VAE, X: torch.Tensor, gen: torch.Generator, beta: float, n_samples: int, reduction: str
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    mu, log_var = model.encoder(model.likelihood.encoder_input(X))
    z = draw_codes(mu, log_var, gen, n_samples)  # (S, n, d)
    rec = -model.likelihood.log_prob(model.decoder(z), X).mean(0)
    if model.prior.standard:
        kl = kl_to_standard_normal(mu, log_var)
    else:
        kl = (posterior(mu, log_var).log_prob(z) - model.prior.distribution().log_prob(z)).mean(0)
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
    X = as_vae(model).likelihood.check(X, "X", model.dtype)
    k = check.positive_int("k", k)
    max_rows = check.positive_int("max_rows", max_rows)
    return iwae_estimates(model, X, k, torch_gen(seed), max_rows)


def iwae_estimates(
    model: VAE, X: torch.Tensor, k: int, gen: torch.Generator, max_rows: int = 20_000
) -> torch.Tensor:
    chunk = max(1, max_rows // k)
    out = []
    for start in range(0, X.shape[0], chunk):
        xb = X[start : start + chunk]
        mu, log_var = model.encoder(model.likelihood.encoder_input(xb))
        z = draw_codes(mu, log_var, gen, k)  # (k, m, d)
        log_w = (
            model.likelihood.log_prob(model.decoder(z), xb)
            + model.prior.distribution().log_prob(z)
            - posterior(mu, log_var).log_prob(z)
        )
        out.append(torch.logsumexp(log_w, dim=0) - math.log(k))
    return torch.cat(out)
