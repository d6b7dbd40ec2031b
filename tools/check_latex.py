#!/usr/bin/env python3
"""The PDF numbers its chapters and sections as the HTML book does.

Usage:  python tools/check_latex.py [_build/latex/ae-book.tex]

Reads the LaTeX file of ``make latex`` and follows what LaTeX will number: ``\\part``,
``\\chapter`` and ``\\section`` headings under the ``secnumdepth`` in force
(``book_ext/latex_matter.py`` sets it per part).  Each page of the book starts with a
heading followed by its ``\\label{...::doc}``; its number in the PDF is compared with its
number in the HTML book, which ``_toc.yml`` decides: the chapters of the part marked
``numbered: true`` are 1, 2, ... and their sections 1.1, 1.2, ...; every other page (front
and back matter) has none.  Exit 1 with one line per page that differs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADING = re.compile(r"^\\(part|chapter|section|subsection)\*?\{")
SECNUMDEPTH = re.compile(r"\\setcounter\{secnumdepth\}\{(-?\d+)\}")
DOC_LABEL = re.compile(r"\\label\{\\detokenize\{([^}]*)::doc\}\}")
LEVEL = {"part": -1, "chapter": 0, "section": 1, "subsection": 2}


def html_numbers(toc: dict) -> dict[str, str | None]:
    """Docname -> its number in the HTML book ("1", "1.1") or None (unnumbered)."""
    out: dict[str, str | None] = {}
    chapter = 0
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            if part.get("numbered"):
                chapter += 1
            out[str(ch["file"])] = str(chapter) if part.get("numbered") else None
            for j, sec in enumerate(ch.get("sections", []), start=1):
                out[str(sec["file"])] = f"{chapter}.{j}" if part.get("numbered") else None
    return out


def latex_numbers(tex: str, secnumdepth: int = 2) -> dict[str, str | None]:
    """Docname -> the number LaTeX gives the heading that opens that page (or None)."""
    counters = {"chapter": 0, "section": 0, "subsection": 0}
    out: dict[str, str | None] = {}
    pending: str | None = None
    for line in tex.splitlines():
        for m in SECNUMDEPTH.finditer(line):
            secnumdepth = int(m.group(1))
        h = HEADING.match(line)
        if h:
            kind, starred = h.group(1), line.startswith(f"\\{h.group(1)}*")
            pending = None
            if kind == "part" or starred or LEVEL[kind] > secnumdepth:
                pending = f"{kind}:" if kind != "part" else None
                continue
            counters[kind] += 1
            for lower in ("chapter", "section", "subsection")[LEVEL[kind] + 1 :]:
                counters[lower] = 0
            parts = [counters["chapter"], counters["section"], counters["subsection"]][: LEVEL[kind] + 1]
            pending = f"{kind}:" + ".".join(map(str, parts))
            continue
        label = DOC_LABEL.search(line)
        if label and pending is not None:
            number = pending.split(":", 1)[1]
            out[label.group(1)] = number or None
            pending = None
    return out


def problems(tex: str, toc: dict) -> list[str]:
    """One line per page whose PDF number differs from its HTML number (or is missing)."""
    got = latex_numbers(tex)
    out = []
    for doc, want in html_numbers(toc).items():
        if doc not in got:
            out.append(f"{doc}: no heading with its label in the LaTeX file")
        elif got[doc] != want:
            out.append(
                f"{doc}: the PDF numbers it {got[doc] or 'not at all'}, the HTML book {want or 'not at all'}"
            )
    return out


def main(argv: list[str]) -> int:
    tex_path = Path(argv[0]) if argv else ROOT / "_build" / "latex" / "ae-book.tex"
    found = problems(tex_path.read_text(), yaml.safe_load((ROOT / "_toc.yml").read_text()))
    for line in found:
        print("PDF numbering:", line)
    print(
        f"PDF numbering: {len(html_numbers(yaml.safe_load((ROOT / '_toc.yml').read_text())))} pages, "
        f"{len(found)} differ from the HTML book"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
