"""Tests of ae_lib.variational.linear_gaussian.

Tests of ae_lib.variational.linear_gaussian (Example 3.1.2): exact log p(x), posterior, the ELBO identity.

Tests of ae_lib.variational.linear_gaussian (Proposition 3.1.10): the closed form is the maximum, and a linear VAE reaches it.
"""

from __future__ import annotations

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
        with pytest.raises(ValueError, match=r"sigma2( == .*, must be > 0| must be finite)"):
            ae.LinearGaussianModel(W, B, 0.0)


RNG_PPCA = np.random.default_rng(0)
X_PPCA = RNG_PPCA.normal(size=(7, 5))


class TestFitPpca:
    def test_is_maximum(self):
        """The closed form beats nearby parameters in log-likelihood (Proposition 3.1.10)."""
        Y = RNG_PPCA.normal(size=(300, 6)) @ RNG_PPCA.normal(size=(6, 6))
        best = ae.fit_ppca(Y, 2)
        ll = best.log_marginal(Y).sum()
        for scale in (0.9, 1.1):
            assert ae.LinearGaussianModel(best.W * scale, best.b, best.sigma2).log_marginal(Y).sum() < ll
            assert ae.LinearGaussianModel(best.W, best.b, best.sigma2 * scale).log_marginal(Y).sum() < ll

    def test_covariance(self):
        """With d = D − 1 the model covariance WWᵀ + σ²I equals the sample covariance."""
        Y = RNG_PPCA.normal(size=(200, 3)) @ RNG_PPCA.normal(size=(3, 3))
        p = ae.fit_ppca(Y, 2)
        np.testing.assert_allclose(
            (p.W @ p.W.T).numpy() + p.sigma2.item() * np.eye(3), np.cov(Y.T, bias=True), atol=1e-10
        )

    def test_d_below_D(self):
        """d must be smaller than the data dimension."""
        with pytest.raises(ValueError, match="latent_dim must be < D"):
            ae.fit_ppca(X_PPCA, 5)


class TestFitLinearVae:
    def test_reaches_ppca(self):
        """A linear VAE's maximal ELBO reaches the PPCA maximum log-likelihood (Proposition 3.1.10)."""
        Y = RNG_PPCA.normal(size=(300, 6)) @ RNG_PPCA.normal(size=(6, 6))
        target = ae.fit_ppca(Y, 2).log_marginal(Y).mean().item()
        _, hist = ae.fit_linear_vae(Y, 2, steps=1000, lr=0.05)
        assert hist[-1] <= target + 1e-6
        assert hist[-1] == pytest.approx(target, abs=0.02)
