"""Tests of ae_lib.variational.beta_binomial.

Tests of ae_lib.variational.beta_binomial (Definition 3.3.4), against scipy.stats.betabinom.

Tests of ae_lib.variational.beta_binomial: pmf against scipy.stats.betabinom, EM ascent, fit, sampling.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from scipy import optimize, stats

import ae_lib as ae
from ae_lib.variational import beta_binomial as _polya


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
        with pytest.raises(ValueError, match=r"total_count == .*, must be >= 1"):
            ae.BetaBinomial(0, torch.tensor(1.0), torch.tensor(1.0))


RNG = np.random.default_rng(0)
X_TINY = RNG.integers(0, 4, size=(20, 3))  # counts out of N = 3
RAW = ae.load_digits_split("raw")


def _brute_force_log_prob(m, X):
    """log Σ_k π_k Π_j BB(x_j; N, a_kj, b_kj) with scipy's pmf, by loops."""
    out = []
    for x in X:
        total = 0.0
        for k in range(m.n_components):
            total += m.weights_[k] * np.prod(
                stats.betabinom.pmf(x, m.total_count, m.concentration1_[k], m.concentration0_[k])
            )
        out.append(np.log(total))
    return np.array(out)


class TestBetaBinomialMixture:
    def test_pmf_table_matches_scipy(self):
        """The exact-sum log pmf equals scipy.stats.betabinom.logpmf, also for large a, b, and sums to one."""
        a = np.array([0.01, 0.3, 2.0, 40.0, 3e5])
        b = np.array([5.0, 0.7, 1.0, 60.0, 7e5])
        table = _polya.log_pmf_table(16, a, b)
        ref = stats.betabinom.logpmf(np.arange(17)[None, :], 16, a[:, None], b[:, None])
        np.testing.assert_allclose(table, ref, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(np.exp(table).sum(-1), 1.0, rtol=1e-12)

    def test_log_prob_brute_force(self):
        """log_prob equals an explicit sum over components of products of scipy pmfs."""
        m = ae.BetaBinomialMixture(3, total_count=3).fit(X_TINY, seed=1)
        np.testing.assert_allclose(m.log_prob(X_TINY), _brute_force_log_prob(m, X_TINY), rtol=1e-8)

    def test_normalised(self):
        """p(x) sums to one over all (N + 1)^D images."""
        m = ae.BetaBinomialMixture(2, total_count=3).fit(X_TINY, seed=0)
        allx = np.array(list(itertools.product(range(4), repeat=3)))
        assert np.exp(m.log_prob(allx)).sum() == pytest.approx(1.0)

    @pytest.mark.parametrize("alpha", [0.0, 0.5])
    def test_objective_never_decreases(self, alpha):
        """Generalised EM never lowers the (penalised) objective (ascent property, Theorem 3.3.3)."""
        m = ae.BetaBinomialMixture(5, alpha=alpha, m_steps=1).fit(RAW.X_train[:300], max_iter=25, seed=0)
        obj = np.array(m.objective_)
        assert np.all(np.diff(obj) >= -1e-7 * abs(obj[-1]))
        assert obj[-1] > obj[0]
        if alpha == 0:
            assert m.objective_ == m.log_likelihood_

    def test_m_update_is_ascent_and_converges(self):
        """Each (a, b) step never lowers Σ_l c_l log BB(l); a few reach scipy's numerical optimum."""
        counts = np.array([[[50.0, 20, 9, 5, 3, 2, 1], [1, 2, 3, 4, 10, 20, 30]]]) + 0.1
        a, b = np.ones((1, 2)), np.ones((1, 2))
        f = lambda a, b: (counts * _polya.log_pmf_table(6, a, b)).sum(-1)
        prev = f(a, b)
        for _ in range(30):
            a, b = _polya.m_update(counts, a, b)
            assert np.all(f(a, b) >= prev - 1e-10)
            prev = f(a, b)
        for j in range(2):
            obj = lambda t, j=j: -(counts[0, j] * stats.betabinom.logpmf(np.arange(7), 6, *np.exp(t))).sum()
            best = optimize.minimize(
                obj, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}
            )
            assert -best.fun == pytest.approx(prev[0, j], abs=1e-6)

    def test_one_component_fits_each_pixel(self):
        """K = 1, alpha = 0: each pixel's (a, b) is its maximum-likelihood beta-binomial."""
        X = RAW.X_train[:300, 20:23]
        m = ae.BetaBinomialMixture(1, alpha=0.0, m_steps=5).fit(X)
        for j in range(3):
            ll = lambda t, j=j: -stats.betabinom.logpmf(X[:, j], 16, *np.exp(t)).sum()
            best = optimize.minimize(
                ll, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-10}
            )
            ours = -stats.betabinom.logpmf(
                X[:, j], 16, m.concentration1_[0, j], m.concentration0_[0, j]
            ).sum()
            assert ours == pytest.approx(best.fun, abs=1e-5)

    def test_beats_categorical_mixture_on_held_out_digits(self):
        """Two numbers per pixel instead of 17: with the same K it generalises better than the categorical mixture."""
        X_fit, X_val = RAW.X_train[:500], RAW.X_train[500:800]
        bb = ae.BetaBinomialMixture(5, alpha=0.1).fit(X_fit, max_iter=30, seed=0).nll(X_val)
        cat = ae.CategoricalMixture(5, alpha=0.5).fit(X_fit, max_iter=30, seed=0).nll(X_val)
        assert bb < cat - 1.0

    def test_sample_range_seed_and_means(self):
        """Samples are counts in 0..N; a seed reproduces them; their mean matches Σ_k π_k means_k."""
        m = ae.BetaBinomialMixture(3).fit(RAW.X_train[:200], seed=0)
        s = m.sample(5000, seed=3)
        assert s.shape == (5000, 64) and s.min() >= 0 and s.max() <= 16
        assert np.array_equal(s, m.sample(5000, seed=3))
        np.testing.assert_allclose(s.mean(0), m.weights_ @ m.means(), atol=0.3)

    @pytest.mark.parametrize("bad", [17, -1, 2.5])
    def test_values_outside_counts(self, bad):
        """Values outside 0..N are refused, naming X."""
        with pytest.raises(ValueError, match=r"X must hold integers in 0\.\.16"):
            ae.BetaBinomialMixture(2).fit(np.array([[0, bad]]))

    def test_arguments_named(self):
        """Bad constructor arguments and unfitted use give errors naming the argument."""
        with pytest.raises(ValueError, match=r"n_components == .*, must be >= 1"):
            ae.BetaBinomialMixture(0)
        with pytest.raises(ValueError, match=r"alpha( == .*, must be >= 0| must be finite)"):
            ae.BetaBinomialMixture(2, alpha=-0.1)
        with pytest.raises(TypeError, match="m_steps must be an instance of int"):
            ae.BetaBinomialMixture(2, m_steps=1.5)
        with pytest.raises(RuntimeError, match="not fitted"):
            ae.BetaBinomialMixture(2).log_prob(X_TINY)
        m = ae.BetaBinomialMixture(2, total_count=3).fit(X_TINY)
        with pytest.raises(ValueError, match="X must have 3 columns"):
            m.log_prob(np.zeros((2, 4)))
