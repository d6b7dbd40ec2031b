"""Tests of ae_lib.network (Definition 1.1.5)."""

import numpy as np
import pytest

import ae_lib as ae


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
