"""Denoising: corrupted digits, the PSNR, and the denoising loss (Section 4.1).

Two corruptions (Gaussian noise, dropped pixels) that work on NumPy arrays and on torch
tensors, the peak signal-to-noise ratio that scores a restoration, PCA projection as
the classical denoiser, and the training loss of a denoising autoencoder
:cite:p:`vincent2008extracting`: corrupted input, clean target.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch
from sklearn.decomposition import PCA

from ._checks import as_finite_array, positive_int

__all__ = ["add_gaussian_noise", "mask_pixels", "psnr", "pca_projector", "denoising_loss"]

Array = np.ndarray | torch.Tensor
Corruption = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def _unit_fraction(name: str, value: float, *, closed: bool = True) -> float:
    v = float(value)
    if not (0.0 <= v <= 1.0 if closed else 0.0 <= v < 1.0):
        raise ValueError(f"{name} must lie in [0, 1{']' if closed else ')'}, got {value}")
    return v


def add_gaussian_noise(X: Array, sigma: float, *, rng: np.random.Generator | torch.Generator) -> Array:
    """``X + σ·ε`` with standard normal ``ε``, clipped back to the pixel range [0, 1].

    Works on NumPy arrays (``rng`` a ``numpy.random.Generator``) and on torch tensors
    (``rng`` a ``torch.Generator``, as inside a loss passed to :func:`fit`).

    Parameters
    ----------
    X : array or tensor of shape (n, d), entries in [0, 1]
    sigma : float
        Noise standard deviation, ≥ 0.
    rng : numpy.random.Generator or torch.Generator
    """
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma must be finite and >= 0, got {sigma}")
    if isinstance(X, torch.Tensor):
        return (X + sigma * torch.randn(X.shape, generator=rng, dtype=X.dtype)).clamp(0.0, 1.0)
    X = as_finite_array("X", X)
    return np.clip(X + sigma * rng.standard_normal(X.shape), 0.0, 1.0)


def mask_pixels(X: Array, fraction: float, *, rng: np.random.Generator | torch.Generator) -> Array:
    """Set each pixel independently to 0 with probability ``fraction`` (dropped pixels).

    Parameters
    ----------
    X : array or tensor of shape (n, d)
    fraction : float in [0, 1)
        Probability that a pixel is dropped.
    rng : numpy.random.Generator or torch.Generator
    """
    fraction = _unit_fraction("fraction", fraction, closed=False)
    if isinstance(X, torch.Tensor):
        return X * (torch.rand(X.shape, generator=rng, dtype=X.dtype) >= fraction)
    X = as_finite_array("X", X)
    return X * (rng.random(X.shape) >= fraction)


def psnr(clean: np.ndarray, estimate: np.ndarray, *, data_range: float = 1.0) -> np.ndarray | float:
    """Peak signal-to-noise ratio in dB, image by image (Definition 4.1.1).

    ``PSNR(x, x̂) = 10 log10(R² / MSE(x, x̂))`` with ``MSE`` the mean squared error over the
    pixels of one image and ``R`` the data range (1 for pixels in [0, 1]).  Higher is
    better; a perfect estimate gives ``inf``.

    Parameters
    ----------
    clean, estimate : array of shape (d,) or (n, d)
    data_range : float

    Returns
    -------
    float or array of shape (n,)
    """
    clean = as_finite_array("clean", clean, ndim=(1, 2))
    estimate = as_finite_array("estimate", estimate, ndim=(1, 2))
    if clean.shape != estimate.shape:
        raise ValueError(f"clean and estimate need the same shape, got {clean.shape} and {estimate.shape}")
    if not data_range > 0:
        raise ValueError(f"data_range must be > 0, got {data_range}")
    mse = ((clean - estimate) ** 2).mean(axis=-1)
    with np.errstate(divide="ignore"):
        out = 10.0 * np.log10(data_range**2 / mse)
    return float(out) if out.ndim == 0 else out


def pca_projector(X_fit: np.ndarray, n_components: int) -> Callable[[np.ndarray], np.ndarray]:
    """The PCA baseline denoiser: ``x ↦ μ + P(x − μ)``, projection onto the top principal subspace.

    By Eckart–Young this is the best *linear* autoencoder with ``n_components`` codes
    (Chapter 2); fitted on ``X_fit`` (clean data), clipped to [0, 1] on the way out.

    Returns
    -------
    callable
        ``project(X) -> X_hat`` for arrays of shape (n, d).
    """
    pca = PCA(positive_int("n_components", n_components)).fit(as_finite_array("X_fit", X_fit, ndim=2))
    return lambda X: np.clip(pca.inverse_transform(pca.transform(np.asarray(X, float))), 0.0, 1.0)


def denoising_loss(corruptions: Sequence[Corruption]) -> Callable:
    """A ``loss_fn`` for :func:`~ae_lib.fit` that trains a denoising autoencoder.

    Each minibatch draws one corruption ``c`` uniformly from ``corruptions`` (with the
    loss's generator) and returns the per-pixel mean squared error between
    ``model(c(x))`` and the *clean* ``x``.

    Parameters
    ----------
    corruptions : sequence of callable
        ``c(x, generator) -> corrupted x`` on tensors, e.g.
        ``lambda x, g: add_gaussian_noise(x, 0.25, rng=g)``.

    Returns
    -------
    callable
        ``loss_fn(model, (x,), generator) -> scalar tensor``.
    """
    corruptions = list(corruptions)
    if not corruptions or not all(callable(c) for c in corruptions):
        raise ValueError("corruptions must be a non-empty sequence of callables c(x, generator)")

    def loss_fn(model: torch.nn.Module, batch: tuple[torch.Tensor, ...], generator: torch.Generator):
        x = batch[0]
        i = int(torch.randint(len(corruptions), (1,), generator=generator))
        return ((model(corruptions[i](x, generator)) - x) ** 2).mean()

    return loss_fn
