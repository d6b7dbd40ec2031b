"""Tests of ae_lib.numpy_training (Corollary 1.2.5): training a NumPy network by GD, SGD and Adam."""

import copy

import numpy as np
import pytest

import ae_lib as ae

RNG = np.random.default_rng(0)
X = RNG.normal(size=(30, 4))
Y = np.tanh(X[:, :2])


def _net():
    return ae.DeepNetwork.from_widths([4, 6, 2], "tanh", seed=0, output_phi="identity")


class TestTrainNetwork:
    def test_gd_is_corollary_update(self):
        """With batch_size=None each epoch is one step θ ← θ − γ ∂_θ R_{L,D} on all k samples."""
        net, ref = _net(), _net()
        ae.train_network(net, ae.squared_loss, X, Y, ae.GradientStep(0.1), 3)
        for _ in range(3):
            g = ae.flatten_theta(ae.risk_gradient(ref, ae.squared_loss, X, Y))
            ae.set_theta(ref, ae.flatten_theta(ref.theta) - 0.1 * g)
        np.testing.assert_allclose(
            ae.flatten_theta(net.theta), ae.flatten_theta(ref.theta), rtol=0, atol=1e-15
        )

    def test_history(self):
        """Risks are recorded at θ^(0) and after each epoch; gradient evaluations count the updates."""
        h = ae.train_network(
            _net(), ae.squared_loss, X, Y, ae.GradientStep(0.05), 4, batch_size=8, X_test=X[:5], Y_test=Y[:5]
        )
        assert len(h.train_risk) == len(h.test_risk) == 5
        assert h.grad_evals == [0, 4, 8, 12, 16]
        assert h.train_risk[-1] < h.train_risk[0]

    def test_matches_sgd_with_adam(self):
        """Minibatch Adam through train_network equals ae.sgd with Adam on the same minibatch order."""
        net = _net()
        theta0 = ae.flatten_theta(net.theta)
        trained = copy.deepcopy(net)
        ae.train_network(trained, ae.squared_loss, X, Y, ae.Adam(0.01), 2, batch_size=7, seed=5)

        def g(theta, idx):
            return ae.flatten_theta(
                ae.risk_gradient(ae.set_theta(net, theta), ae.squared_loss, X[idx], Y[idx])
            )

        path = ae.sgd(g, theta0, 30, 1.0, 10, batch_size=7, seed=5, optimizer=ae.Adam(0.01))
        np.testing.assert_allclose(ae.flatten_theta(trained.theta), path[-1], rtol=0, atol=1e-15)

    def test_divergence_stops(self):
        """A step size far too large makes θ overflow and raises TrainingDiverged."""
        with pytest.raises(ae.TrainingDiverged):
            ae.train_network(_net(), ae.squared_loss, X, Y * 1e3, ae.GradientStep(1e6), 50)

    def test_bad_data(self):
        """Mismatched X/Y lengths and an empty data set are refused."""
        with pytest.raises(ValueError, match="same length"):
            ae.train_network(_net(), ae.squared_loss, X, Y[:10], ae.GradientStep(0.1), 1)
        with pytest.raises(ValueError, match="X is empty"):
            ae.train_network(_net(), ae.squared_loss, X[:0], Y[:0], ae.GradientStep(0.1), 1)
