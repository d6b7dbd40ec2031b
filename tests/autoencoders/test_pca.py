"""Tests of ae_lib.autoencoders.pca (Section 2.2): PCA as the best linear autoencoder, against scikit-learn."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA

import ae_lib as ae

D = ae.load_digits_split()
SGD = lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9)


class TestPcaMse:
    def test_matches_truncated_svd(self):
        """PCA's error is the error of projecting centred data on the top-z right singular vectors."""
        mu = D.X_train.mean(0)
        V = np.linalg.svd(D.X_train - mu, full_matrices=False)[2][:3].T
        X = D.X_test - mu
        assert ae.pca_mse(D.X_train, D.X_test, 3) == pytest.approx(np.mean((X @ V @ V.T - X) ** 2))

    def test_decreases_with_z(self):
        """More components, lower error."""
        errs = [ae.pca_mse(D.X_train, D.X_test, z) for z in (1, 2, 8, 32)]
        assert all(a > b for a, b in itertools.pairwise(errs))


class TestPcaErrors:
    def test_mean_is_pca_mse(self):
        """One error per test image; their mean is pca_mse."""
        errs = ae.pca_errors(D.X_train, D.X_test, 8)
        assert errs.shape == (len(D.X_test),) and np.all(errs >= 0)
        assert errs.mean() == pytest.approx(ae.pca_mse(D.X_train, D.X_test, 8), rel=1e-12)

    def test_too_many_components(self):
        """More components than the data allow is refused, naming latent_dim."""
        with pytest.raises(ValueError, match="latent_dim"):
            ae.pca_errors(D.X_train, D.X_test, 65)


class TestLinearAutoencoder:
    @pytest.mark.parametrize("z", [2, 8])
    def test_reaches_pca(self, z):
        """Gradient descent on a linear AE reaches PCA's test error (ratio ≤ 1.005) and subspace (Baldi–Hornik)."""
        m = ae.linear_autoencoder(64, z, center=D.X_train.mean(0), seed=0)
        ae.train_autoencoder(
            m,
            D.X_train,
            val_fraction=0,
            epochs=300,
            lr=5.0,
            batch_size=len(D.X_train),
            optimizer=SGD,
            schedule=None,
        )
        ratio = ae.reconstruction_mse(m, D.X_test) / ae.pca_mse(D.X_train, D.X_test, z)
        assert 0.99 < ratio <= 1.005
        V = PCA(z).fit(D.X_train).components_.T
        assert np.degrees(ae.principal_angles(ae.decoder_columns(m), V).max()) < 2.0

    def test_center_shape(self):
        """A centre of the wrong length is refused."""
        with pytest.raises(ValueError, match="center"):
            ae.linear_autoencoder(4, 2, center=np.zeros(3))


class TestDecoderColumns:
    def test_shape(self):
        """W₂ has shape (d, z)."""
        assert ae.decoder_columns(ae.linear_autoencoder(10, 3)).shape == (10, 3)

    def test_needs_one_linear_layer(self):
        """A deep decoder has no single W₂."""
        with pytest.raises(ValueError, match="exactly one Linear"):
            ae.decoder_columns(ae.AutoencoderNet([8, 4, 2], "relu"))


class TestPrincipalAngles:
    def test_same_and_orthogonal(self):
        """Angles are 0 for the same span and π/2 for orthogonal spans."""
        A = np.eye(4)[:, :2]
        assert np.allclose(ae.principal_angles(A, A @ np.array([[2.0, 1.0], [0.0, 3.0]])), 0, atol=1e-7)
        assert np.allclose(ae.principal_angles(A, np.eye(4)[:, 2:]), np.pi / 2)
