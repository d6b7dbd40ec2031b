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
        """Each numbered item has a label, an ae_lib object citing it, and a test of that object."""
        assert item.label, f"{item.number} has no :label:"
        assert item.objects, f"no ae_lib docstring cites {item.number}"
        assert item.tests, f"no test class for {item.objects} ({item.number})"

    def test_draft_numbers_match_thesis_order(self):
        """Boxes the book numbers in chapters 1-2 are exactly the draft's numbers (no extra box)."""
        for it in ITEMS:
            if it.section.split(".")[0] in {"1", "2"}:
                assert it.number in GEN.THESIS_ITEMS, f"{it.number} ({it.label}) is not in the draft"


class TestNotesOnDraft:
    def test_every_remark_labelled(self):
        """Every 'On the draft' remark has a label, so the notes page can link to it."""
        for doc, _section, label, title in REMARKS:
            assert label, f"{doc}: remark {title!r} has no :label:"
