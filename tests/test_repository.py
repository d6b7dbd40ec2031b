"""One setting, repository.url, decides every link to the repository (book_ext/repository.py).

While it is the placeholder the build hides the launch and repository buttons, the Colab
install cell is taken out and the thesis map links to no test on GitHub; with a real
address all of them appear.
"""

import json
import re
from pathlib import Path
from typing import ClassVar

import nbformat
import pytest
from _tools import load_tool

from book_ext import repository

ROOT = Path(__file__).resolve().parents[1]

PLACEHOLDER = "https://github.com/ae-book/ae-book"
REAL = "https://github.com/someone/vae-companion"


def _config(tmp_path, url):
    """A copy of _config.yml with repository.url replaced by `url`."""
    text = (ROOT / "_config.yml").read_text()
    text, n = re.subn(r"(?m)^(  url:).*$", rf"\1 {url}" if url else r"\1 ''", text)
    assert n == 1
    path = tmp_path / "_config.yml"
    path.write_text(text)
    return path


class TestIsLive:
    @pytest.mark.parametrize("url", [PLACEHOLDER, PLACEHOLDER + "/", PLACEHOLDER + ".git", "", None, "  "])
    def test_placeholder_and_empty_are_not_live(self, url):
        assert not repository.is_live(url)

    @pytest.mark.parametrize("url", [REAL, REAL + "/", "https://gitlab.com/a/b"])
    def test_real_address_is_live(self, url):
        assert repository.is_live(url)

    def test_committed_config_is_read(self, tmp_path):
        """repository_url reads _config.yml: None for the placeholder, the address otherwise."""
        assert repository.repository_url(_config(tmp_path, PLACEHOLDER)) is None
        assert repository.repository_url(_config(tmp_path, "")) is None
        assert repository.repository_url(_config(tmp_path, REAL + "/")) == REAL


class TestThemeOptions:
    OPTIONS: ClassVar[dict] = {
        "launch_buttons": {
            "notebook_interface": "jupyterlab",
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
        },
        "repository_url": PLACEHOLDER,
        "use_repository_button": True,
        "path_to_docs": ".",
    }

    @pytest.mark.parametrize("url", [PLACEHOLDER, "", None])
    def test_placeholder_hides_buttons(self, url):
        out = repository.theme_options(self.OPTIONS, url)
        assert "colab_url" not in out["launch_buttons"] and "binderhub_url" not in out["launch_buttons"]
        assert out["use_repository_button"] is False
        assert "repository_url" not in out
        assert self.OPTIONS["launch_buttons"]["colab_url"]  # the input is not changed

    def test_real_address_shows_buttons(self):
        out = repository.theme_options(self.OPTIONS, REAL)
        assert out["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
        assert out["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
        assert out["use_repository_button"] is True
        assert out["repository_url"] == REAL
        assert out["path_to_docs"] == ""  # links read .../blob/main/chapters/..., not .../main/./chapters

    def test_one_warning_line(self):
        """The build says once, in one line, why the buttons are missing."""
        note = repository.PLACEHOLDER_NOTE.format(url=PLACEHOLDER)
        assert "\n" not in note and "placeholder" in note


class TestColabCell:
    def _notebook(self, tmp_path, with_cell: str | None):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell("import ae_lib as ae\nrng = ae.setup_notebook(seed=0)"),
        ]
        if with_cell:
            nb.cells.insert(1, nbformat.v4.new_code_cell(with_cell, metadata={"tags": ["nbval-skip"]}))
        path = tmp_path / "nb.ipynb"
        nbformat.write(nb, path)
        return path

    def test_placeholder_gives_no_cell(self):
        colab = load_tool("colab_cell")
        assert colab.source(PLACEHOLDER) is None and colab.source("") is None

    def test_placeholder_removes_a_dead_cell(self, tmp_path):
        colab = load_tool("colab_cell")
        source = (
            f'import sys\nif "google.colab" in sys.modules:\n    %pip install "ae_lib @ git+{PLACEHOLDER}"\n'
        )
        path = self._notebook(tmp_path, source)
        assert colab.apply(path, url="") is True
        cells = json.loads(path.read_text())["cells"]
        assert not any("google.colab" in "".join(c["source"]) for c in cells)
        assert colab.apply(path, url="") is False  # idempotent

    def test_real_address_inserts_the_cell_first(self, tmp_path):
        colab = load_tool("colab_cell")
        path = self._notebook(tmp_path, None)
        assert colab.apply(path, url=REAL) is True
        first = next(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
        src = "".join(first["source"])
        assert f"git clone --quiet --depth 1 {REAL} " in src and PLACEHOLDER not in src
        assert "myst-nb" in src  # the notebooks import myst_nb.glue
        assert not any(line.startswith("# nbval") for line in src.splitlines())
        assert first["metadata"]["tags"] == ["nbval-skip", "remove-cell"]
        assert first["metadata"]["nbval_reason"]
        assert colab.apply(path, url=REAL) is False  # idempotent


class TestThesisMapLinks:
    def test_no_github_links_with_placeholder(self, tmp_path):
        """With the placeholder the map names the test classes and links nowhere outside the book."""
        gen = load_tool("gen_pages")
        text = gen.render_map(_config(tmp_path, PLACEHOLDER))
        assert "github.com" not in text and "](http" not in text
        assert "`TestLayer`" in text

    def test_links_with_real_address(self, tmp_path):
        gen = load_tool("gen_pages")
        text = gen.render_map(_config(tmp_path, REAL))
        assert f"[TestLayer]({REAL}/blob/main/tests/networks/test_network.py#L" in text

    def test_committed_map_follows_committed_config(self):
        text = (ROOT / "chapters" / "thesis_map.md").read_text()
        if repository.repository_url() is None:
            assert "github.com" not in text
