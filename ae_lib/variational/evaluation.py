"""Test negative log-likelihoods, per image and on average, of every density model of Section 3.3.

Thesis items: Figure 3.18 (:obj:`~ae_lib.iwae_nll`).

A table of test NLLs needs, besides each model's mean, the NLL of every test image: its
spread gives the standard error (:func:`~ae_lib.mean_se`), and two models' NLLs on the same
images give a paired difference (:func:`~ae_lib.paired_difference`).  :func:`per_image_nll`
returns them for the EM mixtures, the sigmoid belief network and VAEs (by the
importance-weighted bound of Theorem 3.1.9); :func:`iwae_nll` is their mean for VAEs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from ..core import checks as check
from ..core.seeds import Seed, torch_gen
from ..core.training import as_device, on_device
from .elbo import iwae_bound
from .vae import VAE

__all__ = ["iwae_nll", "per_image_nll"]


def per_image_nll(
    model: Any,
    X: np.ndarray | torch.Tensor,
    *,
    k: int = 1000,
    seed: Seed = 0,
    device: str | torch.device = "cpu",
) -> np.ndarray:
    """−log p(x_i) in nats for every row of ``X``.

    Parameters
    ----------
    model : VAE, sequence of VAE, or a density model
        A :class:`~ae_lib.VAE`: −L_k(x_i), the importance-weighted bound with ``k`` samples
        (an estimate of an upper bound on −log p_θ(x_i)), in eval mode.  A sequence of M VAEs:
        the equal-weight mixture, −log (1/M) Σ_m exp L_k^{(m)}(x_i).  Anything else with a
        ``log_prob`` method (the EM mixtures, or a ``torch.distributions`` object such as the
        sigmoid belief network): the exact −log p(x_i).
    X : array or tensor, shape (n, D)
        Data valid for the model (binary, or grey levels 0..16).
    k : int
        Importance samples per image (VAEs only).
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the importance samples (VAEs only).
    device : str or torch.device
        Where a VAE is evaluated, as in :func:`~ae_lib.fit` (the other models run on the CPU).

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    models = list(model) if isinstance(model, (list, tuple)) else [model]
    device = as_device(device)
    if not models:
        raise ValueError("model must be a model or a non-empty sequence of VAEs")
    if all(isinstance(m, VAE) for m in models):
        return -vae_log_p(models, X, k, seed, device).double().numpy()
    if len(models) > 1 or not hasattr(model, "log_prob"):
        raise TypeError(
            f"model must be a VAE, a sequence of VAEs, or a model with a log_prob method, got {type(model).__name__}"
        )
    if isinstance(model, torch.distributions.Distribution):
        X = check.data_matrix("X", X, int(model.event_shape[0]), "the model's event size")
        with torch.no_grad():
            return -model.log_prob(torch.as_tensor(X, dtype=torch.float32)).double().numpy()
    return -np.asarray(model.log_prob(X), dtype=float)


def iwae_nll(
    model: VAE | Sequence[VAE],
    X: np.ndarray | torch.Tensor,
    k: int = 1000,
    *,
    seed: Seed = 0,
    device: str | torch.device = "cpu",
) -> float:
    """Test negative log-likelihood −(1/n) Σ L_k(xᵢ) in nats per image, as in Figure 3.18.

    The models are evaluated in eval mode (no dropout).

    Parameters
    ----------
    model : VAE or sequence of VAE
        A sequence of M models is the equal-weight mixture p(x) = (1/M) Σ_m p_m(x); its estimate
        is log (1/M) Σ_m exp L_k^{(m)}(x), again a stochastic lower bound on log p(x) (Jensen).
    X : array or tensor, shape (n, D)
    k : int
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the importance samples (drawn on the CPU whatever the device).
    device : str or torch.device
        Where the models are evaluated: ``"cpu"`` (the default) or ``"cuda"`` where
        ``torch.cuda.is_available()``; each model goes back to where it was.

    Returns
    -------
    float
    """
    models: list[Any] = list(model) if isinstance(model, (list, tuple)) else [model]
    device = as_device(device)
    if not models:
        raise ValueError("model must be a VAE or a non-empty sequence of VAEs")
    return -float(vae_log_p(models, X, k, seed, device).mean())


@torch.no_grad()
def vae_log_p(models: list[Any], X: Any, k: Any, seed: Any, device: torch.device) -> torch.Tensor:
    """L_k of each row of ``X`` under the equal-weight mixture of ``models``, shape (n,), on the CPU."""
    for i, m in enumerate(models):
        check.instance("model" if len(models) == 1 else f"model[{i}]", m, VAE)
    data = [m.likelihood.check(X, "X", m.dtype) for m in models]
    k, gen = check.positive_int("k", k), torch_gen(seed)
    bounds = []
    for m, x in zip(models, data):
        was_training = m.training
        m.eval()
        with on_device([m], device):
            bounds.append(iwae_bound(m, x.to(device), k, seed=gen).cpu())
        m.train(was_training)
    return torch.logsumexp(torch.stack(bounds), dim=0) - math.log(len(bounds))
