"""Tests of ae_lib.optim (Theorem 1.2.1): steps against torch.optim.SGD, schedules, bad input."""

import math

import numpy as np
import pytest
import torch
from _optim_twin import grad_batch, make_net, torch_run

import ae_lib as ae


class TestStepSizes:
    def test_values(self):
        """γ_t = c/(t+1)^p for constant, 1/t, 1/sqrt(t) and 1/t^2."""
        for kind, p in [("constant", 0), ("1/t", 1), ("1/sqrt(t)", 0.5), ("1/t^2", 2)]:
            s = ae.step_sizes(kind, 0.3)
            assert [s(t) for t in range(4)] == pytest.approx([0.3 / (t + 1) ** p for t in range(4)])

    def test_bad_input(self):
        """An unknown kind or a non-positive, non-finite c is refused."""
        with pytest.raises(ValueError, match="kind must be one of"):
            ae.step_sizes("1/t^3", 1.0)
        for c in (0.0, -1.0, math.inf, math.nan):
            with pytest.raises(ValueError, match="c must be finite and > 0"):
                ae.step_sizes("1/t", c)


class TestGradientStep:
    @pytest.mark.parametrize("gamma", [0.0, -0.1, math.inf, math.nan])
    def test_bad_step_size(self, gamma):
        """Non-positive or non-finite step sizes are refused."""
        with pytest.raises(ValueError, match="lr must be finite and > 0"):
            ae.GradientStep(gamma)

    def test_schedule_returning_nan(self):
        """A schedule that returns NaN at some t stops the run with an error naming γ_t."""
        opt = ae.GradientStep(lambda t: 0.1 if t < 3 else math.nan)
        with pytest.raises(ValueError, match="γ_3 = nan"):
            ae.gradient_descent(lambda x: 2 * x, [1.0], opt.lr, 10)

    def test_schedule_returning_non_number(self):
        """A schedule must return a real number."""
        with pytest.raises(TypeError, match="lr must be a real number"):
            ae.GradientStep(lambda t: "0.1")

    def test_matches_torch_sgd(self):
        """Full-batch steps with γ_t = 0.5/(t+1) equal torch.optim.SGD step for step (1e-12, float64)."""
        net, gamma = make_net(), ae.step_sizes("1/t", 0.5)
        path = ae.gradient_descent(
            lambda th: grad_batch(net)(th, np.arange(20)), ae.flatten_theta(net.theta), gamma, 15
        )
        ref = torch_run(
            make_net(),
            [np.arange(20)] * 15,
            [gamma(t) for t in range(15)],
            lambda p: torch.optim.SGD(p, lr=1.0),
        )
        np.testing.assert_allclose(path[1:], ref, rtol=0, atol=1e-12)


class TestGradientDescent:
    def test_converges_on_quadratic(self):
        """Theorem 1.2.1 with a constant γ < 2/L: the iterates reach x* = 0."""
        f = ae.Quadratic(np.diag([1.0, 10.0]))
        path = ae.gradient_descent(f.grad, [1.0, 1.0], 1.9 / f.L, 500)
        assert np.linalg.norm(path[-1]) < 1e-10

    def test_diverges_above_two_over_l(self):
        """γ > 2/L diverges; the run stops early at overflow."""
        f = ae.Quadratic(np.diag([1.0, 10.0]))
        path = ae.gradient_descent(f.grad, [1.0, 1.0], 2.1 / f.L, 20_000)
        assert len(path) < 20_001 and np.abs(path[-1]).max() > 1e100

    def test_summable_steps_stall(self):
        """With γ_t = c/(t+1)² on f(x) = x², x^(t) → x0 Π(1 − 2c/(t+1)²) = x0 sin(πa)/(πa), a = √(2c) ≠ 0."""
        path = ae.gradient_descent(lambda x: 2 * x, [1.0], ae.step_sizes("1/t^2", 0.25), 100_000)
        a = math.sqrt(0.5)
        assert path[-1, 0] == pytest.approx(math.sin(math.pi * a) / (math.pi * a), rel=1e-4)


class TestIterate:
    def test_projection(self):
        """project is applied after each step."""
        path = ae.iterate(
            ae.GradientStep(1.0), lambda x, t: np.array([-5.0]), [0.0], 3, project=lambda x: np.clip(x, -1, 1)
        )
        assert path[:, 0].tolist() == [0.0, 1.0, 1.0, 1.0]
