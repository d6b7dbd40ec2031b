"""Tests of ae_lib.variational.elbo.

Tests of ae_lib.variational.elbo (Lemma 3.1.5, Theorems 3.1.4 and 3.1.9): the closed-form KL, the ELBO and the IWAE bound.

Tests of ae_lib.variational.elbo (Definitions 3.2.1, 3.2.2): the beta-VAE objective and the active units of a code.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import distributions as td

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _binary(n=20, seed=0):
    return torch.bernoulli(torch.full((n, 64), 0.3), generator=_gen(seed))


class TestGaussianKl:
    def test_matches_torch(self):
        """The closed form equals torch.distributions.kl_divergence (Lemma 3.1.5)."""
        g = _gen()
        mu, log_var = torch.randn(50, 6, generator=g), torch.randn(50, 6, generator=g)
        q = td.Independent(td.Normal(mu, torch.exp(0.5 * log_var)), 1)
        p = td.Independent(td.Normal(torch.zeros(6), torch.ones(6)), 1)
        torch.testing.assert_close(ae.gaussian_kl(mu, log_var), td.kl_divergence(q, p))

    def test_matches_monte_carlo(self):
        """The closed form equals E_q[log q(z) − log p(z)] estimated from 400 000 draws."""
        mu, log_var = torch.tensor([0.5, -1.0]), torch.tensor([-0.5, 0.3])
        q = td.Independent(td.Normal(mu, torch.exp(0.5 * log_var)), 1)
        p = td.Independent(td.Normal(torch.zeros(2), torch.ones(2)), 1)
        z = ae.reparameterize(mu[None], log_var[None], seed=_gen(), n_samples=400_000)[:, 0]
        mc = (q.log_prob(z) - p.log_prob(z)).mean()
        assert mc.item() == pytest.approx(ae.gaussian_kl(mu, log_var).item(), abs=0.01)

    def test_zero_iff_prior(self):
        """KL is 0 at μ = 0, σ = 1 and positive elsewhere."""
        assert ae.gaussian_kl(torch.zeros(3), torch.zeros(3)).item() == 0.0
        assert ae.gaussian_kl(torch.tensor([0.1, 0.0]), torch.zeros(2)).item() > 0


class TestNegativeElbo:
    def test_parts_add_up(self):
        """total = reconstruction + β · KL, with 'none' giving one value per image."""
        m = ae.VAE(64, 3, (16,))
        x = _binary()
        tot, rec, kl = ae.negative_elbo(m, x, seed=_gen(), beta=0.5, reduction="none")
        assert tot.shape == (20,)
        torch.testing.assert_close(tot, rec + 0.5 * kl)
        mean = ae.negative_elbo(m, x, seed=_gen(), beta=0.5)
        assert mean[0].item() == pytest.approx(tot.mean().item(), rel=1e-6)

    def test_reconstruction_term(self):
        """With one sample, the reconstruction term is −log p_θ(x|z) at the reparameterised z."""
        m = ae.VAE(64, 3, (16,))
        x = _binary(5)
        _, rec, _ = ae.negative_elbo(m, x, seed=_gen(7), reduction="none")
        mu, lv = m.encode(x)
        z = m.reparameterize(mu, lv, seed=_gen(7))
        expected = -td.Bernoulli(logits=m.decode(z)).log_prob(x).sum(-1)
        torch.testing.assert_close(rec, expected)

    def test_bad_inputs(self):
        """Non-binary x, negative β and unknown reductions are refused."""
        m = ae.VAE(64, 2, (8,))
        with pytest.raises(ValueError, match="binary"):
            ae.negative_elbo(m, torch.full((2, 64), 0.5))
        with pytest.raises(ValueError, match="beta"):
            ae.negative_elbo(m, _binary(2), beta=-1.0)
        with pytest.raises(ValueError, match="reduction"):
            ae.negative_elbo(m, _binary(2), reduction="avg")


class TestIwaeBound:
    def test_k1_is_elbo(self):
        """E L_1 = ELBO: averaged over 4000 draws, L_1 matches the ELBO (Theorem 3.1.9)."""
        m = ae.VAE(64, 3, (16,))
        x = _binary(4)
        with torch.no_grad():
            l1 = ae.iwae_bound(m, x.repeat(4000, 1), 1, seed=_gen(3)).reshape(4000, 4).mean(0)
            elbo = -ae.negative_elbo(m, x, seed=_gen(4), n_samples=4000, reduction="none")[0]
        torch.testing.assert_close(l1, elbo, rtol=0, atol=0.1)

    def test_monotone_in_k(self):
        """E L_1 ≤ E L_10 ≤ E L_100 (averaged over images and draws)."""
        m = ae.VAE(64, 3, (16,))
        x = _binary(40)
        with torch.no_grad():
            vals = [ae.iwae_bound(m, x, k, seed=_gen(k)).mean().item() for k in (1, 10, 100)]
        assert vals[0] < vals[1] < vals[2]

    def test_exact_on_tiny_model(self):
        """With d = 1, L_k for large k matches log p(x) by numerical integration over z."""
        m = ae.VAE(64, 1, (8,))
        x = _binary(3)
        z = torch.linspace(-8, 8, 4001)[:, None]
        with torch.no_grad():
            log_joint = m.decoder.distribution(z[:, None, :]).log_prob(x) + m.prior.distribution().log_prob(
                z[:, None, :]
            )
            exact = torch.logsumexp(log_joint, 0) + np.log(16 / 4000)
            est = ae.iwae_bound(m, x, 20_000, seed=_gen(), max_rows=30_000)
        torch.testing.assert_close(est, exact, atol=0.05, rtol=0)

    def test_chunking_invariant(self):
        """Chunking the images (max_rows) does not change the estimate's distribution of work."""
        m = ae.VAE(64, 2, (8,))
        x = _binary(10)
        with torch.no_grad():
            a = ae.iwae_bound(m, x, 50, seed=_gen(), max_rows=10_000)
            b = ae.iwae_bound(m, x, 50, seed=_gen(), max_rows=100)
        assert a.shape == b.shape == (10,)
        assert abs(a.mean().item() - b.mean().item()) < 0.5

    def test_k_at_least_one(self):
        """k < 1 is refused, naming k."""
        with pytest.raises(ValueError, match=r"k == .*, must be >= 1"):
            ae.iwae_bound(ae.VAE(64, 2, (8,)), _binary(2), 0)


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
        with pytest.raises(ValueError, match=r"k == .*, must be >= 1"):
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
