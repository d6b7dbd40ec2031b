"""Tests of ae_lib.autoencoders.compression (Section 2.3: bytes per image against error)."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from sklearn.decomposition import PCA

import ae_lib as ae

RAW = ae.load_digits_split("raw")


class TestCodeBytes:
    def test_values(self):
        """z numbers cost 4z, 2z and z bytes as float32, float16, 8-bit."""
        assert [ae.code_bytes(8, f) for f in ("float32", "float16", "8-bit")] == [32, 16, 8]

    def test_unknown_format(self):
        """An unknown format names the allowed ones."""
        with pytest.raises(ValueError, match="fmt"):
            ae.code_bytes(8, "int4")


class TestQuantizer:
    def test_round_trip_error(self):
        """Decoding the uint8 codes is within half a step of the original (inside the range)."""
        Z = np.random.default_rng(0).normal(size=(200, 3))
        q = ae.Quantizer(Z)
        Q = q.encode(Z)
        assert Q.dtype == np.uint8 and Q.min() == 0 and Q.max() == 255
        assert np.all(np.abs(q.decode(Q) - Z) <= q.scale / 2 + 1e-12)

    def test_clips_outside_range(self):
        """Codes beyond the training range are clipped to 0 or 255."""
        q = ae.Quantizer(np.array([[0.0], [1.0]]))
        assert q.encode(np.array([[-5.0], [5.0]])).ravel().tolist() == [0, 255]

    def test_constant_coordinate(self):
        """A coordinate with zero range decodes to its constant value."""
        q = ae.Quantizer(np.array([[2.0, 0.0], [2.0, 1.0]]))
        assert np.allclose(q.decode(q.encode(np.array([[2.0, 0.5]])))[:, 0], 2.0)


class TestStoreCodes:
    def test_precisions(self):
        """float32 and float16 round to those types; 8-bit needs the training codes."""
        Z = np.array([[1.0 / 3.0]])
        assert ae.store_codes(Z, "float32")[0, 0] == float(np.float32(1 / 3))
        assert ae.store_codes(Z, "float16")[0, 0] == float(np.float16(1 / 3))
        with pytest.raises(ValueError, match="Z_train"):
            ae.store_codes(Z, "8-bit")


class TestZlibBytes:
    def test_matches_zlib(self):
        """The mean of len(zlib.compress(image, 9)) over the images."""
        X = RAW.X_test[:5]
        ref = np.mean([len(zlib.compress(x.astype(np.uint8).tobytes(), 9)) for x in X])
        assert ae.zlib_bytes(X) == ref

    def test_rejects_non_integer(self):
        """Float pixels in [0, 1] are refused: zlib and PNG store integers in 0..255."""
        with pytest.raises(ValueError, match=r"integers in 0\.\.255"):
            ae.zlib_bytes(RAW.X_test[:2] / 16.0 + 0.01)


class TestPngBytes:
    def test_png_of_tiny_image_is_larger_than_raw(self):
        """An 8×8 PNG has more header than pixels: larger than the 64 raw bytes."""
        assert ae.png_bytes(RAW.X_test[:10]) > 64

    def test_shape(self):
        """Images must be rows of 64 pixels."""
        with pytest.raises(ValueError, match="shape"):
            ae.png_bytes(np.zeros((2, 63)))


class TestRateDistortion:
    def test_pca_rows(self):
        """One row per format; float32 PCA scores reproduce PCA's test error."""
        d = ae.load_digits_split()
        pca = PCA(4).fit(d.X_train)
        rows = ae.rate_distortion("PCA", pca.transform, pca.inverse_transform, d.X_train, d.X_test)
        assert [r["bytes"] for r in rows] == [16, 8, 4]
        assert rows[0]["mse"] == pytest.approx(ae.pca_mse(d.X_train, d.X_test, 4), rel=1e-5)
        assert rows[2]["mse"] >= rows[0]["mse"] * 0.999
        for r in rows:  # the per-image errors behind each mean
            assert r["errors"].shape == (len(d.X_test),) and r["errors"].mean() == pytest.approx(r["mse"])
