"""Tests of ae_lib.leave_one_out (Section 4.2): one AUC per held-out digit, and DeLong's SE of their mean."""

import numpy as np
import pytest

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


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
