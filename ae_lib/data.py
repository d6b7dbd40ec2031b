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

__all__ = ["DigitsSplit", "load_digits_split", "train_val_split", "TEST_SIZE", "SPLIT_SEED", "TOMCZAK_SIZES"]

#: Fraction of the 1797 digits held out as the test set.
TEST_SIZE = 0.2
#: ``random_state`` of the book's one train/test split.
SPLIT_SEED = 0
#: Train, validation and test sizes of Tomczak's split, in ``load_digits`` order.
TOMCZAK_SIZES = (1000, 350, 447)


@dataclass(frozen=True)
class DigitsSplit:
    """Train and test arrays: ``X_*`` of shape (n, 64), ``y_*`` of shape (n,) with labels 0..9.

    ``X_val``, ``y_val``: a fixed validation part (Tomczak's split); ``None`` for the book's
    split, whose validation part :func:`train_val_split` draws from ``X_train``.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    X_val: np.ndarray | None = None
    y_val: np.ndarray | None = None


def load_digits_split(kind: Literal["unit", "raw", "binary"] = "unit",
                      split: Literal["book", "tomczak"] = "book") -> DigitsSplit:
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
        Arrays of shape (n, 64) and labels of shape (n,).
    """
    if kind not in ("unit", "raw", "binary"):
        raise ValueError(f"kind must be 'unit', 'raw' or 'binary', got {kind!r}")
    if split not in ("book", "tomczak"):
        raise ValueError(f"split must be 'book' or 'tomczak', got {split!r}")
    X, y = load_digits(return_X_y=True)
    X = {"unit": X / 16.0, "raw": X.astype(np.int64), "binary": (X > 8).astype(float)}[kind]
    if split == "tomczak":
        a, b = TOMCZAK_SIZES[0], TOMCZAK_SIZES[0] + TOMCZAK_SIZES[1]
        return DigitsSplit(X[:a], X[b:], y[:a], y[b:], X[a:b], y[a:b])
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=TEST_SIZE, random_state=SPLIT_SEED)
    return DigitsSplit(X_tr, X_te, y_tr, y_te)


def train_val_split(
    X: np.ndarray, y: np.ndarray | None = None, *, val_fraction: float = 0.15, seed: int = 0
) -> tuple[np.ndarray, ...]:
    """Split a *training* set into fit and validation parts (for early stopping).

    The test set never takes part in model selection.

    Returns
    -------
    tuple
        ``(X_fit, X_val)`` or, with ``y``, ``(X_fit, X_val, y_fit, y_val)``.
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must lie in (0, 1), got {val_fraction}")
    arrays = (X,) if y is None else (X, y)
    return tuple(train_test_split(*arrays, test_size=val_fraction, random_state=seed))
