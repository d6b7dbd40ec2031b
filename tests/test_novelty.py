"""Tests of ae_lib.novelty (Definition 4.2.1; novelty scores and leave-one-digit-out)."""

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


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


class TestReconstructionErrorScorer:
    def test_squared_error(self):
        """The score is the squared reconstruction error ‖x − model(x)‖² per row."""
        zero = torch.nn.Linear(3, 3)
        with torch.no_grad():
            zero.weight.zero_(), zero.bias.zero_()
        score = ae.reconstruction_error_scorer(lambda X: zero)(np.zeros((2, 3)))
        assert np.allclose(score(np.array([[1.0, 2.0, 2.0], [0.0, 0.0, 0.0]])), [9.0, 0.0])

    def test_trained_on_normal_data_only(self):
        """``train`` receives the normal data it is given."""
        got = []
        ae.reconstruction_error_scorer(lambda X: got.append(X.shape) or torch.nn.Linear(64, 64))(
            SPLIT.X_train[:10]
        )
        assert got == [(10, 64)]


class TestNegativeElboScorer:
    def test_matches_negative_elbo(self):
        """The score is negative_elbo(reduction='none') with the seeded codes; the same on every call."""
        vae = ae.VAE(64, 2, (16,), likelihood="bernoulli", seed=0)
        X = ae.load_digits_split("binary").X_test[:5]
        score = ae.negative_elbo_scorer(lambda X: vae, n_samples=3, seed=1)(X)
        with torch.no_grad():
            ref = ae.negative_elbo(
                vae,
                torch.tensor(X, dtype=torch.float32),
                seed=torch.Generator().manual_seed(1),
                n_samples=3,
                reduction="none",
            )[0].numpy()
        assert np.allclose(score(X), ref) and np.array_equal(score(X), score(X))


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
        r = ae.leave_one_digit_out(lambda X: lambda Z: np.zeros(len(Z)), SPLIT, digits=[5])[0]
        assert r.auc == 0.5
        r = ae.leave_one_digit_out(lambda X: lambda Z: (SPLIT.y_test == 5).astype(float), SPLIT, digits=[5])[
            0
        ]
        assert r.auc == 1.0

    def test_headline_all_methods(self):
        """Section 4.2 headline (mean AUC over 10 held-out digits): AE ≈ PCA ≈ 0.88 > VAE ≈ 0.80 > IsolationForest ≈ 0.75."""
        raw = ae.load_digits_split("raw")
        methods = {
            "ae": (
                ae.reconstruction_error_scorer(lambda X: ae.train_small_autoencoder(X, latent_dim=8)),
                SPLIT,
            ),
            "vae": (ae.negative_elbo_scorer(lambda X: ae.train_small_vae(X, latent_dim=8)), raw),
            "pca": (ae.pca_residual_scorer(8), SPLIT),
            "iforest": (ae.isolation_forest_scorer(seed=0), SPLIT),
        }
        mean = {m: np.mean([r.auc for r in ae.leave_one_digit_out(f, d)]) for m, (f, d) in methods.items()}
        expected = {"ae": 0.880, "vae": 0.801, "pca": 0.882, "iforest": 0.752}
        for m, v in expected.items():
            assert mean[m] == pytest.approx(v, abs=0.03), m
        assert mean["pca"] > mean["vae"] + 0.03 and mean["ae"] > mean["iforest"] + 0.05

    def test_unknown_digit(self):
        """A digit absent from the training labels is refused."""
        with pytest.raises(ValueError, match="11 does not occur"):
            ae.leave_one_digit_out(ae.pca_residual_scorer(4), SPLIT, digits=[11])
