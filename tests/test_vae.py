"""Tests of ae_lib.vae (Definition 3.1.8): the VAE with its encoder, decoder and prior as siblings."""

import pytest
import torch

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


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
