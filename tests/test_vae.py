"""Tests of ae_lib.vae and ae_lib.encoder (Definitions 3.1.3, 3.1.8, Proposition 3.1.6)."""

import numpy as np
import pytest
import torch

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
        with pytest.raises(ValueError, match="latent_dim must be >= 1"):
            ae.GaussianEncoder(64, 0)


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
