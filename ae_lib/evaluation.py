"""Per-image negative log-likelihoods of every density model of Section 3.3, for standard errors.

A table of test NLLs needs, besides each model's mean, the NLL of every test image: its
spread gives the standard error (:func:`~ae_lib.mean_se`), and two models' NLLs on the same
images give a paired difference (:func:`~ae_lib.paired_difference`).  :func:`per_image_nll`
returns them for the EM mixtures, the sigmoid belief network and VAEs (by the
importance-weighted bound of Theorem 3.1.9).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ._checks import as_finite_array, positive_int
from ._seeds import torch_generator
from .elbo import iwae_bound
from .vae import VAE

__all__ = ["per_image_nll"]


def per_image_nll(model, X: np.ndarray, *, k: int = 1000, seed=0) -> np.ndarray:
    """−log p(x_i) in nats for every row of ``X``, shape (n,).

    Parameters
    ----------
    model : VAE, sequence of VAE, or a density model
        A :class:`~ae_lib.VAE`: −L_k(x_i), the importance-weighted bound with ``k`` samples
        (an estimate of an upper bound on −log p_θ(x_i)), in eval mode.  A sequence of M VAEs:
        the equal-weight mixture, −log (1/M) Σ_m exp L_k^{(m)}(x_i).  Anything with a
        ``log_prob`` method (the EM mixtures, whose ``log_prob`` returns NumPy, or a
        ``torch.distributions`` object such as the sigmoid belief network): the exact −log p(x_i).
    X : array, shape (n, D)
        Data valid for the model (binary, or grey levels 0..16).
    k : int
        Importance samples per image (VAEs only).
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the importance samples (VAEs only).

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    X = as_finite_array("X", X, ndim=2)
    k = positive_int("k", k)
    models = list(model) if isinstance(model, (list, tuple)) else [model]
    if not models:
        raise ValueError("model must not be an empty sequence")
    if all(isinstance(m, VAE) for m in models):
        gen = torch_generator(seed)
        x = torch.as_tensor(X, dtype=torch.float32)
        bounds = []
        for m in models:
            was_training = m.training
            m.eval()
            with torch.no_grad():
                bounds.append(iwae_bound(m, x, k, gen))
            m.train(was_training)
        log_p = torch.logsumexp(torch.stack(bounds), dim=0) - math.log(len(bounds))
        return -log_p.double().numpy()
    if len(models) > 1:
        raise TypeError("model must be a VAE, a sequence of VAEs, or one model with a log_prob method")
    if not hasattr(model, "log_prob"):
        raise TypeError(f"model must be a VAE or have a log_prob method, got {type(model).__name__}")
    if isinstance(model, torch.distributions.Distribution):
        with torch.no_grad():
            return -model.log_prob(torch.as_tensor(X, dtype=torch.float32)).double().numpy()
    return -np.asarray(model.log_prob(X), dtype=float)
