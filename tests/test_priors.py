"""Tests of ae_lib.priors (Definition 3.3.5) and of the ELBO with a learned mixture prior."""

import numpy as np
import pytest
import torch
from torch import distributions as td

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


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
        with pytest.raises(ValueError, match="n_components must be >= 1"):
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
