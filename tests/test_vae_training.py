"""Tests of ae_lib.vae_training (Definitions 3.2.1, 3.2.2): the beta-VAE objective and the active units of a code."""

import pytest
import torch

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _binary(n=20, seed=0):
    return torch.bernoulli(torch.full((n, 64), 0.3), generator=_gen(seed))


class TestVaeLoss:
    def test_is_mean_negative_elbo(self):
        """k = 1: the loss is the minibatch mean of −ELBO_β (Definition 3.2.1)."""
        m = ae.VAE(64, 2, (8,))
        x = _binary(6)
        loss = ae.vae_loss(beta=2.0)(m, (x,), _gen(1))
        assert loss.item() == pytest.approx(ae.negative_elbo(m, x, seed=_gen(1), beta=2.0)[0].item())

    def test_training_lowers_loss(self):
        """ae.fit with this loss lowers the negative ELBO on binarised digits."""
        X = ae.load_digits_split("binary").X_train[:256]
        h = ae.fit(ae.VAE(64, 2, (32,)), ae.vae_loss(), X, epochs=15, lr=3e-3, seed=0)
        assert h.train_loss[-1] < h.train_loss[0] - 5

    def test_iwae_without_beta(self):
        """The IWAE loss (k > 1) refuses β ≠ 1; k < 1 is refused."""
        with pytest.raises(ValueError, match="no beta"):
            ae.vae_loss(beta=0.5, k=5)
        with pytest.raises(ValueError, match="k must be >= 1"):
            ae.vae_loss(k=0)


class TestActiveUnits:
    def test_counts_varying_means(self):
        """A unit counts as active iff its posterior mean varies over the data (Definition 3.2.2)."""
        m = ae.VAE(64, 3, (8,))
        with torch.no_grad():
            last = m.encoder.net[-1]
            last.weight[[1, 2, 4, 5]] = 0.0  # μ_2, μ_3 and log σ²_2, log σ²_3 ignore x
            last.weight[0] *= 10.0
        n, var = ae.active_units(m, _binary(100))
        assert n == 1 and var.shape == (3,) and var[1] == var[2] == 0.0
