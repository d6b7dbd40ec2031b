"""Keep the test machinery out of what readers see.

A code cell that nbval must not compare carries a tag (``nbval-ignore-output``) and,
until the notebooks carry the reason in the cell's metadata, a comment line
``# nbval: <reason>``.  That line is for the test runner, not for the reader: this drops
lines starting with ``# nbval`` from the code shown in the book (the notebook itself,
run or downloaded, is unchanged).  ``tests/test_notebooks.py`` asks for the reason in the
metadata, so that the downloaded notebook is clean too.
"""

from __future__ import annotations

import re

from docutils import nodes

NBVAL_LINE = re.compile(r"^[ \t]*#[ \t]*nbval\b.*(?:\n|$)", re.M | re.I)


def strip_nbval_lines(source: str) -> str:
    """`source` without its '# nbval ...' comment lines."""
    return NBVAL_LINE.sub("", source)


def _in_cell_input(node) -> bool:
    parent = node.parent
    while parent is not None:
        if "cell_input" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def _strip(app, doctree):
    for block in list(doctree.findall(nodes.literal_block)):
        text = block.astext()
        if "nbval" not in text.lower() or not _in_cell_input(block):
            continue
        new = strip_nbval_lines(text)
        if new != text:
            block.rawsource = new
            block.children = []
            block += nodes.Text(new)


def setup(app):
    app.connect("doctree-read", _strip)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
