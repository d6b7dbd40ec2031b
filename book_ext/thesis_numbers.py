"""The thesis's own equation numbers, and exercise numbers that cannot pass for a theorem's.

Equations.  The thesis numbers its equations per chapter, (1.1)-(1.6); Sphinx numbers
every labelled display equation per section, (1.1.1), (1.1.2), ...  This extension gives
the equations listed in ``THESIS_EQUATIONS`` (label -> thesis number) their thesis number,
at the equation and in every ``{eq}`` reference, in HTML and in LaTeX (where each
labelled equation gets an explicit ``\\tag``).  Every other equation keeps a section-based,
three-level number (2.1.1), renumbered 1, 2, ... within its section so that no gap is
left where a thesis equation was taken out; an equation that would get a two-level
number (a labelled equation on a chapter page) is reported as a warning, since it would
read like a thesis number -- and a strict build (``-W``) fails on it.

Exercises.  sphinx-exercise numbers exercises with the section counter, "Exercise 1.1.1",
the same pattern as "Definition 1.1.1".  Here the last component becomes a letter:
"Exercise 1.1.A", "Exercise 1.1.B"; exercise titles, solution titles and ``{numref}``
references all read the number from the same table, so they agree.

Both work by rewriting ``env.toc_fignumbers`` right after Sphinx has assigned the numbers
(``env-get-updated``, after the toctree collector), which is the one table the HTML
writer, the math domain, the std domain and sphinx-exercise all read.
"""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import make_id
from sphinx.util import logging
from sphinx.util.math import wrap_displaymath

logger = logging.getLogger(__name__)

#: Label of a display equation in the notebooks -> its number in the thesis.
THESIS_EQUATIONS: dict[str, str] = {
    "eq-neuron": "1.1",  # Section 1.1, the phi-neuron
    "eq-layer": "1.2",  # Section 1.1, the phi-layer
    "eq-network": "1.3",  # Section 1.1, the deep network
    "eq-gd": "1.4",  # Section 1.2, the gradient-descent step
    "eq-empirical-risk": "1.5",  # Section 1.2, the empirical risk
    "eq-sgd": "1.6",  # Section 1.2, the SGD step
}


def exercise_letter(k: int) -> str:
    """1 -> 'A', 2 -> 'B', ..., 26 -> 'Z', 27 -> 'AA' (spreadsheet columns)."""
    if k < 1:
        raise ValueError(f"exercise counter must be >= 1, got {k}")
    out = ""
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _thesis_ids() -> dict[str, tuple[int, ...]]:
    return {
        make_id(f"equation-{label}"): tuple(int(p) for p in number.split("."))
        for label, number in THESIS_EQUATIONS.items()
    }


def renumber(app, env):
    """Rewrite the numbers of equations and exercises in env.toc_fignumbers."""
    if not env.config.numfig:
        return []
    thesis = _thesis_ids()
    found: set[str] = set()
    for docname, figs in env.toc_fignumbers.items():
        eqs = figs.get("displaymath", {})
        counters: dict[tuple, int] = {}
        for node_id, number in sorted(eqs.items(), key=lambda kv: kv[1]):
            if node_id in thesis:
                eqs[node_id] = thesis[node_id]
                found.add(node_id)
                continue
            prefix = tuple(number[:-1])
            counters[prefix] = counters.get(prefix, 0) + 1
            eqs[node_id] = prefix + (counters[prefix],)
            if len(eqs[node_id]) != 3:
                logger.warning(
                    "equation %s gets the number (%s), which reads like a thesis equation "
                    "number: put it in a section (three-level numbers) or add it to "
                    "THESIS_EQUATIONS in book_ext/thesis_numbers.py",
                    node_id,
                    ".".join(map(str, eqs[node_id])),
                    location=docname,
                    type="thesis_numbers",
                    subtype="collision",
                )
        for node_id, number in figs.get("exercise", {}).items():
            if number and isinstance(number[-1], int):
                figs["exercise"][node_id] = tuple(number[:-1]) + (exercise_letter(number[-1]),)
    for node_id in sorted(set(thesis) - found):
        logger.warning(
            "thesis equation %s (%s) is not in the book: was its label renamed?",
            node_id,
            ".".join(map(str, thesis[node_id])),
            type="thesis_numbers",
            subtype="missing",
        )
    return []


def latex_visit_math_block(self, node):
    """LaTeX: every labelled equation carries the book's number as a \\tag, so that the
    PDF shows (1.1) for the thesis's equations and (2.1.1) for the book's, as HTML does."""
    label = node.get("label")
    number = ()
    if label and not node.get("nowrap"):
        number = (
            self.builder.env.toc_fignumbers.get(node.get("docname", ""), {})
            .get("displaymath", {})
            .get(node["ids"][0] if node["ids"] else "", ())
        )
    if not number:
        return self.visit_math_block_orig(node)
    tex = wrap_displaymath(node.astext(), f"equation:{node['docname']}:{label}", True)
    tag = r"\tag{{{}}}".format(".".join(map(str, number)))
    for env_name in ("equation", "align"):
        begin = f"\\begin{{{env_name}}}"
        if tex.startswith(begin):
            tex = begin + tag + tex[len(begin) :]
            break
    self.body.append(tex)
    raise nodes.SkipNode


def _install_latex(app):
    from sphinx.writers.latex import LaTeXTranslator

    if not hasattr(LaTeXTranslator, "visit_math_block_orig"):
        LaTeXTranslator.visit_math_block_orig = LaTeXTranslator.visit_math_block
    app.add_node(nodes.math_block, override=True, latex=(latex_visit_math_block, None))


def setup(app):
    app.connect("env-get-updated", renumber, priority=900)  # after the toctree collector (500)
    _install_latex(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
