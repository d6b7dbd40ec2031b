"""The book's data: scikit-learn's 8×8 digits and the one train/test split used everywhere.

``load_digits`` ships inside scikit-learn's wheel, so nothing is downloaded.  1797 images
of 64 pixels with integer grey levels 0..16; the split is
``train_test_split(test_size=0.2, random_state=0)``: 1437 training and 360 test images.
``split="tomczak"`` gives the split of Tomczak's *Deep Generative Modeling* code
:cite:p:`tomczak2022deep` instead, on which nothing in the book was tuned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from . import _checks as check
from ._random import Seed, sklearn_state

__all__ = ["SPLIT_SEED", "TEST_SIZE", "TOMCZAK_SIZES", "DigitsSplit", "load_digits_split", "train_val_split"]

#: Fraction of the 1797 digits held out as the test set.
TEST_SIZE = 0.2
#: ``random_state`` of the book's one train/test split.
SPLIT_SEED = 0
#: Train, validation and test sizes of Tomczak's split, in ``load_digits`` order.
TOMCZAK_SIZES = (1000, 350, 447)


@dataclass(frozen=True)
class DigitsSplit:
    """Train and test arrays of the digits (and of MNIST, :func:`~ae_lib.load_mnist`).

    Attributes
    ----------
    X_train, X_test : numpy.ndarray, shape (n, D)
        D = 64 pixels for the digits, 784 for MNIST.
    y_train, y_test : numpy.ndarray of int, shape (n,)
        Labels 0..9.
    X_val, y_val : numpy.ndarray or None
        A fixed validation part, shapes (m, 64) and (m,) (Tomczak's split); ``None`` for the
        book's split, whose validation part :func:`train_val_split` draws from ``X_train``.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    X_val: np.ndarray | None = None
    y_val: np.ndarray | None = None


def load_digits_split(
    kind: Literal["unit", "raw", "binary"] = "unit", split: Literal["book", "tomczak"] = "book"
) -> DigitsSplit:
    """The digits with the book's split, or with Tomczak's.

    Parameters
    ----------
    kind : {"unit", "raw", "binary"}
        ``"unit"``: pixels divided by 16, float64 in [0, 1];
        ``"raw"``: the 17 grey levels 0..16 as int64;
        ``"binary"``: 1.0 where the grey level exceeds 8, else 0.0.
    split : {"book", "tomczak"}
        ``"book"``: 1437 training and 360 test images (``X_val`` is ``None``).
        ``"tomczak"``: in ``load_digits`` order, the first 1000 images train, the next 350
        validate (``X_val``), the last 447 test, as in the code of :cite:t:`tomczak2022deep`.

    Returns
    -------
    DigitsSplit

    Examples
    --------
    >>> load_digits_split("raw").X_train.shape
    (1437, 64)
    >>> load_digits_split("raw", split="tomczak").X_val.shape
    (350, 64)
    """
    check.one_of("kind", kind, ("unit", "raw", "binary"))
    check.one_of("split", split, ("book", "tomczak"))
    X, y = load_digits(return_X_y=True)
    X = {"unit": X / 16.0, "raw": X.astype(np.int64), "binary": (X > 8).astype(float)}[kind]
    if split == "tomczak":
        a, b = TOMCZAK_SIZES[0], TOMCZAK_SIZES[0] + TOMCZAK_SIZES[1]
        return DigitsSplit(X[:a], X[b:], y[:a], y[b:], X[a:b], y[a:b])
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=TEST_SIZE, random_state=SPLIT_SEED)
    return DigitsSplit(X_tr, X_te, y_tr, y_te)


def train_val_split(
    X: np.ndarray, y: np.ndarray | None = None, *, val_fraction: float = 0.15, seed: Seed = 0
) -> tuple[np.ndarray, ...]:
    """Split a *training* set into fit and validation parts (for early stopping).

    The test set never takes part in model selection.

    Parameters
    ----------
    X : array, shape (n, D)
        At least 2 rows.
    y : array, shape (n,), optional
    val_fraction : float
        In (0, 1).
    seed : int, numpy.random.Generator or torch.Generator
        Seeds the shuffle (``random_state`` of scikit-learn's ``train_test_split``).

    Returns
    -------
    tuple
        ``(X_fit, X_val)`` or, with ``y``, ``(X_fit, X_val, y_fit, y_val)``; float64 arrays.
    """
    X = check.data_matrix("X", X, min_rows=2)
    fraction = check.fraction("val_fraction", val_fraction)
    if fraction == 0.0:
        raise ValueError(f"val_fraction must lie in (0, 1), got {val_fraction}")
    arrays = [X]
    if y is not None:
        if len(check.as_finite_array("y", y, ndim=1)) != len(X):
            raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
        arrays.append(np.asarray(y))
    return tuple(train_test_split(*arrays, test_size=fraction, random_state=sklearn_state(seed)))
