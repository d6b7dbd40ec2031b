"""Prose never types a computed number: every decimal number in the markdown of ``chapters/``
is glued from an output ({glue:text}`key`) or covered by a whitelist entry with a reason.

The whitelist, ``tests/prose_numbers.yml``, holds entries ``{file, text, reason}``: every
number inside an occurrence of ``text`` in the markdown of ``file`` is allowed (thesis
quotations, constants of definitions, settings that the code cell next to them passes
literally).  An entry that no longer matches anything fails too, so the list cannot rot.
Cross-references ("Section 3.3", "Definitions 1.1.3–1.1.5", "equation (1.4)") are not numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WHITELIST = ROOT / "tests" / "prose_numbers.yml"

#: A decimal number: 0.5, .5, 16.49, 1e-12, 2.5e-3 (not part of a word or of a longer dotted number).
NUMBER = re.compile(r"(?<![\w.])(?:\d*\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])")
_SEC = r"\(?\d+(?:\.\d+)+\)?"
#: A cross-reference to numbered items: "Section 1.2", "Figures 3.13 and 3.14", "Definitions 1.1.3–1.1.5".
REFERENCE = re.compile(
    r"(?:Sections?|Figures?|Chapters?|Tables?|Definitions?|Theorems?|Lemmas?|Examples?|Corollar(?:y|ies)"
    r"|Propositions?|Exercises?|Remarks?|§|[Ee]quations?|[Ee]q\.)\s*"
    + _SEC
    + r"(?:\s*(?:,|and|or|–|-|to)\s*"
    + _SEC
    + r")*"
)
#: Pasted outputs and roles whose target may contain digits (labels, paths).
ROLES = re.compile(r"\{(?:glue(?::\w+)?|eq|ref|numref|doc|prf:ref|cite(?::\w+)?|py:\w+|download)\}`[^`]*`")
#: A block that a tool writes from the committed results files (tools/gen_intro.py): its numbers
#: are read from results/*.json, as a glued number is read from an output.
GENERATED = re.compile(r"<!-- results at a glance: generated.*?<!-- end of results at a glance -->", re.S)
#: Markdown link targets and bare URLs.
LINKS = re.compile(r"\]\([^)]*\)|https?://\S+")


def markdown_pages() -> dict[str, list[str]]:
    """Markdown text of every page under chapters/: {relative path: [cell texts]}."""
    pages: dict[str, list[str]] = {}
    for path in sorted((ROOT / "chapters").rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix == ".ipynb" and ".ipynb_checkpoints" not in rel:
            cells = json.loads(path.read_text())["cells"]
            pages[rel] = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
        elif path.suffix == ".md":
            pages[rel] = [path.read_text()]
    return pages


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def unglued_numbers(text: str) -> list[tuple[int, int]]:
    """(start, end) of every decimal number in ``text`` that is not a reference, role or link."""
    for pattern in (GENERATED, ROLES, LINKS, REFERENCE):
        text = _blank(text, pattern)
    return [m.span() for m in NUMBER.finditer(text)]


def load_whitelist() -> list[dict]:
    entries = yaml.safe_load(WHITELIST.read_text()) or []
    for e in entries:
        assert set(e) == {"file", "text", "reason"}, f"whitelist entry needs file, text, reason: {e}"
        assert e["reason"].strip(), f"whitelist entry without a reason: {e}"
    return entries


def violations(pages: dict[str, list[str]], entries: list[dict]) -> tuple[list[str], list[dict]]:
    """Numbers no entry covers, and entries that cover nothing."""
    used = [False] * len(entries)
    found = []
    for rel, cells in pages.items():
        mine = [(i, e) for i, e in enumerate(entries) if e["file"] == rel]
        for text in cells:
            covered: list[tuple[int, int]] = []
            for i, e in mine:
                for m in re.finditer(re.escape(e["text"]), text):
                    covered.append(m.span())
                    used[i] = True
            for start, end in unglued_numbers(text):
                if not any(a <= start and end <= b for a, b in covered):
                    line = text[max(0, start - 50) : end + 30].replace("\n", " ")
                    found.append(f"{rel}: {text[start:end]!r} in …{line}…")
    return found, [e for e, u in zip(entries, used) if not u]


class TestProseNumbers:
    def test_every_decimal_in_markdown_is_glued_or_whitelisted(self):
        found, _ = violations(markdown_pages(), load_whitelist())
        assert not found, "numbers typed into prose (glue them, or whitelist with a reason):\n" + "\n".join(
            found
        )

    def test_every_whitelist_entry_is_used(self):
        _, stale = violations(markdown_pages(), load_whitelist())
        assert not stale, f"whitelist entries that match nothing (remove them): {stale}"

    @pytest.mark.parametrize(
        "text, expected",
        [
            ("the VAE reaches 16.49 nats", ["16.49"]),
            ("see Section 3.3 and Definitions 1.1.3–1.1.5", []),
            ("Figures 3.13 and 3.14 show it", []),
            ("a bound of 1e-12, and .5 of it", ["1e-12", ".5"]),
            ("glued: {glue:text}`ch3::nll:.2f` nats", []),
            ("the file ch3_3_likelihood.ipynb and {eq}`eq-1.2`", []),
            ("[a link](https://example.org/v1.2/page)", []),
            ("Python 3.11 and torch 2.13.0", ["3.11"]),
        ],
    )
    def test_finds_numbers_not_references(self, text, expected):
        assert [text[a:b] for a, b in unglued_numbers(text)] == expected


class TestNoTargets:
    """The book compares with baselines and published figures, never with a goal."""

    def test_no_goal_in_any_page(self):
        hits = []
        for path in sorted((ROOT / "chapters").rglob("*")):
            if path.suffix in (".ipynb", ".md") and re.search(r"\bgoals?\b", path.read_text(), re.IGNORECASE):
                hits.append(path.relative_to(ROOT).as_posix())
        assert not hits, f"pages that mention a goal: {hits}"
