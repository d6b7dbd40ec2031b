"""Training a VAE: the β-VAE objective and the active units of its code (Section 3.2).

Definition 3.2.1 (β-VAE, :func:`vae_loss`, the ``loss_fn`` that :func:`~ae_lib.fit` minimises)
and Definition 3.2.2 (:func:`active_units`, which counts the code coordinates that carry
information about x).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from . import _checks as check
from .elbo import as_vae, iwae_estimates, negative_elbo_terms
from .vae import VAE

__all__ = ["active_units", "vae_loss"]


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
        X = as_vae(model).likelihood.check(batch[0], "batch[0]", model.dtype)
        if k == 1:
            return negative_elbo_terms(model, X, seed, beta, 1, "mean")[0]
        return -iwae_estimates(model, X, k, seed).mean()

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
    X = as_vae(model).likelihood.check(X, "X", model.dtype)
    if X.shape[0] < 2:
        raise ValueError(f"X needs at least 2 rows to measure a variance, got shape {tuple(X.shape)}")
    threshold = check.positive_float("threshold", threshold)
    mu, _ = model.encode(X)
    var = mu.var(0, unbiased=False).double().numpy()
    return int((var > threshold).sum()), var
