"""Write the API reference: an index page and one page per chapter's modules.

``chapters/api.md`` lists every module with its one-line summary and the page that
documents it; ``chapters/api/ch1.md`` ... ``ch4.md``, ``core.md`` and ``book.md`` hold the
docstrings of the modules of each sub-package of ``ae_lib`` (one page per part, reading
order: ``tools/layout.py`` reads both from the package).  Run by
``make book``/``make test`` before the build; tests/test_api_page.py checks that the
committed pages are current (and listed in _toc.yml), so they cannot go stale.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import yaml
from layout import chapter, module, part_title, parts
from sphinx.pycode import ModuleAnalyzer

ROOT = Path(__file__).resolve().parents[1]

INDEX = "chapters/api.md"


def page_path(part: str) -> str:
    """'networks' (Chapter 1) -> 'chapters/api/ch1.md', 'core' -> 'chapters/api/core.md'."""
    n = chapter(part)
    return f"chapters/api/{'ch' + n if n else part}.md"


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


def page_title(part: str) -> str:
    n = chapter(part)
    if n:
        return f"API for Chapter {n}: {chapter_titles().get(n, '')}".rstrip(": ")
    return f"API for ae_lib.{part}"


def summary(name: str) -> str:
    """The first line of a module's docstring, as Markdown: the summary lands in Markdown
    headings and tables, where a reST role (:class:`~ae_lib.X`) or ``literal`` would show raw."""
    mod = module(name)
    line = (mod.__doc__ or name).strip().splitlines()[0].rstrip(".")
    line = re.sub(
        r":(?:class|func|obj|meth|mod|attr):`~?([\w.]+)`", lambda m: f"`{m.group(1).split('.')[-1]}`", line
    )
    return line.replace("``", "`")


def book_links() -> dict[str, str]:
    """Public name -> an rST line linking the boxes (and thesis figures) it implements."""
    from gen_pages import scan

    links: dict[str, list[str]] = {}
    for item in scan()[0]:
        role = "ref" if item.number.startswith("Figure") else "prf:ref"
        for obj in item.objects:
            links.setdefault(obj, []).append(f":{role}:`{item.number} <{item.label}>`")
    return {obj: "In the book: " + ", ".join(refs) + "." for obj, refs in links.items()}


def render_module(name: str, links: dict[str, str] | None = None) -> list[str]:
    links = {} if links is None else links
    mod = module(name)
    attr_docs = ModuleAnalyzer.for_module(mod.__name__).find_attr_docs()
    out = [f"## `ae_lib.{name}` — {summary(name)}", "", "```{eval-rst}", ".. currentmodule:: ae_lib", ""]
    if not getattr(mod, "__all__", []):
        out += ["(No public names: the package's own helpers, documented in the source.)", ""]
    for obj_name in getattr(mod, "__all__", []):
        obj = getattr(mod, obj_name)
        see = [f"   {links[obj_name]}", ""] if obj_name in links else []
        if inspect.isclass(obj):
            out += [f".. autoclass:: {obj_name}", "   :members:", "", *see]
        elif inspect.isfunction(obj):
            out += [f".. autofunction:: {obj_name}", "", *see]
        else:  # module-level data: its '#: ' or string docstring from the source
            doc = attr_docs.get(("", obj_name), [f"{type(obj).__name__} object."])
            out += [f".. data:: {obj_name}", ""] + [f"   {line}".rstrip() for line in doc] + [""]
    return out + ["```", ""]


def render_index() -> str:
    out = [
        "# `ae_lib` API reference",
        "",
        "The book's package, generated from its docstrings by `tools/gen_api.py`: one sub-package",
        "per part of the book and one page each, with the part's modules in the order of the",
        "book.  Every name is importable from the package itself: `import ae_lib as ae`, then",
        "`ae.Layer`, `ae.negative_elbo`, ...",
        "",
        "| Page | Module | What it holds |",
        "| --- | --- | --- |",
    ]
    for part, names in parts().items():
        doc = "/" + page_path(part).removesuffix(".md")
        for i, name in enumerate(names):
            page = f"{{doc}}`{page_title(part)} <{doc}>`" if i == 0 else ""
            dotted = f"{part}.{name}"
            out.append(f"| {page} | `ae_lib.{dotted}` | {summary(dotted).replace('|', '&#124;')} |")
    return "\n".join(out) + "\n"


def render_page(part: str) -> str:
    out = [f"# {page_title(part)}", ""]
    n = chapter(part)
    what = (
        f"of Chapter {n}"
        if n
        else f"of `ae_lib.{part}`: {part_title(part)[:1].lower()}{part_title(part)[1:]}"
    )
    out += [
        f"The `ae_lib` modules {what}, in the order of the book; generated from the docstrings",
        "by `tools/gen_api.py`.  Every name is importable from the package: `import ae_lib as ae`.",
        "",
    ]
    links = book_links()
    for name in parts()[part]:
        out += render_module(f"{part}.{name}", links)
    return "\n".join(out)


def render() -> dict[str, str]:
    """Relative path -> text of every page of the API reference."""
    pages = {INDEX: render_index()}
    for part in parts():
        pages[page_path(part)] = render_page(part)
    return pages


if __name__ == "__main__":
    for rel, text in render().items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {rel}")
