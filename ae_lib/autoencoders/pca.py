"""PCA, the best linear autoencoder: the yardstick of Section 2.2.

Thesis items: none numbered; what the chapter's section computes beyond the draft.

PCA with d components is the best *linear* autoencoder with code dimension d
(Eckart–Young; Baldi & Hornik 1989): :func:`pca_mse` is its test error, and a linear
autoencoder trained by gradient descent (:func:`linear_autoencoder`) finds the same
subspace, which :func:`decoder_columns` and :func:`principal_angles` measure.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

from ..core import checks as check
from ..core.checks import as_finite_array
from ..core.seeds import Seed
from .autoencoder import AutoencoderNet

__all__ = ["decoder_columns", "linear_autoencoder", "pca_errors", "pca_mse", "principal_angles"]


def pca_mse(X_train: np.ndarray, X_test: np.ndarray, latent_dim: int) -> float:
    """Test MSE per pixel of PCA with ``latent_dim`` components fitted on ``X_train``.

    The best linear autoencoder with code dimension d = ``latent_dim`` on the training
    data (Eckart–Young); on test data it is the yardstick, not a bound.

    Parameters
    ----------
    X_train : array, shape (n, D)
    X_test : array, shape (m, D)
    latent_dim : int
        1 ≤ latent_dim ≤ min(n, D).

    Returns
    -------
    float
    """
    return float(pca_errors(X_train, X_test, latent_dim).mean())


def pca_errors(X_train: np.ndarray, X_test: np.ndarray, latent_dim: int) -> np.ndarray:
    """Per-image test MSE of PCA with ``latent_dim`` components fitted on ``X_train``.

    The per-item values behind :func:`pca_mse` (their mean), for standard errors over
    test images and paired differences against an autoencoder on the same images.

    Parameters
    ----------
    X_train : array, shape (n, D)
    X_test : array, shape (m, D)
    latent_dim : int
        1 ≤ latent_dim ≤ min(n, D).

    Returns
    -------
    numpy.ndarray, shape (m,)
    """
    X_train = check.data_matrix("X_train", X_train)
    X_test = check.data_matrix("X_test", X_test, X_train.shape[1], "the width of X_train")
    latent_dim = check.positive_int("latent_dim", latent_dim)
    if latent_dim > min(X_train.shape):
        raise ValueError(
            f"latent_dim must be <= min(n, D) = {min(X_train.shape)} for X_train, got {latent_dim}"
        )
    pca = PCA(n_components=latent_dim).fit(X_train)
    return np.mean((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2, axis=1)


class _Shift(torch.nn.Module):
    """x ↦ x + c for a fixed vector c (a buffer, not a parameter)."""

    def __init__(self, c: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("c", c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.c


def linear_autoencoder(
    input_dim: int,
    latent_dim: int,
    *,
    center: np.ndarray | None = None,
    seed: Seed = 0,
    dtype: torch.dtype = torch.float64,
) -> AutoencoderNet:
    """A linear autoencoder x ↦ W₂(W₁(x - c) + b₁) + b₂ + c with widths (D, d, D).

    Parameters
    ----------
    input_dim, latent_dim : int
        D and d: input and code dimension.
    center : array of shape (D,), optional
        A fixed shift c, e.g. the training mean.  It changes nothing the model can
        represent (the biases could absorb it) but makes gradient descent well
        conditioned: on uncentred pixels the mean direction dominates the curvature
        and caps the stable step size.
    seed : int, numpy.random.Generator or torch.Generator
    dtype : torch.dtype
        float64 by default; :func:`~ae_lib.fit` adopts it.

    Returns
    -------
    AutoencoderNet
    """
    D, d = check.positive_int("input_dim", input_dim), check.positive_int("latent_dim", latent_dim)
    net = AutoencoderNet([D, d], "identity", seed=seed, dtype=check.instance("dtype", dtype, torch.dtype))
    if center is not None:
        c = torch.as_tensor(as_finite_array("center", center, ndim=1), dtype=dtype)
        if c.shape != (D,):
            raise ValueError(f"center must have shape ({D},) (input_dim), got {tuple(c.shape)}")
        net.encoder.insert(0, _Shift(-c))
        net.decoder.append(_Shift(c))
    return net


def decoder_columns(model: AutoencoderNet) -> np.ndarray:
    """W₂ of a linear autoencoder, shape (D, d): its columns span the decoder's image."""
    check.instance("model", model, AutoencoderNet)
    lins = [m for m in model.decoder if isinstance(m, torch.nn.Linear)]
    if len(lins) != 1:
        raise ValueError(f"model's decoder must have exactly one Linear layer, got {len(lins)}")
    return lins[0].weight.detach().double().numpy()


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles (radians, decreasing) between the column spaces of A (D, k) and B (D, l).

    Returns
    -------
    numpy.ndarray, shape (min(k, l),)
    """
    A = check.data_matrix("A", A)
    B = check.data_matrix("B", B)
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B need the same number of rows, got shapes {A.shape} and {B.shape}")
    return subspace_angles(A, B)
