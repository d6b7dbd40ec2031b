"""Chapter 4's small models: the autoencoder and VAE recipes every application trains.

Thesis items: none numbered; what the chapter's section computes beyond the draft.

Each trains in a few seconds on one CPU thread, so that Section 4.2 can repeat its
experiment for all ten held-out digits inside the book's time budget; the notebooks
and the tests that pin their headline numbers call the same recipe.  The autoencoder
is Chapter 2's :class:`~ae_lib.AutoencoderNet` (ReLU, sigmoid output for pixels in
[0, 1]); the VAE is Chapter 3's :class:`~ae_lib.VAE` with the 17-level categorical
decoder on the raw grey levels 0..16.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch

from ..autoencoders.autoencoder import AutoencoderNet
from ..autoencoders.reconstruction import reconstruction_loss
from ..core import checks as check
from ..core.seeds import Seed
from ..core.training import fit
from ..variational.elbo import vae_loss
from ..variational.likelihoods import N_LEVELS
from ..variational.vae import VAE
from .denoising import denoising_loss

__all__ = ["train_small_autoencoder", "train_small_vae", "vae_codes"]


def train_small_autoencoder(
    X: np.ndarray,
    *,
    latent_dim: int = 8,
    hidden: Sequence[int] = (32,),
    epochs: int = 30,
    corruptions: Sequence[Callable] | None = None,
    seed: Seed = 0,
    device: str | torch.device = "cpu",
) -> AutoencoderNet:
    """An autoencoder with widths ``(D, *hidden, latent_dim)`` trained on pixels in [0, 1].

    ReLU hidden layers, sigmoid output; Adam with step size 3·10⁻³, minibatches of 64,
    per-pixel squared error.  With ``corruptions`` it is a denoising autoencoder
    (:func:`~ae_lib.denoising_loss`).

    Parameters
    ----------
    X : array, shape (n, D)
        Training images, pixels in [0, 1].
    latent_dim : int
    hidden : sequence of int
        Hidden widths of the encoder (the decoder mirrors them), e.g. ``(32,)``.
    epochs : int
    corruptions : sequence of callable, optional
        ``c(X, seed)`` corruptions for denoising training.
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the initial weights and the minibatches.
    device : str or torch.device
        Where :func:`~ae_lib.fit` trains ("cpu", the default, or "cuda"); the model returns to the CPU.

    Returns
    -------
    AutoencoderNet
        Trained, in eval mode.
    """
    X = check.data_matrix("X", X)
    check.in_range("X", X, 0.0, 1.0)
    widths = (X.shape[1], *check.widths("hidden", hidden), check.positive_int("latent_dim", latent_dim))
    model = AutoencoderNet(widths, "relu", output_phi="sigmoid", seed=seed)
    loss = reconstruction_loss() if corruptions is None else denoising_loss(corruptions)
    fit(model, loss, X, epochs=epochs, batch_size=64, lr=3e-3, seed=seed, device=device)
    return model.eval()


def train_small_vae(
    X_raw: np.ndarray,
    *,
    latent_dim: int = 8,
    hidden: Sequence[int] = (64,),
    epochs: int = 30,
    seed: Seed = 0,
    device: str | torch.device = "cpu",
) -> VAE:
    """A VAE with a categorical decoder over the 17 grey levels, trained on the negative ELBO.

    Hidden layers ``hidden`` in the encoder (reversed in the decoder); Adam with step size
    3·10⁻³, minibatches of 128.

    Parameters
    ----------
    X_raw : array, shape (n, D)
        Training images as grey levels 0..16 (``load_digits_split("raw")``).
    latent_dim : int
    hidden : sequence of int
        E.g. ``(64,)``.
    epochs : int
    seed : int, numpy.random.Generator or torch.Generator
    device : str or torch.device
        Where :func:`~ae_lib.fit` trains ("cpu", the default, or "cuda"); the model returns to the CPU.

    Returns
    -------
    VAE
        Trained, in eval mode.
    """
    X_raw = check.data_matrix("X_raw", X_raw)
    check.integer_levels("X_raw", X_raw, N_LEVELS, " (grey levels, e.g. load_digits_split('raw'))")
    model = VAE(X_raw.shape[1], latent_dim, hidden, likelihood="categorical", seed=seed)
    fit(model, vae_loss(), X_raw, epochs=epochs, batch_size=128, lr=3e-3, seed=seed, device=device)
    return model.eval()


def vae_codes(model: VAE, X_raw: np.ndarray) -> np.ndarray:
    """The mean codes μ_φ(x) of images ``X_raw`` (grey levels, shape (n, D)), shape (n, latent_dim)."""
    check.instance("model", model, VAE)
    X_raw = check.data_matrix("X_raw", X_raw, model.input_dim, "the model's input_dim")
    with torch.no_grad():
        return model.encode(X_raw)[0].double().numpy()
