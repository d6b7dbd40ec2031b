"""tools/ holds the book's generators and checks, experiments/ the long runs, tests/plugins/ the
pytest plugins; no script edits sys.path (ae_lib and book_ext are installed editable, the
experiments import each other package-relatively)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The book's page generators and checks: everything tools/ may hold.
TOOLS = {
    "gen_api.py",  # the API reference pages
    "gen_pages.py",  # thesis map, notes on the draft, notation
    "gen_intro.py",  # the first page's results at a glance, from results/*.json
    "layout.py",  # the package's parts and modules, read by gen_api.py
    "check_book.py",  # the browser check (make browser-check)
    "check_latex.py",  # the LaTeX build's numbering (make latex)
    "colab_cell.py",  # the Colab install cell (make execute)
    "measure_spread.py",  # the spread study behind the tolerances (make spread)
    "time_notebooks.py",  # make timings
}
PLUGINS = {"nbval_tolerance.py", "file_order.py"}


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.py"))


def sys_path_edits(source: str) -> list[int]:
    """Lines of the statements that change sys.path (``sys.path.insert(...)``, ``.append``,
    ``.extend``, ``sys.path[:0] = ...``, ``sys.path += ...``); text in a string literal, such as
    the code a tool writes into a notebook, is not a statement and does not count."""

    def is_sys_path(node) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        )

    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("insert", "append", "extend")
            and is_sys_path(node.func.value)
        ):
            lines.append(node.lineno)
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if is_sys_path(t) or (isinstance(t, ast.Subscript) and is_sys_path(t.value)):
                    lines.append(node.lineno)
    return sorted(lines)


def test_sys_path_edits_are_found():
    src = 'import sys\nsys.path.insert(0, "x")\nsys.path.append("y")\nsys.path[:0] = ["z"]\n'
    assert sys_path_edits(src) == [2, 3, 4]
    assert sys_path_edits('CELL = "import sys\\nsys.path.insert(0, \\"/content/ae-book\\")\\n"\n') == []


def test_tools_holds_the_generators_and_checks_only():
    """An experiment belongs in experiments/, a pytest plugin in tests/plugins/."""
    assert {p.name for p in _python_files("tools")} == TOOLS


def test_plugins_sit_beside_the_tests():
    assert {p.name for p in _python_files("tests/plugins")} == PLUGINS
    conftest = ast.parse((ROOT / "conftest.py").read_text())
    loaded = next(
        ast.literal_eval(node.value)
        for node in conftest.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "pytest_plugins"
    )
    assert {f"{name}.py" for name in loaded} == PLUGINS


@pytest.mark.parametrize(
    "path",
    _python_files("tools") + _python_files("experiments") + _python_files("tests/plugins"),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_sys_path_edit(path):
    """Run as `python tools/x.py` a tool has tools/ on sys.path already; an experiment runs as
    `python -m experiments.x` and imports its siblings package-relatively."""
    assert sys_path_edits(path.read_text()) == [], f"{path.relative_to(ROOT)} edits sys.path"


def _experiments_with_main() -> list[str]:
    return [p.stem for p in _python_files("experiments") if 'if __name__ == "__main__":' in p.read_text()]


def test_every_experiment_has_a_documented_make_target():
    """`make <target>` runs `python -m experiments.<name>`; a comment above the target says what
    it does, and `make help` names the target."""
    makefile = (ROOT / "Makefile").read_text()
    help_text = makefile[makefile.index("\nhelp:") : makefile.index("\n\n", makefile.index("\nhelp:"))]
    names = _experiments_with_main()
    assert {"long_run", "ch4_1_numbers", "ch4_2_numbers", "ch3_search", "ch3_report"} <= set(names)
    for name in names:
        m = re.search(
            rf"\n# [^\n]+\n(?:[^\n]*\n)?([\w-]+): [^\n]*\n\t\$\(BIN\)/python -m experiments\.{name}\b",
            makefile,
        )
        assert m, f"no documented make target runs python -m experiments.{name}"
        assert f"make {m.group(1)} " in help_text, f"make help does not name {m.group(1)}"


def test_no_experiment_is_run_from_tools():
    """Nothing names the experiments or the plugins by their old place in tools/ (a results
    file's recorded command, `make results-ch3  # = python tools/long_run.py ...`, is history)."""
    names = [p.name for p in _python_files("experiments") if p.name != "__init__.py"]
    files = [ROOT / "Makefile", ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "pyproject.toml"]
    files += [ROOT / "conftest.py", *_python_files("tools"), *_python_files("experiments")]
    files += sorted((ROOT / "results").glob("*.md"))
    stale = [
        f"{f.relative_to(ROOT)}: tools/{name}"
        for f in files
        for name in names + sorted(PLUGINS)
        if f"tools/{name}" in re.sub(r"# = python tools/\S+", "", f.read_text())
    ]
    assert not stale, stale
