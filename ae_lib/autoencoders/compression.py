"""Compression with codes: bytes per image against reconstruction error (Section 2.3).

Thesis items: none numbered; what the chapter's section computes beyond the draft.

The thesis claims that an encoded image is "smaller by magnitudes".  Here a code is
stored as float32, float16 or an 8-bit uniform quantisation, and compared with the raw
image and with lossless zlib and PNG files of it.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

import numpy as np
from PIL import Image

from ..core import checks as check

__all__ = [
    "CODE_FORMATS",
    "Quantizer",
    "code_bytes",
    "png_bytes",
    "rate_distortion",
    "store_codes",
    "zlib_bytes",
]

#: Bytes per code entry of each storage format.
CODE_FORMATS = {"float32": 4, "float16": 2, "8-bit": 1}


def code_bytes(latent_dim: int, fmt: str) -> int:
    """Bytes per image for a code of dimension ``latent_dim`` stored as ``fmt`` (see CODE_FORMATS).

    Examples
    --------
    >>> code_bytes(8, "float16")
    16
    """
    latent_dim = check.positive_int("latent_dim", latent_dim)
    return latent_dim * CODE_FORMATS[check.one_of("fmt", fmt, list(CODE_FORMATS))]


class Quantizer:
    """Uniform 8-bit quantisation of each code coordinate over its training range.

    Parameters
    ----------
    Z_train : array, shape (n, d)
        Training codes; each coordinate's [min, max] is split into 255 steps.  The two
        floats per coordinate (lo, hi) are shared by sender and receiver, not sent per image.
    """

    def __init__(self, Z_train: np.ndarray) -> None:
        Z = check.data_matrix("Z_train", Z_train)
        self.lo, self.hi = Z.min(axis=0), Z.max(axis=0)
        self.scale = np.where(self.hi > self.lo, (self.hi - self.lo) / 255.0, 1.0)

    def encode(self, Z: np.ndarray) -> np.ndarray:
        """uint8 codes of Z (shape (n, d)), shape (n, d); values outside the training range are clipped.

        The clipping is the quantiser's definition (the receiver knows only the 256 levels).
        """
        Z = check.data_matrix("Z", Z, self.lo.size, "the width of Z_train")
        return np.clip(np.rint((Z - self.lo) / self.scale), 0, 255).astype(np.uint8)

    def decode(self, Q: np.ndarray) -> np.ndarray:
        """Float codes back from the uint8 codes Q (shape (n, d)), shape (n, d)."""
        Q = check.data_matrix("Q", Q, self.lo.size, "the width of Z_train")
        check.integer_levels("Q", Q, 256)
        return self.lo + Q * self.scale


def store_codes(Z: np.ndarray, fmt: str, Z_train: np.ndarray | None = None) -> np.ndarray:
    """The codes the receiver gets after storing ``Z`` as ``fmt``.

    Parameters
    ----------
    Z : array, shape (n, d)
    fmt : {"float32", "float16", "8-bit"}
    Z_train : array, shape (m, d), optional
        The training codes; ``"8-bit"`` needs them for the quantiser's range.

    Returns
    -------
    numpy.ndarray, shape (n, d)
    """
    Z = check.data_matrix("Z", Z)
    check.one_of("fmt", fmt, list(CODE_FORMATS))
    if fmt == "8-bit":
        if Z_train is None:
            raise ValueError("fmt='8-bit' needs Z_train for the quantisation range")
        q = Quantizer(check.data_matrix("Z_train", Z_train, Z.shape[1], "the width of Z"))
        return q.decode(q.encode(Z))
    return Z.astype(np.float32 if fmt == "float32" else np.float16).astype(float)


def rate_distortion(
    name: str, encode: Callable, decode: Callable, X_train: np.ndarray, X_test: np.ndarray
) -> list[dict]:
    """One row per storage format: bytes per image and test MSE after storing the codes.

    Parameters
    ----------
    name : str
        Method name for the rows, e.g. ``"AE d=8"``.
    encode, decode : callable
        ``encode(X) -> Z`` of shape (n, d) and ``decode(Z) -> X̂`` of shape (n, D).
    X_train, X_test : array, shape (n, D)
        The training set fixes the 8-bit range; errors are on the test set.

    Returns
    -------
    list of dict
        Keys ``method``, ``format``, ``bytes``, ``mse`` (test MSE per pixel) and ``errors``
        (the per-image test MSEs whose mean is ``mse``, shape (m,): for standard errors).
    """
    check.instance("name", name, str)
    check.function("encode", encode)
    check.function("decode", decode)
    X_train = check.data_matrix("X_train", X_train)
    X_test = check.data_matrix("X_test", X_test, X_train.shape[1], "the width of X_train")
    Z_train = check.data_matrix("encode(X_train)", encode(X_train))
    Z_test = check.data_matrix(
        "encode(X_test)", encode(X_test), Z_train.shape[1], "the width of encode(X_train)"
    )
    rows = []
    for fmt in CODE_FORMATS:
        X_hat = check.data_matrix("decode(Z)", decode(store_codes(Z_test, fmt, Z_train)), X_test.shape[1])
        errors = np.mean((X_hat - X_test) ** 2, axis=1)
        rows.append(
            {
                "method": name,
                "format": fmt,
                "bytes": code_bytes(Z_test.shape[1], fmt),
                "mse": float(errors.mean()),
                "errors": errors,
            }
        )
    return rows


def _as_images(X_raw: np.ndarray) -> np.ndarray:
    X = check.data_matrix("X_raw", X_raw, 64, "8 × 8 images")
    check.integer_levels("X_raw", X, 256, " (grey levels)")
    return X.astype(np.uint8)


def zlib_bytes(X_raw: np.ndarray) -> float:
    """Mean bytes per image of ``zlib.compress`` (level 9) of each 64-byte image on its own.

    ``X_raw``: integer grey levels 0..255, shape (n, 64).
    """
    X = _as_images(X_raw)
    return float(np.mean([len(zlib.compress(x.tobytes(), 9)) for x in X]))


def png_bytes(X_raw: np.ndarray) -> float:
    """Mean bytes per image of each 8×8 image saved as an 8-bit greyscale PNG (optimised).

    ``X_raw``: integer grey levels 0..255, shape (n, 64).
    """
    X = _as_images(X_raw)
    sizes = []
    for x in X:
        buf = io.BytesIO()
        Image.fromarray(x.reshape(8, 8), mode="L").save(buf, format="PNG", optimize=True)
        sizes.append(buf.tell())
    return float(np.mean(sizes))
