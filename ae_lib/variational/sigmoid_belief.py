"""Autoregressive Bernoulli pixels: the fully visible sigmoid belief network (Definition 3.3.6).

Thesis items: Definition 3.3.6 (:obj:`~ae_lib.AutoregressiveBernoulli`).

A product of independent Bernoulli pixels cannot say "if this pixel is inked, its neighbour
probably is too" except through the code z.  The fully visible sigmoid belief network
:cite:p:`neal1992connectionist` orders the D pixels (row by row) and lets each depend on
the pixels before it:

    p(x) = Π_i Bernoulli(x_i; σ(b_i + Σ_{j<i} W_ij x_j)).

On its own (b constant) it is a classical density model, fitted by D logistic regressions
(:func:`fit_sigmoid_belief_net`); as a VAE decoder, b = f_θ(z) comes from the code.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import torch
from torch import distributions as td

from ..core import checks as check
from ..core.checks import positive_float
from ..core.seeds import Seed, torch_gen
from .likelihoods import BernoulliLikelihood

__all__ = ["AutoregressiveBernoulli", "AutoregressiveLikelihood", "fit_sigmoid_belief_net"]


def strictly_lower(weights: torch.Tensor) -> torch.Tensor:
    """W with W[j, i] kept only for j < i, so that x @ W feeds pixel j into pixel i > j only."""
    return torch.triu(weights, diagonal=1)


class AutoregressiveBernoulli(td.Distribution):
    """p(x) = Π_i Bernoulli(x_i; σ(b_i + Σ_{j<i} W_ji x_j)) on {0, 1}ᴰ (Definition 3.3.6).

    Parameters
    ----------
    logits : torch.Tensor, shape (…, D)
        The biases b (for a VAE decoder: f_θ(z)); the leading dimensions are the batch shape.
    weights : torch.Tensor, shape (D, D)
        W; only the entries above the diagonal are used (``W[j, i]``, j < i: pixel j → pixel i).
    validate_args : bool, optional
        ``False`` skips the finiteness check of ``logits`` and ``weights`` (the decoder's inner loop).
    """

    arg_constraints: ClassVar[dict] = {}
    support = td.constraints.independent(td.constraints.boolean, 1)

    def __init__(
        self, logits: torch.Tensor, weights: torch.Tensor, validate_args: bool | None = None
    ) -> None:
        check.instance("logits", logits, torch.Tensor)
        check.instance("weights", weights, torch.Tensor)
        if logits.ndim == 0:
            raise ValueError("logits must have shape (..., D), got a scalar")
        D = logits.shape[-1]
        if validate_args is not False:
            for name, t in (("logits", logits), ("weights", weights)):
                if not bool(torch.isfinite(t).all()):
                    raise ValueError(f"{name} must be finite, but contains NaN or inf")
        if weights.shape != (D, D):
            raise ValueError(
                f"weights must have shape ({D}, {D}) to match logits, got {tuple(weights.shape)}"
            )
        self.logits, self.weights = logits, strictly_lower(weights)
        super().__init__(logits.shape[:-1], torch.Size([D]), validate_args=validate_args)

    def log_prob(self, value: torch.Tensor) -> torch.Tensor:
        """log p(x), summed over the D pixels; x of shape (…, D) broadcasts against the logits."""
        logits = self.logits + value @ self.weights
        return td.Bernoulli(logits=logits).log_prob(value.expand_as(logits)).sum(-1)

    def _sequential(self, generator: torch.Generator | None, draw: bool) -> torch.Tensor:
        """Pixel by pixel in order: draws (``draw``) or, with parents at their probabilities, means."""
        x = torch.zeros(self.logits.shape, dtype=self.logits.dtype)
        for i in range(x.shape[-1]):
            p = torch.sigmoid(self.logits[..., i] + x[..., :i] @ self.weights[:i, i])
            x[..., i] = torch.bernoulli(p, generator=generator) if draw else p
        return x

    @torch.no_grad()
    def sample(self, sample_shape: torch.Size | tuple[int, ...] = (), *, seed: Seed = 0) -> torch.Tensor:
        """Exact draws, pixel by pixel in order; shape ``(*sample_shape, …, D)``."""
        gen = torch_gen(seed)
        if sample_shape:
            draws = [self._sequential(gen, draw=True) for _ in range(int(np.prod(sample_shape)))]
            return torch.stack(draws).reshape(*sample_shape, *self.logits.shape)
        return self._sequential(gen, draw=True)

    @property
    def mean(self) -> torch.Tensor:
        """Mean-field approximation of E[x]: each pixel's parents replaced by their probabilities.

        Exact when W = 0; otherwise E[x] has no closed form and this is what the pictures show.
        """
        return self._sequential(None, draw=False)


def fit_sigmoid_belief_net(X: np.ndarray, C: float = 1.0) -> AutoregressiveBernoulli:
    """The fully visible sigmoid belief network on binary images, by D logistic regressions.

    Pixel i is regressed on pixels 0..i−1 with scikit-learn's L2-regularised
    ``LogisticRegression(C=C)``; a pixel that is constant in ``X`` gets the smoothed
    frequency (n₁ + ½) / (n + 1) instead.

    Parameters
    ----------
    X : array, shape (n, D)
        Binary training images, n ≥ 1.
    C : float
        Inverse L2 strength, > 0.

    Returns
    -------
    AutoregressiveBernoulli
        With batch shape () and event shape (D,), float32.
    """
    from sklearn.linear_model import LogisticRegression

    X = check.data_matrix("X", X)
    check.integer_levels("X", X, 2)
    C = positive_float("C", C)
    n, D = X.shape
    bias, W = np.zeros(D), np.zeros((D, D))
    for i in range(D):
        y = X[:, i]
        if i == 0 or y.min() == y.max():
            p = (y.sum() + 0.5) / (n + 1)
            bias[i] = np.log(p / (1 - p))
        else:
            reg = LogisticRegression(C=C, max_iter=2000).fit(X[:, :i], y)
            bias[i], W[:i, i] = reg.intercept_[0], reg.coef_[0]
    return AutoregressiveBernoulli(
        torch.tensor(bias, dtype=torch.float32), torch.tensor(W, dtype=torch.float32)
    )


class AutoregressiveLikelihood(BernoulliLikelihood):
    """Binary pixels where pixel i also sees the pixels j < i: AutoregressiveBernoulli(params, W).

    W (D × D, only entries above the diagonal used) is a parameter trained with the
    decoder; it starts at 0, where the likelihood is :class:`BernoulliLikelihood`'s.
    """

    name = "autoregressive"

    def __init__(self, input_dim: int = 64) -> None:
        super().__init__(input_dim)
        self.weights = torch.nn.Parameter(torch.zeros(self.input_dim, self.input_dim))

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        return AutoregressiveBernoulli(params, self.weights, validate_args=False)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        """E[x|z] by mean field (:attr:`AutoregressiveBernoulli.mean <ae_lib.AutoregressiveBernoulli.mean>`), shape (…, D)."""
        return self.distribution(params).mean

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        return self.distribution(params).sample(seed=seed)
