"""Tests of ae_lib.reconstruction (Section 2.2: autoencoders on digits against PCA)."""

import itertools

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA

import ae_lib as ae

D = ae.load_digits_split()
SGD = lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9)


class TestReconstructionLoss:
    def test_is_mse(self):
        """Without noise the loss is the per-pixel MSE of the reconstruction."""
        net = ae.AutoencoderNet([6, 2], "tanh", seed=0, dtype=torch.float64)
        x = torch.rand(5, 6, dtype=torch.float64)
        loss = ae.reconstruction_loss()(net, (x,), torch.Generator())
        with torch.no_grad():
            ref = float(((net(x) - x) ** 2).mean())
        assert float(loss.detach()) == pytest.approx(ref, rel=1e-12)

    def test_noise_only_in_training(self):
        """Input noise changes the training loss but not the evaluation loss."""
        net = ae.AutoencoderNet([6, 2], "tanh", seed=0, dtype=torch.float64)
        x = torch.rand(5, 6, dtype=torch.float64)
        fn, clean = ae.reconstruction_loss(0.5), ae.reconstruction_loss()
        net.train()
        assert fn(net, (x,), torch.Generator().manual_seed(0)).item() != clean(net, (x,), None).item()
        net.eval()
        assert fn(net, (x,), torch.Generator()).item() == clean(net, (x,), None).item()

    def test_bad_noise(self):
        """Negative noise is refused, naming the argument."""
        with pytest.raises(ValueError, match="noise"):
            ae.reconstruction_loss(-0.1)


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


class TestTrainAutoencoder:
    @pytest.mark.parametrize("z,bound", [(2, 0.55), (8, 0.40)])
    def test_nonlinear_beats_pca(self, z, bound):
        """The book's recipe beats PCA on test data: ratio ≤ 0.55 (z = 2) and ≤ 0.40 (z = 8)."""
        m = ae.AutoencoderNet([64, 256, 128, z], "silu", output_phi="sigmoid", strict=False, seed=0)
        ae.train_autoencoder(m, D.X_train, epochs=100, lr=0.01, noise=0.1, seed=0)
        assert ae.reconstruction_mse(m, D.X_test) / ae.pca_mse(D.X_train, D.X_test, z) <= bound

    def test_history_and_determinism(self):
        """Returns a History with train and validation curves; same seed, same history."""
        runs = []
        for _ in range(2):
            m = ae.AutoencoderNet([64, 16, 4], "relu", output_phi="sigmoid", seed=0)
            runs.append(ae.train_autoencoder(m, D.X_train[:300], epochs=3, noise=0.1, seed=1))
        assert runs[0].epochs == 3 and len(runs[0].val_loss) == 3
        assert runs[0].train_loss == runs[1].train_loss and runs[0].val_loss == runs[1].val_loss


class TestEncode:
    def test_codes(self):
        """encode gives float64 codes of shape (n, z) equal to model.encode."""
        m = ae.AutoencoderNet([64, 16, 4], "relu", seed=0)
        Z = ae.encode(m, D.X_test[:10])
        with torch.no_grad():
            ref = m.encode(torch.tensor(D.X_test[:10], dtype=torch.float32)).double().numpy()
        assert Z.shape == (10, 4) and Z.dtype == np.float64 and np.array_equal(Z, ref)


class TestReconstructionMse:
    def test_value(self):
        """Equals the per-pixel mean of (g(f(x)) - x)²."""
        m = ae.AutoencoderNet([64, 4], "relu", seed=0, dtype=torch.float64)
        with torch.no_grad():
            ref = float(((m(torch.from_numpy(D.X_test)) - torch.from_numpy(D.X_test)) ** 2).mean())
        assert ae.reconstruction_mse(m, D.X_test) == pytest.approx(ref, rel=1e-12)


class TestReconstructionErrors:
    def test_per_image(self):
        """Row j is the per-pixel mean of (g(f(x_j)) - x_j)²; the mean over rows is reconstruction_mse."""
        m = ae.AutoencoderNet([64, 4], "relu", seed=0, dtype=torch.float64)
        errs = ae.reconstruction_errors(m, D.X_test[:7])
        with torch.no_grad():
            x = torch.from_numpy(D.X_test[:7])
            ref = ((m(x) - x) ** 2).mean(dim=1).numpy()
        assert errs.shape == (7,) and np.allclose(errs, ref, rtol=1e-12)
        assert ae.reconstruction_errors(m, D.X_test).mean() == pytest.approx(
            ae.reconstruction_mse(m, D.X_test)
        )

    def test_wrong_width(self):
        """Data of the wrong width is refused, naming X."""
        with pytest.raises(ValueError, match="X"):
            ae.reconstruction_errors(ae.AutoencoderNet([64, 4], "relu", seed=0), D.X_test[:, :10])
