"""The book's small Sphinx extensions: thesis equation numbers, lettered exercises, and no
test machinery in the code readers see (book_ext/)."""

from types import SimpleNamespace

import pytest
from _tools import load_tool

from book_ext import hide_machinery, thesis_numbers


class TestExerciseLetter:
    @pytest.mark.parametrize(
        "k, letters", [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA")]
    )
    def test_letters(self, k, letters):
        assert thesis_numbers.exercise_letter(k) == letters

    def test_rejects_zero(self):
        with pytest.raises(ValueError, match="counter"):
            thesis_numbers.exercise_letter(0)


def _env(fignumbers):
    return SimpleNamespace(config=SimpleNamespace(numfig=True), toc_fignumbers=fignumbers)


class TestRenumber:
    def test_thesis_equations_get_thesis_numbers(self):
        env = _env(
            {
                "ch1_1": {
                    "displaymath": {
                        "equation-eq-neuron": (1, 1, 1),
                        "equation-eq-layer": (1, 1, 2),
                        "equation-eq-network": (1, 1, 3),
                    }
                },
                "ch1_2": {
                    "displaymath": {
                        "equation-eq-gd": (1, 2, 1),
                        "equation-extra": (1, 2, 2),
                        "equation-eq-empirical-risk": (1, 2, 3),
                        "equation-eq-sgd": (1, 2, 4),
                    }
                },
                "ch2_1": {"displaymath": {"equation-eq-autoencoder": (2, 1, 1)}},
            }
        )
        thesis_numbers.renumber(None, env)
        nums = {k: v for d in env.toc_fignumbers.values() for k, v in d["displaymath"].items()}
        assert nums["equation-eq-neuron"] == (1, 1) and nums["equation-eq-network"] == (1, 3)
        assert nums["equation-eq-gd"] == (1, 4) and nums["equation-eq-empirical-risk"] == (1, 5)
        assert nums["equation-eq-sgd"] == (1, 6)
        # the book's own equations keep three-level numbers, with no gap where a thesis one was
        assert nums["equation-extra"] == (1, 2, 1)
        assert nums["equation-eq-autoencoder"] == (2, 1, 1)

    def test_thesis_and_book_numbers_cannot_collide(self):
        """Thesis numbers have two levels, every other equation three."""
        assert all(n.count(".") == 1 for n in thesis_numbers.THESIS_EQUATIONS.values())
        assert len(set(thesis_numbers.THESIS_EQUATIONS.values())) == len(thesis_numbers.THESIS_EQUATIONS)

    def test_exercises_lettered(self):
        env = _env({"ch1_1": {"exercise": {"ex-a": (1, 1, 1), "ex-b": (1, 1, 2), "ex-c": (1, 1, 3)}}})
        thesis_numbers.renumber(None, env)
        assert env.toc_fignumbers["ch1_1"]["exercise"] == {
            "ex-a": (1, 1, "A"),
            "ex-b": (1, 1, "B"),
            "ex-c": (1, 1, "C"),
        }
        assert ".".join(map(str, env.toc_fignumbers["ch1_1"]["exercise"]["ex-b"])) == "1.1.B"


class TestHideMachinery:
    def test_strips_nbval_comments_only(self):
        src = "# nbval: timings differ\nx = 1  # nbval is mentioned here\n  # NBVAL: old style\nprint(x)\n"
        assert hide_machinery.strip_nbval_lines(src) == "x = 1  # nbval is mentioned here\nprint(x)\n"


# --------------------------------------------------------------------------- the PDF's numbers

TOC = {
    "parts": [
        {"caption": "Front matter", "chapters": [{"file": "front"}]},
        {
            "numbered": True,
            "chapters": [{"file": "c1", "sections": [{"file": "s11"}, {"file": "s12"}]}, {"file": "c2"}],
        },
        {"caption": "Back matter", "chapters": [{"file": "back", "sections": [{"file": "b1"}]}]},
    ]
}


def _tex(*pages, marks=True):
    depth = {"front": -1, "c1": 2, "back": -1}
    lines = []
    for kind, doc in pages:
        if marks and doc in depth:
            lines.append(f"\\setcounter{{secnumdepth}}{{{depth[doc]}}}")
        lines += [f"\\{kind}{{Title of {doc}}}", f"\\label{{\\detokenize{{{doc}::doc}}}}"]
    return "\n".join(lines)


PAGES = [
    ("chapter", "front"),
    ("chapter", "c1"),
    ("section", "s11"),
    ("section", "s12"),
    ("chapter", "c2"),
    ("chapter", "back"),
    ("section", "b1"),
]


def test_latex_matter_marks_the_first_page_of_each_part():
    from book_ext import latex_matter

    assert latex_matter.part_starts(TOC) == {"front": -1, "c1": 2, "back": -1}


def test_check_latex_numbers_as_the_html_book():
    check = load_tool("check_latex")
    assert check.html_numbers(TOC) == {
        "front": None,
        "c1": "1",
        "s11": "1.1",
        "s12": "1.2",
        "c2": "2",
        "back": None,
        "b1": None,
    }
    assert check.problems(_tex(*PAGES), TOC) == []


def test_check_latex_fails_when_front_matter_is_numbered():
    """Without the marks LaTeX numbers the front matter Chapter 1 and every chapter one too high."""
    check = load_tool("check_latex")
    found = check.problems(_tex(*PAGES, marks=False), TOC)
    assert "front: the PDF numbers it 1, the HTML book not at all" in found
    assert (
        "c1: the PDF numbers it 2, the HTML book 1" in found
        and "s11: the PDF numbers it 2.1, the HTML book 1.1" in found
    )
