"""Tests of ae_lib.encoder (Definition 3.1.3, Proposition 3.1.6): q_phi(z|x) and the reparameterisation."""

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
