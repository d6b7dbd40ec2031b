"""Tests of ae_lib.book.plotting.

Tests of ae_lib.book.plotting (digit grids and loss curves, used by the figures of chapter 3).

Tests of ae_lib.book.plotting.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import ae_lib as ae

matplotlib.use("Agg")


class TestShowDigits:
    def test_grid(self):
        """One row of axes per array and one column per image, each showing an 8×8 image."""
        rows = [np.zeros((5, 64)), np.ones((5, 64))]
        fig = ae.show_digits(rows, row_labels=["a", "b"], titles=list("vwxyz"))
        assert len(fig.axes) == 10
        assert fig.axes[0].images[0].get_array().shape == (8, 8)
        assert fig.axes[0].get_title() == "v"
        plt.close(fig)

    def test_single_array(self):
        """A single (n, 64) array is one row."""
        fig = ae.show_digits(np.zeros((3, 64)))
        assert len(fig.axes) == 3
        plt.close(fig)

    def test_bad_shape(self):
        """Rows that are not (n, 64) are refused, naming the expected shape."""
        with pytest.raises(ValueError, match=r"shape \(2, 64\)"):
            ae.show_digits([np.zeros((2, 64)), np.zeros((2, 63))])


class TestPlotHistory:
    def test_lines(self):
        """Train and validation curves, plus a dotted line at the restored epoch after early stopping."""
        h = ae.History(train_loss=[3.0, 2.0, 1.5], val_loss=[3.1, 2.5, 2.6], best_epoch=2, stopped_early=True)
        ax = ae.plot_history(h, label="m")
        labels = [line.get_label() for line in ax.get_lines()]
        assert labels[:2] == ["m train", "m validation"]
        assert len(ax.get_lines()) == 3
        plt.close(ax.figure)

    def test_train_only(self):
        """Without validation data only the training curve is drawn."""
        ax = ae.plot_history(ae.History(train_loss=[2.0, 1.0]))
        assert len(ax.get_lines()) == 1
        plt.close(ax.figure)


class TestExplore:
    def test_draws_start_value(self):
        """The control calls ``draw`` once with the start value."""
        seen = []
        ae.explore(seen.append, "gamma", [0.1, 0.5, 1.0])
        assert seen == [0.5]

    def test_rejects_empty_and_foreign_values(self):
        """An empty value list or a start value outside it is a ValueError."""
        with pytest.raises(ValueError, match="values"):
            ae.explore(print, "g", [])
        with pytest.raises(ValueError, match="value=2"):
            ae.explore(print, "g", [0.1, 1.0], value=2)
