"""Write the API reference: an index page and one page per chapter's modules.

``chapters/api.md`` lists every module with its one-line summary and the page that
documents it; ``chapters/api/ch1.md`` ... ``ch4.md`` and ``chapters/api/tools.md`` hold the
docstrings of the modules of ``ae_lib.CHAPTER_MODULES`` (reading order).  Run by
``make book``/``make test`` before the build; tests/test_api_page.py checks that the
committed pages are current (and listed in _toc.yml), so they cannot go stale.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path

import yaml
from sphinx.pycode import ModuleAnalyzer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INDEX = "chapters/api.md"


def page_path(key: str) -> str:
    """'1' -> 'chapters/api/ch1.md', 'tools' -> 'chapters/api/tools.md'."""
    return f"chapters/api/{'ch' + key if key.isdigit() else key}.md"


def chapter_titles() -> dict[str, str]:
    """Chapter number -> title of its page ('1' -> 'Preliminary'), from _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    out, n = {}, 0
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for ch in part.get("chapters", []):
            n += 1
            md = ROOT / f"{ch['file']}.md"
            first = md.read_text().splitlines()[0] if md.exists() else ""
            out[str(n)] = first.lstrip("# ").strip() or ch["file"]
    return out


def page_title(key: str) -> str:
    if key.isdigit():
        return f"API for Chapter {key}: {chapter_titles().get(key, '')}".rstrip(": ")
    return "API for the shared tools"


def summary(name: str) -> str:
    """The first line of a module's docstring, as Markdown: the summary lands in Markdown
    headings and tables, where a reST role (:class:`~ae_lib.X`) or ``literal`` would show raw."""
    mod = importlib.import_module(f"ae_lib.{name}")
    line = (mod.__doc__ or name).strip().splitlines()[0].rstrip(".")
    line = re.sub(
        r":(?:class|func|obj|meth|mod|attr):`~?([\w.]+)`", lambda m: f"`{m.group(1).split('.')[-1]}`", line
    )
    return line.replace("``", "`")


def render_module(name: str) -> list[str]:
    mod = importlib.import_module(f"ae_lib.{name}")
    attr_docs = ModuleAnalyzer.for_module(mod.__name__).find_attr_docs()
    out = [f"## `ae_lib.{name}` — {summary(name)}", "", "```{eval-rst}", ".. currentmodule:: ae_lib", ""]
    for obj_name in mod.__all__:
        obj = getattr(mod, obj_name)
        if inspect.isclass(obj):
            out += [f".. autoclass:: {obj_name}", "   :members:", ""]
        elif inspect.isfunction(obj):
            out += [f".. autofunction:: {obj_name}", ""]
        else:  # module-level data: its '#: ' or string docstring from the source
            doc = attr_docs.get(("", obj_name), [f"{type(obj).__name__} object."])
            out += [f".. data:: {obj_name}", ""] + [f"   {line}".rstrip() for line in doc] + [""]
    return out + ["```", ""]


def render_index() -> str:
    import ae_lib

    out = [
        "# `ae_lib` API reference",
        "",
        "The book's package, generated from its docstrings by `tools/gen_api.py`: one page per",
        "chapter, each with that chapter's modules in the order of the book, and one page for",
        "the helpers every chapter shares.  Every name is importable from the package itself:",
        "`import ae_lib as ae`, then `ae.Layer`, `ae.negative_elbo`, ...",
        "",
        "| Page | Module | What it holds |",
        "| --- | --- | --- |",
    ]
    for key, modules in ae_lib.CHAPTER_MODULES.items():
        doc = "/" + page_path(key).removesuffix(".md")
        for i, name in enumerate(modules):
            page = f"{{doc}}`{page_title(key)} <{doc}>`" if i == 0 else ""
            out.append(f"| {page} | `ae_lib.{name}` | {summary(name).replace('|', '&#124;')} |")
    return "\n".join(out) + "\n"


def render_page(key: str) -> str:
    import ae_lib

    out = [f"# {page_title(key)}", ""]
    if key.isdigit():
        out += [
            f"The `ae_lib` modules of Chapter {key}, in the order of the book; generated from",
            "the docstrings by `tools/gen_api.py`.  Every name is importable from the package:",
            "`import ae_lib as ae`.",
            "",
        ]
    else:
        out += [
            "The `ae_lib` helpers that every chapter shares: the data and the book's split, the training",
            "loop, plotting, reproducibility and interactive controls; generated from the",
            "docstrings by `tools/gen_api.py`.",
            "",
        ]
    for name in ae_lib.CHAPTER_MODULES[key]:
        out += render_module(name)
    return "\n".join(out)


def render() -> dict[str, str]:
    """Relative path -> text of every page of the API reference."""
    import ae_lib

    pages = {INDEX: render_index()}
    for key in ae_lib.CHAPTER_MODULES:
        pages[page_path(key)] = render_page(key)
    return pages


if __name__ == "__main__":
    for rel, text in render().items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {rel}")
