"""Tests of ae_lib.book.uncertainty: standard errors, paired differences, seed spreads, printing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import ae_lib as ae

RNG = np.random.default_rng(0)


class TestFormatSe:
    @pytest.mark.parametrize(
        "mean, se, text",
        [
            (16.4917, 0.2203, "16.49 ± 0.22"),  # leading digits 220: two significant digits
            (98.754, 0.58, "98.8 ± 0.6"),  # 580: one
            (6.1234, 0.34, "6.12 ± 0.34"),  # 340: two
            (6.1234, 0.355, "6.1 ± 0.4"),  # 355: one
            (21.95, 0.0962, "21.95 ± 0.10"),  # 962: rounded up to 100, two digits
            (1234.5, 13.2, "1234 ± 13"),
            (-0.04, 0.2, "-0.04 ± 0.20"),
            (-0.001, 0.2, "0.00 ± 0.20"),  # no "-0.00"
        ],
    )
    def test_particle_data_group_rule(self, mean, se, text):
        """The SE keeps 2 significant digits for leading digits 100-354, else 1; the mean follows it."""
        assert ae.format_se(mean, se) == text

    def test_unit_and_zero(self):
        """A unit is appended; an SE of 0 prints the mean with 4 significant digits."""
        assert ae.format_se(9.5, 0.25, "dB") == "9.50 ± 0.25 dB"
        assert ae.format_se(3.14159, 0.0) == "3.142 ± 0"

    @pytest.mark.parametrize("se", [-1.0, float("nan"), float("inf")])
    def test_bad_se(self, se):
        """A negative or non-finite SE is refused, naming se."""
        with pytest.raises(ValueError, match=r"se( == .*, must be >= 0| must be finite)"):
            ae.format_se(1.0, se)


class TestEstimate:
    def test_str_is_format_se(self):
        """str(Estimate) is format_se(mean, se)."""
        assert str(ae.Estimate(16.4917, 0.2203, 360)) == "16.49 ± 0.22"


class TestMeanSe:
    def test_matches_scipy_sem(self):
        """mean and s/√n (ddof = 1) agree with numpy and scipy.stats.sem."""
        x = RNG.normal(3.0, 2.0, size=50)
        e = ae.mean_se(x)
        assert e.mean == pytest.approx(x.mean()) and e.se == pytest.approx(stats.sem(x)) and e.n == 50

    def test_needs_two_items(self):
        """One item has no standard error."""
        with pytest.raises(ValueError, match="values needs at least 2 items"):
            ae.mean_se([1.0])

    def test_nan_refused(self):
        """NaN is refused, naming values."""
        with pytest.raises(ValueError, match="values must be finite"):
            ae.mean_se([1.0, np.nan])


class TestPairedDifference:
    def test_matches_paired_t_test(self):
        """mean(a − b) / paired SE is the statistic of scipy.stats.ttest_rel."""
        a = RNG.normal(size=40)
        b = a + RNG.normal(0.3, 0.1, size=40)
        d = ae.paired_difference(a, b)
        assert d.mean == pytest.approx((a - b).mean())
        assert d.mean / d.se == pytest.approx(stats.ttest_rel(a, b).statistic)

    def test_paired_se_smaller_when_correlated(self):
        """Items hard for both models cancel: the paired SE is far below the unpaired one."""
        hard = RNG.normal(0, 5, size=200)
        a, b = hard + RNG.normal(0, 0.1, 200), hard + 1 + RNG.normal(0, 0.1, 200)
        unpaired = np.hypot(ae.mean_se(a).se, ae.mean_se(b).se)
        assert ae.paired_difference(a, b).se < unpaired / 10

    def test_shapes_must_match(self):
        """Different numbers of items are refused."""
        with pytest.raises(ValueError, match="same items"):
            ae.paired_difference(np.ones(3), np.ones(4))


class TestRatioOfMeans:
    def test_delta_method_matches_monte_carlo(self):
        """The SE is the spread of mean(a) / mean(b) over repeated samples of n items."""
        gen = np.random.default_rng(3)

        def draw():
            hard = gen.gamma(2.0, 1.0, size=300)  # items hard for both models
            return 0.4 * hard + gen.normal(0, 0.1, 300), hard + gen.normal(0, 0.1, 300)

        ratios = [np.mean(a) / np.mean(b) for a, b in (draw() for _ in range(400))]
        est = ae.ratio_of_means(*draw())
        assert est.mean == pytest.approx(0.4, abs=0.01)
        assert est.se == pytest.approx(np.std(ratios, ddof=1), rel=0.2)

    def test_formula(self):
        """r = mean(a) / mean(b), SE = sd(a − r b) / (√n |mean(b)|)."""
        a, b = np.array([1.0, 2.0, 4.0, 3.0]), np.array([2.0, 3.0, 5.0, 6.0])
        r = a.mean() / b.mean()
        est = ae.ratio_of_means(a, b)
        assert est.mean == pytest.approx(r) and est.n == 4
        assert est.se == pytest.approx((a - r * b).std(ddof=1) / (2 * b.mean()))

    def test_zero_denominator(self):
        """mean(b) = 0 is refused, naming b."""
        with pytest.raises(ValueError, match="b must have a non-zero mean"):
            ae.ratio_of_means(np.ones(3), np.array([1.0, -1.0, 0.0]))


class TestSeedSpread:
    def test_matches_numpy(self):
        """mean, SD (ddof = 1), min, max, n."""
        v = np.array([16.5, 16.3, 16.6, 16.4])
        s = ae.seed_spread(v)
        assert (s.mean, s.sd, s.min, s.max, s.n) == pytest.approx((v.mean(), v.std(ddof=1), 16.3, 16.6, 4))
        assert "4 seeds" in str(s)
