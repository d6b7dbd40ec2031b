"""Tests of ae_lib.variational.vae.

Tests of ae_lib.variational.vae (Definition 3.1.3, Proposition 3.1.6): q_phi(z|x) and the reparameterisation.

Tests of ae_lib.variational.vae (Definition 3.1.1): the decoder's parameters, means and likelihood by name.

Tests of ae_lib.variational.vae (Definition 3.3.5) and of the ELBO with a learned mixture prior.

Tests of ae_lib.variational.vae (Definition 3.1.8): the VAE with its encoder, decoder and prior as siblings.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import distributions as td

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


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
        with pytest.raises(ValueError, match=r"latent_dim == .*, must be >= 1"):
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


class TestLatentPrior:
    def test_one_component_is_standard_normal(self):
        """K = 1 is N(0, I) with no parameters, as in Definition 3.1.1."""
        p = ae.LatentPrior(3)
        assert p.standard and not list(p.parameters())
        z = torch.randn(4, 3, generator=_gen())
        expected = td.Independent(td.Normal(torch.zeros(3), torch.ones(3)), 1).log_prob(z)
        torch.testing.assert_close(p.distribution().log_prob(z), expected)

    def test_mixture_density(self):
        """K > 1: log p(z) = log Σ_k π_k N(z; m_k, diag s_k²), with π = softmax(logits)."""
        p = ae.LatentPrior(2, 3, seed=_gen(1))
        with torch.no_grad():
            p.logits.copy_(torch.tensor([0.0, 1.0, -1.0]))
            p.log_scales.copy_(torch.tensor([[0.0, 0.1], [-0.5, 0.2], [0.3, 0.0]]))
        z = torch.randn(5, 2, generator=_gen(2))
        pi = torch.softmax(p.logits, 0)
        comps = td.Independent(td.Normal(p.means, p.log_scales.exp()), 1).log_prob(z[:, None, :])
        expected = torch.logsumexp(comps + pi.log(), -1)
        torch.testing.assert_close(p.distribution().log_prob(z), expected)
        assert len(list(p.parameters())) == 3

    def test_sample_moments_and_generator(self):
        """Samples have the mixture's mean Σ π_k m_k; the generator reproduces them."""
        p = ae.LatentPrior(2, 4, seed=_gen(3))
        s = p.sample(50_000, seed=_gen(4))
        mean = (torch.softmax(p.logits, 0)[:, None] * p.means).sum(0)
        np.testing.assert_allclose(s.mean(0).numpy(), mean.detach().numpy(), atol=0.03)
        assert torch.equal(s, p.sample(50_000, seed=_gen(4)))

    def test_bad_components(self):
        """K = 0 is refused, naming the argument."""
        with pytest.raises(ValueError, match=r"n_components == .*, must be >= 1"):
            ae.LatentPrior(2, 0)


class TestMixturePriorElbo:
    def test_kl_is_monte_carlo(self):
        """With a mixture prior the KL part is the average of log q(z|x) − log p(z) at the drawn codes."""
        m = ae.VAE(64, 3, (16,), prior_components=5, seed=0)
        x = torch.bernoulli(torch.full((4, 64), 0.3), generator=_gen())
        _, _, kl = ae.negative_elbo(m, x, seed=_gen(7), n_samples=3, reduction="none")
        mu, lv = m.encode(x)
        z = ae.reparameterize(mu, lv, seed=_gen(7), n_samples=3)
        q = td.Independent(td.Normal(mu, (0.5 * lv).exp()), 1)
        torch.testing.assert_close(kl, (q.log_prob(z) - m.prior.distribution().log_prob(z)).mean(0))

    def test_k1_iwae_is_elbo(self):
        """L_1 = ELBO also with a learned prior (same codes, same generator)."""
        m = ae.VAE(64, 3, (16,), prior_components=4, seed=0)
        x = torch.bernoulli(torch.full((6, 64), 0.3), generator=_gen())
        tot, _, _ = ae.negative_elbo(m, x, seed=_gen(5), reduction="none")
        torch.testing.assert_close(-ae.iwae_bound(m, x, 1, seed=_gen(5)), tot)

    def test_prior_is_trained(self):
        """fit moves the prior's parameters and the samples are valid binary images."""
        d = ae.load_digits_split("binary")
        m = ae.VAE(64, 4, (32,), prior_components=3, seed=0)
        before = m.prior.means.detach().clone()
        ae.fit(m, ae.vae_loss(k=2), d.X_train[:200], epochs=2, batch_size=50, lr=1e-2, seed=0)
        assert not torch.equal(before, m.prior.means)
        m.check_data(m.sample(8, seed=_gen(), mean=False))


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
        with pytest.raises(ValueError, match=r"latent_dim == .*, must be >= 1"):
            ae.VAE(64, 0)
