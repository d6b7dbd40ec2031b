"""Tests of ae_lib.linear_gaussian (Example 3.1.2): exact log p(x), posterior, the ELBO identity."""

import numpy as np
import pytest
import torch
from torch import distributions as td

import ae_lib as ae

RNG = np.random.default_rng(0)
W, B = RNG.normal(size=(5, 2)), RNG.normal(size=5)
X = RNG.normal(size=(7, 5))


class TestLinearGaussianModel:
    def test_marginal_by_monte_carlo(self):
        """log p(x) = log E_{p(z)} p(x|z), checked with 400 000 prior draws (Example 3.1.2)."""
        model = ae.LinearGaussianModel(W, B, 0.5)
        z = torch.randn(400_000, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        lik = td.Independent(td.Normal(z @ model.W.T + model.b, 0.5**0.5), 1)
        mc = [torch.logsumexp(lik.log_prob(torch.as_tensor(x)), 0) - np.log(len(z)) for x in X[:2]]
        np.testing.assert_allclose(torch.stack(mc).numpy(), model.log_marginal(X[:2]).numpy(), atol=0.02)

    def test_elbo_identity(self):
        """log p(x) = ELBO(q) + KL(q ‖ p(z|x)) for an arbitrary Gaussian q (Theorem 3.1.4)."""
        model = ae.LinearGaussianModel(W, B, 0.3)
        m = RNG.normal(size=(7, 2))
        L = np.array([[0.7, 0.0], [0.2, 0.4]])
        S = L @ L.T
        lhs = model.log_marginal(X)
        rhs = model.elbo(X, m, S) + model.kl_to_posterior(X, m, S)
        torch.testing.assert_close(lhs, rhs)

    def test_elbo_tight_at_posterior(self):
        """ELBO = log p(x) when q is the exact posterior, and ELBO < log p(x) otherwise."""
        model = ae.LinearGaussianModel(W, B, 0.3)
        mean, cov = model.posterior(X)
        torch.testing.assert_close(model.elbo(X, mean, cov), model.log_marginal(X))
        assert (model.elbo(X, mean + 0.1, cov) < model.log_marginal(X)).all()

    def test_bad_sigma(self):
        """σ² ≤ 0 is refused, naming sigma2."""
        with pytest.raises(ValueError, match="sigma2 must be finite and > 0"):
            ae.LinearGaussianModel(W, B, 0.0)
