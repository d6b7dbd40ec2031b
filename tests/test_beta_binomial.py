"""Tests of ae_lib.beta_binomial (Definition 3.3.4), against scipy.stats.betabinom."""

import numpy as np
import pytest
import torch
from scipy import stats

import ae_lib as ae


class TestBetaBinomial:
    A = torch.tensor([0.3, 2.0, 5.0, 40.0], dtype=torch.float64)
    B = torch.tensor([0.7, 1.0, 9.0, 60.0], dtype=torch.float64)

    def test_log_prob_matches_scipy(self):
        """log P(x) equals scipy.stats.betabinom.logpmf for every x in 0..16."""
        x = torch.arange(17, dtype=torch.float64).unsqueeze(-1)
        ours = ae.BetaBinomial(16, self.A, self.B).log_prob(x).numpy()
        ref = stats.betabinom.logpmf(np.arange(17)[:, None], 16, self.A.numpy(), self.B.numpy())
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-10)

    def test_mean_variance_match_scipy(self):
        """Mean N α/(α+β) and the overdispersed variance agree with scipy."""
        d = ae.BetaBinomial(16, self.A, self.B)
        np.testing.assert_allclose(d.mean.numpy(), stats.betabinom.mean(16, self.A, self.B))
        np.testing.assert_allclose(d.variance.numpy(), stats.betabinom.var(16, self.A, self.B))

    def test_large_concentration_is_binomial(self):
        """With α + β → ∞ at fixed mean the beta-binomial becomes Binomial(N, α/(α+β))."""
        x = torch.arange(17, dtype=torch.float64)
        bb = ae.BetaBinomial(
            16, torch.tensor(3e6, dtype=torch.float64), torch.tensor(7e6, dtype=torch.float64)
        )
        binom = torch.distributions.Binomial(16, probs=torch.tensor(0.3, dtype=torch.float64))
        np.testing.assert_allclose(bb.log_prob(x).exp().numpy(), binom.log_prob(x).exp().numpy(), atol=1e-6)

    def test_sample_moments_and_generator(self):
        """Samples are integers in 0..N with the right mean and variance; a generator reproduces them."""
        d = ae.BetaBinomial(16, self.A.float(), self.B.float())
        s = d.sample((40_000,), seed=torch.Generator().manual_seed(0))
        assert s.shape == (40_000, 4)
        assert ((s == s.round()) & (s >= 0) & (s <= 16)).all()
        np.testing.assert_allclose(s.mean(0).numpy(), d.mean.numpy(), rtol=0.03)
        np.testing.assert_allclose(s.var(0).numpy(), d.variance.numpy(), rtol=0.05)
        again = d.sample((40_000,), seed=torch.Generator().manual_seed(0))
        assert torch.equal(s, again)

    def test_gradients_flow(self):
        """log P(x) is differentiable in α and β (the decoder is trained through it)."""
        a = self.A.clone().requires_grad_()
        ae.BetaBinomial(16, a, self.B).log_prob(torch.full((4,), 5.0, dtype=torch.float64)).sum().backward()
        assert torch.isfinite(a.grad).all() and (a.grad != 0).all()

    @pytest.mark.parametrize("bad", [0.0, -1.0])
    def test_bad_concentration_refused(self, bad):
        """α ≤ 0 is refused when validating arguments."""
        with pytest.raises(ValueError, match="concentration1"):
            ae.BetaBinomial(16, torch.tensor([bad]), torch.tensor([1.0]), validate_args=True)

    def test_total_count_positive(self):
        """N must be an integer ≥ 1."""
        with pytest.raises(ValueError, match="total_count must be >= 1"):
            ae.BetaBinomial(0, torch.tensor(1.0), torch.tensor(1.0))
