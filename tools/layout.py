"""The layout of ``ae_lib``, read from the package itself (nothing here is kept by hand).

The parts are the sub-packages of ``ae_lib``, in the order in which ``ae_lib/__init__.py``
re-exports them; a part's modules come in the same order (the book's reading order); a
module's public names are its ``__all__``; a part's title is the first line of its
``__init__`` docstring ("Chapter 1, Preliminary: ...").  The API reference
(``tools/gen_api.py``), the design page's module map (``tools/gen_pages.py``) and the
contract tests read it.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "ae_lib"


def parts() -> dict[str, list[str]]:
    """Part -> its modules' names, both in the book's order (``{"networks": ["activations", ...]}``)."""
    out: dict[str, list[str]] = {}
    for node in ast.parse((PKG / "__init__.py").read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module and "." in node.module:
            part, module = node.module.split(".", 1)
            if module not in out.setdefault(part, []):
                out[part].append(module)
    for part, mods in out.items():  # modules with no public name (seeds) close their part
        mods += sorted(
            f.stem for f in (PKG / part).glob("*.py") if f.stem != "__init__" and f.stem not in mods
        )
    return out


def modules() -> list[str]:
    """Every public module as a dotted name relative to ae_lib (``"networks.activations"``)."""
    return [f"{part}.{m}" for part, mods in parts().items() for m in mods]


def module(dotted: str) -> ModuleType:
    return importlib.import_module(f"ae_lib.{dotted}")


def public_names() -> dict[str, str]:
    """Public name -> the dotted module that defines it, for every name ae_lib re-exports."""
    return {name: dotted for dotted in modules() for name in getattr(module(dotted), "__all__", [])}


def chapter(part: str) -> str | None:
    """'1' for the part whose docstring starts "Chapter 1", None for core and book."""
    doc = importlib.import_module(f"ae_lib.{part}").__doc__ or ""
    m = re.match(r"\s*Chapter (\d+)", doc)
    return m.group(1) if m else None


def part_title(part: str) -> str:
    """The first line of the part's docstring, without a final full stop."""
    doc = importlib.import_module(f"ae_lib.{part}").__doc__ or part
    return doc.strip().splitlines()[0].rstrip(".")
