"""Tests of ae_lib.book.repro.

Tests of ae_lib.book.repro: tables whose layout a last-digit change on another machine does not move.

Tests of ae_lib.book.repro and of the committed results files that the pages quote.
"""

from __future__ import annotations

import pytest

import ae_lib as ae
from experiments import ch4_1_numbers, ch4_2_numbers, long_run


class TestFormatTable:
    def test_layout(self):
        """A header, a rule, one line per row, floats at 4 significant digits in a column 9 wide."""
        text = ae.format_table([{"a": "x", "b": 1.234567}], ["a", "b"])
        assert text.splitlines() == ["a  b", "-  ---------", "x  1.235"]  # no trailing blanks


SETTINGS = ("binary", "17 levels")


class TestLoadResults:
    def test_ch3_likelihood_keys(self):
        """The long run of Section 3.3: command, version, both splits and settings, SEs and seed spreads."""
        r = ae.load_results("ch3_likelihood")
        assert r["command"].startswith("make results") and r["ae_lib_version"] and not r["quick"]
        assert set(r["splits"]) == {"book", "tomczak"}
        for split in r["splits"].values():
            for s in SETTINGS:
                res = split[s]
                best = res["best_baseline"]
                assert best["name"] in res["baselines"] and {"mean", "se"} <= set(best["test"])
                for b in res["baselines"].values():
                    assert b["chosen"] and b["validation"] and {"mean", "se"} <= set(b["test"])
                vae = res["vaes"]["default"]
                assert vae["seed_spread"]["n"] >= 3 and {"mean", "sd", "min", "max"} <= set(
                    vae["seed_spread"]
                )
                assert all({"mean", "se"} <= set(run["minus_best_baseline"]) for run in vae["runs"])

    def test_ch3_configs_current(self):
        """The committed file was made with the configurations experiments/long_run.py holds now."""
        r, tool = ae.load_results("ch3_likelihood"), long_run
        for s in SETTINGS:
            assert r["splits"]["book"][s]["vaes"]["default"]["config"] == tool.DEFAULT_CONFIGS[s]

    def test_ch4_1_keys(self):
        """Section 4.1: the table, the paired differences and the DAE's seed spread, per split."""
        r = ae.load_results("ch4_1_denoising")
        assert r["command"].startswith("make results") and "book" in r["splits"]
        book = r["splits"]["book"]
        assert {
            "denoising AE",
            "ridge (strength on validation)",
            "PCA (k on validation)",
            "corrupted input",
        } <= set(book["table"])
        assert book["seed_spread"]["denoising AE"]["clean"]["n"] >= 3
        assert "denoising AE - ridge (strength on validation)" in book["differences"]

    def test_ch4_1_settings_current(self):
        """The committed file was made with the ridge grid and copies experiments/ch4_1_numbers.py holds now."""
        r, tool = ae.load_results("ch4_1_denoising"), ch4_1_numbers
        for split in r["splits"].values():
            assert [s for s, _ in split["ridge"]["val_mean_psnr"]] == tool.STRENGTHS
            assert split["ridge"]["n_copies"] == tool.N_COPIES

    def test_ch4_2_keys(self):
        """Section 4.2: validation choices, seed spreads of the trained scores, the longer VAE."""
        r = ae.load_results("ch4_2_anomaly")
        assert r["command"].startswith("make results") and len(r["seeds"]) >= 3
        assert {"chosen_k", "val_mean_auc", "auc"} <= set(r["pca"])
        assert {"AE reconstruction", "VAE negative ELBO"} <= set(r["methods"])
        for m in r["methods"].values():
            assert m["seed_spread"]["n"] == len(r["seeds"]) and len(m["seed0_auc"]) == 10
        assert len(r["longer_vae"]["auc"]) == 10 and {"mean", "se"} <= set(r["longer_vae"]["minus_ae"])

    def test_ch4_2_settings_current(self):
        """The committed file was made with the candidates experiments/ch4_2_numbers.py holds now."""
        r, tool = ae.load_results("ch4_2_anomaly"), ch4_2_numbers
        assert [c for c, _ in r["pca"]["val_mean_auc"]] == tool.PCA_KS
        assert [c for c, _ in r["isolation_forest"]["val_mean_auc"]] == tool.FOREST_SIZES

    @pytest.mark.parametrize("name", ["../etc/passwd", "ch3.json", ""])
    def test_bad_name(self, name):
        """A path or a suffix is refused, naming name."""
        with pytest.raises(ValueError, match="name must be letters"):
            ae.load_results(name)

    def test_missing_file(self):
        """A missing file says how to produce it."""
        with pytest.raises(FileNotFoundError, match="make results"):
            ae.load_results("no_such_results")


class TestFigureStyle:
    def test_setup_applies_the_book_style(self):
        """setup_notebook applies book.mplstyle: 150 dpi, no text under 9.5 pt, figures 6 in wide."""
        import matplotlib

        from ae_lib.book.repro import STYLE

        with matplotlib.rc_context():
            ae.setup_notebook(0)
            rc = matplotlib.rcParams
            assert rc["figure.dpi"] == rc["savefig.dpi"] == 150
            sizes = [rc[k] for k in ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize")]
            assert min(float(s) for s in sizes) >= 9.5 and rc["figure.figsize"][0] <= 7
        assert STYLE.exists() and "figure.dpi: 150" in STYLE.read_text()
