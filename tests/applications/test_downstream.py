"""Tests of ae_lib.applications.downstream (Section 4.4): drawing k labels per class and the few-label protocol."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


class TestDrawLabelled:
    def test_per_class_counts(self):
        """Exactly k distinct examples of each class; the same rng seed gives the same draw."""
        idx = ae.draw_labelled(SPLIT.y_train, 5, seed=np.random.default_rng(0))
        assert np.bincount(SPLIT.y_train[idx]).tolist() == [5] * 10 and len(set(idx)) == 50
        assert np.array_equal(idx, ae.draw_labelled(SPLIT.y_train, 5, seed=np.random.default_rng(0)))

    def test_too_many(self):
        """Asking for more examples than a class has is refused."""
        with pytest.raises(ValueError, match="per_class"):
            ae.draw_labelled(np.array([0, 0, 1]), 2, seed=np.random.default_rng(0))


class TestFewLabelAccuracy:
    def test_shapes_and_reproducible(self):
        """One accuracy per draw (per k for a list of k); same seed, same accuracies."""
        a = ae.few_label_accuracy(SPLIT.X_train, SPLIT.y_train, SPLIT.X_test, SPLIT.y_test, [1, 5], n_draws=3)
        b = ae.few_label_accuracy(
            SPLIT.X_train, SPLIT.y_train, SPLIT.X_test, SPLIT.y_test, 5, n_draws=3, seed=0
        )
        assert a.shape == (2, 3) and b.shape == (3,) and np.all((a >= 0) & (a <= 1))

    def test_per_image(self):
        """per_image gives each test image's correctness; its mean is the accuracy; draws are the same."""
        a = ae.few_label_accuracy(SPLIT.X_train, SPLIT.y_train, SPLIT.X_test, SPLIT.y_test, [1, 5], n_draws=2)
        c = ae.few_label_accuracy(
            SPLIT.X_train, SPLIT.y_train, SPLIT.X_test, SPLIT.y_test, [1, 5], n_draws=2, per_image=True
        )
        assert c.shape == (2, 2, len(SPLIT.y_test)) and c.dtype == bool
        assert np.array_equal(c.mean(axis=-1), a)

    def test_more_labels_help(self):
        """Raw pixels: 50 labels per class beat 1 label per class on average."""
        a = ae.few_label_accuracy(
            SPLIT.X_train, SPLIT.y_train, SPLIT.X_test, SPLIT.y_test, [1, 50], n_draws=3
        )
        assert a[1].mean() > a[0].mean() + 0.2

    def test_pixels_baseline_headline(self):
        """Headline baseline of Section 4.4: raw pixels with 10 labels per class reach 0.89 ± 0.02 accuracy."""
        a = ae.few_label_accuracy(SPLIT.X_train, SPLIT.y_train, SPLIT.X_test, SPLIT.y_test, 10, n_draws=10)
        assert a.mean() == pytest.approx(0.89, abs=0.02)

    def test_headline_codes_vs_pixels(self, small_vae, digits_raw):
        """Section 4.4's headline (10 labels per class, 20 draws): raw pixels 0.89 beat VAE codes 0.84 and PCA codes 0.84."""
        raw, vae = digits_raw, small_vae
        pca = PCA(8).fit(SPLIT.X_train)
        feats = {
            "pixels": (SPLIT.X_train, SPLIT.X_test),
            "pca": (pca.transform(SPLIT.X_train), pca.transform(SPLIT.X_test)),
            "vae": (ae.vae_codes(vae, raw.X_train), ae.vae_codes(vae, raw.X_test)),
        }
        acc = {
            k: ae.few_label_accuracy(a, SPLIT.y_train, b, SPLIT.y_test, 10, n_draws=20, seed=0).mean()
            for k, (a, b) in feats.items()
        }
        for k, v in {"pixels": 0.890, "pca": 0.840, "vae": 0.839}.items():
            assert acc[k] == pytest.approx(v, abs=0.03), k
        assert acc["pixels"] > max(acc["pca"], acc["vae"]) + 0.02

    def test_column_mismatch(self):
        """Train and test features of different widths are refused."""
        with pytest.raises(ValueError, match="F_test"):
            ae.few_label_accuracy(SPLIT.X_train, SPLIT.y_train, SPLIT.X_test[:, :10], SPLIT.y_test, 1)
