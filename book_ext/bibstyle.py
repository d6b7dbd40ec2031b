"""Author-year citations in round brackets for sphinxcontrib-bibtex.

sphinxcontrib-bibtex's built-in ``author_year`` style uses square brackets:
``[Kingma and Welling, 2014]`` and ``Kingma and Welling [2014]``. This registers
``author_year_round`` which gives ``(Kingma and Welling, 2014)`` for ``{cite:p}`` and
``Kingma and Welling (2014)`` for ``{cite:t}``, several keys joined by "; ", and ``author_year`` labels in the
bibliography via the pybtex style ``plain_author_year`` (``Kingma and Welling, 2014`` instead of ``[KW14]``).
Loaded through ``sphinx: local_extensions`` in ``_config.yml``.
"""

from dataclasses import dataclass, field

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


class AuthorYearLabelStyle(BaseLabelStyle):
    """Bibliography labels 'Kingma and Welling, 2014' / 'Higgins et al., 2017'."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            last = ["".join(p.last_names).replace("{", "").replace("}", "") for p in people]
            if len(last) == 0:
                who = entry.key
            elif len(last) == 1:
                who = last[0]
            elif len(last) == 2:
                who = f"{last[0]} and {last[1]}"
            else:
                who = f"{last[0]} et al."
            yield f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearPlainStyle(PlainStyle):
    """pybtex 'plain' entries, author-year labels, sorted by author, year, title."""

    default_label_style = "author_year"
    default_sorting_style = "author_year_title"


sphinxcontrib.bibtex.plugin.register_plugin(
    "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferenceStyle
)
pybtex.plugin.register_plugin("pybtex.style.labels", "author_year", AuthorYearLabelStyle)
pybtex.plugin.register_plugin("pybtex.style.formatting", "plain_author_year", AuthorYearPlainStyle)


def setup(app):
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
