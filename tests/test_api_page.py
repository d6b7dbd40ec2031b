"""The API page is generated from ae_lib and committed up to date."""

from pathlib import Path

from _tools import load_tool

import ae_lib

ROOT = Path(__file__).resolve().parents[1]


def _gen():
    return load_tool("gen_api")


class TestApiPage:
    def test_page_is_current(self):
        """chapters/api.md equals what tools/gen_api.py writes (run it after changing ae_lib)."""
        assert (ROOT / "chapters" / "api.md").read_text() == _gen().render()

    def test_every_public_name_documented(self):
        """Each name in ae_lib.__all__ has an entry on the page."""
        text = _gen().render()
        for name in ae_lib.__all__:
            assert f":: {name}\n" in text

    def test_every_module_listed(self):
        """Every ae_lib module (except private ones) is in ae_lib.MODULES."""
        files = {p.stem for p in (ROOT / "ae_lib").glob("*.py") if not p.stem.startswith("_")}
        assert files == set(ae_lib.MODULES)
