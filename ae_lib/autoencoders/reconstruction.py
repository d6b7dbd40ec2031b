"""Reconstruction: training autoencoders and measuring their error (Section 2.2).

Thesis items: none numbered; what the chapter's section computes beyond the draft.

The loss is the mean squared error per pixel, ``mean((g(f(x)) - x)²)`` over images and
pixels; :mod:`ae_lib.autoencoders.pca` holds the linear yardstick it is compared with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..book.data import train_val_split
from ..core import checks as check
from ..core.seeds import Seed
from ..core.torch_nets import input_width, model_dtype
from ..core.training import History, fit
from .autoencoder import AutoencoderNet

__all__ = [
    "decode",
    "encode",
    "reconstruction_errors",
    "reconstruction_loss",
    "reconstruction_mse",
    "train_autoencoder",
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
        ``loss_fn(model, (X,), seed) -> scalar tensor`` for X of shape (n, D) and a
        ``torch.Generator`` ``seed``.
    """
    noise = check.nonneg_float("noise", noise)

    def loss_fn(
        model: torch.nn.Module, batch: tuple[torch.Tensor, ...], seed: torch.Generator
    ) -> torch.Tensor:
        x = batch[0]
        x_in = x
        if noise > 0 and model.training:
            eps = torch.randn(x.shape, generator=seed, dtype=x.dtype).to(x.device)
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
    seed: Seed = 0,
    **fit_kwargs: Any,
) -> History:
    """Train ``model`` to reconstruct ``X_train`` with :func:`~ae_lib.fit`.

    A fraction ``val_fraction`` of the training set is held out for the validation
    curve (never the test set); ``val_fraction=0`` trains on all of ``X_train``.  Adam,
    peak step size ``lr``, OneCycle schedule by default.

    Parameters
    ----------
    model : torch.nn.Module
        E.g. an :class:`~ae_lib.AutoencoderNet`, trained in place.
    X_train : array, shape (n, D)
    val_fraction : float
        In [0, 1).
    epochs, batch_size : int
    lr : float
    noise : float
        Input noise σ ≥ 0 of :func:`reconstruction_loss`.
    schedule : {"onecycle", None}
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the validation split and :func:`~ae_lib.fit`.
    **fit_kwargs
        Passed to :func:`~ae_lib.fit` (e.g. ``optimizer``).

    Returns
    -------
    History
    """
    check.instance("model", model, torch.nn.Module)
    X_train = check.data_matrix("X_train", X_train, input_width(model), "the model's input width", min_rows=2)
    check.unit_interval("X_train", X_train)
    if check.fraction("val_fraction", val_fraction) == 0:
        X_fit, X_val = X_train, None
    else:
        X_fit, X_val = train_val_split(X_train, val_fraction=val_fraction, seed=seed)
    return fit(
        model,
        reconstruction_loss(noise),
        X_fit,
        X_val,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        schedule=schedule,
        seed=seed,
        **fit_kwargs,
    )


def _apply(fn: Callable, X: np.ndarray, model: torch.nn.Module) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return fn(torch.as_tensor(X, dtype=model_dtype(model))).double().numpy()


def _autoencoder(model: Any) -> AutoencoderNet:
    return check.instance("model", model, AutoencoderNet)


def reconstruction_mse(model: torch.nn.Module, X: np.ndarray) -> float:
    """Per-pixel mean squared reconstruction error of ``model`` on ``X`` (shape (n, D)).

    ``model(x)`` must be the reconstruction (an :class:`~ae_lib.AutoencoderNet`, or any module).
    """
    return float(reconstruction_errors(model, X).mean())


def reconstruction_errors(model: torch.nn.Module, X: np.ndarray) -> np.ndarray:
    """Per-image mean squared reconstruction error of ``model`` on ``X``.

    The per-item values behind :func:`reconstruction_mse` (their mean): standard errors
    over test images, and paired differences between two models on the same images,
    start from them.

    Parameters
    ----------
    model : torch.nn.Module
        ``model(x)`` is the reconstruction (an :class:`~ae_lib.AutoencoderNet`, or any module).
    X : array, shape (n, D)

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``mean((g(f(x_j)) - x_j)²)`` over the D pixels of each row x_j.
    """
    check.instance("model", model, torch.nn.Module)
    X = check.unit_interval("X", check.data_matrix("X", X, input_width(model), "the model's input width"))
    return np.mean((_apply(model, X, model) - X) ** 2, axis=1)


def encode(model: AutoencoderNet, X: np.ndarray) -> np.ndarray:
    """The codes of ``X`` (shape (n, input_dim)) as a float64 array of shape (n, latent_dim)."""
    X = check.unit_interval(
        "X", check.data_matrix("X", X, _autoencoder(model).input_dim, "the model's input_dim")
    )
    return _apply(model.encode, X, model)


def decode(model: AutoencoderNet, Z: np.ndarray) -> np.ndarray:
    """The reconstructions of codes ``Z`` (shape (n, latent_dim)) as a float64 array of shape (n, input_dim)."""
    Z = check.data_matrix("Z", Z, _autoencoder(model).latent_dim, "the model's latent_dim")
    return _apply(model.decode, Z, model)
