"""Denoising: corrupted digits, the PSNR, and the denoising loss (Section 4.1).

Two corruptions (Gaussian noise, dropped pixels) that work on NumPy arrays and on torch
tensors, the peak signal-to-noise ratio that scores a restoration, PCA projection as
the classical denoiser, and the training loss of a denoising autoencoder
:cite:p:`vincent2008extracting`: corrupted input, clean target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import torch
from sklearn.decomposition import PCA

from . import _checks as check
from ._checks import as_finite_array
from ._random import Seed, numpy_rng, torch_gen

__all__ = ["add_gaussian_noise", "denoising_loss", "mask_pixels", "pca_projector", "psnr"]

Array: TypeAlias = np.ndarray | torch.Tensor
Corruption = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def _images(X: Array) -> Array:
    if isinstance(X, torch.Tensor):
        return check.as_tensor("X", X, X.dtype if X.dtype.is_floating_point else torch.float32, ndim=2)
    return check.data_matrix("X", X)


def add_gaussian_noise(X: Array, sigma: float, *, seed: Seed = 0) -> Array:
    """``X + σ·ε`` with standard normal ``ε``, clipped back to the pixel range [0, 1].

    The clipping is part of the corruption model (a sensor saturates), not a repair.
    Works on NumPy arrays and on torch tensors (as inside a loss passed to :func:`fit`,
    where ``seed`` is the loss's ``torch.Generator``).

    Parameters
    ----------
    X : array or tensor, shape (n, D)
        Entries in [0, 1].
    sigma : float
        Noise standard deviation, ≥ 0.
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    array or tensor, shape (n, D)
        The type of X.
    """
    X = _images(X)
    check.in_range("X", X, 0.0, 1.0)
    sigma = check.nonneg_float("sigma", sigma)
    if isinstance(X, torch.Tensor):
        return (X + sigma * torch.randn(X.shape, generator=torch_gen(seed), dtype=X.dtype)).clamp(0.0, 1.0)
    return np.clip(X + sigma * numpy_rng(seed).standard_normal(X.shape), 0.0, 1.0)


def mask_pixels(X: Array, fraction: float, *, seed: Seed = 0) -> Array:
    """Set each pixel independently to 0 with probability ``fraction`` (dropped pixels).

    Parameters
    ----------
    X : array or tensor, shape (n, D)
    fraction : float in [0, 1)
        Probability that a pixel is dropped.
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    array or tensor, shape (n, D)
        The type of X.
    """
    X = _images(X)
    fraction = check.fraction("fraction", fraction)
    if isinstance(X, torch.Tensor):
        return X * (torch.rand(X.shape, generator=torch_gen(seed), dtype=X.dtype) >= fraction)
    return X * (numpy_rng(seed).random(X.shape) >= fraction)


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
    if clean.size == 0:
        raise ValueError(f"clean is empty (shape {clean.shape})")
    data_range = check.positive_float("data_range", data_range)
    mse = ((clean - estimate) ** 2).mean(axis=-1)
    with np.errstate(divide="ignore"):
        out = 10.0 * np.log10(data_range**2 / mse)
    return float(out) if out.ndim == 0 else out


def pca_projector(X_fit: np.ndarray, n_components: int) -> Callable[[np.ndarray], np.ndarray]:
    """The PCA baseline denoiser: ``x ↦ μ + P(x − μ)``, projection onto the top principal subspace.

    By Eckart–Young this is the best *linear* autoencoder with ``n_components`` codes
    (Chapter 2); fitted on ``X_fit`` (clean data).  The output is clipped to the pixel
    range [0, 1], as the other denoisers' outputs are (part of the estimator).

    Parameters
    ----------
    X_fit : array, shape (n, D)
    n_components : int
        1 ≤ n_components ≤ min(n, D).

    Returns
    -------
    callable
        ``project(X) -> X_hat`` for arrays of shape (m, D).
    """
    X_fit = check.data_matrix("X_fit", X_fit)
    k = check.positive_int("n_components", n_components)
    if k > min(X_fit.shape):
        raise ValueError(f"n_components must be <= min(n, D) = {min(X_fit.shape)} for X_fit, got {k}")
    pca = PCA(k).fit(X_fit)

    def project(X: np.ndarray) -> np.ndarray:
        X = check.data_matrix("X", X, X_fit.shape[1], "the width of X_fit")
        return np.clip(pca.inverse_transform(pca.transform(X)), 0.0, 1.0)

    return project


def denoising_loss(corruptions: Sequence[Corruption]) -> Callable:
    """A ``loss_fn`` for :func:`~ae_lib.fit` that trains a denoising autoencoder.

    Each minibatch draws one corruption ``c`` uniformly from ``corruptions`` (with the
    loss's generator) and returns the per-pixel mean squared error between
    ``model(c(x))`` and the *clean* ``x``.

    Parameters
    ----------
    corruptions : sequence of callable
        ``c(X, seed) -> corrupted X`` on tensors of shape (n, D), ``seed`` the loss's
        ``torch.Generator``, e.g. ``lambda x, g: add_gaussian_noise(x, 0.25, seed=g)``.

    Returns
    -------
    callable
        ``loss_fn(model, (X,), seed) -> scalar tensor``.
    """
    if isinstance(corruptions, (str, bytes)) or not isinstance(corruptions, Sequence):
        raise TypeError(
            f"corruptions must be a sequence of callables c(X, seed), got {type(corruptions).__name__}"
        )
    corruptions = list(corruptions)
    if not corruptions:
        raise ValueError("corruptions must be a non-empty sequence of callables c(X, seed)")
    for i, c in enumerate(corruptions):
        check.function(f"corruptions[{i}]", c)

    def loss_fn(
        model: torch.nn.Module, batch: tuple[torch.Tensor, ...], seed: torch.Generator
    ) -> torch.Tensor:
        x = batch[0]
        i = int(torch.randint(len(corruptions), (1,), generator=seed))
        return ((model(corruptions[i](x, seed)) - x) ** 2).mean()

    return loss_fn
