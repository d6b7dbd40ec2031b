"""Notebook hygiene: every notebook is in the book, ran once top to bottom, and is compared."""

import json
import re
from pathlib import Path

import pytest
from _tools import load_tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _toc_files() -> set[str]:
    text = (ROOT / "_toc.yml").read_text()
    return {m.strip().strip("'\"") for m in re.findall(r"(?:file|root):\s*(\S+)", text)}


def _code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebook:
    def test_listed_in_toc(self, path):
        """Every notebook under chapters/ is listed in _toc.yml."""
        assert str(path.relative_to(ROOT).with_suffix("")) in _toc_files()

    def test_one_clean_run(self, path):
        """Code cells carry execution counts 1, 2, …, n (one top-to-bottom run)."""
        counts = [c["execution_count"] for c in _code_cells(path)]
        assert counts == list(range(1, len(counts) + 1)), counts

    def test_no_timing_metadata(self, path):
        """No per-cell execution timestamps (run with --NotebookClient.record_timing=False)."""
        for c in _code_cells(path):
            assert "execution" not in c.get("metadata", {}), "timestamps: use `make execute`"

    def test_no_error_outputs(self, path):
        """No stored error output and no install cell nbval would run."""
        for c in _code_cells(path):
            assert not any(o.get("output_type") == "error" for o in c["outputs"])
            src = "".join(c["source"])
            tags = c.get("metadata", {}).get("tags", [])
            if "nbval-skip" not in tags:
                assert not re.search(r"^\s*[!%]pip", src, re.M), src[:80]

    def test_no_false_claim_stored(self, path):
        """No stored output states a claim that is false: no line prints a bare ``False`` (a
        claim printed as a boolean; ae.claim raises instead of printing one), none quotes a
        ClaimFailed, and no cell that calls ae.claim is exempt from comparison (nbval re-runs
        every claim on every machine). Widget reprs (``continuous_update=False``) are options,
        not claims."""
        found = []
        for i, c in enumerate(_code_cells(path)):
            tags = set(c.get("metadata", {}).get("tags", []))
            if "ae.claim(" in "".join(c["source"]) and tags & {"nbval-ignore-output", "nbval-skip"}:
                found.append(f"code cell {i}: calls ae.claim but nbval does not compare it ({sorted(tags)})")
            for o in c["outputs"]:
                text = "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                for line in text.splitlines():
                    if "ClaimFailed" in line or (re.search(r"\bFalse\b", line) and "=False" not in line):
                        found.append(f"code cell {i}: {line.strip()[:100]}")
        assert not found, "a stored output holds a false claim:\n" + "\n".join(found)

    def test_skips_are_explained(self, path):
        """A cell is exempt from comparison only with nbval-ignore-output (or nbval-skip for the
        Colab install cell) and a one-line reason: the cell's metadata "nbval_reason" (or, until
        the notebooks move it there, a '# nbval: <reason>' comment line)."""
        for c in _code_cells(path):
            meta = c.get("metadata", {})
            tags = set(meta.get("tags", []))
            src = "".join(c["source"])
            if tags & {"nbval-ignore-output", "nbval-skip"}:
                reason = str(meta.get("nbval_reason", "")).strip()
                assert reason, f"unexplained skip (no nbval_reason in the metadata) in: {src[:80]}"
            assert "# NBVAL_SKIP" not in src and "# NBVAL_IGNORE_OUTPUT" not in src, "use tags + reason"

    def test_no_nbval_comment_lines(self, path):
        """No code cell source line starts with '# nbval': nbval's instructions live in the cell's
        tags and metadata (nbval_reason), not in code the reader sees or downloads."""
        for c in _code_cells(path):
            for line in "".join(c["source"]).splitlines():
                assert not line.lstrip().lower().startswith("# nbval"), line

    def test_first_cell_sets_up(self, path):
        """The first compared code cell calls ae.setup_notebook (seeds, one thread)."""
        cells = [c for c in _code_cells(path) if "nbval-skip" not in c.get("metadata", {}).get("tags", [])]
        assert "setup_notebook(" in "".join(cells[0]["source"])

    def test_figures_are_png(self, path):
        """Figures are stored as PNG (no SVG), at a modest size."""
        for c in _code_cells(path):
            for o in c["outputs"]:
                data = o.get("data", {})
                assert "image/svg+xml" not in data
                assert len(data.get("image/png", "")) < 700_000


def test_some_notebooks_exist():
    """The book has notebooks to test."""
    assert NOTEBOOKS


COLAB = load_tool("colab_cell")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_cell(path):
    """With a real repository.url each notebook starts with the hidden, nbval-skipped Colab
    install cell (tools/colab_cell.py); while it is the placeholder no notebook has one (it
    would carry a dead URL). `make execute` puts the cells in or takes them out."""
    cells = _code_cells(path)
    want = COLAB.source()
    if want is None:
        assert not any("google.colab" in "".join(c["source"]) for c in cells), (
            "Colab cell with the placeholder repository URL: run `make execute`"
        )
    else:
        assert "".join(cells[0]["source"]) == want
        assert cells[0]["metadata"].get("tags") == COLAB.TAGS
        assert cells[0]["metadata"].get("nbval_reason")
