"""Tests of ae_lib.risk (Definitions 1.2.2 and 1.2.3): the empirical risk and the Monte Carlo L-risk."""

import numpy as np
import pytest

import ae_lib as ae

RNG = np.random.default_rng(0)


class TestEmpiricalRisk:
    def test_formula(self):
        """R_{L,D}(p) = (1/k) Σ L(x_i, y_i, p(x_i)) (eq. 1.5)."""
        X = RNG.normal(size=(5, 2))
        Yd = RNG.normal(size=(5, 1))
        p = lambda X: X[:, :1] * 2.0
        expected = sum(float(((p(X[i : i + 1]) - Yd[i]) ** 2).sum()) for i in range(5)) / 5
        assert ae.empirical_risk(ae.squared_loss, p, X, Yd) == pytest.approx(expected, rel=1e-14)

    def test_length_mismatch(self):
        """X and Y with different numbers of samples are refused, naming both."""
        with pytest.raises(ValueError, match="X and Y must have the same length"):
            ae.empirical_risk(ae.squared_loss, lambda X: X, np.ones((3, 2)), np.ones((4, 2)))

    def test_empty(self):
        """An empty data set (k = 0) is refused."""
        with pytest.raises(ValueError, match="X is empty"):
            ae.empirical_risk(ae.squared_loss, lambda X: X, np.ones((0, 2)), np.ones((0, 2)))

    def test_non_finite(self):
        """NaN in the data is refused, naming X."""
        with pytest.raises(ValueError, match="X must be finite"):
            ae.empirical_risk(ae.squared_loss, lambda X: X, np.array([[np.nan]]), np.ones((1, 1)))


def _sample(n, rng, sigma=0.5):
    x = rng.normal(size=(n, 1))
    return x, x + sigma * rng.normal(size=(n, 1))


class TestLRisk:
    def test_known_risk(self):
        """For y = x + σε and p(x) = x, R_{L,P}(p) = σ² under squared loss: the estimate is within 4 standard errors."""
        est = ae.l_risk(ae.squared_loss, lambda X: X, _sample, n=50_000, seed=1)
        assert abs(est.value - 0.25) < 4 * est.stderr
        assert est.n == 50_000

    def test_stderr_scales(self):
        """The standard error shrinks like 1/√n."""
        a = ae.l_risk(ae.squared_loss, lambda X: X, _sample, n=1_000, seed=0)
        b = ae.l_risk(ae.squared_loss, lambda X: X, _sample, n=100_000, seed=0)
        assert 7 < a.stderr / b.stderr < 13

    def test_seeded(self):
        """Same seed, same estimate."""
        a = ae.l_risk(ae.absolute_loss, lambda X: X, _sample, n=100, seed=3)
        assert a == ae.l_risk(ae.absolute_loss, lambda X: X, _sample, n=100, seed=3)

    def test_needs_two_samples(self):
        """n = 1 gives no standard error and is refused."""
        with pytest.raises(ValueError, match="n must be >= 2"):
            ae.l_risk(ae.squared_loss, lambda X: X, _sample, n=1)
