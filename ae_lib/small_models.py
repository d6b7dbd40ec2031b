"""Chapter 4's small models: the autoencoder and VAE recipes every application trains.

Each trains in a few seconds on one CPU thread, so that Section 4.2 can repeat its
experiment for all ten held-out digits inside the book's time budget; the notebooks
and the tests that pin their headline numbers call the same recipe.  The autoencoder
is Chapter 2's :class:`~ae_lib.AutoencoderNet` (ReLU, sigmoid output for pixels in
[0, 1]); the VAE is Chapter 3's :class:`~ae_lib.VAE` with the 17-level categorical
decoder on the raw grey levels 0..16.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch

from ._checks import as_finite_array, positive_int
from .autoencoder import AutoencoderNet
from .denoising import denoising_loss
from .elbo import vae_loss
from .reconstruction import reconstruction_loss
from .training import fit
from .vae import VAE

__all__ = ["train_small_autoencoder", "train_small_vae", "vae_codes"]


def train_small_autoencoder(
    X: np.ndarray,
    *,
    code_dim: int = 8,
    hidden: int = 32,
    epochs: int = 30,
    corruptions: Sequence[Callable] | None = None,
    seed: int = 0,
) -> AutoencoderNet:
    """An autoencoder with widths (64, ``hidden``, ``code_dim``) trained on pixels in [0, 1].

    Adam with step size 3·10⁻³, minibatches of 64, per-pixel squared error.  With
    ``corruptions`` it is a denoising autoencoder (:func:`~ae_lib.denoising_loss`).

    Parameters
    ----------
    X : array of shape (n, 64)
        Training images, pixels in [0, 1].
    code_dim, hidden, epochs : int
    corruptions : sequence of callable, optional
        ``c(x, generator)`` corruptions for denoising training.
    seed : int
        Seeds the initial weights and the minibatches.

    Returns
    -------
    AutoencoderNet
        Trained, in eval mode.
    """
    X = as_finite_array("X", X, ndim=2)
    model = AutoencoderNet((X.shape[1], positive_int("hidden", hidden), positive_int("code_dim", code_dim)),
                           "relu", output_phi="sigmoid", seed=seed)
    loss = reconstruction_loss() if corruptions is None else denoising_loss(corruptions)
    fit(model, loss, X, epochs=positive_int("epochs", epochs), batch_size=64, lr=3e-3, seed=seed)
    return model.eval()


def train_small_vae(
    X_raw: np.ndarray, *, latent_dim: int = 8, hidden: int = 64, epochs: int = 30, seed: int = 0
) -> VAE:
    """A VAE with a categorical decoder over the 17 grey levels, trained on the negative ELBO.

    One hidden layer of width ``hidden`` in encoder and decoder; Adam with step size
    3·10⁻³, minibatches of 128.

    Parameters
    ----------
    X_raw : array of shape (n, 64)
        Training images as grey levels 0..16 (``load_digits_split("raw")``).
    latent_dim, hidden, epochs : int
    seed : int

    Returns
    -------
    VAE
        Trained, in eval mode.
    """
    X_raw = as_finite_array("X_raw", X_raw, ndim=2)
    model = VAE(X_raw.shape[1], positive_int("latent_dim", latent_dim), (positive_int("hidden", hidden),),
                likelihood="categorical", seed=seed)
    fit(model, vae_loss(), X_raw, epochs=positive_int("epochs", epochs), batch_size=128, lr=3e-3, seed=seed)
    return model.eval()


def vae_codes(model: VAE, X_raw: np.ndarray) -> np.ndarray:
    """The mean codes μ_φ(x) of images ``X_raw`` (grey levels), shape (n, latent_dim)."""
    X_raw = as_finite_array("X_raw", X_raw, ndim=2)
    with torch.no_grad():
        return model.encode(torch.as_tensor(X_raw, dtype=torch.float32))[0].double().numpy()
