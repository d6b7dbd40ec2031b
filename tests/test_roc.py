"""Tests of ae_lib.roc (Definition 4.2.1): the ROC AUC and its standard error (DeLong, Hanley-McNeil)."""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

import ae_lib as ae

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
