"""Tests of ae_lib.adam: Adam and AMSGrad against torch.optim.Adam, and Reddi et al.'s example."""

import numpy as np
import pytest
import torch

import ae_lib as ae

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
        with pytest.raises(ValueError, match=r"betas\[1\] must lie in"):
            ae.Adam(betas=(0.9, 1.0))
        with pytest.raises(ValueError, match="lr must be finite and > 0"):
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
