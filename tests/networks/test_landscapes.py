"""Tests of ae_lib.networks.landscapes (test functions for Section 1.2's optimisers)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import ae_lib as ae

matplotlib.use("Agg")


def _fd_grad(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


class TestQuadratic:
    def test_grad_and_L(self):
        """∂f = Ax matches finite differences and L is the largest eigenvalue."""
        f = ae.Quadratic([[2.0, 0.5], [0.5, 1.0]])
        x = np.array([0.3, -1.2])
        np.testing.assert_allclose(f.grad(x), _fd_grad(f, x), atol=1e-8)
        assert f.L == pytest.approx(np.linalg.eigvalsh(f.A).max())

    def test_not_positive_definite(self):
        """A matrix with a non-positive eigenvalue is refused."""
        with pytest.raises(ValueError, match="positive definite"):
            ae.Quadratic(np.diag([1.0, -1.0]))


class TestFourWells:
    def test_grad(self):
        """four_wells_grad matches finite differences."""
        x = np.array([0.4, -0.7])
        np.testing.assert_allclose(ae.four_wells_grad(x), _fd_grad(ae.four_wells, x), atol=1e-8)


class TestFourWellsGrad:
    def test_four_minima(self):
        """Gradient descent from the four quadrants ends in four different stationary points, the lowest near (−1, −1)."""
        ends = [
            ae.gradient_descent(ae.four_wells_grad, s, 0.05, 2000)[-1]
            for s in ([1.5, 1.5], [-1.5, 1.5], [1.5, -1.5], [-1.5, -1.5])
        ]
        assert all(np.linalg.norm(ae.four_wells_grad(e)) < 1e-8 for e in ends)
        assert len({tuple(np.sign(e)) for e in ends}) == 4
        assert np.argmin([ae.four_wells(e) for e in ends]) == 3


class TestReddiGradient:
    def test_average_slope_positive(self):
        """Over one period the gradients sum to C − (period − 1)·small > 0, so x* = −1 on [−1, 1]."""
        assert sum(ae.reddi_gradient(t)[0] for t in range(1, 102)) == pytest.approx(10.0)


class TestPlotPaths:
    def test_draws(self):
        """One line per path plus start and end markers."""
        fig, ax = plt.subplots()
        ae.plot_paths(ae.four_wells, [np.zeros((3, 2)), np.ones((2, 2))], ax=ax, labels=["a", "b"])
        assert len(ax.lines) == 6
        plt.close(fig)
