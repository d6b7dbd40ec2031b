"""Tests of ae_lib.core.torch_nets: the one MLP builder on torch alone, and model introspection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

import ae_lib as ae
from ae_lib.core.torch_nets import input_width, model_dtype


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


class TestTorchActivations:
    @pytest.mark.parametrize("name", ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "silu"])
    def test_same_as_chapter_1(self, name):
        """The builder's φ by name is the torch twin of Chapter 1's activation of that name."""
        t = torch.linspace(-3, 3, 13, dtype=torch.float64)
        ours = ae.mlp((1, 1), output_phi=name, dtype=torch.float64)[-1](t)
        np.testing.assert_allclose(ours.numpy(), ae.ACTIVATIONS[name](t.numpy()), atol=1e-12)

    def test_factories_and_activations(self):
        """A torch module class and a Chapter 1 Activation (through its .torch) are accepted too."""
        assert type(ae.mlp((2, 3, 1), torch.nn.ELU)[1]).__name__ == "ELU"
        assert type(ae.mlp((2, 3, 1), ae.tanh)[1]).__name__ == "Tanh"

    def test_torch_stands_alone(self):
        """core.torch_nets imports nothing of Chapter 1's NumPy classes."""
        from ae_lib.core import torch_nets

        assert "from ..networks" not in Path(torch_nets.__file__).read_text()


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
