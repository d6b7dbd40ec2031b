"""Reconstruction: training autoencoders and measuring them against PCA (Section 2.2).

The loss is the mean squared error per pixel, ``mean((g(f(x)) - x)²)`` over images and
pixels.  PCA with z components is the best *linear* autoencoder with code dimension z
(Eckart–Young; Baldi & Hornik 1989), so its test error is the yardstick.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

from ._checks import as_finite_array, positive_int
from .autoencoder import AutoencoderNet
from .data import train_val_split
from .training import History, as_tensor, fit

__all__ = [
    "reconstruction_loss",
    "train_autoencoder",
    "reconstruction_mse",
    "encode",
    "decode",
    "pca_mse",
    "linear_autoencoder",
    "decoder_columns",
    "principal_angles",
]


def reconstruction_loss(noise: float = 0.0) -> Callable:
    """A ``loss_fn`` for :func:`~ae_lib.fit`: per-pixel MSE of the reconstruction.

    Parameters
    ----------
    noise : float
        Standard deviation σ of Gaussian noise added to the *input* during training
        (a denoising autoencoder, Vincent et al. 2008); the target stays the clean x.
        No noise in evaluation (``model.training`` is False).

    Returns
    -------
    callable
        ``loss_fn(model, (x,), generator) -> scalar tensor``.
    """
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be finite and >= 0, got {noise}")

    def loss_fn(model, batch, generator):
        x = batch[0]
        x_in = x
        if noise > 0 and model.training:
            eps = torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
            x_in = x + noise * eps
        return ((model(x_in) - x) ** 2).mean()

    return loss_fn


def train_autoencoder(
    model: torch.nn.Module,
    X_train: np.ndarray,
    *,
    val_fraction: float = 0.1,
    epochs: int = 100,
    batch_size: int = 128,
    lr: float = 0.01,
    noise: float = 0.0,
    schedule: str | None = "onecycle",
    seed: int = 0,
    **fit_kwargs,
) -> History:
    """Train ``model`` to reconstruct ``X_train`` (shape (n, d)) with :func:`~ae_lib.fit`.

    A fraction ``val_fraction`` of the training set is held out for the validation
    curve (never the test set); ``val_fraction=0`` trains on all of ``X_train``.  Adam, peak step size ``lr``, OneCycle schedule by default.

    Returns
    -------
    History
    """
    X_train = as_finite_array("X_train", X_train, ndim=2)
    if val_fraction == 0:
        X_fit, X_val = X_train, None
    else:
        X_fit, X_val = train_val_split(X_train, val_fraction=val_fraction, seed=seed)
    dtype = next(model.parameters()).dtype
    return fit(model, reconstruction_loss(noise), X_fit, X_val, epochs=epochs, batch_size=batch_size,
               lr=lr, schedule=schedule, seed=seed, dtype=dtype, **fit_kwargs)


def _apply(fn, X: np.ndarray, model: torch.nn.Module) -> np.ndarray:
    dtype = next(model.parameters()).dtype
    model.eval()
    with torch.no_grad():
        return fn(as_tensor(X, dtype)).double().numpy()


def reconstruction_mse(model: torch.nn.Module, X: np.ndarray) -> float:
    """Per-pixel mean squared reconstruction error of ``model`` on ``X`` (shape (n, d))."""
    X = as_finite_array("X", X, ndim=2)
    return float(np.mean((_apply(model, X, model) - X) ** 2))


def encode(model: AutoencoderNet, X: np.ndarray) -> np.ndarray:
    """The codes of ``X`` as a float64 array of shape (n, z)."""
    return _apply(model.encode, as_finite_array("X", X, ndim=2), model)


def decode(model: AutoencoderNet, Z: np.ndarray) -> np.ndarray:
    """The reconstructions of codes ``Z`` (shape (n, z)) as a float64 array of shape (n, d)."""
    return _apply(model.decode, as_finite_array("Z", Z, ndim=2), model)


def pca_mse(X_train: np.ndarray, X_test: np.ndarray, z: int) -> float:
    """Test MSE per pixel of PCA with ``z`` components fitted on ``X_train``.

    The best linear autoencoder with code dimension z on the training data
    (Eckart–Young); on test data it is the yardstick, not a bound.
    """
    z = positive_int("z", z)
    pca = PCA(n_components=z).fit(as_finite_array("X_train", X_train, ndim=2))
    X_test = as_finite_array("X_test", X_test, ndim=2)
    return float(np.mean((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2))


class _Shift(torch.nn.Module):
    """x ↦ x + c for a fixed vector c (a buffer, not a parameter)."""

    def __init__(self, c: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("c", c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.c


def linear_autoencoder(
    d: int, z: int, *, center: np.ndarray | None = None, seed: int = 0, dtype: torch.dtype = torch.float64
) -> AutoencoderNet:
    """A linear autoencoder x ↦ W₂(W₁(x - c) + b₁) + b₂ + c with widths (d, z, d).

    Parameters
    ----------
    d, z : int
        Input and code dimension.
    center : array of shape (d,), optional
        A fixed shift c, e.g. the training mean.  It changes nothing the model can
        represent (the biases could absorb it) but makes gradient descent well
        conditioned: on uncentred pixels the mean direction dominates the curvature
        and caps the stable step size.
    seed : int
    dtype : torch.dtype
    """
    d, z = positive_int("d", d), positive_int("z", z)
    net = AutoencoderNet([d, z], "identity", seed=seed, dtype=dtype)
    if center is not None:
        c = torch.as_tensor(as_finite_array("center", center, ndim=1), dtype=dtype)
        if c.shape != (d,):
            raise ValueError(f"center must have shape ({d},), got {tuple(c.shape)}")
        net.encoder.insert(0, _Shift(-c))
        net.decoder.append(_Shift(c))
    return net


def decoder_columns(model: AutoencoderNet) -> np.ndarray:
    """W₂ of a linear autoencoder, shape (d, z): its columns span the decoder's image."""
    lins = [m for m in model.decoder if isinstance(m, torch.nn.Linear)]
    if len(lins) != 1:
        raise ValueError(f"model's decoder must have exactly one Linear layer, got {len(lins)}")
    return lins[0].weight.detach().double().numpy()


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles (radians, decreasing) between the column spaces of A and B (shape (d, k))."""
    return subspace_angles(as_finite_array("A", A, ndim=2), as_finite_array("B", B, ndim=2))
