"""The PDF numbers chapters as the HTML book does: front and back matter unnumbered.

In HTML only the part of ``_toc.yml`` marked ``numbered: true`` (the thesis's chapters)
is numbered: Chapter 1 is *Preliminary*, Section 1.1 *Neural networks*.  The LaTeX builder
writes every top-level page as ``\\chapter``, so the front matter's *Notation* page became
Chapter 1 and every chapter of the thesis one too high.  This extension puts
``\\setcounter{secnumdepth}{-1}`` (no numbers, and the chapter counter does not step) at the
start of the first page of each unnumbered part and ``\\setcounter{secnumdepth}{2}`` (Sphinx's
default: chapters, sections, subsections) at the start of the first page of each numbered
part.  The raw LaTeX is invisible in HTML.  ``tools/check_latex.py`` (run by ``make latex``)
reads the LaTeX file and fails when a chapter or section number differs from the HTML book's.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes

#: secnumdepth for pages of a numbered part (Sphinx's own default) and of an unnumbered one.
NUMBERED, UNNUMBERED = 2, -1


def part_starts(toc: dict) -> dict[str, int]:
    """Docname of the first page of each part -> the secnumdepth its part needs."""
    out = {}
    for part in toc.get("parts", []):
        chapters = part.get("chapters", [])
        if chapters:
            out[str(chapters[0]["file"])] = NUMBERED if part.get("numbered") else UNNUMBERED
    return out


def _mark(app, doctree):
    toc_path = Path(app.srcdir) / "_toc.yml"
    if not toc_path.exists():
        return
    depth = part_starts(yaml.safe_load(toc_path.read_text())).get(app.env.docname)
    if depth is not None:
        doctree.insert(0, nodes.raw("", f"\\setcounter{{secnumdepth}}{{{depth}}}\n", format="latex"))


def setup(app):
    app.connect("doctree-read", _mark)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
