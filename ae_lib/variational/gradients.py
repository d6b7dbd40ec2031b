"""Two unbiased estimators of ∇ E_{z~N(μ,σ²)}[f(z)]: reparameterised and score-function.

Thesis items: Lemma 3.1.7 (:obj:`~ae_lib.score_function_gradient`); Figure 3.4
(:obj:`~ae_lib.reparam_gradient`).

Lemma 3.1.7 (:func:`score_function_gradient`, REINFORCE :cite:p:`williams1992simple`) and
the gradient form of Proposition 3.1.6 (:func:`reparam_gradient`).  Both return one
gradient estimate per draw, so their means and variances can be compared.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..core import checks as check
from ..core.seeds import Seed, torch_gen

__all__ = ["reparam_gradient", "score_function_gradient"]

Integrand = Callable[[torch.Tensor], torch.Tensor]


def _draws(f: Integrand, mu: float, sigma: float, n: int, seed: Seed) -> tuple[float, float, torch.Tensor]:
    """Checked (μ, σ) and n standard normal draws ε, float64."""
    check.function("f", f)
    mu, sigma = check.real("mu", mu), check.positive_float("sigma", sigma)
    eps = torch.randn(check.positive_int("n", n), generator=torch_gen(seed), dtype=torch.float64)
    return mu, sigma, eps


def _values(f: Integrand, z: torch.Tensor) -> torch.Tensor:
    out = f(z)
    if not isinstance(out, torch.Tensor) or out.shape != z.shape:
        raise ValueError(
            f"f must map a tensor of shape {tuple(z.shape)} to one of the same shape, "
            f"got {getattr(out, 'shape', type(out).__name__)}"
        )
    return out


def reparam_gradient(f: Integrand, mu: float, sigma: float, n: int, *, seed: Seed = 0) -> torch.Tensor:
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
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    torch.Tensor, shape (n, 2)
        Column 0: the ∂/∂μ estimates, column 1: the ∂/∂σ estimates.
    """
    mu, sigma, eps = _draws(f, mu, sigma, n, seed)
    m = torch.full_like(eps, mu, requires_grad=True)
    s = torch.full_like(eps, sigma, requires_grad=True)
    out = _values(f, m + s * eps)
    if not out.requires_grad:  # piecewise constant f (e.g. a step): autograd's derivative is 0
        return torch.zeros(eps.shape[0], 2, dtype=eps.dtype)
    out.sum().backward()
    return torch.stack([m.grad, s.grad], dim=1)


def score_function_gradient(f: Integrand, mu: float, sigma: float, n: int, *, seed: Seed = 0) -> torch.Tensor:
    """Per-draw estimates f(z) ∇_{(μ,σ)} log N(z; μ, σ²), z ~ N(μ, σ²) (Lemma 3.1.7).

    ∇ log N = ((z − μ)/σ², ((z − μ)² − σ²)/σ³).  Needs only values of f, not its derivative.

    Parameters
    ----------
    f : callable
        Elementwise on a float64 tensor of shape (n,).
    mu, sigma : float
        σ > 0.
    n : int
    seed : int, numpy.random.Generator or torch.Generator

    Returns
    -------
    torch.Tensor, shape (n, 2)
        Column 0: the ∂/∂μ estimates, column 1: the ∂/∂σ estimates.
    """
    mu, sigma, eps = _draws(f, mu, sigma, n, seed)
    z = mu + sigma * eps
    with torch.no_grad():
        fz = _values(f, z)
    score = torch.stack([eps / sigma, (eps.pow(2) - 1.0) / sigma], dim=1)
    return fz[:, None] * score
