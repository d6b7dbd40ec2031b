"""results/ch3_notes.md quotes the long run's numbers as the committed results file gives them."""

from __future__ import annotations

import json

import pytest

from experiments import ch3_report as report


class TestCh3Notes:
    def test_generated_part_is_current(self):
        """The part between the markers is what experiments/ch3_report.py makes of results/ch3_likelihood.json."""
        notes = report.NOTES.read_text()
        expected = report.render(json.loads(report.RESULTS.read_text()))
        assert report.generated_part(notes) == expected, (
            "results/ch3_notes.md is out of date: run make results-ch3-report (python -m experiments.ch3_report --write)"
        )

    def test_headline_numbers_match_the_results_file(self):
        """A spot check independent of the renderer: the 17-level VAE of seed 0 on the book's split."""
        r = json.loads(report.RESULTS.read_text())
        run = r["splits"]["book"]["17 levels"]["vaes"]["default"]["runs"][0]
        part = report.generated_part(report.NOTES.read_text())
        assert f"| book | 17 levels | {run['test']['text']} |" in part
        assert f"| {run['minus_best_baseline']['text']} |" in part

    @pytest.mark.parametrize("word", ["former", "Disclosure", "earlier version", "re-chosen"])
    def test_no_history_narration(self, word):
        assert word.lower() not in report.NOTES.read_text().lower()

    def test_missing_markers(self):
        with pytest.raises(ValueError, match="markers"):
            report.generated_part("no markers here")
