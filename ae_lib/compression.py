"""Compression with codes: bytes per image against reconstruction error (Section 2.3).

The thesis claims that an encoded image is "smaller by magnitudes".  Here a code is
stored as float32, float16 or an 8-bit uniform quantisation, and compared with the raw
image and with lossless zlib and PNG files of it.
"""

from __future__ import annotations

import io
import zlib
from typing import Callable

import numpy as np
from PIL import Image

from ._checks import as_finite_array

__all__ = ["CODE_FORMATS", "code_bytes", "Quantizer", "store_codes", "zlib_bytes", "png_bytes", "rate_distortion", "format_table"]

#: Bytes per code entry of each storage format.
CODE_FORMATS = {"float32": 4, "float16": 2, "8-bit": 1}


def code_bytes(z: int, fmt: str) -> int:
    """Bytes per image for a code of dimension ``z`` stored as ``fmt`` (see CODE_FORMATS)."""
    if fmt not in CODE_FORMATS:
        raise ValueError(f"fmt must be one of {list(CODE_FORMATS)}, got {fmt!r}")
    return int(z) * CODE_FORMATS[fmt]


class Quantizer:
    """Uniform 8-bit quantisation of each code coordinate over its training range.

    Parameters
    ----------
    Z_train : array, shape (n, z)
        Training codes; each coordinate's [min, max] is split into 255 steps.  The two
        floats per coordinate (lo, hi) are shared by sender and receiver, not sent per image.
    """

    def __init__(self, Z_train: np.ndarray) -> None:
        Z = as_finite_array("Z_train", Z_train, ndim=2)
        self.lo, self.hi = Z.min(axis=0), Z.max(axis=0)
        self.scale = np.where(self.hi > self.lo, (self.hi - self.lo) / 255.0, 1.0)

    def encode(self, Z: np.ndarray) -> np.ndarray:
        """uint8 codes, shape (n, z); values outside the training range are clipped."""
        Z = as_finite_array("Z", Z, ndim=2)
        return np.clip(np.rint((Z - self.lo) / self.scale), 0, 255).astype(np.uint8)

    def decode(self, Q: np.ndarray) -> np.ndarray:
        """Float codes back from uint8, shape (n, z)."""
        return self.lo + np.asarray(Q, dtype=float) * self.scale


def store_codes(Z: np.ndarray, fmt: str, Z_train: np.ndarray | None = None) -> np.ndarray:
    """The codes the receiver gets after storing ``Z`` (shape (n, z)) as ``fmt``.

    ``"8-bit"`` needs ``Z_train`` for the quantiser's range.
    """
    Z = as_finite_array("Z", Z, ndim=2)
    if fmt == "float32":
        return Z.astype(np.float32).astype(float)
    if fmt == "float16":
        return Z.astype(np.float16).astype(float)
    if fmt == "8-bit":
        if Z_train is None:
            raise ValueError("fmt='8-bit' needs Z_train for the quantisation range")
        q = Quantizer(Z_train)
        return q.decode(q.encode(Z))
    raise ValueError(f"fmt must be one of {list(CODE_FORMATS)}, got {fmt!r}")


def rate_distortion(
    name: str, encode: Callable, decode: Callable, X_train: np.ndarray, X_test: np.ndarray
) -> list[dict]:
    """One row per storage format: bytes per image and test MSE after storing the codes.

    Parameters
    ----------
    name : str
        Method name for the rows, e.g. ``"AE z=8"``.
    encode, decode : callable
        ``encode(X) -> Z`` of shape (n, z) and ``decode(Z) -> X̂`` of shape (n, d).
    X_train, X_test : array, shape (n, d)
        The training set fixes the 8-bit range; errors are on the test set.

    Returns
    -------
    list of dict
        Keys ``method``, ``format``, ``bytes``, ``mse``.
    """
    Z_train, Z_test = encode(X_train), encode(X_test)
    rows = []
    for fmt in CODE_FORMATS:
        X_hat = decode(store_codes(Z_test, fmt, Z_train))
        rows.append({"method": name, "format": fmt, "bytes": code_bytes(Z_test.shape[1], fmt),
                     "mse": float(np.mean((X_hat - X_test) ** 2))})
    return rows


def _as_images(X_raw: np.ndarray) -> np.ndarray:
    X = np.asarray(X_raw)
    if X.ndim != 2 or X.shape[1] != 64:
        raise ValueError(f"X_raw must have shape (n, 64), got {X.shape}")
    if X.min() < 0 or X.max() > 255 or not np.array_equal(X, np.round(X)):
        raise ValueError("X_raw must hold integer grey levels in 0..255")
    return X.astype(np.uint8)


def zlib_bytes(X_raw: np.ndarray) -> float:
    """Mean bytes per image of ``zlib.compress`` (level 9) of each 64-byte image on its own."""
    X = _as_images(X_raw)
    return float(np.mean([len(zlib.compress(x.tobytes(), 9)) for x in X]))


def png_bytes(X_raw: np.ndarray) -> float:
    """Mean bytes per image of each 8×8 image saved as an 8-bit greyscale PNG (optimised)."""
    X = _as_images(X_raw)
    sizes = []
    for x in X:
        buf = io.BytesIO()
        Image.fromarray(x.reshape(8, 8), mode="L").save(buf, format="PNG", optimize=True)
        sizes.append(buf.tell())
    return float(np.mean(sizes))


def format_table(rows: list[dict], columns: list[str]) -> str:
    """A plain-text table of ``rows`` (dicts), floats at 4 significant digits."""
    cells = [[c for c in columns]]
    for r in rows:
        cells.append([f"{r[c]:.4g}" if isinstance(r[c], float) else str(r[c]) for c in columns])
    w = [max(len(row[j]) for row in cells) for j in range(len(columns))]
    lines = ["  ".join(s.ljust(w[j]) for j, s in enumerate(row)) for row in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)
