"""Tests of ae_lib.networks.drawing (Figures 1.1, 2.1-2.3)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest

import ae_lib as ae

matplotlib.use("Agg")


class TestDrawNetwork:
    def test_one_node_per_unit(self):
        """Figure 1.1 draws 4+3+4+5+3+7+2 = 28 nodes in 7 columns."""
        fig = ae.draw_network([4, 3, 4, 5, 3, 7, 2])
        ax = fig.axes[0]
        n_nodes = sum(len(c.get_offsets()) for c in ax.collections)
        assert n_nodes == 28 and len(ax.collections) == 7
        plt.close(fig)

    def test_edges_fully_connected(self):
        """Every pair of adjacent columns is fully connected: 5·4 + 4·3 = 32 edges."""
        fig = ae.draw_network([5, 4, 3])
        assert len(fig.axes[0].lines) == 32
        plt.close(fig)

    def test_opaque_background(self):
        """The figure's background is opaque white (readable in dark mode)."""
        fig = ae.draw_network([2, 2])
        assert fig.patch.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
        plt.close(fig)

    def test_rejects_single_width(self):
        """A network needs an input and an output width."""
        with pytest.raises(ValueError, match="at least 2 entries"):
            ae.draw_network([3])

    def test_figure_2_1_bottleneck(self):
        """Figure 2.1: 5+4+3+2+3+4+5 nodes, the two bottleneck nodes in the bottleneck colour."""
        import matplotlib.colors as mcolors

        fig = ae.draw_network([5, 4, 3, 2, 3, 4, 5], bottleneck=True)
        cols = fig.axes[0].collections
        assert sum(len(c.get_offsets()) for c in cols) == 26
        red = mcolors.to_rgba(ae.LAYER_COLORS["bottleneck"])
        assert [tuple(c.get_facecolor()[0]) == red for c in cols] == [False] * 3 + [True] + [False] * 3
        plt.close(fig)
