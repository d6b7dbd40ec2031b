"""The book's data: scikit-learn's 8×8 digits, its one train/test split, and MNIST from IDX files.

Thesis items: none numbered; the tools the chapters share.

The book's data: scikit-learn's 8×8 digits and the one train/test split used everywhere.

``load_digits`` ships inside scikit-learn's wheel, so nothing is downloaded.  1797 images
of 64 pixels with integer grey levels 0..16; the split is
``train_test_split(test_size=0.2, random_state=0)``: 1437 training and 360 test images.
``split="tomczak"`` gives the split of Tomczak's *Deep Generative Modeling* code
:cite:p:`tomczak2022deep` instead, on which nothing in the book was tuned.

MNIST-format data the reader already has on disk: the IDX files, gzipped or not, and ``mnist.npz``.

Nothing here downloads anything, ever: :func:`load_mnist` reads a directory with the four
IDX files of MNIST (or of any data set in their format, such as Fashion-MNIST) or the
``.npz`` file that Keras keeps, and returns the same record as
:func:`~ae_lib.load_digits_split`, with 784-pixel rows instead of 64.  :func:`read_idx`
reads one IDX file.  Every malformed file is refused with a ``ValueError`` that names the
file and the condition it breaks.
"""

from __future__ import annotations

import gzip
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from ..core import checks as check
from ..core.seeds import Seed, sklearn_state

__all__ = [
    "IDX_FILES",
    "SPLIT_SEED",
    "TEST_SIZE",
    "TOMCZAK_SIZES",
    "DigitsSplit",
    "load_digits_split",
    "load_mnist",
    "read_idx",
    "train_val_split",
]

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


#: The four IDX files :func:`load_mnist` reads from a directory, by role (each may end in ``.gz``).
IDX_FILES: dict[str, str] = {
    "X_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "X_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
#: The keys of Keras' ``mnist.npz``, by role.
_NPZ_KEYS = {"X_train": "x_train", "y_train": "y_train", "X_test": "x_test", "y_test": "y_test"}
#: IDX type codes (third header byte) and the big-endian dtypes they stand for.
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC, _ZIP_MAGIC = b"\x1f\x8b", b"PK\x03\x04"


def _as_path(name: str, value: Any) -> Path:
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike path, got {type(value).__name__}")
    return Path(value)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array stored in one IDX file, gzipped or not (told by its first bytes, not its name).

    An IDX file is a header, two zero bytes, a type code (0x08 unsigned byte, 0x09 signed
    byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions and
    each dimension as a big-endian uint32, followed by the entries, big-endian, in C order.
    Nothing is downloaded.

    Parameters
    ----------
    path : str or os.PathLike
        An existing file.

    Returns
    -------
    numpy.ndarray, shape (d_1, …, d_k)
        In the file's type, native byte order: e.g. (n, 28, 28) uint8 images, (n,) labels.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        Naming the file: a wrong magic number (first two bytes not zero, an unknown type
        code), a truncated file (shorter than its header or its dimensions say), a longer one.
    """
    path = _as_path("path", path)
    if not path.is_file():
        raise FileNotFoundError(f"path: no IDX file at {str(path)!r}")
    raw = path.read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as err:
            raise ValueError(f"{path}: a truncated or corrupt gzip file ({err})") from None
    if len(raw) < 4:
        raise ValueError(f"{path}: truncated, {len(raw)} bytes is shorter than the 4-byte IDX header")
    if raw[:2] != b"\x00\x00":
        raise ValueError(
            f"{path}: wrong magic number, an IDX file starts with two zero bytes, got {raw[:2]!r}"
        )
    code, ndim = raw[2], raw[3]
    if code not in _IDX_TYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_TYPES)
        raise ValueError(f"{path}: wrong magic number, unknown IDX type code 0x{code:02X} (known: {known})")
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise ValueError(f"{path}: truncated header, {ndim} dimensions need {start} bytes, got {len(raw)}")
    shape = struct.unpack(f">{ndim}I", raw[4:start])
    dtype = np.dtype(_IDX_TYPES[code])
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - start != size:
        what = "truncated" if len(raw) - start < size else "too long"
        raise ValueError(f"{path}: {what}, shape {shape} needs {size} bytes of data, got {len(raw) - start}")
    return np.frombuffer(raw, dtype, offset=start).reshape(shape).astype(dtype.newbyteorder("="))


def _idx_file(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"path: {str(folder)!r} has neither {name} nor {name}.gz")


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [key for key in _NPZ_KEYS.values() if key not in npz.files]
            if missing:
                raise KeyError(f"{path}: no key {missing[0]!r} (needs x_train, y_train, x_test, y_test)")
            return {role: np.asarray(npz[key]) for role, key in _NPZ_KEYS.items()}
    except (OSError, ValueError, zipfile.BadZipFile) as err:  # a damaged zip, or an array stored as a pickle
        raise ValueError(f"{path}: not a readable .npz file ({err})") from None


def _images(source: str, X: np.ndarray) -> np.ndarray:
    if X.ndim != 3:
        raise ValueError(f"{source}: images must be 3-D, shape (n, rows, columns), got shape {X.shape}")
    if X.dtype.kind not in "ui" or (X.size and (X.min() < 0 or X.max() > 255)):
        raise ValueError(f"{source}: images must hold integer grey levels 0..255, got dtype {X.dtype}")
    return X.reshape(len(X), -1)


def _labels(source: str, y: np.ndarray, n: int, images: str) -> np.ndarray:
    if y.ndim != 1:
        raise ValueError(f"{source}: labels must be 1-D, shape (n,), got shape {y.shape}")
    if y.dtype.kind not in "ui":
        raise ValueError(f"{source}: labels must be integers, got dtype {y.dtype}")
    if len(y) != n:
        raise ValueError(f"{source} has {len(y)} labels but {images} has {n} images: the counts must match")
    return y.astype(np.int64)


def load_mnist(path: str | os.PathLike, kind: Literal["unit", "raw", "binary"] = "unit") -> DigitsSplit:
    """MNIST (or data in its format) from a directory of IDX files or from an ``.npz``; never downloaded.

    Parameters
    ----------
    path : str or os.PathLike
        Either a directory holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each possibly gzipped and
        then possibly named with ``.gz`` (:data:`IDX_FILES`), or an ``.npz`` file with the
        keys ``x_train``, ``y_train``, ``x_test``, ``y_test`` (the layout of Keras'
        ``mnist.npz``).  Images are integer grey levels 0..255 of shape (n, rows, columns).
    kind : {"unit", "raw", "binary"}
        ``"unit"``: grey levels divided by 255, float64 in [0, 1]; ``"raw"``: the grey levels
        0..255 as float64; ``"binary"``: 1.0 where the grey level exceeds 127, else 0.0.

    Returns
    -------
    DigitsSplit
        ``X_train``, ``X_test`` of shape (n, rows · columns), (n, 784) for MNIST's 60000 and
        10000 images, float64; ``y_train``, ``y_test`` of shape (n,), int64; ``X_val`` and
        ``y_val`` are ``None`` (draw a validation part with :func:`~ae_lib.train_val_split`).

    Raises
    ------
    FileNotFoundError
        When ``path`` or one of the four IDX files is missing (naming it).
    KeyError
        When the ``.npz`` lacks one of its four keys (naming it).
    ValueError
        For a malformed file (see :func:`read_idx`), images that are not 3-D grey levels,
        labels that are not 1-D integers, or image and label counts that differ.
    """
    path = _as_path("path", path)
    check.one_of("kind", kind, ("unit", "raw", "binary"))
    if path.is_dir():
        files = {role: _idx_file(path, name) for role, name in IDX_FILES.items()}
        arrays, sources = (
            {role: read_idx(f) for role, f in files.items()},
            {r: str(f) for r, f in files.items()},
        )
    elif path.is_file():
        with path.open("rb") as f:
            if f.read(4) != _ZIP_MAGIC:
                raise ValueError(f"path: {str(path)!r} is neither a directory of IDX files nor an .npz file")
        arrays, sources = _read_npz(path), {role: f"{path}[{key!r}]" for role, key in _NPZ_KEYS.items()}
    else:
        raise FileNotFoundError(f"path: nothing at {str(path)!r} (a directory of IDX files or an .npz)")
    out: dict[str, np.ndarray] = {}
    for part in ("train", "test"):
        X = _images(sources[f"X_{part}"], arrays[f"X_{part}"])
        out[f"y_{part}"] = _labels(sources[f"y_{part}"], arrays[f"y_{part}"], len(X), sources[f"X_{part}"])
        out[f"X_{part}"] = {"unit": X / 255.0, "raw": X.astype(float), "binary": (X > 127).astype(float)}[
            kind
        ]
    if arrays["X_train"].shape[1:] != arrays["X_test"].shape[1:]:
        raise ValueError(
            f"training images of shape {arrays['X_train'].shape[1:]} and test images of shape "
            f"{arrays['X_test'].shape[1:]} differ in size ({sources['X_train']}, {sources['X_test']})"
        )
    return DigitsSplit(out["X_train"], out["X_test"], out["y_train"], out["y_test"])
