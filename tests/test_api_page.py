"""The API reference is generated from ae_lib, one page per chapter, and committed up to date."""

import re
from pathlib import Path

import pytest
from _tools import load_tool

import ae_lib

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
        """Each name in ae_lib.__all__ has exactly one entry, on the page of its module's chapter."""
        text = "\n".join(PAGES.values())
        for name in ae_lib.__all__:
            assert len(re.findall(rf":: {re.escape(name)}\n", text)) == 1, name

    def test_every_module_listed(self):
        """Every ae_lib module (except private ones) is in ae_lib.MODULES."""
        files = {p.stem for p in (ROOT / "ae_lib").glob("*.py") if not p.stem.startswith("_")}
        assert files == set(ae_lib.MODULES)

    def test_chapters_partition_modules(self):
        """ae_lib.CHAPTER_MODULES puts every module on exactly one page."""
        listed = [m for mods in ae_lib.CHAPTER_MODULES.values() for m in mods]
        assert sorted(listed) == sorted(ae_lib.MODULES)
        assert len(listed) == len(set(listed))

    def test_index_links_every_page(self):
        """The index page names every module and links every chapter page."""
        index = PAGES[GEN.INDEX]
        for key, modules in ae_lib.CHAPTER_MODULES.items():
            assert f"</{GEN.page_path(key).removesuffix('.md')}>" in index
            for name in modules:
                assert f"`ae_lib.{name}`" in index


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_no_raw_rest_in_markdown(rel):
    """Outside the eval-rst blocks the pages are Markdown: a reST role (:class:`...`), a
    ``double-backtick`` literal or a "contract §" reference would show raw to the reader."""
    markdown = re.sub(r"```\{eval-rst\}.*?```", "", PAGES[rel], flags=re.S)
    for bad in (r":(?:class|func|obj|meth|mod|attr):`", r"``", r"contract §"):
        assert not re.search(bad, markdown), f"{rel}: raw markup {bad!r}"
