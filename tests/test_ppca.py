"""Tests of ae_lib.ppca (Proposition 3.1.10): the closed form is the maximum, and a linear VAE reaches it."""

import numpy as np
import pytest

import ae_lib as ae

RNG = np.random.default_rng(0)
X = RNG.normal(size=(7, 5))


class TestFitPpca:
    def test_is_maximum(self):
        """The closed form beats nearby parameters in log-likelihood (Proposition 3.1.10)."""
        Y = RNG.normal(size=(300, 6)) @ RNG.normal(size=(6, 6))
        best = ae.fit_ppca(Y, 2)
        ll = best.log_marginal(Y).sum()
        for scale in (0.9, 1.1):
            assert ae.LinearGaussianModel(best.W * scale, best.b, best.sigma2).log_marginal(Y).sum() < ll
            assert ae.LinearGaussianModel(best.W, best.b, best.sigma2 * scale).log_marginal(Y).sum() < ll

    def test_covariance(self):
        """With d = D − 1 the model covariance WWᵀ + σ²I equals the sample covariance."""
        Y = RNG.normal(size=(200, 3)) @ RNG.normal(size=(3, 3))
        p = ae.fit_ppca(Y, 2)
        np.testing.assert_allclose(
            (p.W @ p.W.T).numpy() + p.sigma2.item() * np.eye(3), np.cov(Y.T, bias=True), atol=1e-10
        )

    def test_d_below_D(self):
        """d must be smaller than the data dimension."""
        with pytest.raises(ValueError, match="latent_dim must be < D"):
            ae.fit_ppca(X, 5)


class TestFitLinearVae:
    def test_reaches_ppca(self):
        """A linear VAE's maximal ELBO reaches the PPCA maximum log-likelihood (Proposition 3.1.10)."""
        Y = RNG.normal(size=(300, 6)) @ RNG.normal(size=(6, 6))
        target = ae.fit_ppca(Y, 2).log_marginal(Y).mean().item()
        _, hist = ae.fit_linear_vae(Y, 2, steps=1000, lr=0.05)
        assert hist[-1] <= target + 1e-6
        assert hist[-1] == pytest.approx(target, abs=0.02)
