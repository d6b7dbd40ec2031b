"""Tests of ae_lib.data (the digits and the book's one split)."""

import numpy as np
import pytest

import ae_lib as ae


class TestLoadDigitsSplit:
    def test_sizes(self):
        """test_size=0.2 of 1797 images: 1437 train, 360 test, 64 pixels."""
        s = ae.load_digits_split()
        assert s.X_train.shape == (1437, 64) and s.X_test.shape == (360, 64)

    def test_kinds_agree(self):
        """unit = raw / 16 and binary = raw > 8, on the same split."""
        u, r, b = (ae.load_digits_split(k) for k in ("unit", "raw", "binary"))
        assert np.array_equal(u.X_train, r.X_train / 16) and np.array_equal(b.X_test, (r.X_test > 8) * 1.0)
        assert np.array_equal(u.y_test, r.y_test)

    def test_unit_range(self):
        """Pixels scaled to [0, 1]."""
        s = ae.load_digits_split()
        assert s.X_train.min() == 0.0 and s.X_train.max() == 1.0

    def test_bad_kind(self):
        """An unknown kind names the choices."""
        with pytest.raises(ValueError, match="kind"):
            ae.load_digits_split("grey")


class TestTrainValSplit:
    def test_disjoint(self):
        """Validation rows are taken from the training set, disjointly."""
        s = ae.load_digits_split()
        fit, val = ae.train_val_split(s.X_train, val_fraction=0.15, seed=0)
        assert len(fit) + len(val) == len(s.X_train)

    def test_fraction_range(self):
        """val_fraction must lie in (0, 1)."""
        with pytest.raises(ValueError, match="val_fraction"):
            ae.train_val_split(np.ones((4, 2)), val_fraction=1.5)
