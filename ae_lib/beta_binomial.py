"""The beta-binomial distribution: a grey level as a count of inked cells (Definition 3.3.4).

The digits of :func:`~ae_lib.load_digits` were made by counting the black cells of a 32 × 32
bitmap in each 4 × 4 block :cite:p:`alpaydin1998optdigits`, so a pixel is a count out of
N = 16.  A binomial count treats the 16 cells as independent coins and is far too narrow;
the beta-binomial draws the coin's bias from a Beta(α, β) first, which lets a block be
all-white or all-black more often than a binomial allows (overdispersion):

    P(x) = C(N, x) B(x + α, N − x + β) / B(α, β),    x ∈ {0, …, N},

with B the Beta function.  ``torch.distributions`` has no beta-binomial; this one is tested
against ``scipy.stats.betabinom``.
"""

from __future__ import annotations

import math
from typing import ClassVar

import torch
from torch import distributions as td

from . import _checks as check
from ._random import Seed, forked_global_rng, seed_ints, torch_gen
from .likelihoods import N_LEVELS, CategoricalLikelihood

__all__ = ["BetaBinomial", "BetaBinomialLikelihood"]

_EPS = 1e-4  # floor of the likelihood's α, β: keeps log B(α, β) finite


def _log_beta(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b)


class BetaBinomial(td.Distribution):
    """Beta-binomial distribution on {0, …, N} (Definition 3.3.4).

    Parameters
    ----------
    total_count : int
        N ≥ 1, the number of cells (16 for the digits).
    concentration1, concentration0 : torch.Tensor
        α > 0 and β > 0 of the Beta prior on the cell probability, broadcastable; the batch
        shape is their broadcast shape.  The mean is N α / (α + β); as α + β → ∞ with the
        mean fixed it becomes Binomial(N, α / (α + β)).
    validate_args : bool, optional
        Passed to ``torch.distributions.Distribution`` (checks the support in ``log_prob``);
        ``False`` also skips the check that α and β are finite and > 0 (for the decoder's
        inner loop, whose parameters the training loop checks itself).
    """

    arg_constraints: ClassVar[dict] = {
        "concentration1": td.constraints.positive,
        "concentration0": td.constraints.positive,
    }
    has_rsample = False

    def __init__(
        self,
        total_count: int,
        concentration1: torch.Tensor,
        concentration0: torch.Tensor,
        validate_args: bool | None = None,
    ) -> None:
        self.total_count = check.positive_int("total_count", total_count)
        if validate_args is not False:
            for name, c in (("concentration1", concentration1), ("concentration0", concentration0)):
                c = torch.as_tensor(check.as_finite_array(name, c, finite=False))
                if not bool((torch.isfinite(c) & (c > 0)).all()):
                    raise ValueError(f"{name} must be finite and > 0")
        self.concentration1, self.concentration0 = torch.broadcast_tensors(
            torch.as_tensor(concentration1), torch.as_tensor(concentration0)
        )
        super().__init__(self.concentration1.shape, validate_args=validate_args)

    @property
    def support(self) -> td.constraints.Constraint:
        return td.constraints.integer_interval(0, self.total_count)

    @property
    def mean(self) -> torch.Tensor:
        """N α / (α + β)."""
        a, b = self.concentration1, self.concentration0
        return self.total_count * a / (a + b)

    @property
    def variance(self) -> torch.Tensor:
        """N α β (α + β + N) / ((α + β)² (α + β + 1))."""
        a, b, n = self.concentration1, self.concentration0, self.total_count
        s = a + b
        return n * a * b * (s + n) / (s**2 * (s + 1))

    def log_prob(self, value: torch.Tensor) -> torch.Tensor:
        """log P(x), elementwise over the batch shape; x broadcasts against α and β."""
        if self._validate_args:
            self._validate_sample(value)
        n, a, b = float(self.total_count), self.concentration1, self.concentration0
        log_choose = math.lgamma(n + 1.0) - torch.lgamma(value + 1) - torch.lgamma(n - value + 1)
        return log_choose + _log_beta(value + a, n - value + b) - _log_beta(a, b)

    def sample(self, sample_shape: torch.Size | tuple[int, ...] = (), *, seed: Seed = 0) -> torch.Tensor:
        """x ~ Binomial(N, p) with p ~ Beta(α, β), shape ``(*sample_shape, *batch_shape)``.

        ``seed`` (int or generator) seeds both draws; torch's Beta and Binomial take no
        generator, so they run under torch's global generator forked and seeded from it.
        """
        (inner,) = seed_ints(torch_gen(seed), 1)
        with torch.no_grad(), forked_global_rng(inner):
            p = td.Beta(self.concentration1, self.concentration0).sample(sample_shape)
            return td.Binomial(self.total_count, probs=p).sample()


class BetaBinomialLikelihood(CategoricalLikelihood):
    """Grey levels as counts out of 16 with a beta-binomial per pixel; α, β = softplus(params) + 10⁻⁴."""

    name = "beta_binomial"
    params_per_pixel = 2

    def distribution(self, params: torch.Tensor) -> td.Distribution:
        alpha, beta = torch.nn.functional.softplus(params).unbind(-1)
        return td.Independent(BetaBinomial(N_LEVELS - 1, alpha + _EPS, beta + _EPS, validate_args=False), 1)

    def mean(self, params: torch.Tensor) -> torch.Tensor:
        return self.distribution(params).base_dist.mean

    def sample(self, params: torch.Tensor, *, seed: Seed = 0) -> torch.Tensor:
        return self.distribution(params).base_dist.sample(seed=seed)
