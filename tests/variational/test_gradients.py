"""Tests of ae_lib.variational.gradients (Proposition 3.1.6, Lemma 3.1.7)."""

from __future__ import annotations

import pytest
import torch

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _square(z):
    return z**2


class TestReparamGradient:
    def test_unbiased(self):
        """For f(z) = z², the mean estimate is ∇(μ² + σ²) = (2μ, 2σ)."""
        g = ae.reparam_gradient(_square, 1.5, 0.5, 200_000, seed=_gen()).mean(0)
        assert g[0].item() == pytest.approx(3.0, abs=0.01)
        assert g[1].item() == pytest.approx(1.0, abs=0.01)

    def test_matches_autograd_of_rsample(self):
        """Per draw, it equals autograd through torch's Normal.rsample with the same noise."""
        mu = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        sigma = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
        torch.manual_seed(0)
        eps = torch.randn(1, generator=_gen(5), dtype=torch.float64)
        (torch.sin(mu + sigma * eps)).sum().backward()
        g = ae.reparam_gradient(torch.sin, 0.3, 0.8, 1, seed=_gen(5))[0]
        assert g[0].item() == pytest.approx(mu.grad.item()) and g[1].item() == pytest.approx(
            sigma.grad.item()
        )

    def test_step_function_is_biased(self):
        """For a step f the estimate is 0 though ∂μ E f = φ(μ/σ)/σ > 0: f must be differentiable."""
        g = ae.reparam_gradient(lambda t: (t > 0).double(), 0.0, 1.0, 100, seed=_gen())
        assert torch.equal(g, torch.zeros(100, 2, dtype=torch.float64))


class TestScoreFunctionGradient:
    def test_unbiased(self):
        """For f(z) = z², the mean estimate is (2μ, 2σ) too (Lemma 3.1.7)."""
        g = ae.score_function_gradient(_square, 1.5, 0.5, 400_000, seed=_gen()).mean(0)
        assert g[0].item() == pytest.approx(3.0, abs=0.05)
        assert g[1].item() == pytest.approx(1.0, abs=0.05)

    def test_higher_variance(self):
        """Here the score-function estimator's variance exceeds the reparameterised one's."""
        a = ae.reparam_gradient(_square, 1.5, 0.5, 20_000, seed=_gen()).var(0)
        b = ae.score_function_gradient(_square, 1.5, 0.5, 20_000, seed=_gen()).var(0)
        assert (b > a).all()

    def test_sigma_positive(self):
        """σ ≤ 0 is refused, naming sigma."""
        with pytest.raises(ValueError, match=r"sigma( == .*, must be > 0| must be finite)"):
            ae.score_function_gradient(_square, 0.0, 0.0, 10)
