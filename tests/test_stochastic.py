"""Tests of ae_lib.stochastic (Theorem 1.2.6): minibatches and SGD against torch.optim.SGD."""

import numpy as np
import pytest
import torch
from _optim_twin import grad_batch, make_net, torch_run

import ae_lib as ae


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
