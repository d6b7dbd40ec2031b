"""Tests of the Tomczak split of ae_lib.data (load_digits_split(split="tomczak"))."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import ae_lib as ae


class TestTomczakSplit:
    def test_sizes_and_order(self):
        """First 1000 train, next 350 validate, last 447 test, in load_digits order."""
        X, y = load_digits(return_X_y=True)
        s = ae.load_digits_split("raw", split="tomczak")
        assert (len(s.X_train), len(s.X_val), len(s.X_test)) == ae.TOMCZAK_SIZES == (1000, 350, 447)
        assert np.array_equal(s.X_train, X[:1000]) and np.array_equal(s.X_val, X[1000:1350])
        assert np.array_equal(s.X_test, X[1350:]) and np.array_equal(s.y_test, y[1350:])

    def test_kinds(self):
        """unit = raw / 16 and binary = raw > 8 on the same split."""
        r, u, b = (ae.load_digits_split(k, split="tomczak") for k in ("raw", "unit", "binary"))
        assert np.array_equal(u.X_val, r.X_val / 16) and np.array_equal(b.X_test, (r.X_test > 8) * 1.0)

    def test_book_split_unchanged(self):
        """The book's split keeps X_val = None (its validation part is drawn from X_train)."""
        s = ae.load_digits_split("binary")
        assert s.X_val is None and s.X_train.shape == (1437, 64)

    def test_bad_split(self):
        """An unknown split names the choices."""
        with pytest.raises(ValueError, match=r"split must be one of \['book', 'tomczak'\]"):
            ae.load_digits_split("raw", split="random")
