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


def _explorer_data(html: str) -> dict:
    import json
    import re

    return json.loads(
        re.search(r'<script type="application/json" class="lx-data">(.*?)</script>', html).group(1)
    )


class TestLatentExplorer:
    VAE = ae.VAE(64, latent_dim=2, hidden=(16,), seed=0)
    X = (np.random.default_rng(0).random((30, 64)) > 0.5).astype(float)
    y = np.arange(30) % 10

    def test_self_contained(self):
        """One snippet with its data and script inline: no address, no external script."""
        html = ae.latent_explorer(self.VAE, self.X, self.y, grid=5)
        assert "http" not in html and "<script src" not in html and "//" not in html.split("<script>")[0]
        assert html.startswith('<div class="ae-latent-explorer"') and html.count("<script") == 2

    def test_grid_is_the_decoder_output(self):
        """The embedded grid of digits is E[x|z] on the grid of codes, quantised to bytes, and the
        codes are the encoder's means."""
        import base64

        import torch

        d = _explorer_data(ae.latent_explorer(self.VAE, self.X, self.y, grid=7, extent=2.0))
        ticks = np.linspace(-2.0, 2.0, 7)
        codes = np.array([[a, b] for b in ticks for a in ticks])
        with torch.no_grad():
            want = self.VAE.decoder.mean(codes).numpy()
        got = np.frombuffer(base64.b64decode(d["pixels"]), dtype=np.uint8).reshape(49, 64) / 255
        assert np.abs(got - want).max() <= 0.5 / 255 + 1e-6
        mu = self.VAE.encode(self.X)[0].detach().numpy()
        assert np.abs(np.array(d["codes"]) - mu).max() <= 5e-4
        assert d["labels"] == self.y.tolist() and d["grid"] == 7 and d["extent"] == 2.0
        assert np.allclose(codes[d["start"]], 0)

    def test_default_extent_holds_codes_and_prior(self):
        d = _explorer_data(ae.latent_explorer(self.VAE, self.X, self.y, grid=3))
        assert d["extent"] >= max(np.abs(d["codes"]).max(), d["circles"][1])

    def test_refuses_bad_inputs(self):
        """Another latent dimension, a model that is no VAE, labels that are no digits, a bad grid."""
        with pytest.raises(ValueError, match="latent_dim = 2"):
            ae.latent_explorer(ae.VAE(64, latent_dim=3, hidden=(8,)), self.X, self.y)
        with pytest.raises(TypeError, match="model"):
            ae.latent_explorer("vae", self.X, self.y)
        with pytest.raises(ValueError, match="y"):
            ae.latent_explorer(self.VAE, self.X, self.y + 5)
        with pytest.raises(ValueError, match="X"):
            ae.latent_explorer(self.VAE, self.X[:, :10], self.y)
        with pytest.raises(ValueError, match="grid"):
            ae.latent_explorer(self.VAE, self.X, self.y, grid=1)


class TestDrawVae:
    def test_diagram(self):
        """Boxes for encoder, code and decoder, joined by six arrows, in fonts of at least 10 pt."""
        fig = ae.draw_vae()
        ax = fig.axes[0]
        texts = [t.get_text() for t in ax.texts]
        assert any("encoder" in t for t in texts) and any("decoder" in t for t in texts)
        assert len([t for t in ax.texts if not t.get_text()]) == 6  # the arrows
        assert min(t.get_fontsize() for t in ax.texts) >= 10
        assert fig.get_size_inches()[0] <= 7
        plt.close(fig)

    def test_on_given_axes(self):
        fig, ax = plt.subplots()
        assert ae.draw_vae(ax=ax) is fig
        with pytest.raises(TypeError, match="ax"):
            ae.draw_vae(ax=3)
        plt.close(fig)


class TestFigureWidth:
    def test_show_digits_stays_within_the_column(self):
        """Twelve digits a row with labels still make a figure at most 7 in wide."""
        import matplotlib.pyplot as plt

        X = np.zeros((12, 64))
        fig = ae.show_digits([X, X], row_labels=["a", "b"], scale=1.0)
        assert fig.get_size_inches()[0] <= 7.0 + 1e-9
        plt.close(fig)
