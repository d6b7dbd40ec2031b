"""Tests of ae_lib.torch_nets: the one MLP builder, the torch twin of a NumPy network, model introspection."""

import numpy as np
import pytest
import torch

import ae_lib as ae
from ae_lib.torch_nets import input_width, model_dtype


class TestMlp:
    def test_layers(self):
        """Linear, φ (and dropout) per hidden layer; the last layer's φ is output_phi (identity: none)."""
        net = ae.mlp((4, 3, 5, 2), "tanh", dropout=0.1)
        kinds = [type(m).__name__ for m in net]
        assert kinds == ["Linear", "Tanh", "Dropout", "Linear", "Tanh", "Dropout", "Linear"]
        assert net(torch.zeros(7, 4)).shape == (7, 2)
        assert type(ae.mlp((4, 2), output_phi="sigmoid")[-1]).__name__ == "Sigmoid"

    def test_one_phi_per_hidden_layer(self):
        """A sequence of activations gives each hidden layer its own; its length must be L - 1."""
        kinds = [type(m).__name__ for m in ae.mlp((4, 3, 3, 2), ["relu", "silu"])]
        assert kinds == ["Linear", "ReLU", "Linear", "SiLU", "Linear"]
        with pytest.raises(ValueError, match="phi needs one activation per hidden layer"):
            ae.mlp((4, 3, 3, 2), ["relu"])

    def test_dtype(self):
        """The weights have the asked dtype."""
        assert all(p.dtype == torch.float64 for p in ae.mlp((3, 2), dtype=torch.float64).parameters())


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


class TestModelIntrospection:
    def test_model_dtype(self):
        """The first floating parameter's dtype; float32 for a model without parameters."""
        assert model_dtype(ae.mlp((3, 2), dtype=torch.float64)) == torch.float64
        assert model_dtype(torch.nn.ReLU()) == torch.float32

    def test_input_width(self):
        """input_dim when the model has one, else the first Linear's in_features, else None."""
        assert input_width(ae.VAE(64, 2, (8,))) == 64
        assert input_width(ae.mlp((5, 3, 2))) == 5
        assert input_width(torch.nn.ReLU()) is None
