"""Tests of ae_lib.networks.activations.

Tests of ae_lib.networks.activations (Definition 1.1.1): what an activation function must be, and its checks.

Tests of ae_lib.networks.activations (Example 1.1.2): the named activations against torch, values and derivatives.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

T = np.linspace(-4, 4, 81)
NAMED = ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "identity"]


class TestActivation:
    def test_constant_function_is_rejected(self):
        """Definition 1.1.1 demands a non-constant φ."""
        with pytest.raises(ValueError, match="non-constant"):
            ae.Activation("const", lambda t: np.zeros_like(t))

    def test_non_callable_is_rejected(self):
        """A non-callable fn raises TypeError."""
        with pytest.raises(TypeError, match="callable"):
            ae.Activation("x", 3.0)

    def test_non_finite_is_rejected(self):
        """An activation that overflows to inf on [-1000, 1000] is refused."""
        with pytest.raises(ValueError, match="non-finite"):
            ae.Activation("exp", np.exp)

    @pytest.mark.parametrize("name", NAMED)
    def test_applies_componentwise(self, name):
        """φ̂ keeps the shape of its argument (eq. 1.2)."""
        phi = ae.get_activation(name)
        x = np.random.default_rng(0).normal(size=(3, 5))
        assert phi(x).shape == (3, 5)
        assert np.allclose(phi(x)[1, 2], phi(x[1, 2]))

    @pytest.mark.parametrize("name", NAMED)
    def test_matches_torch_twin(self, name):
        """φ equals its torch.nn module to 1e-12 in float64."""
        phi = ae.get_activation(name)
        out = phi.torch()(torch.tensor(T, dtype=torch.float64)).numpy()
        np.testing.assert_allclose(phi(T), out, atol=1e-12)

    @pytest.mark.parametrize("name", NAMED)
    def test_derivative_matches_autograd(self, name):
        """φ' equals torch autograd away from kinks."""
        phi = ae.get_activation(name)
        t = torch.tensor(T[np.abs(T) > 1e-9], dtype=torch.float64, requires_grad=True)
        phi.torch()(t).sum().backward()
        np.testing.assert_allclose(phi.derivative(t.detach().numpy()), t.grad.numpy(), atol=1e-12)

    def test_unknown_name(self):
        """An unknown name lists the known ones."""
        with pytest.raises(ValueError, match="phi must name an activation"):
            ae.get_activation("swishy")


class TestExample112:
    def test_relu_formula(self):
        """ReLU is max{0, t}."""
        assert np.array_equal(ae.relu(T), np.maximum(0, T))

    def test_leaky_relu_formula(self):
        """Leaky ReLU is αt for t ≤ 0 and t for t > 0."""
        phi = ae.leaky_relu(0.2)
        assert np.allclose(phi(T), np.where(T > 0, T, 0.2 * T))

    def test_leaky_relu_rejects_bad_alpha(self):
        """α must be a finite number."""
        with pytest.raises(ValueError, match="alpha"):
            ae.leaky_relu(float("nan"))

    def test_sigmoid_is_stable(self):
        """The sigmoid does not overflow for large |t|."""
        with np.errstate(over="raise"):
            out = ae.sigmoid(np.array([-800.0, 0.0, 800.0]))
        assert np.allclose(out, [0.0, 0.5, 1.0])


class TestSilu:
    def test_matches_torch(self):
        """φ(t) = t·σ(t) agrees with torch.nn.SiLU, value and derivative."""
        t = np.linspace(-8, 8, 101)
        tt = torch.tensor(t, requires_grad=True)
        y = torch.nn.SiLU()(tt)
        y.sum().backward()
        np.testing.assert_allclose(ae.silu(t), y.detach().numpy(), atol=1e-12)
        np.testing.assert_allclose(ae.silu.derivative(t), tt.grad.numpy(), atol=1e-12)
