"""Two unbiased estimators of ∇ E_{z~N(μ,σ²)}[f(z)]: reparameterised and score-function.

Lemma 3.1.7 (:func:`score_function_gradient`, REINFORCE :cite:p:`williams1992simple`) and
the gradient form of Proposition 3.1.6 (:func:`reparam_gradient`).  Both return one
gradient estimate per draw, so their means and variances can be compared.
"""

from __future__ import annotations

from typing import Callable

import torch

from ._checks import positive_float, positive_int

__all__ = ["reparam_gradient", "score_function_gradient"]

Integrand = Callable[[torch.Tensor], torch.Tensor]


def _draws(mu: float, sigma: float, n: int, generator: torch.Generator | None) -> torch.Tensor:
    positive_float("sigma", sigma)
    return torch.randn(positive_int("n", n), generator=generator, dtype=torch.float64)


def reparam_gradient(f: Integrand, mu: float, sigma: float, n: int,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    """Per-draw estimates ∇_{(μ,σ)} f(μ + σε) = f′(z)·(1, ε), ε ~ N(0, 1).

    The gradient identity of Proposition 3.1.6; needs f differentiable (autograd).

    Parameters
    ----------
    f : callable
        Elementwise on a float64 tensor of shape (n,).
    mu, sigma : float
        The Gaussian's mean and standard deviation σ > 0.
    n : int
        Number of draws.
    generator : torch.Generator, optional

    Returns
    -------
    torch.Tensor, shape (n, 2)
        Column 0: the ∂/∂μ estimates, column 1: the ∂/∂σ estimates.
    """
    eps = _draws(mu, sigma, n, generator)
    m = torch.full_like(eps, float(mu), requires_grad=True)
    s = torch.full_like(eps, float(sigma), requires_grad=True)
    out = f(m + s * eps)
    if not out.requires_grad:  # piecewise constant f (e.g. a step): autograd's derivative is 0
        return torch.zeros(eps.shape[0], 2, dtype=eps.dtype)
    out.sum().backward()
    return torch.stack([m.grad, s.grad], dim=1)


def score_function_gradient(f: Integrand, mu: float, sigma: float, n: int,
                            generator: torch.Generator | None = None) -> torch.Tensor:
    """Per-draw estimates f(z) ∇_{(μ,σ)} log N(z; μ, σ²), z ~ N(μ, σ²) (Lemma 3.1.7).

    ∇ log N = ((z − μ)/σ², ((z − μ)² − σ²)/σ³).  Needs only values of f, not its derivative.

    Returns
    -------
    torch.Tensor, shape (n, 2)
        Column 0: the ∂/∂μ estimates, column 1: the ∂/∂σ estimates.
    """
    eps = _draws(mu, sigma, n, generator)
    z = mu + sigma * eps
    with torch.no_grad():
        fz = f(z)
    score = torch.stack([eps / sigma, (eps.pow(2) - 1.0) / sigma], dim=1)
    return fz[:, None] * score
