"""Write chapters/api.md, the API reference, from ae_lib's modules and their __all__.

Run by `make book`/`make test` before the build; tests/test_api_page.py checks that the
committed page is up to date, so it cannot go stale.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

from sphinx.pycode import ModuleAnalyzer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def render() -> str:
    import ae_lib

    out = [
        "# `ae_lib` API reference",
        "",
        "Generated from the docstrings by `tools/gen_api.py`; one section per module, in the",
        "order of the book.  Every name is importable from the package: `import ae_lib as ae`.",
        "",
    ]
    for name in ae_lib.MODULES:
        mod = importlib.import_module(f"ae_lib.{name}")
        attr_docs = ModuleAnalyzer.for_module(mod.__name__).find_attr_docs()
        title = (mod.__doc__ or name).strip().splitlines()[0].rstrip(".")
        out += [f"## `ae_lib.{name}` — {title}", "", "```{eval-rst}", ".. currentmodule:: ae_lib", ""]
        for obj_name in mod.__all__:
            obj = getattr(mod, obj_name)
            if inspect.isclass(obj):
                out += [f".. autoclass:: {obj_name}", "   :members:", ""]
            elif inspect.isfunction(obj):
                out += [f".. autofunction:: {obj_name}", ""]
            else:  # module-level data: its '#: ' or string docstring from the source
                doc = attr_docs.get(("", obj_name), [f"{type(obj).__name__} object."])
                out += [f".. data:: {obj_name}", ""] + [f"   {line}".rstrip() for line in doc] + [""]
        out += ["```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    path = ROOT / "chapters" / "api.md"
    text = render()
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
