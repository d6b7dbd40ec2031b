"""Tests of ae_lib.applications.novelty.

Tests of ae_lib.applications.novelty (the novelty scorers of Section 4.2).

Tests of ae_lib.applications.novelty (Definition 4.2.1): the ROC AUC and its standard error (DeLong, Hanley-McNeil).

Tests of ae_lib.applications.novelty (Section 4.2): one AUC per held-out digit, and DeLong's SE of their mean.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import stats
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

    def test_max_samples(self):
        """max_samples: "auto" is scikit-learn's min(256, n), "all" every image, an int is capped at n."""
        X = np.random.default_rng(0).normal(size=(300, 4))

        auto = ae.isolation_forest_scorer(max_samples="auto")(X)(X)
        assert np.array_equal(auto, ae.isolation_forest_scorer()(X)(X))
        every = ae.isolation_forest_scorer(max_samples="all")(X)(X)
        assert np.array_equal(every, ae.isolation_forest_scorer(max_samples=10_000)(X)(X))
        assert not np.array_equal(every, auto)


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


RNG = np.random.default_rng(0)


def _brute_delong(x, y):
    """DeLong's variance from the placements, by explicit loops over all pairs."""
    psi = lambda a, b: 1.0 if a > b else 0.5 if a == b else 0.0
    v10 = np.array([np.mean([psi(xi, yj) for yj in y]) for xi in x])
    v01 = np.array([np.mean([psi(xi, yj) for xi in x]) for yj in y])
    return v10.mean(), v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(y)


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


class TestAucSe:
    def test_auc_matches_sklearn_with_ties(self):
        """The AUC is roc_auc_score's, ties counting one half."""
        s = RNG.integers(0, 5, size=60).astype(float)
        pos = RNG.random(60) < 0.4
        assert ae.auc_se(s, pos).mean == pytest.approx(roc_auc_score(pos, s))

    def test_delong_matches_brute_force(self):
        """The vectorised placements give DeLong's variance computed pair by pair."""
        s = np.round(RNG.normal(size=45), 1)
        pos = np.arange(45) < 15
        s[pos] += 0.8
        auc, var = _brute_delong(s[pos], s[~pos])
        e = ae.auc_se(s, pos)
        assert e.mean == pytest.approx(auc) and e.se == pytest.approx(np.sqrt(var))

    @pytest.mark.parametrize("method", ["delong", "hanley-mcneil"])
    def test_close_to_bootstrap(self, method):
        """Both SEs agree with a stratified bootstrap of the test items to within 15 %."""
        rng = np.random.default_rng(1)
        s = np.concatenate([rng.exponential(2.0, 80), rng.exponential(1.0, 120)])
        pos = np.arange(200) < 80
        idx = np.concatenate([rng.choice(80, (4000, 80)), 80 + rng.choice(120, (4000, 120))], axis=1)
        ranks = stats.rankdata(s[idx], axis=1)[:, :80]  # the 80 positives come first
        boot = (ranks.sum(1) - 80 * 81 / 2) / (80 * 120)  # Mann-Whitney U / (m n)
        assert ae.auc_se(s, pos, method).se == pytest.approx(np.std(boot, ddof=1), rel=0.15)

    def test_needs_both_classes(self):
        """At least two items of each class."""
        with pytest.raises(ValueError, match="is_positive needs >= 2 items of each class"):
            ae.auc_se([0.1, 0.2, 0.3], [True, False, False])

    def test_unknown_method(self):
        """The method is named in the error."""
        with pytest.raises(ValueError, match="method must be"):
            ae.auc_se([0.1, 0.2, 0.3, 0.4], [True, True, False, False], method="bootstrap")


def _experiments(shift, n=120, digits=(0, 1, 2), seed=0):
    """Synthetic held-out-digit experiments on the same n 'test images'; novel ones score higher by shift."""
    rng = np.random.default_rng(seed)
    y, base = np.arange(n) % 10, rng.normal(size=n)
    out = []
    for c in digits:
        is_novel = y == c
        s = base + shift * is_novel + 0.5 * rng.normal(size=n)
        out.append(ae.NoveltyResult(c, ae.novelty_auc(s, is_novel), s, is_novel))
    return out


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
        """Section 4.2's ordering on two held-out digits (1 and 8, the hard ones; the page has all ten):
        PCA and the AE ahead of the VAE, every model ahead of IsolationForest."""
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
        mean = {
            m: np.mean([r.auc for r in ae.leave_one_digit_out(f, d, digits=[1, 8])])
            for m, (f, d) in methods.items()
        }
        expected = {"ae": 0.796, "vae": 0.618, "pca": 0.796, "iforest": 0.545}
        for m, v in expected.items():
            assert mean[m] == pytest.approx(v, abs=0.05), m
        assert mean["pca"] > mean["vae"] + 0.1 and mean["vae"] > mean["iforest"] + 0.03

    def test_unknown_digit(self):
        """A digit absent from the training labels is refused."""
        with pytest.raises(ValueError, match="11 does not occur"):
            ae.leave_one_digit_out(ae.pca_residual_scorer(4), SPLIT, digits=[11])


class TestMeanAuc:
    def test_one_experiment_is_delong(self):
        """One experiment: the AUC and DeLong's SE of ae.auc_se."""
        r = _experiments(1.0)[0]
        got, ref = ae.mean_auc([r]), ae.auc_se(r.scores, r.is_novel)
        assert got.mean == pytest.approx(ref.mean) and got.se == pytest.approx(ref.se)

    def test_paired_is_delong_paired(self):
        """Two scores of one experiment: DeLong's paired variance, Var(V10_a − V10_b)/m + Var(V01_a − V01_b)/n."""
        a, b = _experiments(1.0)[0], _experiments(0.6, seed=1)[0]

        def placements(r):
            x, y = r.scores[r.is_novel], r.scores[~r.is_novel]
            psi = (x[:, None] > y[None, :]) + 0.5 * (x[:, None] == y[None, :])
            return psi.mean(1), psi.mean(0)

        (xa, ya), (xb, yb) = placements(a), placements(b)
        var = np.var(xa - xb, ddof=1) / len(xa) + np.var(ya - yb, ddof=1) / len(ya)
        got = ae.mean_auc([a], baseline=[b])
        assert got.mean == pytest.approx(a.auc - b.auc) and got.se == pytest.approx(np.sqrt(var))

    def test_mean_over_experiments_matches_bootstrap(self):
        """The SE of a mean over experiments on shared images agrees with a bootstrap over the images."""
        res, base = (
            _experiments(1.0, n=400, digits=range(10)),
            _experiments(0.7, n=400, digits=range(10), seed=3),
        )
        rng = np.random.default_rng(0)
        boot = []
        for _ in range(400):
            i = rng.integers(0, 400, 400)
            auc = [np.mean([ae.auc_se(r.scores[i], r.is_novel[i]).mean for r in rs]) for rs in (res, base)]
            boot.append(auc[0] - auc[1])
        got = ae.mean_auc(res, baseline=base)
        assert got.mean == pytest.approx(np.mean([r.auc for r in res]) - np.mean([r.auc for r in base]))
        assert got.se == pytest.approx(np.std(boot, ddof=1), rel=0.2)
        assert ae.mean_auc(res).se < np.mean([ae.auc_se(r.scores, r.is_novel).se for r in res])

    def test_refuses_other_digits(self):
        """A baseline with other held-out digits is refused, naming baseline."""
        with pytest.raises(ValueError, match="baseline"):
            ae.mean_auc(_experiments(1.0, digits=(0, 1)), baseline=_experiments(1.0, digits=(1, 0)))
