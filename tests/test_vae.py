"""Tests of ae_lib.vae (Definitions 3.1.1, 3.1.3, 3.1.8, Proposition 3.1.6)."""

import numpy as np
import pytest
import torch

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


class TestLikelihoods:
    def test_non_binary_refused(self):
        """Non-binary data for the Bernoulli decoder is refused, naming X."""
        with pytest.raises(ValueError, match="X must be binary"):
            ae.BernoulliLikelihood(2).check(torch.tensor([[0.0, 0.5]]))

    @pytest.mark.parametrize("bad", [17.0, -1.0, 2.5])
    @pytest.mark.parametrize("lik", ["categorical", "beta_binomial"])
    def test_levels_outside_range_refused(self, bad, lik):
        """Values outside the integers 0..16 are refused for the grey-level decoders."""
        with pytest.raises(ValueError, match=f"integers in 0..16 for the {lik} decoder"):
            ae.make_likelihood(lik, 2).check(torch.tensor([[0.0, bad]]))

    def test_non_finite_refused(self):
        """NaN is refused for every likelihood, Gaussian included."""
        with pytest.raises(ValueError, match="finite"):
            ae.GaussianLikelihood(1).check(torch.tensor([[np.nan]]))

    def test_unknown_likelihood(self):
        """An unknown likelihood name is refused, listing the choices."""
        with pytest.raises(ValueError, match="likelihood must be one of"):
            ae.make_likelihood("poisson", 2)

    @pytest.mark.parametrize("lik", list(ae.LIKELIHOODS))
    def test_interface(self, lik):
        """Each likelihood has log_prob, mean and sample on the decoder's parameters, shapes (…,) and (…, D)."""
        L = ae.make_likelihood(lik, 5)
        params = L.reshape(torch.randn(4, 5 * L.params_per_pixel, generator=_gen()))
        x = L.sample(params, seed=1)
        assert x.shape == L.mean(params).shape == (4, 5)
        assert L.log_prob(params, x).shape == (4,) and torch.isfinite(L.log_prob(params, x)).all()
        L.check(x)
        assert torch.equal(x, L.sample(params, seed=1))


class TestReparameterize:
    def test_moments(self):
        """z = μ + σ ε has mean μ and variance σ² (Proposition 3.1.6)."""
        mu, log_var = torch.tensor([[1.0, -2.0]]), torch.tensor([[0.0, np.log(4.0)]])
        z = ae.reparameterize(mu, log_var, seed=_gen(), n_samples=200_000)
        assert z.shape == (200_000, 1, 2)
        np.testing.assert_allclose(z.mean(0).numpy(), mu.numpy(), atol=0.02)
        np.testing.assert_allclose(z.var(0).numpy(), [[1.0, 4.0]], rtol=0.02)

    def test_differentiable(self):
        """∂z/∂μ = 1 and ∂z/∂log σ² = ε σ / 2: gradients flow through the sample."""
        mu = torch.zeros(1, 1, requires_grad=True)
        log_var = torch.zeros(1, 1, requires_grad=True)
        z = ae.reparameterize(mu, log_var, seed=_gen(3))
        z.sum().backward()
        eps = torch.randn(1, 1, generator=_gen(3))
        assert mu.grad.item() == 1.0
        assert log_var.grad.item() == pytest.approx(0.5 * eps.item())

    def test_generator_reproduces(self):
        """Same generator seed, same codes."""
        mu, lv = torch.zeros(3, 2), torch.zeros(3, 2)
        assert torch.equal(ae.reparameterize(mu, lv, seed=_gen(1)), ae.reparameterize(mu, lv, seed=_gen(1)))


class TestGaussianEncoder:
    def test_shapes(self):
        """q_φ(z|x) has mean and log-variance of shape (n, d) (Definition 3.1.3)."""
        enc = ae.GaussianEncoder(64, 5, (32,))
        mu, log_var = enc(torch.zeros(7, 64))
        assert mu.shape == log_var.shape == (7, 5)
        assert enc.distribution(torch.zeros(7, 64)).event_shape == (5,)

    def test_latent_dim_at_least_one(self):
        """A latent dimension < 1 is refused, naming latent_dim."""
        with pytest.raises(ValueError, match="latent_dim must be >= 1"):
            ae.GaussianEncoder(64, 0)


class TestProbabilisticDecoder:
    @pytest.mark.parametrize(
        "lik,shape",
        [
            ("bernoulli", (4, 64)),
            ("categorical", (4, 64, 17)),
            ("beta_binomial", (4, 64, 2)),
            ("gaussian", (4, 64, 2)),
        ],
    )
    def test_parameter_shapes(self, lik, shape):
        """The decoder outputs the parameters of p_θ(x|z) per pixel (Definition 3.1.1)."""
        dec = ae.ProbabilisticDecoder(3, 64, (16,), lik)
        assert dec(torch.zeros(4, 3)).shape == shape
        assert dec.distribution(torch.zeros(4, 3)).event_shape == (64,)
        assert dec.mean(torch.zeros(4, 3)).shape == (4, 64)

    def test_categorical_mean(self):
        """E[x|z] of the categorical decoder is Σ_l l·softmax_l, inside [0, 16]."""
        dec = ae.ProbabilisticDecoder(2, 64, (8,), "categorical")
        z = torch.randn(5, 2, generator=_gen())
        probs = torch.softmax(dec(z), -1)
        expected = (probs * torch.arange(17.0)).sum(-1)
        torch.testing.assert_close(dec.mean(z), expected)

    def test_beta_binomial_mean(self):
        """E[x|z] of the beta-binomial decoder is 16 α / (α + β) with α, β = softplus(outputs)."""
        dec = ae.ProbabilisticDecoder(2, 64, (8,), "beta_binomial")
        z = torch.randn(5, 2, generator=_gen())
        alpha, beta = torch.nn.functional.softplus(dec(z)).unbind(-1)
        torch.testing.assert_close(dec.mean(z), 16 * alpha / (alpha + beta), rtol=1e-3, atol=1e-3)
        assert ((dec.mean(z) >= 0) & (dec.mean(z) <= 16)).all()

    def test_prior_is_standard_normal(self):
        """p(z) = N(0, I): log p(0) = −(d/2) log 2π."""
        assert ae.LatentPrior(3).log_prob(torch.zeros(3)).item() == pytest.approx(-1.5 * np.log(2 * np.pi))


class TestVAE:
    @pytest.mark.parametrize("lik", list(ae.LIKELIHOODS))
    def test_api(self, lik):
        """encode → (μ, log σ²), reparameterize → z, decode → parameters (Definition 3.1.8)."""
        m = ae.VAE(64, 4, (16,), lik)
        x = torch.zeros(6, 64)
        mu, lv = m.encode(x)
        z = m.reparameterize(mu, lv, seed=_gen())
        assert mu.shape == lv.shape == z.shape == (6, 4)
        assert m.decode(z).shape[:2] == (6, 64)
        assert m(x, seed=_gen()).shape == m.reconstruct(x).shape == (6, 64)

    @pytest.mark.parametrize("lik", list(ae.LIKELIHOODS))
    def test_samples_valid(self, lik):
        """Samples from the prior, decoded, are valid data for the likelihood."""
        m = ae.VAE(64, 2, (16,), lik)
        x = m.sample(5, seed=_gen(), mean=False)
        assert x.shape == (5, 64)
        m.check_data(x)

    def test_seeded_init(self):
        """Same seed, same initial weights; the global torch generator is untouched."""
        state = torch.random.get_rng_state()
        a, b = ae.VAE(seed=4), ae.VAE(seed=4)
        assert torch.equal(torch.random.get_rng_state(), state)
        assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))

    def test_latent_dim_at_least_one(self):
        """A VAE with latent dimension 0 is refused."""
        with pytest.raises(ValueError, match="latent_dim must be >= 1"):
            ae.VAE(64, 0)
