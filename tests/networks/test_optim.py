"""Tests of ae_lib.networks.optim.

Tests of ae_lib.networks.optim (Theorem 1.2.1): steps against torch.optim.SGD, schedules, bad input.

Tests of ae_lib.networks.optim (Theorem 1.2.6): minibatches and SGD against torch.optim.SGD.

Tests of ae_lib.networks.optim: Adam and AMSGrad against torch.optim.Adam, and Reddi et al.'s example.
"""

from __future__ import annotations

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
            with pytest.raises(ValueError, match=r"c( == .*, must be > 0| must be finite)"):
                ae.step_sizes("1/t", c)


class TestGradientStep:
    @pytest.mark.parametrize("gamma", [0.0, -0.1, math.inf, math.nan])
    def test_bad_step_size(self, gamma):
        """Non-positive or non-finite step sizes are refused."""
        with pytest.raises(ValueError, match=r"lr( == .*, must be > 0| must be finite)"):
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


class TestMinibatches:
    def test_epochs_are_permutations(self):
        """Each epoch's minibatches together are a permutation of 0..k-1."""
        it = ae.minibatches(10, 3, seed=np.random.default_rng(0))
        for _ in range(3):
            epoch = np.concatenate([next(it) for _ in range(4)])
            assert sorted(epoch) == list(range(10))

    def test_with_replacement(self):
        """replace=True gives batches of batch_size independent draws."""
        it = ae.minibatches(5, 8, seed=np.random.default_rng(0), replace=True)
        b = next(it)
        assert b.shape == (8,) and b.min() >= 0 and b.max() < 5

    def test_needs_generator(self):
        """Randomness is passed in as seed (an int or a generator), checked before any batch is drawn."""
        with pytest.raises(TypeError, match="seed"):
            ae.minibatches(5, 2, seed="0")
        assert np.array_equal(
            next(ae.minibatches(5, 2, seed=3)), next(ae.minibatches(5, 2, seed=np.random.default_rng(3)))
        )


class TestSgd:
    @pytest.mark.parametrize("batch_size", [1, 6])
    def test_matches_torch_sgd(self, batch_size):
        """Single-sample and minibatch SGD equal torch.optim.SGD step for step on the same minibatch order (1e-12)."""
        net, steps = make_net(), 25
        path = ae.sgd(
            grad_batch(net), ae.flatten_theta(net.theta), 20, 0.05, steps, batch_size=batch_size, seed=4
        )
        it = ae.minibatches(20, batch_size, seed=np.random.default_rng(4))
        ref = torch_run(
            make_net(),
            [next(it) for _ in range(steps)],
            [0.05] * steps,
            lambda p: torch.optim.SGD(p, lr=0.05),
        )
        np.testing.assert_allclose(path[1:], ref, rtol=0, atol=1e-12)

    def test_seeded(self):
        """Same seed, same iterates."""
        g = lambda x, idx: x - idx.mean()
        a = ae.sgd(g, [0.0], 10, 0.1, 30, seed=1)
        np.testing.assert_array_equal(a, ae.sgd(g, [0.0], 10, 0.1, 30, seed=1))

    def test_robbins_monro_reaches_minimiser(self):
        """With γ_t = 1/(t+1) SGD on the mean of (x − a_i)²/2 converges to the mean of the a_i."""
        a = np.random.default_rng(0).normal(size=50)
        path = ae.sgd(lambda x, idx: x - a[idx].mean(), [5.0], 50, ae.step_sizes("1/t", 1.0), 20_000)
        assert abs(path[-1, 0] - a.mean()) < 1e-2


RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 4))
Y = RNG.normal(size=(20, 2))


class TestAdam:
    @pytest.mark.parametrize("amsgrad", [False, True])
    def test_matches_torch_adam(self, amsgrad):
        """Minibatch Adam/AMSGrad equal torch.optim.Adam step for step on the same minibatch order (1e-12, float64)."""
        net = ae.DeepNetwork.from_widths([4, 5, 2], "tanh", seed=2, output_phi="identity")
        twin = ae.to_torch(net)
        opt_t = torch.optim.Adam(twin.parameters(), lr=0.01, betas=(0.8, 0.99), eps=1e-8, amsgrad=amsgrad)
        opt = ae.Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-8, amsgrad=amsgrad)
        it = ae.minibatches(20, 6, seed=np.random.default_rng(3))
        theta = ae.flatten_theta(net.theta)
        for _ in range(30):
            idx = next(it)
            g = ae.flatten_theta(ae.risk_gradient(ae.set_theta(net, theta), ae.squared_loss, X[idx], Y[idx]))
            theta = opt.step(theta, g)
            opt_t.zero_grad()
            ((twin(torch.tensor(X[idx])) - torch.tensor(Y[idx])) ** 2).sum(1).mean().backward()
            opt_t.step()
            ref = np.concatenate([p.detach().reshape(-1).numpy() for p in twin.parameters()])
            np.testing.assert_allclose(theta, ref, rtol=0, atol=1e-12)

    def test_first_step_is_lr_times_sign(self):
        """Bias correction: the first step is lr·g/(|g| + ε), about lr·sign(g)."""
        x1 = ae.Adam(lr=0.1).step(np.zeros(3), np.array([5.0, -1e-3, 2.0]))
        np.testing.assert_allclose(x1, [-0.1, 0.1, -0.1], rtol=1e-4)

    def test_bad_input(self):
        """betas outside [0, 1) and non-positive lr are refused."""
        with pytest.raises(ValueError, match=r"betas\[1\] == .*, must be < 1"):
            ae.Adam(betas=(0.9, 1.0))
        with pytest.raises(ValueError, match=r"lr( == .*, must be > 0| must be finite)"):
            ae.Adam(lr=0.0)

    def test_reddi_counterexample(self):
        """On Reddi et al.'s convex problem (x* = −1) Adam drifts to +1 while AMSGrad approaches −1."""
        ends = {}
        for ams in (False, True):
            opt = ae.Adam(lr=lambda t: 0.5 / np.sqrt(t + 1), betas=(0.9, 0.99), amsgrad=ams)
            path = ae.iterate(
                opt, lambda x, t: ae.reddi_gradient(t + 1), [0.0], 20_000, project=lambda x: np.clip(x, -1, 1)
            )
            ends[ams] = path[-1, 0]
        assert ends[False] > 0.9 and ends[True] < -0.9, ends
