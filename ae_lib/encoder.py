"""The encoder q_φ(z|x) and the reparameterisation: Definition 3.1.3 and Proposition 3.1.6.

:class:`GaussianEncoder` maps x to the mean and log-variance of a diagonal Gaussian over the
code z; :func:`reparameterize` draws z = μ + σ ε so that gradients flow through the draw;
:func:`diagonal_gaussian` is q_φ(z|x) as a ``torch.distributions`` object, the one place
it is built (the encoder, the ELBO's KL term and the IWAE weights all use it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import distributions as td

from . import _checks as check
from ._random import Seed, torch_gen
from .torch_nets import mlp

__all__ = ["GaussianEncoder", "diagonal_gaussian", "reparameterize"]


def reparameterize(
    mu: torch.Tensor, log_var: torch.Tensor, *, seed: Seed = 0, n_samples: int | None = None
) -> torch.Tensor:
    """z = μ + σ ⊙ ε with ε ~ N(0, I), σ = exp(log_var / 2) (Proposition 3.1.6).

    z is a differentiable function of (μ, log σ²); the noise ε carries all randomness.

    Parameters
    ----------
    mu, log_var : torch.Tensor, shape (n, d)
    seed : int, numpy.random.Generator or torch.Generator
        Source of ε (a generator is advanced).
    n_samples : int, optional
        Draw this many z per row: the result then has shape (n_samples, n, d).

    Returns
    -------
    torch.Tensor, shape (n, d) or (n_samples, n, d)
    """
    mu, log_var = mean_and_log_var(mu, log_var)
    if n_samples is not None:
        n_samples = check.positive_int("n_samples", n_samples)
    return draw_codes(mu, log_var, torch_gen(seed), n_samples)


def draw_codes(
    mu: torch.Tensor, log_var: torch.Tensor, gen: torch.Generator, n_samples: int | None
) -> torch.Tensor:
    shape = mu.shape if n_samples is None else (n_samples, *mu.shape)
    eps = torch.randn(shape, generator=gen, dtype=mu.dtype).to(mu.device)  # CPU draws: same on every device
    return mu + torch.exp(0.5 * log_var) * eps


def diagonal_gaussian(mu: torch.Tensor, log_var: torch.Tensor) -> td.Distribution:
    """q_φ(z|x) = N(μ, diag σ²) as a distribution with event shape (d,).

    Parameters
    ----------
    mu, log_var : torch.Tensor, shape (n, d)

    Returns
    -------
    torch.distributions.Distribution
        Batch shape (n,), event shape (d,).
    """
    mu, log_var = mean_and_log_var(mu, log_var)
    return posterior(mu, log_var)


def posterior(mu: torch.Tensor, log_var: torch.Tensor) -> td.Distribution:
    """The one place q_φ(z|x) is built (the encoder, the ELBO's KL and the IWAE weights call it)."""
    return td.Independent(td.Normal(mu, torch.exp(0.5 * log_var)), 1)


def mean_and_log_var(mu: Any, log_var: Any) -> tuple[torch.Tensor, torch.Tensor]:
    mu = check.as_tensor("mu", mu, mu.dtype if isinstance(mu, torch.Tensor) else torch.float32)
    log_var = check.as_tensor("log_var", log_var, mu.dtype)
    if log_var.shape != mu.shape:
        raise ValueError(f"log_var must have the shape of mu {tuple(mu.shape)}, got {tuple(log_var.shape)}")
    return mu, log_var


class GaussianEncoder(torch.nn.Module):
    """q_φ(z|x) = N(μ_φ(x), diag σ²_φ(x)) (Definition 3.1.3).

    An encoder in the sense of Lemma 2.1.1 whose last layer outputs 2·d numbers: the mean
    μ_φ(x) and the log-variance log σ²_φ(x) of a diagonal Gaussian over the code z ∈ ℝᵈ.

    Parameters
    ----------
    input_dim, latent_dim : int
    hidden : sequence of int
        Widths of the hidden ReLU layers, e.g. ``(128,)``.
    dropout : float
        Dropout probability in [0, 1) after each hidden layer (training mode only).
    """

    def __init__(
        self, input_dim: int, latent_dim: int, hidden: Sequence[int] = (128,), dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.input_dim = check.positive_int("input_dim", input_dim)
        self.latent_dim = check.positive_int("latent_dim", latent_dim)
        hidden = check.widths("hidden", hidden)
        self.net = mlp((self.input_dim, *hidden, 2 * self.latent_dim), "relu", dropout=dropout)

    def forward(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ, log σ²), each of shape (n, d), for inputs X of shape (n, input_dim)."""
        out = self.net(X)
        return out[..., : self.latent_dim], out[..., self.latent_dim :]

    def distribution(self, X: torch.Tensor) -> td.Distribution:
        """q_φ(z | x) for each row of X (shape (n, input_dim)): batch shape (n,), event shape (d,)."""
        X = check.as_tensor("X", X, self.net[0].weight.dtype, width=self.input_dim, of="input_dim")
        return posterior(*self(X))
