"""Tests of ae_lib.networks.network.

Tests of ae_lib.networks.network: neurons and layers (Definitions 1.1.3, 1.1.4).

Tests of ae_lib.networks.network (Definition 1.1.5).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae


class TestNeuron:
    def test_formula(self):
        """h(x) = φ(⟨w, x⟩ + b) (eq. 1.1)."""
        h = ae.Neuron([1.0, -2.0], 0.5, "relu")
        assert h(np.array([3.0, 1.0])) == pytest.approx(1.5)
        assert h(np.array([0.0, 1.0])) == pytest.approx(0.0)

    def test_batch(self):
        """A batch (n, k) gives n outputs, each equal to the single-point value."""
        rng = np.random.default_rng(1)
        h = ae.Neuron(rng.normal(size=4), 0.1, "tanh")
        X = rng.normal(size=(6, 4))
        assert np.allclose(h(X), [h(x) for x in X])

    def test_shape_mismatch(self):
        """An input of the wrong width names x and the expected width."""
        with pytest.raises(ValueError, match="x must have 2 features"):
            ae.Neuron([1.0, 2.0], 0.0, "relu")(np.ones(3))

    def test_non_finite_weight(self):
        """NaN weights are refused, naming w."""
        with pytest.raises(ValueError, match="w must be finite"):
            ae.Neuron([np.nan, 1.0], 0.0, "relu")


class TestLayer:
    @pytest.mark.parametrize("k,m", [(1, 1), (3, 5), (8, 2), (16, 16)])
    def test_components_are_neurons(self, k, m):
        """h_i is the neuron with w_i = Wᵀe_i and b_i = ⟨b, e_i⟩ (Definition 1.1.4)."""
        rng = np.random.default_rng(k * 100 + m)
        H = ae.Layer(rng.normal(size=(m, k)), rng.normal(size=m), "softplus")
        X = rng.normal(size=(7, k))
        stacked = np.stack([h(X) for h in H.neurons()], axis=1)
        np.testing.assert_allclose(H(X), stacked, rtol=0, atol=1e-14)

    def test_formula(self):
        """H(x) = φ̂(Wx + b) (eq. 1.2)."""
        W, b = np.array([[1.0, 0.0], [0.0, -1.0], [1.0, 1.0]]), np.array([0.0, 0.0, -1.0])
        assert np.allclose(ae.Layer(W, b, "relu")(np.array([2.0, 3.0])), [2.0, 0.0, 4.0])

    def test_bias_length(self):
        """b needs one entry per row of W."""
        with pytest.raises(ValueError, match="one entry per row"):
            ae.Layer(np.ones((3, 2)), np.ones(2), "relu")

    def test_random_seed(self):
        """Randomness is passed in as seed: an int or a generator (same draws), nothing else."""
        a = ae.Layer.random(2, 3, "relu", seed=5)
        b = ae.Layer.random(2, 3, "relu", seed=np.random.default_rng(5))
        assert np.array_equal(a.W, b.W)
        with pytest.raises(TypeError, match="seed"):
            ae.Layer.random(2, 3, "relu", seed="5")


class TestDeepNetwork:
    def test_composition(self):
        """f = H_L ∘ … ∘ H_1 (eq. 1.3)."""
        f = ae.DeepNetwork.from_widths([4, 3, 2], "tanh", seed=0)
        x = np.ones(4)
        assert np.allclose(f(x), f.layers[1](f.layers[0](x)))

    def test_widths_and_depth(self):
        """Figure 1.1's network has L = 6 layers and widths (4, 3, 4, 5, 3, 7, 2)."""
        f = ae.DeepNetwork.from_widths([4, 3, 4, 5, 3, 7, 2], "relu", seed=0)
        assert f.depth == 6 and f.widths == (4, 3, 4, 5, 3, 7, 2)

    def test_mismatched_layers(self):
        """Adjacent layers must agree on the width between them."""
        rng = np.random.default_rng(0)
        with pytest.raises(ValueError, match="width 3 but layers\\[1\\] expects 4"):
            ae.DeepNetwork([ae.Layer.random(2, 3, "relu", seed=rng), ae.Layer.random(4, 1, "relu", seed=rng)])

    def test_empty(self):
        """Depth L >= 1."""
        with pytest.raises(ValueError, match="at least one"):
            ae.DeepNetwork([])

    def test_seed_determinism(self):
        """Same seed, same weights."""
        a = ae.DeepNetwork.from_widths([5, 4, 2], "relu", seed=3)
        b = ae.DeepNetwork.from_widths([5, 4, 2], "relu", seed=3)
        assert all(np.array_equal(p[0], q[0]) for p, q in zip(a.theta, b.theta))


class TestToTorch:
    @pytest.mark.parametrize("phi", ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "identity"])
    def test_torch_twin(self, phi):
        """The NumPy network equals its torch twin to 1e-12 in float64."""
        f = ae.DeepNetwork.from_widths([6, 5, 4, 3], phi, seed=1, output_phi="identity")
        X = np.random.default_rng(2).normal(size=(10, 6))
        out = ae.to_torch(f)(torch.tensor(X)).detach().numpy()
        np.testing.assert_allclose(f(X), out, rtol=0, atol=1e-12)

    def test_layer(self):
        """A single Layer becomes a one-layer twin with its W and b."""
        H = ae.Layer.random(3, 2, "relu", seed=0)
        twin = ae.to_torch(H)
        assert torch.equal(twin[0].weight, torch.as_tensor(H.W)) and torch.equal(
            twin[0].bias, torch.as_tensor(H.b)
        )
