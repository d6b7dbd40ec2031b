"""Tests of ae_lib.linear_denoisers: corrupted training pairs, the ridge denoiser, mean PSNR."""

import numpy as np
import pytest

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")
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
        with pytest.raises(ValueError, match=r"X must hold pixels in \[0, 1\]"):
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
        with pytest.raises(ValueError, match="strength must be finite and > 0"):
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
