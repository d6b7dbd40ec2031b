"""Tests of ae_lib.applications.small_models (the recipes Chapter 4 trains) and Section 4.1's headline."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")
RAW = ae.load_digits_split("raw")


class TestTrainSmallAutoencoder:
    def test_reconstructs_better_than_mean(self):
        """A trained autoencoder (code 8) reconstructs test digits far better than the mean digit does."""
        model = ae.train_small_autoencoder(SPLIT.X_train, epochs=10)
        with torch.no_grad():
            rec = model(torch.tensor(SPLIT.X_test, dtype=torch.float32)).double().numpy()
        assert not model.training and model.latent_dim == 8
        assert ((rec - SPLIT.X_test) ** 2).mean() < 0.5 * SPLIT.X_test.var(axis=0).mean()

    def test_deterministic(self):
        """Same seed, same weights."""
        a = ae.train_small_autoencoder(SPLIT.X_train[:200], epochs=2, seed=3)
        b = ae.train_small_autoencoder(SPLIT.X_train[:200], epochs=2, seed=3)
        assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))

    def test_headline_denoising(self):
        """Section 4.1's headline: at σ = 0.5 and masking rate 0.5 the denoising AE beats PCA-16 and the corrupted input."""
        levels = [
            ("noise", 0.1),
            ("noise", 0.25),
            ("noise", 0.5),
            ("mask", 0.25),
            ("mask", 0.5),
            ("mask", 0.75),
        ]
        corr = [
            (lambda x, g, s=v: ae.add_gaussian_noise(x, s, seed=g))
            if k == "noise"
            else (lambda x, g, p=v: ae.mask_pixels(x, p, seed=g))
            for k, v in levels
        ]
        dae = ae.train_small_autoencoder(
            SPLIT.X_train, latent_dim=16, hidden=(64,), epochs=60, corruptions=corr
        )
        project = ae.pca_projector(SPLIT.X_train, 16)
        rng = np.random.default_rng(1)
        test = {
            f"{k} {v:g}": (
                ae.add_gaussian_noise(SPLIT.X_test, v, seed=rng)
                if k == "noise"
                else ae.mask_pixels(SPLIT.X_test, v, seed=rng)
            )
            for k, v in levels
        }
        with torch.no_grad():
            out = {n: dae(torch.tensor(X, dtype=torch.float32)).double().numpy() for n, X in test.items()}
        for name, expected in [("noise 0.5", 14.92), ("mask 0.5", 14.88)]:
            dae_db = ae.psnr(SPLIT.X_test, out[name]).mean()
            assert dae_db == pytest.approx(expected, abs=0.5)
            assert dae_db > ae.psnr(SPLIT.X_test, project(test[name])).mean() + 1.0
            assert dae_db > ae.psnr(SPLIT.X_test, test[name]).mean() + 4.0
        # light noise: doing nothing is best
        assert (
            ae.psnr(SPLIT.X_test, test["noise 0.1"]).mean() > ae.psnr(SPLIT.X_test, out["noise 0.1"]).mean()
        )


class TestTrainSmallVae:
    def test_elbo_improves(self):
        """Training lowers the test negative ELBO well below that of the untrained VAE."""
        x = torch.tensor(RAW.X_test, dtype=torch.float32)
        gen = torch.Generator().manual_seed(0)
        model = ae.train_small_vae(RAW.X_train, epochs=10)
        with torch.no_grad():
            before = float(
                ae.negative_elbo(ae.VAE(64, 8, (64,), likelihood="categorical", seed=0), x, seed=gen)[0]
            )
            after = float(ae.negative_elbo(model, x, seed=gen)[0])
        assert not model.training and after < 0.7 * before

    def test_refuses_non_levels(self):
        """Pixels in [0, 1] with fractions are not grey levels: the categorical decoder refuses them."""
        with pytest.raises(ValueError, match="integers"):
            ae.train_small_vae(SPLIT.X_train[:50], epochs=1)


class TestVaeCodes:
    def test_are_encoder_means(self):
        """The codes are μ_φ(x) of the encoder, shape (n, latent_dim), float64."""
        model = ae.VAE(64, 3, (16,), likelihood="categorical", seed=0)
        codes = ae.vae_codes(model, RAW.X_test[:5])
        with torch.no_grad():
            mu = model.encode(torch.tensor(RAW.X_test[:5], dtype=torch.float32))[0]
        assert codes.shape == (5, 3) and codes.dtype == np.float64 and np.allclose(codes, mu.numpy())


class TestDevice:
    def test_cpu_device_is_the_default_computation(self):
        """device="cpu" trains the very same model as the default; a device this machine lacks is refused."""
        X = ae.load_digits_split("raw").X_train[:64]
        a = ae.train_small_vae(X, latent_dim=2, hidden=(8,), epochs=1)
        b = ae.train_small_vae(X, latent_dim=2, hidden=(8,), epochs=1, device="cpu")
        assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
        with pytest.raises(ValueError, match="device"):
            ae.train_small_autoencoder(X / 16, latent_dim=2, epochs=1, device="cuda:99")

    @pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
    def test_cuda(self):
        """On a GPU the wrappers train there and hand the model back on the CPU."""
        X = ae.load_digits_split("unit").X_train[:64]
        model = ae.train_small_autoencoder(X, latent_dim=2, epochs=1, device="cuda")
        assert all(p.device.type == "cpu" for p in model.parameters())
