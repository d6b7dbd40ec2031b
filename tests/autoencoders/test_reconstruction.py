"""Tests of ae_lib.autoencoders.reconstruction (Section 2.2: autoencoders on digits against PCA)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

D = ae.load_digits_split()


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
