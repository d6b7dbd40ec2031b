"""Tests of ae_lib.applications.sample_quality (Definition 4.3.1): a classifier's verdict on samples and the score's SE."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


class _Fixed:
    """A stand-in classifier whose predict_proba returns given rows."""

    def __init__(self, P):
        self.P = np.asarray(P, float)

    def predict_proba(self, X):
        return self.P[: len(X)]


class TestSampleScore:
    def test_fields(self):
        """A score carries confidence, class entropy, inception score and K class counts."""
        s = ae.classifier_sample_score(_Fixed(np.eye(3)), np.zeros((3, 2)))
        assert isinstance(s, ae.SampleScore) and s.class_counts.tolist() == [1, 1, 1]


class TestClassifierSampleScore:
    def test_confident_and_balanced_is_k(self):
        """K confident, balanced classes: confidence 1, class entropy log K, IS = K (Definition 4.3.1)."""
        s = ae.classifier_sample_score(_Fixed(np.tile(np.eye(4), (5, 1))), np.zeros((20, 2)))
        assert s.confidence == 1 and s.class_entropy == pytest.approx(np.log(4))
        assert s.inception_score == pytest.approx(4.0)

    def test_one_class_is_one(self):
        """Confident but all one class (mode collapse): IS = 1 despite confidence 1."""
        P = np.zeros((10, 10))
        P[:, 3] = 1
        s = ae.classifier_sample_score(_Fixed(P), np.zeros((10, 2)))
        assert s.confidence == 1 and s.inception_score == pytest.approx(1.0) and s.class_counts[3] == 10

    def test_uniform_is_one(self):
        """Unsure about every sample: confidence 1/K and IS = 1."""
        s = ae.classifier_sample_score(_Fixed(np.full((6, 5), 0.2)), np.zeros((6, 2)))
        assert s.confidence == pytest.approx(0.2) and s.inception_score == pytest.approx(1.0)

    def test_matches_kl_form(self):
        """exp(H(p(y)) − mean H(p(y|x))) equals exp(mean KL(p(y|x) ‖ p(y)))."""
        P = np.random.default_rng(0).dirichlet(np.ones(5), size=40)
        kl = (P * np.log(P / P.mean(0))).sum(1).mean()
        assert ae.classifier_sample_score(_Fixed(P), np.zeros((40, 1))).inception_score == pytest.approx(
            np.exp(kl)
        )

    def test_real_digits_score_high(self):
        """Real test digits under a classifier fitted on the training digits: IS > 8 of at most 10."""
        clf = LogisticRegression(C=10.0, max_iter=5000).fit(SPLIT.X_train, SPLIT.y_train)
        assert ae.classifier_sample_score(clf, SPLIT.X_test).inception_score > 8

    def test_headline_generators(self, small_vae, digits_raw, digits_binary):
        """Section 4.3's headline: both mixtures (IS ≈ 7.7 and 7.2) beat the VAE's decoder means (≈ 5.3); real digits 8.6."""
        from sklearn.mixture import GaussianMixture

        binary = digits_binary
        judge = LogisticRegression(C=10.0, max_iter=5000).fit(SPLIT.X_train, SPLIT.y_train)
        vae = small_vae
        gmm = GaussianMixture(10, covariance_type="full", reg_covar=1e-3, random_state=0).fit(SPLIT.X_train)
        bmm = ae.BernoulliMixture(10).fit(binary.X_train, seed=0)
        gen = torch.Generator().manual_seed(0)
        score = {
            "real": SPLIT.X_test,
            "vae": vae.sample(1000, seed=gen).double().numpy() / 16,
            "gmm": np.clip(gmm.sample(1000)[0], 0, 1),
            "bmm": bmm.sample(1000, seed=np.random.default_rng(0)).astype(float),
        }
        score = {k: ae.classifier_sample_score(judge, X).inception_score for k, X in score.items()}
        for k, v in {"real": 8.595, "vae": 5.27, "gmm": 7.70, "bmm": 7.16}.items():
            assert score[k] == pytest.approx(v, abs=0.4), k
        assert min(score["gmm"], score["bmm"]) > score["vae"] + 1.0

    def test_needs_predict_proba(self):
        """An object without predict_proba is refused."""
        with pytest.raises(TypeError, match="predict_proba"):
            ae.classifier_sample_score(object(), np.zeros((2, 2)))


class TestInceptionScoreSe:
    def test_score_and_bootstrap_se(self):
        """The score on all rows is classifier_sample_score's; the bootstrap SE agrees with the delta method."""
        P = np.random.default_rng(0).dirichlet(np.full(5, 0.3), size=400)
        got = ae.inception_score_se(_Fixed(P), np.zeros((400, 1)), n_boot=2000, seed=0)
        IS = ae.classifier_sample_score(_Fixed(P), np.zeros((400, 1))).inception_score
        kl = (P * np.log(P / P.mean(0))).sum(1)  # log IS is the mean of these KLs
        assert got.mean == pytest.approx(IS) and got.n == 400
        assert got.se == pytest.approx(IS * kl.std(ddof=1) / np.sqrt(400), rel=0.15)
        assert ae.inception_score_se(_Fixed(P), np.zeros((400, 1)), seed=0) == ae.inception_score_se(
            _Fixed(P), np.zeros((400, 1)), seed=0
        )

    def test_paired(self):
        """With X_paired: IS(X) − IS(X_paired) on the same resampled rows; identical inputs give 0 ± 0."""

        class _ByColumn:
            def predict_proba(self, X):
                return np.column_stack([X[:, 0], 1 - X[:, 0]])

        X = np.random.default_rng(1).random((50, 1))
        same = ae.inception_score_se(_ByColumn(), X, X, n_boot=50)
        assert same.mean == 0 and same.se == 0
        other = ae.inception_score_se(_ByColumn(), X, X**2, n_boot=200)
        s = [ae.classifier_sample_score(_ByColumn(), Z).inception_score for Z in (X, X**2)]
        assert other.mean == pytest.approx(s[0] - s[1]) and other.se > 0

    def test_rows_must_match(self):
        """X_paired with another number of rows is refused, naming X_paired."""
        with pytest.raises(ValueError, match="X_paired"):
            ae.inception_score_se(_Fixed(np.eye(3)), np.zeros((3, 2)), np.zeros((2, 2)))


class TestSampleGaussianMixture:
    def _mixture(self, k=3, seed=0):
        from sklearn.mixture import GaussianMixture

        rng = np.random.default_rng(seed)
        X = np.vstack([rng.normal(3 * c, 1 + c, size=(200, 2)) for c in range(k)])
        return GaussianMixture(k, covariance_type="full", random_state=0).fit(X)

    def test_moments_match_the_mixture(self):
        """The draws' mean and covariance are the mixture's (within Monte Carlo error)."""
        gm = self._mixture()
        X = ae.sample_gaussian_mixture(gm, 200_000, seed=1)
        mean = gm.weights_ @ gm.means_
        centred = gm.means_ - mean
        cov = np.einsum("k,kij->ij", gm.weights_, gm.covariances_) + np.einsum(
            "k,ki,kj->ij", gm.weights_, centred, centred
        )
        assert X.shape == (200_000, 2)
        np.testing.assert_allclose(X.mean(0), mean, atol=0.05)
        np.testing.assert_allclose(np.cov(X.T), cov, rtol=0.03, atol=0.05)

    def test_same_distribution_as_sklearn(self):
        """Component frequencies and per-axis quantiles agree with GaussianMixture.sample's draws."""
        from scipy import stats

        gm = self._mixture()
        ours = ae.sample_gaussian_mixture(gm, 20_000, seed=0)
        theirs = gm.sample(20_000)[0]
        for j in range(2):
            assert stats.ks_2samp(ours[:, j], theirs[:, j]).pvalue > 1e-3

    def test_seeded_and_not_grouped(self):
        gm = self._mixture()
        a, b = (ae.sample_gaussian_mixture(gm, 50, seed=3) for _ in range(2))
        np.testing.assert_array_equal(a, b)
        labels = gm.predict(a)
        assert (np.diff(labels) != 0).sum() > 3  # not sorted by component as GaussianMixture.sample is

    def test_one_component_is_mean_plus_cholesky_times_normal(self):
        gm = self._mixture(k=1)
        rng = np.random.default_rng(7)
        rng.choice(1, 5, p=gm.weights_)
        eps = rng.standard_normal((5, 2))
        expected = gm.means_[0] + eps @ np.linalg.cholesky(gm.covariances_[0]).T
        np.testing.assert_allclose(ae.sample_gaussian_mixture(gm, 5, seed=7), expected, rtol=1e-12)
