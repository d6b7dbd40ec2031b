"""Linear denoisers for Section 4.1: the baselines a denoising autoencoder has to beat.

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

import numpy as np
import torch
from sklearn.linear_model import Ridge

from ._checks import as_finite_array, positive_float, positive_int
from ._random import Seed, torch_gen
from .denoising import psnr

__all__ = ["RidgeDenoiser", "corrupted_pairs", "mean_psnr"]

Corruption = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def _unit_images(name: str, X) -> np.ndarray:
    X = as_finite_array(name, X, ndim=2)
    if X.min() < 0 or X.max() > 1:
        raise ValueError(f"{name} must hold pixels in [0, 1], got range [{X.min():g}, {X.max():g}]")
    return X


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
