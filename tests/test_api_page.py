"""The API reference is generated from ae_lib, one page per part (sub-package), and committed up to date."""

import re
from pathlib import Path

import layout
import pytest
from _tools import load_tool

ROOT = Path(__file__).resolve().parents[1]
GEN = load_tool("gen_api")
PAGES = GEN.render()


class TestApiPage:
    @pytest.mark.parametrize("rel", sorted(PAGES))
    def test_page_is_current(self, rel):
        """Each committed page equals what tools/gen_api.py writes (run it after changing ae_lib)."""
        assert (ROOT / rel).read_text() == PAGES[rel]

    def test_no_stale_pages(self):
        """No page under chapters/api/ that the generator no longer writes."""
        committed = {p.relative_to(ROOT).as_posix() for p in (ROOT / "chapters" / "api").glob("*.md")}
        assert committed <= set(PAGES)

    def test_pages_in_toc(self):
        """Every chapter page is listed under the API reference in _toc.yml."""
        toc = (ROOT / "_toc.yml").read_text()
        for rel in PAGES:
            assert re.search(rf"file:\s*{re.escape(rel.removesuffix('.md'))}\s*$", toc, re.M), rel

    def test_every_public_name_documented_once(self):
        """Each public name has exactly one entry, on the page of its module's part."""
        for name, dotted in layout.public_names().items():
            page = PAGES[GEN.page_path(dotted.split(".")[0])]
            assert len(re.findall(rf":: {re.escape(name)}\n", "\n".join(PAGES.values()))) == 1, name
            assert re.search(rf":: {re.escape(name)}\n", page), name

    def test_one_page_per_part(self):
        """One page per sub-package of ae_lib, and each module of the part on it, in order."""
        assert len(PAGES) == 1 + len(layout.parts())
        for part, modules in layout.parts().items():
            page = PAGES[GEN.page_path(part)]
            where = [page.index(f"## `ae_lib.{part}.{m}`") for m in modules]
            assert where == sorted(where), part

    def test_index_links_every_page(self):
        """The index page names every module and links every part's page."""
        index = PAGES[GEN.INDEX]
        for part, modules in layout.parts().items():
            assert f"</{GEN.page_path(part).removesuffix('.md')}>" in index
            for name in modules:
                assert f"`ae_lib.{part}.{name}`" in index


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_no_raw_rest_in_markdown(rel):
    """Outside the eval-rst blocks the pages are Markdown: a reST role (:class:`...`), a
    ``double-backtick`` literal or a "contract §" reference would show raw to the reader."""
    markdown = re.sub(r"```\{eval-rst\}.*?```", "", PAGES[rel], flags=re.S)
    for bad in (r":(?:class|func|obj|meth|mod|attr):`", r"``", r"contract §"):
        assert not re.search(bad, markdown), f"{rel}: raw markup {bad!r}"
