"""Write the generated pages: the thesis map and the notes on the draft.

* ``chapters/thesis_map.md``: thesis item -> its box (or figure) in the book -> the
  ``ae_lib`` object that implements it -> the test class that checks that object.
* ``chapters/notes_on_draft.md``: every Remark titled "On the draft: ..." with a link.

Everything is read from the sources: the boxes and figures from the notebooks in
``_toc.yml`` order (numbered the way Sphinx numbers them: one shared counter per section),
the objects from the ``ae_lib`` docstrings that cite the number, the tests from
``tests/test_*.py``.  ``tests/test_generated_pages.py`` checks that the committed pages
are current and that every numbered item of the draft is in the map once its section is
in the book.  Run: ``python tools/gen_pages.py``.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Every numbered item of the thesis draft, in its order.
THESIS_ITEMS = [
    "Definition 1.1.1", "Example 1.1.2", "Definition 1.1.3", "Definition 1.1.4",
    "Definition 1.1.5", "Figure 1.1", "Theorem 1.2.1", "Definition 1.2.2", "Definition 1.2.3",
    "Lemma 1.2.4", "Corollary 1.2.5", "Theorem 1.2.6", "Figure 2.1", "Lemma 2.1.1",
    "Figure 2.2", "Lemma 2.1.2", "Figure 2.3",
]
#: Box types that share the theorem counter (prf_realtyp_to_countertyp in _config.yml).
SHARED = {"definition", "example", "lemma", "corollary", "proposition", "theorem"}
KINDS = "Definition|Example|Theorem|Lemma|Corollary|Proposition|Figure"
BOX = re.compile(r"^(`{3,}|:{3,})\{prf:(\w+)\}[ \t]*(.*)$")
FIG = re.compile(r"\*\*Figure (\d+\.\d+):?\*\*")


@dataclass
class Item:
    number: str  # "Definition 1.1.3"
    label: str
    title: str
    doc: str  # chapters/ch1_1_neural_networks
    section: str  # "1.1"
    objects: list[str] = field(default_factory=list)
    tests: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, class)


def toc_docs() -> list[tuple[str, str]]:
    """(docname, section number) for every numbered page of _toc.yml, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    out, chapter = [], 0
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for ch in part.get("chapters", []):
            chapter += 1
            out.append((ch["file"], str(chapter)))
            for s, sec in enumerate(ch.get("sections", []), start=1):
                out.append((sec["file"], f"{chapter}.{s}"))
    return out


def markdown_of(doc: str) -> list[tuple[str, dict]]:
    """(markdown text, code cell metadata) chunks of a page, in order."""
    nb = ROOT / f"{doc}.ipynb"
    if nb.exists():
        out = []
        for c in json.loads(nb.read_text())["cells"]:
            src = "".join(c["source"])
            if c["cell_type"] == "markdown":
                out.append((src, {}))
            elif c["cell_type"] == "code":
                out.append(("", {**c.get("metadata", {}), "_source": src}))
        return out
    md = ROOT / f"{doc}.md"
    return [(md.read_text(), {})] if md.exists() else []


def scan() -> tuple[list[Item], list[tuple[str, str, str, str]]]:
    """Numbered boxes and thesis figures; and the draft remarks (doc, section, label, title)."""
    import ae_lib

    public = {n: getattr(ae_lib, n) for n in ae_lib.__all__}
    items, remarks = [], []
    for doc, section in toc_docs():
        k = 0
        for text, meta in markdown_of(doc):
            lines = text.splitlines()
            for i, line in enumerate(lines):
                m = BOX.match(line.strip())
                if not m:
                    continue
                kind, title = m.group(2), m.group(3).strip()
                opts = {}
                for opt in lines[i + 1:]:
                    om = re.match(r"^:(\w+):\s*(.*)$", opt.strip())
                    if not om:
                        break
                    opts[om.group(1)] = om.group(2)
                if kind == "remark" and title.startswith("On the draft"):
                    remarks.append((doc, section, opts.get("label", ""), title))
                if kind in SHARED and "nonumber" not in opts:
                    k += 1
                    items.append(Item(f"{kind.capitalize()} {section}.{k}", opts.get("label", ""),
                                      title, doc, section))
            fig = meta.get("mystnb", {}).get("figure", {})
            fm = FIG.search(fig.get("caption", ""))
            if fm:
                called = [n for n in re.findall(r"\bae\.(\w+)\(", meta.get("_source", ""))
                          if n in public]
                items.append(Item(f"Figure {fm.group(1)}", fig.get("name", ""),
                                  fig["caption"][fm.end():].strip().split(". ")[0],
                                  doc, section, objects=called[:1]))
    # ae_lib objects whose docstring's first paragraph cites the number.
    for name, obj in public.items():
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        first = (inspect.getdoc(obj) or "").split("\n\n")[0]
        for kind, num in re.findall(rf"\b({KINDS}) (\d+\.\d+(?:\.\d+)?)\b", first):
            for item in items:
                if item.number == f"{kind} {num}" and name not in item.objects:
                    item.objects.append(name)
    # Test classes named Test<Object> (functions: CamelCase), or Test<Kind><number>.
    classes = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            cm = re.match(r"^class (Test\w+)\b", line)
            if cm:
                classes.setdefault(cm.group(1), (f"tests/{path.name}", n, cm.group(1)))
    for item in items:
        by_number = "Test" + item.number.replace(" ", "").replace(".", "")  # TestExample112
        if by_number in classes:
            item.tests.append(classes[by_number])
        for obj in item.objects:
            camel = "Test" + "".join(p[:1].upper() + p[1:] for p in obj.split("_"))
            if camel in classes:
                item.tests.append(classes[camel])
    return items, remarks


def _repo_url() -> str:
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = cfg.get("repository", {})
    return f"{repo.get('url', '').rstrip('/')}/blob/{repo.get('branch', 'main')}"


def render_map() -> str:
    items, _ = scan()
    base = _repo_url()
    found = {it.number for it in items}
    out = [
        "# Thesis map",
        "",
        "Every numbered item of the thesis draft {cite:p}`sevkovych2023`, and every numbered item",
        "the book adds, with the box or figure that states it, the `ae_lib` object that",
        "implements it and the unit test that checks that object. The page is generated from",
        "the notebooks, the docstrings and the tests by `tools/gen_pages.py`, and a unit test",
        "fails when it is out of date, so it cannot go stale.",
        "",
        "| Item | In the book | `ae_lib` object | Test |",
        "| --- | --- | --- | --- |",
    ]
    for it in items:
        where = "draft" if it.number in THESIS_ITEMS else "added by the book"
        title = it.title.replace("|", "\\|")
        if it.number.startswith("Figure"):
            box = f"{{ref}}`{it.number} <{it.label}>`"
        else:
            box = f"{{prf:ref}}`{it.number} <{it.label}>` ({title})" if title else \
                f"{{prf:ref}}`{it.number} <{it.label}>`"
        objs = ", ".join(f"{{py:obj}}`~ae_lib.{o}`" for o in it.objects) or "—"
        tests = ", ".join(f"[{cls}]({base}/{f}#L{n})" for f, n, cls in it.tests) or "—"
        out.append(f"| {it.number} ({where}) | {box} | {objs} | {tests} |")
    missing = [n for n in THESIS_ITEMS if n not in found]
    if missing:
        out += ["", "Not yet in the book: " + ", ".join(missing) + "."]
    return "\n".join(out) + "\n"


def render_notes() -> str:
    _, remarks = scan()
    out = [
        "# Notes on the draft",
        "",
        "Where the thesis draft {cite:p}`sevkovych2023` is imprecise or wrong, the book keeps",
        "its statement as written and adds a Remark titled *On the draft* with the correct",
        "hypothesis and a numerical experiment that shows why. This page lists all of them",
        "(generated by `tools/gen_pages.py`).",
        "",
    ]
    last = None
    for doc, section, label, title in remarks:
        if section != last:
            out += ["", f"**Section {section}** ({{doc}}`/{doc}`)", ""]
            last = section
        topic = title.split(":", 1)[1].strip() if ":" in title else title
        topic = topic[:1].upper() + topic[1:]
        out.append(f"- {topic} ({{prf:ref}}`remark <{label}>`)")
    return "\n".join(out) + "\n"


PAGES = {"chapters/thesis_map.md": render_map, "chapters/notes_on_draft.md": render_notes}

if __name__ == "__main__":
    for rel, fn in PAGES.items():
        (ROOT / rel).write_text(fn())
        print(f"wrote {rel}")
