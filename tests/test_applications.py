"""Tests of ae_lib.applications (Definitions 4.1.1 and 4.2.1; corruptions and baselines)."""

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


class TestAddGaussianNoise:
    def test_numpy_statistics_and_range(self):
        """Away from the clipping bounds the added noise has mean 0 and spread σ; output stays in [0, 1]."""
        X = np.full((2000, 64), 0.5)
        Y = ae.add_gaussian_noise(X, 0.05, rng=np.random.default_rng(0))
        assert Y.min() >= 0 and Y.max() <= 1
        assert abs((Y - X).mean()) < 1e-3 and (Y - X).std() == pytest.approx(0.05, rel=0.01)

    def test_torch_matches_numpy_in_law(self):
        """The torch path (for losses inside fit) has the same spread and is reproducible by generator."""
        X = torch.full((2000, 64), 0.5)
        a = ae.add_gaussian_noise(X, 0.05, rng=torch.Generator().manual_seed(1))
        b = ae.add_gaussian_noise(X, 0.05, rng=torch.Generator().manual_seed(1))
        assert torch.equal(a, b) and float((a - X).std()) == pytest.approx(0.05, rel=0.01)

    def test_zero_sigma_is_identity(self):
        """σ = 0 returns the input."""
        assert np.array_equal(ae.add_gaussian_noise(SPLIT.X_test, 0.0, rng=np.random.default_rng(0)), SPLIT.X_test)

    def test_negative_sigma(self):
        """A negative σ names sigma."""
        with pytest.raises(ValueError, match="sigma"):
            ae.add_gaussian_noise(SPLIT.X_test, -0.1, rng=np.random.default_rng(0))


class TestMaskPixels:
    def test_fraction_dropped(self):
        """About the asked fraction of pixels is set to 0; the others are unchanged."""
        X = np.ones((500, 64))
        Y = ae.mask_pixels(X, 0.3, rng=np.random.default_rng(0))
        assert (Y == 0).mean() == pytest.approx(0.3, abs=0.01) and set(np.unique(Y)) == {0.0, 1.0}

    def test_torch(self):
        """The torch path drops the same fraction."""
        Y = ae.mask_pixels(torch.ones(500, 64), 0.3, rng=torch.Generator().manual_seed(0))
        assert float((Y == 0).float().mean()) == pytest.approx(0.3, abs=0.01)

    @pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
    def test_bad_fraction(self, bad):
        """A fraction outside [0, 1) names fraction."""
        with pytest.raises(ValueError, match="fraction"):
            ae.mask_pixels(SPLIT.X_test, bad, rng=np.random.default_rng(0))


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
        noisy = ae.add_gaussian_noise(SPLIT.X_test, 0.5, rng=np.random.default_rng(0))
        gain = ae.psnr(SPLIT.X_test, ae.pca_projector(SPLIT.X_train, 8)(noisy)).mean() - ae.psnr(SPLIT.X_test, noisy).mean()
        assert gain > 3.0


class TestPcaResidualScorer:
    def test_zero_on_the_subspace(self):
        """Points of the principal subspace score 0; points off it score their squared distance."""
        rng = np.random.default_rng(0)
        X = np.column_stack([rng.normal(size=(200, 2)), np.zeros((200, 3))])
        score = ae.pca_residual_scorer(2)(X)
        assert np.allclose(score(X), 0, atol=1e-20)
        assert score(np.array([[0.0, 0, 0, 3, 4]]))[0] == pytest.approx(25.0)


class TestIsolationForestScorer:
    def test_outlier_scores_higher(self):
        """A far-away point scores higher than the bulk; the same seed gives the same scores."""
        X = np.random.default_rng(0).normal(size=(300, 4))
        score = ae.isolation_forest_scorer(seed=0)(X)
        assert score(np.full((1, 4), 8.0))[0] > np.quantile(score(X), 0.99)
        assert np.array_equal(score(X), ae.isolation_forest_scorer(seed=0)(X)(X))


class TestNoveltyAuc:
    def test_is_pairwise_probability(self):
        """AUC = P(novel scores higher) + ½ P(tie), and agrees with roc_auc_score (Definition 4.2.1)."""
        rng = np.random.default_rng(0)
        s, nov = rng.integers(0, 5, 60).astype(float), rng.random(60) < 0.3
        diff = s[nov][:, None] - s[~nov][None, :]
        assert ae.novelty_auc(s, nov) == pytest.approx((diff > 0).mean() + 0.5 * (diff == 0).mean())
        assert ae.novelty_auc(s, nov) == pytest.approx(roc_auc_score(nov, s))

    def test_needs_both_classes(self):
        """All-normal labels are refused."""
        with pytest.raises(ValueError, match="both"):
            ae.novelty_auc(np.arange(4.0), np.zeros(4, bool))


class TestNoveltyResult:
    def test_fields(self):
        """A result carries the digit, its AUC, scores and novelty mask of equal length."""
        r = ae.leave_one_digit_out(ae.pca_residual_scorer(4), SPLIT, digits=[3])[0]
        assert r.digit == 3 and 0 <= r.auc <= 1 and r.scores.shape == r.is_novel.shape == SPLIT.y_test.shape


class TestLeaveOneDigitOut:
    def test_fit_never_sees_held_out_digit(self):
        """The factory is fitted on training images of the other digits only."""
        seen = []

        def fit(X):
            seen.append(X)
            return lambda Z: Z.sum(axis=1)

        ae.leave_one_digit_out(fit, SPLIT, digits=[0, 7])
        for X, c in zip(seen, [0, 7]):
            assert len(X) == (SPLIT.y_train != c).sum()
            assert not any((X == x).all(axis=1).any() for x in SPLIT.X_train[SPLIT.y_train == c][:5])

    def test_oracle_and_chance(self):
        """A score that knows the label gets AUC 1; a constant score gets 0.5."""
        r = ae.leave_one_digit_out(lambda X: (lambda Z: np.zeros(len(Z))), SPLIT, digits=[5])[0]
        assert r.auc == 0.5
        r = ae.leave_one_digit_out(lambda X: (lambda Z: (SPLIT.y_test == 5).astype(float)), SPLIT, digits=[5])[0]
        assert r.auc == 1.0

    def test_pca_baseline_headline(self):
        """Headline baseline of Section 4.2: PCA residual (9 components) has mean AUC 0.87 ± 0.02 over the 10 digits."""
        aucs = [r.auc for r in ae.leave_one_digit_out(ae.pca_residual_scorer(9), SPLIT)]
        assert np.mean(aucs) == pytest.approx(0.87, abs=0.02)

    def test_unknown_digit(self):
        """A digit absent from the training labels is refused."""
        with pytest.raises(ValueError, match="digit 11"):
            ae.leave_one_digit_out(ae.pca_residual_scorer(4), SPLIT, digits=[11])
