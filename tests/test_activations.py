"""Tests of ae_lib.activations (Example 1.1.2): the named activations against torch, values and derivatives."""

import numpy as np
import pytest
import torch

import ae_lib as ae

T = np.linspace(-4, 4, 81)


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
