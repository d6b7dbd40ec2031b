"""Tests of ae_lib.applications.denoising.

Tests of ae_lib.applications.denoising (Definition 4.1.1; corruptions, PCA projection, denoising loss).

Tests of ae_lib.applications.denoising: corrupted training pairs, the ridge denoiser, mean PSNR.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


class TestAddGaussianNoise:
    def test_numpy_statistics_and_range(self):
        """Away from the clipping bounds the added noise has mean 0 and spread σ; output stays in [0, 1]."""
        X = np.full((2000, 64), 0.5)
        Y = ae.add_gaussian_noise(X, 0.05, seed=np.random.default_rng(0))
        assert Y.min() >= 0 and Y.max() <= 1
        assert abs((Y - X).mean()) < 1e-3 and (Y - X).std() == pytest.approx(0.05, rel=0.01)

    def test_torch_matches_numpy_in_law(self):
        """The torch path (for losses inside fit) has the same spread and is reproducible by generator."""
        X = torch.full((2000, 64), 0.5)
        a = ae.add_gaussian_noise(X, 0.05, seed=torch.Generator().manual_seed(1))
        b = ae.add_gaussian_noise(X, 0.05, seed=torch.Generator().manual_seed(1))
        assert torch.equal(a, b) and float((a - X).std()) == pytest.approx(0.05, rel=0.01)

    def test_zero_sigma_is_identity(self):
        """σ = 0 returns the input."""
        assert np.array_equal(
            ae.add_gaussian_noise(SPLIT.X_test, 0.0, seed=np.random.default_rng(0)), SPLIT.X_test
        )

    def test_negative_sigma(self):
        """A negative σ names sigma."""
        with pytest.raises(ValueError, match="sigma"):
            ae.add_gaussian_noise(SPLIT.X_test, -0.1, seed=np.random.default_rng(0))


class TestMaskPixels:
    def test_fraction_dropped(self):
        """About the asked fraction of pixels is set to 0; the others are unchanged."""
        X = np.ones((500, 64))
        Y = ae.mask_pixels(X, 0.3, seed=np.random.default_rng(0))
        assert (Y == 0).mean() == pytest.approx(0.3, abs=0.01) and set(np.unique(Y)) == {0.0, 1.0}

    def test_torch(self):
        """The torch path drops the same fraction."""
        Y = ae.mask_pixels(torch.ones(500, 64), 0.3, seed=torch.Generator().manual_seed(0))
        assert float((Y == 0).float().mean()) == pytest.approx(0.3, abs=0.01)

    @pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
    def test_bad_fraction(self, bad):
        """A fraction outside [0, 1) names fraction."""
        with pytest.raises(ValueError, match="fraction"):
            ae.mask_pixels(SPLIT.X_test, bad, seed=np.random.default_rng(0))


class TestPsnr:
    def test_constant_error(self):
        """A constant error e on every pixel gives -20 log10(e) dB (Definition 4.1.1)."""
        X = SPLIT.X_test[:5] * 0.5
        assert np.allclose(ae.psnr(X, X + 0.1), 20.0)
        assert ae.psnr(X[0], X[0] + 0.01) == pytest.approx(40.0)

    def test_data_range(self):
        """Scaling images and range together leaves PSNR unchanged."""
        X, Y = SPLIT.X_test[:5], np.clip(SPLIT.X_test[:5] + 0.1, 0, 1)
        assert np.allclose(ae.psnr(X, Y), ae.psnr(16 * X, 16 * Y, data_range=16.0))

    def test_perfect_is_inf(self):
        """An exact estimate has infinite PSNR."""
        assert ae.psnr(SPLIT.X_test[0], SPLIT.X_test[0]) == np.inf

    def test_shape_mismatch(self):
        """Different shapes are refused."""
        with pytest.raises(ValueError, match="same shape"):
            ae.psnr(SPLIT.X_test[:2], SPLIT.X_test[:3])


class TestPcaProjector:
    def test_all_components_is_identity(self):
        """With all 64 components the projection returns the (clean) input."""
        proj = ae.pca_projector(SPLIT.X_train, 64)
        assert np.allclose(proj(SPLIT.X_test), SPLIT.X_test, atol=1e-10)

    def test_projection_is_idempotent(self):
        """Projecting twice changes nothing (up to clipping)."""
        proj = ae.pca_projector(SPLIT.X_train, 8)
        once = proj(SPLIT.X_test)
        inside = (once > 1e-9) & (once < 1 - 1e-9)
        assert np.allclose(proj(once)[inside.all(axis=1)], once[inside.all(axis=1)], atol=1e-8)

    def test_denoises_strong_noise(self):
        """Under strong Gaussian noise (σ = 0.5) the 8-component projection raises PSNR by > 3 dB."""
        noisy = ae.add_gaussian_noise(SPLIT.X_test, 0.5, seed=np.random.default_rng(0))
        gain = (
            ae.psnr(SPLIT.X_test, ae.pca_projector(SPLIT.X_train, 8)(noisy)).mean()
            - ae.psnr(SPLIT.X_test, noisy).mean()
        )
        assert gain > 3.0


class TestDenoisingLoss:
    def test_clean_target(self):
        """The loss compares model(corrupted x) with the clean x: an identity model pays the corruption."""
        x = torch.full((4, 64), 0.5)
        loss = ae.denoising_loss([lambda t, g: t + 0.1])
        assert float(loss(torch.nn.Identity(), (x,), torch.Generator())) == pytest.approx(0.01)

    def test_draws_each_corruption(self):
        """Over many minibatches every listed corruption is used (chosen with the loss's generator)."""
        seen = []
        loss = ae.denoising_loss([lambda t, g: seen.append(0) or t, lambda t, g: seen.append(1) or t])
        gen = torch.Generator().manual_seed(0)
        for _ in range(40):
            loss(torch.nn.Identity(), (torch.zeros(2, 3),), gen)
        assert set(seen) == {0, 1}

    def test_trains_a_denoiser(self):
        """A small network trained with it restores noisy digits better than the noisy input (σ = 0.4)."""
        torch.manual_seed(0)
        net = torch.nn.Sequential(
            torch.nn.Linear(64, 16), torch.nn.ReLU(), torch.nn.Linear(16, 64), torch.nn.Sigmoid()
        )
        loss = ae.denoising_loss([lambda t, g: ae.add_gaussian_noise(t, 0.4, seed=g)])
        ae.fit(net, loss, SPLIT.X_train, epochs=30, batch_size=64, lr=3e-3, seed=0)
        noisy = ae.add_gaussian_noise(SPLIT.X_test, 0.4, seed=np.random.default_rng(0))
        with torch.no_grad():
            out = net(torch.tensor(noisy, dtype=torch.float32)).double().numpy()
        assert ae.psnr(SPLIT.X_test, out).mean() > ae.psnr(SPLIT.X_test, noisy).mean() + 3

    def test_empty(self):
        """An empty list of corruptions is refused."""
        with pytest.raises(ValueError, match="corruptions"):
            ae.denoising_loss([])


NOISE = [lambda x, g: ae.add_gaussian_noise(x, 0.5, seed=g)]
TWO = NOISE + [lambda x, g: ae.mask_pixels(x, 0.5, seed=g)]


class TestCorruptedPairs:
    def test_shapes_targets_and_seed(self):
        """n_copies × corruptions × n rows; targets are the clean images; a seed reproduces the inputs."""
        X = SPLIT.X_train[:30]
        inp, tgt = ae.corrupted_pairs(X, TWO, n_copies=3, seed=1)
        assert inp.shape == tgt.shape == (180, 64) and np.array_equal(tgt[:30], X)
        assert np.array_equal(inp, ae.corrupted_pairs(X, TWO, n_copies=3, seed=1)[0])
        masked = inp[30:60]  # copy 1, second corruption: pixels are 0 or the clean value
        assert np.all((masked == 0) | np.isclose(masked, X))

    def test_same_law_as_the_dae_loss(self):
        """The pairs use the very callables of denoising_loss: noise of spread σ away from the bounds."""
        X = np.full((500, 64), 0.5)
        inp, _ = ae.corrupted_pairs(X, [lambda x, g: ae.add_gaussian_noise(x, 0.1, seed=g)], n_copies=2)
        assert (inp - 0.5).std() == pytest.approx(0.1, rel=0.02)

    def test_bad_range(self):
        """Pixels outside [0, 1] are refused, naming X."""
        with pytest.raises(ValueError, match=r"X must lie in \[0, 1\]"):
            ae.corrupted_pairs(16 * SPLIT.X_train[:5], NOISE)


class TestRidgeDenoiser:
    def test_matches_normal_equations(self):
        """W, b solve the ridge normal equations of the centred pairs with penalty λ R."""
        X = SPLIT.X_train[:100]
        den = ae.RidgeDenoiser(1e-2).fit(X, NOISE, n_copies=2, seed=0)
        inp, tgt = ae.corrupted_pairs(X, NOISE, n_copies=2, seed=0)
        ci, ct = inp - inp.mean(0), tgt - tgt.mean(0)
        W = np.linalg.solve(ci.T @ ci + 1e-2 * len(inp) * np.eye(64), ci.T @ ct).T
        np.testing.assert_allclose(den.ridge_.coef_, W, atol=1e-8)
        np.testing.assert_allclose(den.ridge_.intercept_, tgt.mean(0) - W @ inp.mean(0), atol=1e-8)

    def test_beats_corrupted_input_under_heavy_noise(self):
        """Trained on σ = 0.5 noise, it restores test digits far better than doing nothing."""
        den = ae.RidgeDenoiser(1e-3).fit(SPLIT.X_train, NOISE, n_copies=3)
        Xc = ae.add_gaussian_noise(SPLIT.X_test, 0.5, seed=np.random.default_rng(1))
        assert ae.mean_psnr(den, SPLIT.X_test, Xc) > ae.mean_psnr(lambda X: X, SPLIT.X_test, Xc) + 3

    def test_errors(self):
        """Strength must be > 0; an unfitted denoiser and wrong widths are refused."""
        with pytest.raises(ValueError, match=r"strength( == .*, must be > 0| must be finite)"):
            ae.RidgeDenoiser(0.0)
        with pytest.raises(RuntimeError, match="not fitted"):
            ae.RidgeDenoiser()(SPLIT.X_test)
        den = ae.RidgeDenoiser().fit(SPLIT.X_train[:50], NOISE, n_copies=1)
        with pytest.raises(ValueError, match="X must have 64 columns"):
            den(np.zeros((2, 10)))


class TestMeanPsnr:
    def test_average_over_corruptions(self):
        """The mean over images, then over the corrupted versions."""
        X = SPLIT.X_test[:20]
        A, B = np.clip(X + 0.1, 0, 1), np.clip(X - 0.2, 0, 1)
        ident = lambda Z: Z
        want = (ae.psnr(X, A).mean() + ae.psnr(X, B).mean()) / 2
        assert ae.mean_psnr(ident, X, [A, B]) == pytest.approx(want)

    def test_shape_mismatch(self):
        """A corrupted set of another shape is refused by name."""
        with pytest.raises(ValueError, match="X_corrupted must have the shape of X_clean"):
            ae.mean_psnr(lambda Z: Z, SPLIT.X_test[:5], SPLIT.X_test[:4])
