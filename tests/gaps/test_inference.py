"""Tests of ae_lib.gaps.inference: the optimal Gaussian posterior and the gaps of the bound."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

D, d = 5, 2


def _linear_vae() -> tuple[ae.VAE, ae.LinearGaussianModel, torch.Tensor]:
    """A float64 VAE whose decoder is the linear-Gaussian model N(Wz + b, σ² I), W with orthogonal columns.

    Its posterior p(z|x) is then a diagonal Gaussian, so the best diagonal Gaussian q is exact:
    the approximation gap is 0 and ELBO(q*) = log p(x).  The encoder stays a random network.
    """
    gen = torch.Generator().manual_seed(0)
    Q, _ = torch.linalg.qr(torch.randn(D, d, generator=gen, dtype=torch.float64))
    W, b, sigma2 = Q * torch.tensor([2.0, 1.0], dtype=torch.float64), torch.linspace(-1, 1, D).double(), 0.3
    vae = ae.VAE(D, d, (8,), "gaussian", seed=0).double()
    linear = torch.nn.Linear(d, 2 * D).double()
    with torch.no_grad():
        weight = torch.zeros(2 * D, d, dtype=torch.float64)
        weight[0::2] = W  # output (…, D, 2): pixel i's mean at 2i, its log-variance at 2i + 1
        bias = torch.full((2 * D,), float(np.log(sigma2)), dtype=torch.float64)
        bias[0::2] = b
        linear.weight.copy_(weight)
        linear.bias.copy_(bias)
    vae.decoder.net = torch.nn.Sequential(linear)
    model = ae.LinearGaussianModel(W, b, sigma2)
    X = model.b + torch.randn(12, d, generator=gen, dtype=torch.float64) @ W.T
    X = X + 0.5 * torch.randn(12, D, generator=gen, dtype=torch.float64)
    return vae, model, X


def _bernoulli_vae() -> tuple[ae.VAE, torch.Tensor]:
    gen = torch.Generator().manual_seed(1)
    X = torch.bernoulli(torch.full((10, 16), 0.4), generator=gen)
    return ae.VAE(16, 2, (8,), "bernoulli", seed=0), X


class TestOptimisePosterior:
    def test_reaches_the_exact_posterior(self):
        """In the linear-Gaussian model the optimised q is the exact posterior N(M⁻¹Wᵀ(x − b), σ² M⁻¹)."""
        vae, model, X = _linear_vae()
        mu, log_var = ae.optimise_posterior(vae, X, steps=1500, lr=0.02, n_samples=32, seed=0)
        mean, cov = model.posterior(X)
        assert torch.allclose(cov, torch.diag(torch.diagonal(cov)), atol=1e-12)  # diagonal posterior
        assert torch.allclose(mu, mean, atol=0.05)
        assert torch.allclose(log_var, torch.log(torch.diagonal(cov)).expand_as(mu), atol=0.15)

    def test_zero_steps_is_the_encoder(self):
        vae, X = _bernoulli_vae()
        mu, log_var = ae.optimise_posterior(vae, X, steps=0)
        with torch.no_grad():
            enc_mu, enc_lv = vae.encode(X)
        assert torch.equal(mu, enc_mu) and torch.equal(log_var, enc_lv)

    def test_raises_the_elbo_and_repeats(self):
        vae, X = _bernoulli_vae()
        mu, lv = ae.optimise_posterior(vae, X, steps=200, lr=0.05, seed=3)
        mu2, lv2 = ae.optimise_posterior(vae, X, steps=200, lr=0.05, seed=3)
        assert torch.equal(mu, mu2) and torch.equal(lv, lv2)
        enc = ae.log_weights(vae, X, *vae.encode(X), 2000, seed=0).mean(0)
        opt = ae.log_weights(vae, X, mu, lv, 2000, seed=0).mean(0)
        assert (opt - enc).mean() > 0

    def test_divergence_is_named(self):
        vae, X = _bernoulli_vae()
        with pytest.raises(ae.TrainingDiverged, match="lr"):
            ae.optimise_posterior(vae, X, steps=50, lr=1e30, seed=0)

    @pytest.mark.parametrize(
        "kw,err,name",
        [
            (dict(steps=-1), ValueError, "steps"),
            (dict(steps=1.5), TypeError, "steps"),
            (dict(steps=2, lr=0.0), ValueError, "lr"),
            (dict(steps=2, n_samples=0), ValueError, "n_samples"),
            (dict(steps=2, seed="a"), TypeError, "seed"),
        ],
    )
    def test_bad_inputs(self, kw, err, name):
        vae, X = _bernoulli_vae()
        with pytest.raises(err, match=name):
            ae.optimise_posterior(vae, X, **kw)

    def test_bad_data(self):
        vae, X = _bernoulli_vae()
        with pytest.raises(ValueError, match="X"):
            ae.optimise_posterior(vae, X * 0.5, steps=1)
        with pytest.raises(TypeError, match="model"):
            ae.optimise_posterior("vae", X, steps=1)


class TestLogWeights:
    def test_exact_posterior_gives_constant_weights(self):
        """With q = p(z|x) every weight p(x, z)/q(z) equals p(x): log w = log p(x) for every draw."""
        vae, model, X = _linear_vae()
        mean, cov = model.posterior(X)
        log_var = torch.log(torch.diagonal(cov)).expand_as(mean)
        lw = ae.log_weights(vae, X, mean, log_var, 50, seed=0)
        assert lw.shape == (50, len(X))
        assert torch.allclose(lw, model.log_marginal(X).expand_as(lw), atol=1e-8)

    def test_elbo_below_log_p(self):
        """ELBO(q) ≤ log p(x) for any q (Theorem 3.1.4), here the random encoder's."""
        vae, model, X = _linear_vae()
        elbo = ae.log_weights(vae, X, *vae.encode(X), 4000, seed=0).mean(0)
        assert bool((elbo < model.log_marginal(X)).all())

    def test_bad_q(self):
        vae, X = _bernoulli_vae()
        mu, lv = vae.encode(X)
        with pytest.raises(ValueError, match="mu"):
            ae.log_weights(vae, X, mu[:3], lv, 5)
        with pytest.raises(ValueError, match="log_var"):
            ae.log_weights(vae, X, mu, lv.detach() * np.nan, 5)
        with pytest.raises(ValueError, match="k"):
            ae.log_weights(vae, X, mu, lv, 0)


class TestChooseSteps:
    def test_picks_a_candidate_within_tol(self):
        vae, X = _bernoulli_vae()
        steps, scores = ae.choose_steps(vae, X, [100, 0, 25], lr=0.05, seed=0)
        assert [t for t, _ in scores] == [0, 25, 100]
        best = max(s for _, s in scores)
        assert steps in (0, 25, 100) and dict(scores)[steps] >= best - 0.02
        assert ae.choose_steps(vae, X, [0, 25, 100], lr=0.05, tol=1e9, seed=0)[0] == 0

    def test_bad_candidates(self):
        vae, X = _bernoulli_vae()
        with pytest.raises(ValueError, match="candidates"):
            ae.choose_steps(vae, X, [])
        with pytest.raises(ValueError, match=r"candidates\[1\]"):
            ae.choose_steps(vae, X, [1, -2])
        with pytest.raises(TypeError, match="candidates"):
            ae.choose_steps(vae, X, 5)


class TestInferenceGaps:
    def test_linear_gaussian_has_no_approximation_gap(self):
        """Optimal Gaussian q is exact: the approximation gap is ~0, ELBO(q*) and the log p(x) estimate are log p(x)."""
        vae, model, X = _linear_vae()
        g = ae.inference_gaps(vae, X, k=2000, steps=1500, lr=0.02, n_samples=32, seed=0)
        exact = model.log_marginal(X).numpy()
        assert np.abs(g.approximation).max() < 0.02
        assert np.abs(g.log_px - exact).max() < 0.02
        assert np.abs(g.elbo_optimal - exact).max() < 0.02
        assert bool(np.all(g.elbo_encoder < exact))  # ELBO ≤ log p(x)
        assert g.amortisation.mean() > 0.5  # the random encoder is far from the posterior

    def test_decomposition_and_bound(self):
        vae, X = _bernoulli_vae()
        g = ae.inference_gaps(vae, X, k=1000, steps=100, lr=0.05, seed=0)
        assert np.allclose(g.total, g.approximation + g.amortisation)
        assert g.approximation.mean() > 0 and g.amortisation.mean() > 0
        assert list(g.ks) == [1, 10, 100, 1000] and g.iwae_encoder.shape == (4, len(X))
        assert g.steps == 100

    def test_iwae_increases_in_k(self):
        """L_k is non-decreasing in k in expectation (Theorem 3.1.9): block means over images rise."""
        vae, X = _bernoulli_vae()
        g = ae.inference_gaps(vae, X, k=4000, steps=0, ks=[1, 4, 40, 400, 4000], seed=0)
        for curve in (g.iwae_encoder, g.iwae_optimal):
            assert bool(np.all(np.diff(curve.mean(1)) > -0.01))
        assert g.iwae_encoder[-1].mean() - g.iwae_encoder[0].mean() > 0.1

    @pytest.mark.parametrize(
        "kw,err,name",
        [
            (dict(k=0, steps=1), ValueError, "k"),
            (dict(k=10, steps=1, ks=[1, 20]), ValueError, "ks"),
            (dict(k=10, steps=1, ks=[0]), ValueError, r"ks\[0\]"),
            (dict(k=10, steps=1, ks="1"), TypeError, "ks"),
        ],
    )
    def test_bad_inputs(self, kw, err, name):
        vae, X = _bernoulli_vae()
        with pytest.raises(err, match=name):
            ae.inference_gaps(vae, X, **kw)
