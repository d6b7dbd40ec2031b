"""Put the "Open in Colab" install cell first in every notebook, or take it out (idempotent).

Also drops stored execution timestamps from cell metadata.

On Google Colab the notebook runs without this repository, so its first cell clones the
repository named in ``_config.yml`` (``repository.url``) into ``/content/ae-book``, installs
it editable with its dependencies and myst-nb (the notebooks glue numbers with
``myst_nb.glue``), puts it first on ``sys.path`` (an editable install made in a running kernel
is not on its path yet) and changes into ``chapters/``: ``ae_lib`` then finds the committed
results files under ``results/`` as it does in a clone.  Everywhere
else the cell does nothing.  It is tagged ``nbval-skip`` (nbval does not run it) and
``remove-cell`` (the book does not show it); the reason for the skip is in the cell's
metadata (``nbval_reason``), not in a comment.

While ``repository.url`` is the placeholder (or empty) there is nothing to install from:
the cell would only carry a dead URL, so the tool takes it out of every notebook (the
build hides the Colab button then, too: book_ext/repository.py).  With a real address it
puts the cell in.  tests/test_notebooks.py checks the notebooks against the same rule.

Usage: python tools/colab_cell.py chapters/*.ipynb   (then re-execute the notebooks;
``make execute`` does both)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from book_ext.repository import is_live, repository_url

TAGS = ["nbval-skip", "remove-cell"]
REASON = "installs ae_lib only on Google Colab (no repository there); a no-op elsewhere"


def source(url: str | None = None) -> str | None:
    """The cell's source for the repository `url` (default: _config.yml's), or None while
    that is the placeholder."""
    url = url if url is not None else repository_url()
    if not is_live(url):
        return None
    return (
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f"    !git clone --quiet --depth 1 {url.rstrip('/')} /content/ae-book\n"
        "    %pip install --quiet -e /content/ae-book myst-nb\n"
        '    sys.path.insert(0, "/content/ae-book")\n'
        "    %cd /content/ae-book/chapters\n"
    )


def metadata() -> dict:
    return {"tags": list(TAGS), "nbval_reason": REASON}


def is_colab_cell(cell) -> bool:
    return cell.cell_type == "code" and "google.colab" in "".join(cell.source)


def apply(path: Path, url: str | None = None) -> bool:
    """Insert, update or remove the cell; return True if the notebook changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for c in nb.cells:  # drop execution timestamps of an earlier run (they churn diffs)
        changed |= c.metadata.pop("execution", None) is not None
    src = source(url)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if src is None:  # placeholder: no cell with a dead URL
        keep = [c for c in nb.cells if not is_colab_cell(c)]
        changed |= len(keep) != len(nb.cells)
        nb.cells = keep
    elif code and is_colab_cell(code[0]):
        if code[0].source != src or dict(code[0].metadata) != metadata():
            code[0].source, code[0].metadata = src, nbformat.from_dict(metadata())
            changed = True
    else:
        first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        nb.cells.insert(first, nbformat.v4.new_code_cell(src, metadata=metadata()))
        changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    if source() is None:
        print("repository.url in _config.yml is a placeholder: no Colab install cell (removed where present)")
    for name in sys.argv[1:]:
        print(("updated " if apply(Path(name)) else "current ") + name)
