"""Put the "Open in Colab" install cell first in every notebook (idempotent).

Also drops stored execution timestamps from cell metadata.

On Google Colab the notebook runs without this repository, so its first cell installs
``ae_lib`` from the repository named in ``_config.yml`` (``repository.url``).  Everywhere
else the cell does nothing.  It is tagged ``nbval-skip`` (nbval does not run it) and
``remove-cell`` (the book does not show it).  tests/test_notebooks.py checks that every
notebook starts with exactly this cell.

Usage: python tools/colab_cell.py chapters/*.ipynb   (then re-execute the notebooks)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TAGS = ["nbval-skip", "remove-cell"]


def source() -> str:
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")
    return (
        "# nbval: installs ae_lib only on Google Colab (no repository there); a no-op elsewhere\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "ae_lib @ git+{url}"\n'
    )


def is_colab_cell(cell) -> bool:
    return cell.cell_type == "code" and "google.colab" in "".join(cell.source)


def apply(path: Path) -> bool:
    """Insert or update the cell; return True if the notebook changed."""
    nb = nbformat.read(path, as_version=4)
    stamped = False
    for c in nb.cells:  # drop execution timestamps of an earlier run (they churn diffs)
        stamped |= c.metadata.pop("execution", None) is not None
    cell = nbformat.v4.new_code_cell(source(), metadata={"tags": list(TAGS)})
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and is_colab_cell(code[0]):
        if code[0].source == cell.source and code[0].metadata.get("tags") == TAGS and not stamped:
            return False
        code[0].source, code[0].metadata["tags"] = cell.source, list(TAGS)
    else:
        first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        nb.cells.insert(first, cell)
    nbformat.write(nb, path)
    return True


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(("updated " if apply(Path(name)) else "current ") + name)
