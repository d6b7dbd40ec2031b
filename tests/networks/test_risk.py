"""Tests of ae_lib.networks.risk.

Tests of ae_lib.networks.risk (Definition 1.2.2): values and derivatives against torch, the domain of the cross-entropy.

Tests of ae_lib.networks.risk (Definitions 1.2.2 and 1.2.3): the empirical risk and the Monte Carlo L-risk.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

RNG = np.random.default_rng(0)
Y = RNG.uniform(size=(9, 3))
P = RNG.uniform(0.05, 0.95, size=(9, 3))

TORCH = {
    "squared": lambda p, y: ((p - y) ** 2).sum(1),
    "absolute": lambda p, y: (p - y).abs().sum(1),
    "binary cross-entropy": lambda p, y: torch.nn.functional.binary_cross_entropy(p, y, reduction="none").sum(
        1
    ),
}
LOSSES = [ae.squared_loss, ae.absolute_loss, ae.binary_cross_entropy]


class TestLoss:
    @pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.name)
    def test_values_match_torch(self, loss):
        """Each loss equals its torch formula per sample, to 1e-12."""
        expected = TORCH[loss.name](torch.tensor(P), torch.tensor(Y)).numpy()
        np.testing.assert_allclose(loss(Y, P), expected, rtol=0, atol=1e-12)

    @pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.name)
    def test_grad_matches_autograd(self, loss):
        """loss.grad is ∂L/∂ŷ as torch autograd computes it, to 1e-12."""
        p = torch.tensor(P, requires_grad=True)
        TORCH[loss.name](p, torch.tensor(Y)).sum().backward()
        np.testing.assert_allclose(loss.grad(Y, P), p.grad.numpy(), rtol=0, atol=1e-12)

    def test_nonnegative(self):
        """L ≥ 0, as Definition 1.2.2 asks, and L(y, y) = 0 for squared and absolute loss."""
        for loss in LOSSES:
            assert np.all(loss(Y, P) >= 0)
        assert np.all(ae.squared_loss(Y, Y) == 0) and np.all(ae.absolute_loss(Y, Y) == 0)

    def test_shape_mismatch(self):
        """Y and Y_hat of different shapes are refused."""
        with pytest.raises(ValueError, match="same shape"):
            ae.squared_loss(Y, P[:, :2])


RNG_RISK = np.random.default_rng(0)


class TestEmpiricalRisk:
    def test_formula(self):
        """R_{L,D}(p) = (1/k) Σ L(x_i, y_i, p(x_i)) (eq. 1.5)."""
        X = RNG_RISK.normal(size=(5, 2))
        Yd = RNG_RISK.normal(size=(5, 1))
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
        with pytest.raises(ValueError, match=r"n == .*, must be >= 2"):
            ae.l_risk(ae.squared_loss, lambda X: X, _sample, n=1)
