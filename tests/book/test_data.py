"""Tests of ae_lib.book.data.

Tests of ae_lib.book.data (the digits and the book's one split).

Reading MNIST-format data: small IDX and .npz files the tests write themselves, good and bad.

Tests of the Tomczak split of ae_lib.book.data (load_digits_split(split="tomczak")).
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits

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


RNG = np.random.default_rng(0)
X_TR = RNG.integers(0, 256, size=(5, 4, 3), dtype=np.uint8)
Y_TR = RNG.integers(0, 10, size=5, dtype=np.uint8)
X_TE = RNG.integers(0, 256, size=(3, 4, 3), dtype=np.uint8)
Y_TE = RNG.integers(0, 10, size=3, dtype=np.uint8)
CODES = {np.dtype("u1"): 0x08, np.dtype("i1"): 0x09, np.dtype("i2"): 0x0B, np.dtype("i4"): 0x0C}
CODES |= {np.dtype("f4"): 0x0D, np.dtype("f8"): 0x0E}


def idx_bytes(a: np.ndarray) -> bytes:
    """The IDX encoding of ``a``: two zero bytes, type code, ndim, big-endian dims, big-endian data."""
    header = bytes([0, 0, CODES[a.dtype], a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape)
    return header + a.astype(a.dtype.newbyteorder(">")).tobytes()


def write(path: Path, data: bytes, gz: bool = False) -> Path:
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_dir(folder: Path, gz: bool = False, **arrays: np.ndarray) -> Path:
    """The four IDX files of an MNIST directory (``arrays`` replaces any of X_train, ...)."""
    folder.mkdir(exist_ok=True)
    data = dict(X_train=X_TR, y_train=Y_TR, X_test=X_TE, y_test=Y_TE) | arrays
    for role, name in ae.IDX_FILES.items():
        write(folder / (name + (".gz" if gz else "")), idx_bytes(data[role]), gz)
    return folder


class TestReadIdx:
    @pytest.mark.parametrize("dtype", ["u1", "i1", "i2", "i4", "f4", "f8"])
    @pytest.mark.parametrize("gz", [False, True])
    def test_round_trip(self, tmp_path, dtype, gz):
        """Every type code, plain or gzipped, gives back the array in native byte order."""
        a = (RNG.standard_normal((3, 4, 2)) * 50).astype(dtype)
        out = ae.read_idx(write(tmp_path / "a.idx", idx_bytes(a), gz))
        assert out.dtype == np.dtype(dtype) and out.dtype.isnative
        np.testing.assert_array_equal(out, a)

    def test_gzip_is_told_by_its_bytes_not_its_name(self, tmp_path):
        """A gzipped file without .gz, and a plain one named .gz, are both read."""
        np.testing.assert_array_equal(ae.read_idx(write(tmp_path / "x", idx_bytes(Y_TR), gz=True)), Y_TR)
        np.testing.assert_array_equal(ae.read_idx(write(tmp_path / "x.gz", idx_bytes(Y_TR))), Y_TR)

    def test_one_dimension(self, tmp_path):
        assert ae.read_idx(write(tmp_path / "y", idx_bytes(Y_TR))).shape == (5,)

    def test_nonzero_first_bytes(self, tmp_path):
        path = write(tmp_path / "bad", b"\x01\x00" + idx_bytes(Y_TR)[2:])
        with pytest.raises(ValueError, match=r"wrong magic number.*two zero bytes") as info:
            ae.read_idx(path)
        assert str(path) in str(info.value)

    def test_unknown_type_code(self, tmp_path):
        path = write(tmp_path / "bad", b"\x00\x00\x0a" + idx_bytes(Y_TR)[3:])
        with pytest.raises(ValueError, match="unknown IDX type code 0x0A"):
            ae.read_idx(path)

    @pytest.mark.parametrize("gz", [False, True])
    def test_truncated_data(self, tmp_path, gz):
        path = write(tmp_path / "short", idx_bytes(X_TR)[:-1], gz)
        with pytest.raises(ValueError, match=r"truncated, shape \(5, 4, 3\) needs 60 bytes of data, got 59"):
            ae.read_idx(path)

    def test_truncated_header(self, tmp_path):
        path = write(tmp_path / "short", idx_bytes(X_TR)[:10])
        with pytest.raises(ValueError, match="truncated header, 3 dimensions need 16 bytes, got 10"):
            ae.read_idx(path)

    def test_shorter_than_a_header(self, tmp_path):
        with pytest.raises(ValueError, match="truncated, 2 bytes"):
            ae.read_idx(write(tmp_path / "tiny", b"\x00\x00"))

    def test_too_long(self, tmp_path):
        with pytest.raises(ValueError, match="too long"):
            ae.read_idx(write(tmp_path / "long", idx_bytes(Y_TR) + b"\x00"))

    def test_cut_gzip_stream(self, tmp_path):
        path = write(tmp_path / "cut.gz", gzip.compress(idx_bytes(X_TR))[:-12])
        with pytest.raises(ValueError, match="truncated or corrupt gzip"):
            ae.read_idx(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="nope"):
            ae.read_idx(tmp_path / "nope")

    def test_path_type(self):
        with pytest.raises(TypeError, match="path"):
            ae.read_idx(3)  # type: ignore[arg-type]


class TestLoadMnist:
    @pytest.mark.parametrize("gz", [False, True])
    def test_directory(self, tmp_path, gz):
        """The four IDX files give flattened float64 rows in [0, 1] and int64 labels."""
        split = ae.load_mnist(write_dir(tmp_path / "mnist", gz))
        assert isinstance(split, ae.DigitsSplit) and split.X_val is None
        assert split.X_train.shape == (5, 12) and split.X_test.shape == (3, 12)
        assert split.X_train.dtype == np.float64 and split.y_train.dtype == np.int64
        np.testing.assert_array_equal(split.X_train, X_TR.reshape(5, -1) / 255.0)
        np.testing.assert_array_equal(split.y_test, Y_TE)

    def test_kinds(self, tmp_path):
        folder = write_dir(tmp_path / "mnist")
        np.testing.assert_array_equal(ae.load_mnist(folder, "raw").X_test, X_TE.reshape(3, -1))
        np.testing.assert_array_equal(ae.load_mnist(str(folder), "binary").X_test, X_TE.reshape(3, -1) > 127)

    def test_npz_gives_the_same_split(self, tmp_path):
        """Keras' layout (x_train, y_train, x_test, y_test) reads as the IDX files do."""
        path = tmp_path / "mnist.npz"
        np.savez(path, x_train=X_TR, y_train=Y_TR, x_test=X_TE, y_test=Y_TE)
        a, b = ae.load_mnist(path), ae.load_mnist(write_dir(tmp_path / "mnist"))
        for name in ("X_train", "X_test", "y_train", "y_test"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))

    def test_28_by_28(self, tmp_path):
        X = RNG.integers(0, 256, size=(2, 28, 28), dtype=np.uint8)
        folder = write_dir(tmp_path / "m", X_train=X, y_train=Y_TR[:2], X_test=X, y_test=Y_TE[:2])
        assert ae.load_mnist(folder).X_train.shape == (2, 784)

    def test_mismatched_counts(self, tmp_path):
        folder = write_dir(tmp_path / "m", y_train=Y_TR[:4])
        with pytest.raises(ValueError, match=r"has 4 labels but .*train-images-idx3-ubyte has 5 images"):
            ae.load_mnist(folder)

    def test_images_not_3d(self, tmp_path):
        with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte: images must be 3-D.*\(3, 12\)"):
            ae.load_mnist(write_dir(tmp_path / "m", X_test=X_TE.reshape(3, -1)))

    def test_labels_not_1d(self, tmp_path):
        with pytest.raises(ValueError, match="train-labels-idx1-ubyte: labels must be 1-D"):
            ae.load_mnist(write_dir(tmp_path / "m", y_train=Y_TR.reshape(5, 1)))

    def test_float_images(self, tmp_path):
        with pytest.raises(ValueError, match=r"integer grey levels 0..255"):
            ae.load_mnist(write_dir(tmp_path / "m", X_train=X_TR.astype("f4")))

    def test_float_labels(self, tmp_path):
        with pytest.raises(ValueError, match="labels must be integers"):
            ae.load_mnist(write_dir(tmp_path / "m", y_test=Y_TE.astype("f8")))

    def test_different_image_sizes(self, tmp_path):
        with pytest.raises(ValueError, match="differ in size"):
            ae.load_mnist(write_dir(tmp_path / "m", X_test=X_TE[:, :3, :3]))

    def test_missing_file(self, tmp_path):
        folder = write_dir(tmp_path / "m")
        (folder / "t10k-labels-idx1-ubyte").unlink()
        with pytest.raises(FileNotFoundError, match=r"t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz"):
            ae.load_mnist(folder)

    def test_bad_file_in_directory(self, tmp_path):
        """A malformed IDX file stops the load with read_idx's message, naming the file."""
        folder = write_dir(tmp_path / "m")
        write(folder / "train-images-idx3-ubyte", idx_bytes(X_TR)[:-5])
        with pytest.raises(ValueError, match="train-images-idx3-ubyte: truncated"):
            ae.load_mnist(folder)

    def test_npz_missing_key(self, tmp_path):
        path = tmp_path / "mnist.npz"
        np.savez(path, x_train=X_TR, y_train=Y_TR, x_test=X_TE)
        with pytest.raises(KeyError, match="y_test"):
            ae.load_mnist(path)

    def test_npz_mismatched_counts(self, tmp_path):
        path = tmp_path / "mnist.npz"
        np.savez(path, x_train=X_TR, y_train=Y_TR, x_test=X_TE, y_test=Y_TR)
        with pytest.raises(ValueError, match=r"\['y_test'\] has 5 labels but .*\['x_test'\] has 3 images"):
            ae.load_mnist(path)

    def test_damaged_npz(self, tmp_path):
        np.savez(tmp_path / "m.npz", x_train=X_TR, y_train=Y_TR, x_test=X_TE, y_test=Y_TE)
        path = write(tmp_path / "cut.npz", (tmp_path / "m.npz").read_bytes()[:200])
        with pytest.raises(ValueError, match=r"not a readable .npz"):
            ae.load_mnist(path)

    def test_neither_directory_nor_npz(self, tmp_path):
        with pytest.raises(ValueError, match=r"neither a directory of IDX files nor an .npz"):
            ae.load_mnist(write(tmp_path / "x.idx", idx_bytes(Y_TR)))

    def test_missing_path(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="nothing at"):
            ae.load_mnist(tmp_path / "nope")

    def test_bad_arguments(self, tmp_path):
        with pytest.raises(TypeError, match="path"):
            ae.load_mnist(None)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="kind"):
            ae.load_mnist(write_dir(tmp_path / "m"), "grey")  # type: ignore[arg-type]


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
