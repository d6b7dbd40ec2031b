"""Tests of ae_lib.networks.backprop.

Tests of ae_lib.networks.backprop (Lemma 1.2.4): backpropagation against torch autograd and finite differences.

Tests of ae_lib.networks.backprop (Corollary 1.2.5): training a NumPy network by GD, SGD and Adam.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import ae_lib as ae

RNG = np.random.default_rng(0)
X = RNG.normal(size=(11, 5))
Y = RNG.uniform(0.1, 0.9, size=(11, 3))

TORCH_LOSS = {
    "squared": lambda p, y: ((p - y) ** 2).sum(1).mean(),
    "absolute": lambda p, y: (p - y).abs().sum(1).mean(),
    "binary cross-entropy": lambda p, y: (
        torch.nn.functional.binary_cross_entropy(p, y, reduction="none").sum(1).mean()
    ),
}


def _net(phi="tanh", out="sigmoid", widths=(5, 4, 6, 3)):
    return ae.DeepNetwork.from_widths(list(widths), phi, seed=1, output_phi=out)


def _torch_grad(net, loss):
    twin = ae.to_torch(net)
    TORCH_LOSS[loss.name](twin(torch.tensor(X)), torch.tensor(Y)).backward()
    return np.concatenate([p.grad.reshape(-1).numpy() for p in twin.parameters()])


class TestRiskGradient:
    @pytest.mark.parametrize("phi", ["tanh", "sigmoid", "softplus", "relu", "leaky_relu"])
    @pytest.mark.parametrize(
        "loss", [ae.squared_loss, ae.binary_cross_entropy, ae.absolute_loss], ids=lambda loss: loss.name
    )
    def test_matches_autograd(self, phi, loss):
        """∂_θ R_{L,D} by backpropagation equals torch autograd to 1e-10 in float64."""
        net = _net(phi)
        g = ae.flatten_theta(ae.risk_gradient(net, loss, X, Y))
        np.testing.assert_allclose(g, _torch_grad(net, loss), rtol=0, atol=1e-10)

    @pytest.mark.parametrize("loss", [ae.squared_loss, ae.binary_cross_entropy], ids=lambda loss: loss.name)
    def test_matches_finite_differences(self, loss):
        """Each partial derivative agrees with a central finite difference (h = 1e-6) to 1e-7."""
        net = _net("tanh")
        theta = ae.flatten_theta(net.theta)
        g = ae.flatten_theta(ae.risk_gradient(net, loss, X, Y))
        h, fd = 1e-6, np.empty_like(theta)
        for j in range(theta.size):
            e = np.zeros_like(theta)
            e[j] = h
            r_plus = ae.empirical_risk(loss, ae.set_theta(net, theta + e), X, Y)
            r_minus = ae.empirical_risk(loss, ae.set_theta(net, theta - e), X, Y)
            fd[j] = (r_plus - r_minus) / (2 * h)
        np.testing.assert_allclose(g, fd, rtol=0, atol=1e-7)

    def test_shapes(self):
        """The gradient has the layout of θ = [(W_1, b_1), …, (W_L, b_L)]."""
        net = _net()
        for (W, b), (gW, gb) in zip(net.theta, ae.risk_gradient(net, ae.squared_loss, X, Y)):
            assert gW.shape == W.shape and gb.shape == b.shape

    def test_wrong_widths(self):
        """X or Y of the wrong width is refused, naming it."""
        with pytest.raises(ValueError, match="X must have 5 columns"):
            ae.risk_gradient(_net(), ae.squared_loss, X[:, :4], Y)
        with pytest.raises(ValueError, match="Y must have 3 columns"):
            ae.risk_gradient(_net(), ae.squared_loss, X, Y[:, :2])

    def test_length_mismatch(self):
        """X and Y of different lengths are refused."""
        with pytest.raises(ValueError, match="same length"):
            ae.risk_gradient(_net(), ae.squared_loss, X, Y[:5])


class TestPerSampleGradients:
    def test_average_is_risk_gradient(self):
        """Lemma 1.2.4: the gradient of R_{L,D} is the average of the k per-sample gradients (to 1e-15)."""
        net = _net("softplus")
        full = ae.risk_gradient(net, ae.binary_cross_entropy, X, Y)
        per = ae.per_sample_gradients(net, ae.binary_cross_entropy, X, Y)
        for (gW, gb), (pW, pb) in zip(full, per):
            np.testing.assert_allclose(pW.mean(axis=0), gW, rtol=0, atol=1e-15)
            np.testing.assert_allclose(pb.mean(axis=0), gb, rtol=0, atol=1e-15)

    def test_each_is_single_sample_gradient(self):
        """Entry j is the gradient of the loss at sample j alone."""
        net = _net()
        per = ae.per_sample_gradients(net, ae.squared_loss, X, Y)
        one = ae.risk_gradient(net, ae.squared_loss, X[4:5], Y[4:5])
        for (pW, pb), (gW, gb) in zip(per, one):
            np.testing.assert_allclose(pW[4], gW, rtol=0, atol=1e-15)
            np.testing.assert_allclose(pb[4], gb, rtol=0, atol=1e-15)


class TestFlattenTheta:
    def test_torch_order(self):
        """The vector lists W_1, b_1, W_2, … like torch's parameters()."""
        net = _net()
        expected = np.concatenate([p.detach().reshape(-1).numpy() for p in ae.to_torch(net).parameters()])
        np.testing.assert_array_equal(ae.flatten_theta(net.theta), expected)


class TestSetTheta:
    def test_round_trip(self):
        """set_theta(net, flatten_theta(θ')) gives the network parameters θ'."""
        a, b = _net(), ae.DeepNetwork.from_widths([5, 4, 6, 3], "tanh", seed=7, output_phi="sigmoid")
        ae.set_theta(a, ae.flatten_theta(b.theta))
        np.testing.assert_array_equal(a(X), b(X))

    def test_wrong_length(self):
        """A vector of the wrong length is refused, naming the expected length."""
        with pytest.raises(ValueError, match="vector must have 75 entries"):
            ae.set_theta(_net(), np.zeros(3))


RNG_FIT = np.random.default_rng(0)
X_FIT = RNG_FIT.normal(size=(30, 4))
Y_FIT = np.tanh(X_FIT[:, :2])


def _fit_net():
    return ae.DeepNetwork.from_widths([4, 6, 2], "tanh", seed=0, output_phi="identity")


class TestTrainNetwork:
    def test_gd_is_corollary_update(self):
        """With batch_size=None each epoch is one step θ ← θ − γ ∂_θ R_{L,D} on all k samples."""
        net, ref = _fit_net(), _fit_net()
        ae.train_network(net, ae.squared_loss, X_FIT, Y_FIT, ae.GradientStep(0.1), 3)
        for _ in range(3):
            g = ae.flatten_theta(ae.risk_gradient(ref, ae.squared_loss, X_FIT, Y_FIT))
            ae.set_theta(ref, ae.flatten_theta(ref.theta) - 0.1 * g)
        np.testing.assert_allclose(
            ae.flatten_theta(net.theta), ae.flatten_theta(ref.theta), rtol=0, atol=1e-15
        )

    def test_history(self):
        """Risks are recorded at θ^(0) and after each epoch; gradient evaluations count the updates."""
        h = ae.train_network(
            _fit_net(),
            ae.squared_loss,
            X_FIT,
            Y_FIT,
            ae.GradientStep(0.05),
            4,
            batch_size=8,
            X_test=X_FIT[:5],
            Y_test=Y_FIT[:5],
        )
        assert len(h.train_risk) == len(h.test_risk) == 5
        assert h.grad_evals == [0, 4, 8, 12, 16]
        assert h.train_risk[-1] < h.train_risk[0]

    def test_matches_sgd_with_adam(self):
        """Minibatch Adam through train_network equals ae.sgd with Adam on the same minibatch order."""
        net = _fit_net()
        theta0 = ae.flatten_theta(net.theta)
        trained = copy.deepcopy(net)
        ae.train_network(trained, ae.squared_loss, X_FIT, Y_FIT, ae.Adam(0.01), 2, batch_size=7, seed=5)

        def g(theta, idx):
            return ae.flatten_theta(
                ae.risk_gradient(ae.set_theta(net, theta), ae.squared_loss, X_FIT[idx], Y_FIT[idx])
            )

        path = ae.sgd(g, theta0, 30, 1.0, 10, batch_size=7, seed=5, optimizer=ae.Adam(0.01))
        np.testing.assert_allclose(ae.flatten_theta(trained.theta), path[-1], rtol=0, atol=1e-15)

    def test_divergence_stops(self):
        """A step size far too large makes θ overflow and raises TrainingDiverged."""
        with pytest.raises(ae.TrainingDiverged):
            ae.train_network(_fit_net(), ae.squared_loss, X_FIT, Y_FIT * 1e3, ae.GradientStep(1e6), 50)

    def test_bad_data(self):
        """Mismatched X/Y lengths and an empty data set are refused."""
        with pytest.raises(ValueError, match="same length"):
            ae.train_network(_fit_net(), ae.squared_loss, X_FIT, Y_FIT[:10], ae.GradientStep(0.1), 1)
        with pytest.raises(ValueError, match="X is empty"):
            ae.train_network(_fit_net(), ae.squared_loss, X_FIT[:0], Y_FIT[:0], ae.GradientStep(0.1), 1)
