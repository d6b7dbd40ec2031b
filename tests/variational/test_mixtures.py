"""Tests of ae_lib.variational.mixtures (Definition 3.3.1, Example 3.3.2, Theorem 3.3.3)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ae_lib as ae

RNG = np.random.default_rng(0)
X_TINY = RNG.integers(0, 3, size=(12, 3))
B_TINY = RNG.integers(0, 2, size=(15, 4)).astype(float)


def _brute_force_log_prob(weights, rho, X):
    """log Σ_k π_k Π_j ρ_{k,j,x_j} by explicit loops."""
    out = []
    for x in X:
        total = 0.0
        for k in range(len(weights)):
            p = weights[k]
            for j, v in enumerate(x):
                p *= rho[k, j, int(v)]
            total += p
        out.append(np.log(total))
    return np.array(out)


class TestEmStep:
    @pytest.mark.parametrize("alpha", [0.0, 0.5])
    def test_ascent(self, alpha):
        """Each EM step does not lower the (penalised) log-likelihood (Theorem 3.3.3)."""
        m = ae.CategoricalMixture(3, n_levels=3, alpha=alpha).fit(X_TINY, max_iter=1, seed=1)
        w, rho = m.weights_, m.rho_
        prev = -np.inf
        for _ in range(30):
            log_prior = alpha * np.log(rho).sum()
            obj = _brute_force_log_prob(w, rho, X_TINY).sum() + log_prior
            assert obj >= prev - 1e-9
            prev = obj
            w, rho, _ = ae.em_step(X_TINY, w, rho, alpha)

    def test_reports_likelihood_before_update(self):
        """The returned log-likelihood is that of the parameters passed in."""
        w, rho = np.array([0.3, 0.7]), RNG.dirichlet(np.ones(3), size=(2, 3))
        _, _, ll = ae.em_step(X_TINY, w, rho)
        assert ll == pytest.approx(_brute_force_log_prob(w, rho, X_TINY).sum())


class TestCategoricalMixture:
    def test_log_likelihood_monotone(self):
        """The training log-likelihood increases monotonically under ML-EM (alpha = 0)."""
        X = ae.load_digits_split("raw").X_train[:300]
        ll = ae.CategoricalMixture(5, alpha=0.0).fit(X, max_iter=40, seed=0).log_likelihood_
        assert np.all(np.diff(ll) >= -1e-6)
        assert ll[-1] > ll[0]

    def test_log_prob_brute_force(self):
        """log_prob equals an explicit sum over components and product over pixels."""
        m = ae.CategoricalMixture(2, n_levels=3).fit(X_TINY, seed=0)
        np.testing.assert_allclose(m.log_prob(X_TINY), _brute_force_log_prob(m.weights_, m.rho_, X_TINY))

    def test_normalised(self):
        """p(x) sums to one over all L^D configurations."""
        m = ae.CategoricalMixture(2, n_levels=3).fit(X_TINY, seed=0)
        allx = np.array(list(itertools.product(range(3), repeat=3)))
        assert np.exp(m.log_prob(allx)).sum() == pytest.approx(1.0)

    def test_one_component_is_frequencies(self):
        """K = 1, alpha = 0: ρ_j are the empirical frequencies of each pixel's levels."""
        m = ae.CategoricalMixture(1, n_levels=3, alpha=0.0).fit(X_TINY)
        freq = np.stack([(X_TINY == v).mean(0) for v in range(3)], axis=-1)
        np.testing.assert_allclose(m.rho_[0], freq, atol=1e-12)

    def test_samples_in_range(self):
        """Samples are integers in 0..L−1 with the right shape."""
        m = ae.CategoricalMixture(2, n_levels=3).fit(X_TINY, seed=0)
        s = m.sample(50, seed=np.random.default_rng(0))
        assert s.shape == (50, 3) and s.min() >= 0 and s.max() <= 2

    @pytest.mark.parametrize("bad", [17, -1, 2.5])
    def test_values_outside_levels(self, bad):
        """Values outside 0..16 are refused, naming X."""
        with pytest.raises(ValueError, match=r"X must be integers in 0\.\.16"):
            ae.CategoricalMixture(2).fit(np.array([[0, bad]]))


class TestBernoulliMixture:
    def test_brute_force(self):
        """The Bernoulli mixture's log p(x) is Σ_k π_k Π_j μ_kj^x_j (1 − μ_kj)^(1−x_j)."""
        m = ae.BernoulliMixture(3).fit(B_TINY, seed=2)
        mu = m.means()
        brute = np.log(
            (
                m.weights_[None, :]
                * np.prod(np.where(B_TINY[:, None, :] == 1, mu[None], 1 - mu[None]), axis=-1)
            ).sum(1)
        )
        np.testing.assert_allclose(m.log_prob(B_TINY), brute)

    def test_non_binary_refused(self):
        """Grey levels are refused: the data must be binarised first."""
        with pytest.raises(ValueError, match="X must be binary"):
            ae.BernoulliMixture(2).fit(np.array([[0.0, 3.0]]))

    def test_beats_independent(self):
        """On binarised digits, K = 10 components beat the independent model on test data."""
        d = ae.load_digits_split("binary")
        one = ae.BernoulliMixture(1).fit(d.X_train).nll(d.X_test)
        ten = ae.BernoulliMixture(10).fit(d.X_train, seed=0).nll(d.X_test)
        assert ten < one - 2.0
