"""The thesis map and the notes on the draft are generated, current and complete."""

from pathlib import Path

import pytest
from _tools import load_tool

ROOT = Path(__file__).resolve().parents[1]


GEN = load_tool("gen_pages")
ITEMS, REMARKS = GEN.scan()


class TestThesisMap:
    @pytest.mark.parametrize("rel", sorted(GEN.PAGES))
    def test_page_is_current(self, rel):
        """The committed page equals what tools/gen_pages.py writes (run it after a change)."""
        assert (ROOT / rel).read_text() == GEN.PAGES[rel]()

    def test_draft_items_present(self):
        """Every numbered item of the draft whose section is in the book has its box or figure."""
        sections = {sec for _, sec in GEN.toc_docs()}
        numbers = {it.number for it in ITEMS}
        for item in GEN.THESIS_ITEMS:
            number = item.split()[1]
            # Figures are numbered per chapter (Figure 2.1) and drawn in its first section.
            section = f"{number.split('.')[0]}.1" if item.startswith("Figure") else number[:3]
            if section in sections:
                assert item in numbers, f"{item} has no box/figure in the book"

    @pytest.mark.parametrize("item", ITEMS, ids=lambda it: it.number)
    def test_item_has_label_object_and_test(self, item):
        """Each numbered item has a label, an ae_lib object citing it, and a test of that object.

        A figure of the book's own (not one of the draft's) needs only its label: it shows a
        result, and the objects that compute the result are the section's.
        """
        assert item.label, f"{item.number} has no :label:"
        if item.number.startswith("Figure") and item.number not in GEN.THESIS_ITEMS:
            return
        assert item.objects, f"no ae_lib docstring cites {item.number}"
        assert item.tests, f"no test class for {item.objects} ({item.number})"

    def test_draft_numbers_match_thesis_order(self):
        """Boxes the book numbers in chapters 1-2 are exactly the draft's numbers (no extra box);
        a figure of the book's own there is numbered on after the draft's figures of its chapter
        (Figure 1.2 after the draft's Figure 1.1), so it takes no number of the draft."""
        drafts = {}  # chapter -> the largest figure number of the draft in it
        for item in GEN.THESIS_ITEMS:
            if item.startswith("Figure"):
                chapter, k = item.split()[1].split(".")
                drafts[chapter] = max(drafts.get(chapter, 0), int(k))
        for it in ITEMS:
            chapter = it.section.split(".")[0]
            if chapter not in {"1", "2"}:
                continue
            if it.number.startswith("Figure") and it.number not in GEN.THESIS_ITEMS:
                fig_chapter, k = it.number.split()[1].split(".")
                assert fig_chapter == chapter and int(k) > drafts.get(chapter, 0), (
                    f"{it.number} ({it.label}) takes a number of the draft or of another chapter"
                )
            else:
                assert it.number in GEN.THESIS_ITEMS, f"{it.number} ({it.label}) is not in the draft"

    def test_figures_numbered_in_page_order(self):
        """In each chapter the book's own figures are numbered 1, 2, ... on from the draft's, in
        the order they appear, each number and each name once."""
        drafts, seen = {}, {}
        for item in GEN.THESIS_ITEMS:
            if item.startswith("Figure"):
                chapter, k = item.split()[1].split(".")
                drafts[chapter] = max(drafts.get(chapter, 0), int(k))
        figures = [it for it in ITEMS if it.number.startswith("Figure")]
        names = [it.label for it in figures]
        assert len(set(names)) == len(names), f"figure names used twice: {names}"
        for it in figures:
            if it.number in GEN.THESIS_ITEMS:
                continue
            chapter, k = it.number.split()[1].split(".")
            want = seen.get(chapter, drafts.get(chapter, 0)) + 1
            assert (chapter, int(k)) == (it.section.split(".")[0], want), (
                f"{it.number} ({it.label}, {it.doc}): expected Figure {it.section.split('.')[0]}.{want}"
            )
            seen[chapter] = want


class TestNotesOnDraft:
    def test_every_remark_labelled(self):
        """Every 'On the draft' remark has a label, so the notes page can link to it."""
        for doc, _section, label, title in REMARKS:
            assert label, f"{doc}: remark {title!r} has no :label:"

    def test_changed_statements_listed(self, monkeypatch):
        """A remark titled 'Changed from the draft: ...' is listed as a changed statement."""
        fake = [
            (
                "chapters/ch1_1_neural_networks",
                "1.1",
                "rem-phi-hat",
                "Changed from the draft: the domain of φ̂",
            ),
            ("chapters/ch1_1_neural_networks", "1.1", "rem-x", "On the draft: something"),
        ]
        monkeypatch.setattr(GEN, "scan", lambda: ([], fake))
        text = GEN.render_notes()
        assert "- The domain of φ̂ ({prf:ref}`changed statement <rem-phi-hat>`)" in text
        assert "- Something ({prf:ref}`remark <rem-x>`)" in text


class TestNotation:
    def test_formulas_match_their_boxes(self):
        """Every formula on the notation page occurs in the box (or labelled equation) it cites,
        and every ae_lib object it names exists."""
        assert GEN.check_notation() == []

    def test_check_catches_a_contradiction(self, monkeypatch):
        """The check fails on the page's old formulas (W^T x + b, L : Y x R -> [0, inf))."""
        wrong = [
            (
                "Networks",
                "",
                [
                    GEN.Notation(
                        r"H(x) = \hat\varphi(W^\top x + b)",
                        r"layer, $W \in \mathbb{R}^{k\times m}$",
                        ("def-layer", "eq-layer"),
                    ),
                    GEN.Notation(r"L : Y \times \mathbb{R} \to [0, \infty)", "loss", ("def-risk",)),
                ],
            )
        ]
        monkeypatch.setattr(GEN, "NOTATION", wrong)
        problems = GEN.check_notation()
        assert len(problems) == 3, problems

    def test_layer_and_loss_as_in_the_book(self):
        """The two contradictions the reader found are gone: Wx + b with W in R^{m x k}, and
        L : X x Y x R^n -> [0, inf) (Definitions 1.1.4 and 1.2.2)."""
        page = GEN.render_notation()
        assert r"H(x) = \hat{\varphi}(Wx + b)" in page and r"W \in \mathbb{R}^{m \times k}" in page
        assert r"L : X \times Y \times \mathbb{R}^n \to [0, \infty)" in page
        assert "W^\\top x" not in page and r"Y \times \mathbb{R} \to" not in page

    def test_norm_tex(self):
        """Spacing, \\big and single-token braces do not matter; the symbols do."""
        n = GEN.norm_tex
        assert n(r"\hat{\varphi}(W x + b)") == n(r"\hat\varphi(Wx+b)")
        assert n(r"\big(q \,\|\, p\big)") == n(r"(q\|p)")
        assert n(r"W \in \mathbb{R}^{m \times k}") != n(r"W \in \mathbb{R}^{k \times m}")
        assert n(r"\operatorname{IS} &= \exp(H)") == n(r"\operatorname{IS} = \exp(H)")

    def test_glyph_rule_on_the_page(self):
        """The notation page states the one-glyph-per-object rule."""
        assert GEN.GLYPH_RULE in GEN.render_notation()


class TestOneGlyphPerObject:
    @pytest.mark.parametrize(
        "bad",
        [
            r"$q_\varphi(z \mid x)$",
            r"$\mu_\varphi(x)$",
            r"$\sigma^2_\varphi(x)$",
            r"$\varphi \in \Phi$",
            r"$L(x, (\theta, \varphi))$",
            r"the density $\varphi(\mu/\sigma)/\sigma$",
            r"$\hat\phi(v)$",
            r"$\phi : \mathbb{R} \to \mathbb{R}$",
        ],
    )
    def test_flags(self, bad):
        assert GEN.glyph_problems(bad), bad

    @pytest.mark.parametrize(
        "good",
        [
            r"$q_\phi(z \mid x)$",
            r"$\mu_\phi(x)$",
            r"$\varphi : \mathbb{R} \to \mathbb{R}$",
            r"$\hat\varphi(Wx + b)$",
            r"$\varphi(t) = t\,\sigma(t)$",
            r"$\mathcal{N}(t; \mu, \sigma^2)$",
            r"$f_{\varphi, L, \theta}$",
            r"$(\theta, \phi)$",
        ],
    )
    def test_passes(self, good):
        assert not GEN.glyph_problems(good), good

    @pytest.mark.parametrize("doc", sorted(GEN.chapter_markdown()), ids=lambda d: d.split("/")[-1])
    def test_chapters_keep_one_glyph_per_object(self, doc):
        """\\varphi only for activations, \\phi only for the encoder's parameters, and the normal
        density with its own letter, in every page's markdown."""
        assert GEN.glyph_problems(GEN.chapter_markdown()[doc]) == []


def test_results_at_a_glance_is_current():
    """The first page's results panel is what tools/gen_intro.py writes from the committed
    results files (run it after `make results`); its figure exists."""
    intro = load_tool("gen_intro")
    assert (ROOT / "chapters" / "intro.md").read_text() == intro.render_intro()
    assert intro.FIGURE.exists()
    panel = intro.render_panel()
    for doc in ("ch3_3_likelihood", "ch4_1_denoising", "ch4_2_anomaly"):
        assert f"<{doc}>" in panel
