"""Denoising: corrupted digits, the PSNR, the denoising loss and the ridge baseline (Section 4.1).

Thesis items: Definition 4.1.1 (:obj:`~ae_lib.psnr`).

Denoising: corrupted digits, the PSNR, and the denoising loss (Section 4.1).

Two corruptions (Gaussian noise, dropped pixels) that work on NumPy arrays and on torch
tensors, the peak signal-to-noise ratio that scores a restoration, PCA projection as
the classical denoiser, and the training loss of a denoising autoencoder
:cite:p:`vincent2008extracting`: corrupted input, clean target.

Linear denoisers for Section 4.1: the baselines a denoising autoencoder has to beat.

A denoising autoencoder learns a *non-linear* map from corrupted to clean digits.  The
fair linear baseline learns a linear map from the *same* training pairs: ridge regression
x̂ = W c(x) + b of the clean x on its corruption c(x), fitted on copies of the training
digits corrupted exactly as the autoencoder's minibatches are (:class:`RidgeDenoiser`,
scikit-learn's ``Ridge``).  Its strength λ, like PCA's number of components, is chosen
on the validation part (:func:`~ae_lib.select_on_validation`, scored by
:func:`mean_psnr`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge

from ..core import checks as check
from ..core.checks import as_finite_array, positive_float, positive_int
from ..core.seeds import Seed, numpy_rng, torch_gen

__all__ = [
    "RidgeDenoiser",
    "add_gaussian_noise",
    "corrupted_pairs",
    "denoising_loss",
    "mask_pixels",
    "mean_psnr",
    "pca_projector",
    "psnr",
]

Array: TypeAlias = np.ndarray | torch.Tensor
Corruption = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def _images(X: Array) -> Array:
    if isinstance(X, torch.Tensor):
        X = check.as_tensor("X", X, X.dtype if X.dtype.is_floating_point else torch.float32, ndim=2)
    else:
        X = check.data_matrix("X", X)
    return check.unit_interval("X", X)


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
    if clean.min() < 0 or clean.max() > data_range:
        raise ValueError(
            f"clean must lie in [0, data_range={data_range:g}], got [{clean.min():g}, {clean.max():g}]"
        )
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


def _unit_images(name: str, X) -> np.ndarray:
    return check.unit_interval(name, as_finite_array(name, X, ndim=2))


def corrupted_pairs(
    X: np.ndarray, corruptions: Sequence[Corruption], *, n_copies: int = 10, seed: Seed = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Training pairs (c(x), x): every image corrupted ``n_copies`` times by every corruption.

    Parameters
    ----------
    X : array, shape (n, D)
        Clean images, pixels in [0, 1].
    corruptions : sequence of callable
        ``c(x, generator) -> corrupted x`` on torch tensors, the same callables as for
        :func:`~ae_lib.denoising_loss`.
    n_copies : int
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    inputs, targets : numpy.ndarray, shape (n_copies · len(corruptions) · n, D)
    """
    X = _unit_images("X", X)
    corruptions = list(corruptions)
    if not corruptions or not all(callable(c) for c in corruptions):
        raise ValueError("corruptions must be a non-empty sequence of callables c(x, generator)")
    n_copies = positive_int("n_copies", n_copies)
    gen = torch_gen(seed)
    x = torch.as_tensor(X, dtype=torch.float64)
    inputs = [c(x, gen).double().numpy() for _ in range(n_copies) for c in corruptions]
    return np.concatenate(inputs), np.tile(X, (n_copies * len(corruptions), 1))


class RidgeDenoiser:
    """x̂ = clip(W c(x) + b, 0, 1), fitted by ridge regression on (corrupted, clean) pairs.

    Minimises (1/R) Σ_r ‖W c_r + b − x_r‖² + λ ‖W‖²_F over the R training pairs, i.e.
    scikit-learn's ``Ridge(alpha=λ R)``, so that λ does not depend on ``n_copies``.

    Parameters
    ----------
    strength : float
        λ > 0.

    Attributes
    ----------
    ridge_ : sklearn.linear_model.Ridge
        The fitted regression (``coef_`` is W, shape (D, D)).
    """

    def __init__(self, strength: float = 1e-3) -> None:
        self.strength = positive_float("strength", strength)

    def fit(
        self, X: np.ndarray, corruptions: Sequence[Corruption], *, n_copies: int = 10, seed: Seed = 0
    ) -> RidgeDenoiser:
        """Fit on :func:`corrupted_pairs` of the clean training images ``X`` (shape (n, D)).

        Returns
        -------
        RidgeDenoiser
            ``self``, fitted.
        """
        inputs, targets = corrupted_pairs(X, corruptions, n_copies=n_copies, seed=seed)
        self.ridge_ = Ridge(alpha=self.strength * len(inputs)).fit(inputs, targets)
        return self

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """The denoised images of corrupted images ``X`` (shape (n, D)), clipped to [0, 1]."""
        if not hasattr(self, "ridge_"):
            raise RuntimeError("RidgeDenoiser is not fitted: call fit(X, corruptions) first")
        X = as_finite_array("X", X, ndim=2)
        if X.shape[1] != self.ridge_.coef_.shape[1]:
            raise ValueError(f"X must have {self.ridge_.coef_.shape[1]} columns, got {X.shape[1]}")
        return np.clip(self.ridge_.predict(X), 0.0, 1.0)


def mean_psnr(
    denoiser: Callable[[np.ndarray], np.ndarray],
    X_clean: np.ndarray,
    X_corrupted: np.ndarray | Sequence[np.ndarray],
) -> float:
    """Mean PSNR (dB) of ``denoiser`` over images and corruptions: the validation score of Section 4.1.

    Parameters
    ----------
    denoiser : callable
        ``denoiser(X) -> X_hat``, shape (n, D) to (n, D).
    X_clean : array, shape (n, D)
    X_corrupted : array of shape (n, D), or a sequence of them (one per corruption)
        Corrupted versions of ``X_clean``; the result averages over all of them.

    Returns
    -------
    float
    """
    X_clean = _unit_images("X_clean", X_clean)
    many = X_corrupted if isinstance(X_corrupted, (list, tuple)) else [X_corrupted]
    if not many:
        raise ValueError("X_corrupted must not be an empty sequence")
    out = []
    for i, Xc in enumerate(many):
        Xc = as_finite_array(f"X_corrupted[{i}]" if len(many) > 1 else "X_corrupted", Xc, ndim=2)
        if Xc.shape != X_clean.shape:
            raise ValueError(f"X_corrupted must have the shape of X_clean {X_clean.shape}, got {Xc.shape}")
        out.append(float(np.mean(psnr(X_clean, denoiser(Xc)))))
    return float(np.mean(out))
