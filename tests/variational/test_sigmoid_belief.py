"""Tests of ae_lib.variational.sigmoid_belief (Definition 3.3.6) and of the autoregressive VAE decoder."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch import distributions as td

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _small(D=4, seed=0):
    g = _gen(seed)
    return torch.randn(D, generator=g, dtype=torch.float64), torch.randn(
        D, D, generator=g, dtype=torch.float64
    )


class TestAutoregressiveBernoulli:
    def test_sums_to_one(self):
        """On D = 4 pixels the 16 probabilities add up to 1: a proper distribution."""
        b, W = _small()
        d = ae.AutoregressiveBernoulli(b, W)
        xs = torch.tensor(list(itertools.product([0.0, 1.0], repeat=4)), dtype=torch.float64)
        assert d.log_prob(xs).exp().sum().item() == pytest.approx(1.0, abs=1e-12)

    def test_chain_rule(self):
        """log p(x) = Σ_i log Bernoulli(x_i; σ(b_i + Σ_{j<i} W_ji x_j)); entries j ≥ i are ignored."""
        b, W = _small()
        x = torch.tensor([1.0, 0.0, 1.0, 1.0], dtype=torch.float64)
        expected = sum(td.Bernoulli(logits=b[i] + (x[:i] * W[:i, i]).sum()).log_prob(x[i]) for i in range(4))
        assert ae.AutoregressiveBernoulli(b, W).log_prob(x).item() == pytest.approx(
            expected.item(), abs=1e-12
        )
        W2 = W + torch.tril(torch.ones(4, 4, dtype=torch.float64))  # changes only unused entries
        assert ae.AutoregressiveBernoulli(b, W2).log_prob(x).item() == pytest.approx(
            expected.item(), abs=1e-12
        )

    def test_zero_weights_is_independent(self):
        """W = 0 is the product of independent Bernoulli pixels; the mean is then exact."""
        b, _ = _small()
        d = ae.AutoregressiveBernoulli(b, torch.zeros(4, 4, dtype=torch.float64))
        x = torch.tensor([[0.0, 1.0, 1.0, 0.0]], dtype=torch.float64)
        torch.testing.assert_close(d.log_prob(x), td.Independent(td.Bernoulli(logits=b), 1).log_prob(x))
        torch.testing.assert_close(d.mean, torch.sigmoid(b))

    def test_sample_frequencies(self):
        """Exact sequential sampling: the frequencies of the 16 images match their probabilities."""
        b, W = _small()
        d = ae.AutoregressiveBernoulli(b, W)
        s = d.sample((20_000,), seed=_gen(1))
        codes = (s * torch.tensor([8.0, 4.0, 2.0, 1.0], dtype=torch.float64)).sum(-1).long()
        freq = torch.bincount(codes, minlength=16).double() / len(s)
        xs = torch.tensor(list(itertools.product([0.0, 1.0], repeat=4)), dtype=torch.float64)
        np.testing.assert_allclose(freq.numpy(), d.log_prob(xs).exp().numpy(), atol=0.015)

    def test_batch_broadcast(self):
        """Logits of shape (k, n, D) and data of shape (n, D) give log-probabilities of shape (k, n)."""
        d = ae.AutoregressiveBernoulli(torch.zeros(3, 5, 4), torch.zeros(4, 4))
        assert d.log_prob(torch.ones(5, 4)).shape == (3, 5)
        assert d.batch_shape == (3, 5) and d.event_shape == (4,)

    def test_weights_shape_checked(self):
        """W must be D × D."""
        with pytest.raises(ValueError, match="weights must have shape"):
            ae.AutoregressiveBernoulli(torch.zeros(4), torch.zeros(3, 3))


class TestFitSigmoidBeliefNet:
    def test_beats_independent_pixels(self):
        """On the binarised digits the fitted network has lower test NLL than independent pixels."""
        d = ae.load_digits_split("binary")
        x = torch.tensor(d.X_test, dtype=torch.float32)
        sbn = ae.fit_sigmoid_belief_net(d.X_train)
        indep = ae.BernoulliMixture(1, alpha=0.1).fit(d.X_train, seed=0).nll(d.X_test)
        assert -sbn.log_prob(x).mean().item() < indep - 3

    def test_bad_input(self):
        """Non-binary X and C ≤ 0 are refused."""
        with pytest.raises(ValueError, match="X must be binary"):
            ae.fit_sigmoid_belief_net(np.full((3, 4), 0.5))
        with pytest.raises(ValueError, match="C"):
            ae.fit_sigmoid_belief_net(np.zeros((3, 4)), C=0.0)


class TestAutoregressiveDecoder:
    def test_log_prob_uses_pixels_before(self):
        """The decoder's p_θ(x|z) is AutoregressiveBernoulli(f_θ(z), W); W starts at 0."""
        dec = ae.ProbabilisticDecoder(2, 64, (8,), "autoregressive")
        z = torch.randn(3, 2, generator=_gen())
        assert torch.equal(dec.likelihood.weights, torch.zeros(64, 64))
        x = torch.bernoulli(torch.full((3, 64), 0.5), generator=_gen(1))
        with torch.no_grad():
            dec.likelihood.weights.normal_(generator=_gen(2))
        expected = ae.AutoregressiveBernoulli(dec(z), dec.likelihood.weights).log_prob(x)
        torch.testing.assert_close(dec.distribution(z).log_prob(x), expected)

    def test_vae_samples_and_bound(self):
        """An autoregressive VAE samples binary images and its IWAE bound is finite."""
        m = ae.VAE(64, 2, (8,), "autoregressive", prior_components=3)
        x = m.sample(4, seed=_gen(), mean=False)
        m.check_data(x)
        assert torch.isfinite(ae.iwae_bound(m, x, 5, seed=_gen())).all()
        assert m.reconstruct(x).shape == (4, 64)

    def test_is_bernoulli_at_zero_weights(self):
        """With W = 0 the autoregressive likelihood is the independent Bernoulli one."""
        z = torch.randn(3, 2, generator=_gen())
        ar = ae.ProbabilisticDecoder(2, 64, (8,), "autoregressive")
        x = torch.bernoulli(torch.full((3, 64), 0.5), generator=_gen(1))
        expected = ae.BernoulliLikelihood(64).log_prob(ar(z), x)
        torch.testing.assert_close(ar.distribution(z).log_prob(x), expected)
