"""Tests of ae_lib.loss (Definition 1.2.2): values and derivatives against torch, the domain of the cross-entropy."""

import numpy as np
import pytest
import torch

import ae_lib as ae

RNG = np.random.default_rng(0)
Y = RNG.uniform(size=(9, 3))
P = RNG.uniform(0.05, 0.95, size=(9, 3))

TORCH = {
    "squared": lambda p, y: ((p - y) ** 2).sum(1),
    "absolute": lambda p, y: (p - y).abs().sum(1),
    "binary cross-entropy": lambda p, y: torch.nn.functional.binary_cross_entropy(p, y, reduction="none").sum(
        1
    ),
}
LOSSES = [ae.squared_loss, ae.absolute_loss, ae.binary_cross_entropy]


class TestLoss:
    @pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.name)
    def test_values_match_torch(self, loss):
        """Each loss equals its torch formula per sample, to 1e-12."""
        expected = TORCH[loss.name](torch.tensor(P), torch.tensor(Y)).numpy()
        np.testing.assert_allclose(loss(Y, P), expected, rtol=0, atol=1e-12)

    @pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.name)
    def test_grad_matches_autograd(self, loss):
        """loss.grad is ∂L/∂ŷ as torch autograd computes it, to 1e-12."""
        p = torch.tensor(P, requires_grad=True)
        TORCH[loss.name](p, torch.tensor(Y)).sum().backward()
        np.testing.assert_allclose(loss.grad(Y, P), p.grad.numpy(), rtol=0, atol=1e-12)

    def test_nonnegative(self):
        """L ≥ 0, as Definition 1.2.2 asks, and L(y, y) = 0 for squared and absolute loss."""
        for loss in LOSSES:
            assert np.all(loss(Y, P) >= 0)
        assert np.all(ae.squared_loss(Y, Y) == 0) and np.all(ae.absolute_loss(Y, Y) == 0)

    def test_shape_mismatch(self):
        """Y and Y_hat of different shapes are refused."""
        with pytest.raises(ValueError, match="same shape"):
            ae.squared_loss(Y, P[:, :2])
