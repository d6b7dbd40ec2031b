"""Declared tolerances against the measured spread (tools/measure_spread.py, results/spread.json).

Fast: nothing is executed here; the study itself is `make spread`.
"""

import json

import nbformat
import pytest
from measure_spread import JSON_PATH, ROOT, analyse_notebook, problems, shift_seeds, source_hash
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbval_tolerance import ToleranceError, parse_tolerance

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_declared_tolerances_are_valid(path):
    """Every tolerance a cell declares has a reason, known keys and values >= 0."""
    bad = []
    for i, cell in enumerate(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"):
        try:
            parse_tolerance(cell.metadata)
        except ToleranceError as exc:
            bad.append(f"cell {i}: {exc}")
    assert not bad, "\n".join(bad)


def test_tolerances_cover_measured_spread():
    """Each declared tolerance allows at least twice the measured spread of every number
    of its cell, and every cell whose numbers moved in the study declares one."""
    if not JSON_PATH.exists():
        pytest.skip(f"{JSON_PATH.relative_to(ROOT)} not there yet: `make spread` measures it")
    found, _checked = problems(json.loads(JSON_PATH.read_text()))
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------- the check itself


def _run(name, *texts, error=None):
    return {
        "run": name,
        "seconds": 1.0,
        "error": error,
        "seeds_shifted": 1,
        "cells": {i: {"stdout": [t]} for i, t in enumerate(texts)},
    }


def _study(tmp_path, cells, runs):
    nb = new_notebook(cells=cells)
    path = tmp_path / "chapters" / "nb.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    entry = analyse_notebook(path, runs, ["baseline", "ATEN_CPU_CAPABILITY=default"], ["seed+1"])
    return path, {"notebooks": {"chapters/nb.ipynb": entry}}


def _cell(source, stored, tol=None):
    cell = new_code_cell(source, execution_count=1, metadata={"nbval": tol} if tol else {})
    cell.outputs = [new_output("stream", name="stdout", text=stored)]
    return cell


def test_spread_and_check(tmp_path):
    cells = [
        _cell("a", "steps 200, loss 0.500\n"),
        _cell("b", "loss 0.500\n", {"rtol": 0.15, "reason": "measured"}),
        _cell("c", "loss 0.500\n", {"rtol": 0.05, "reason": "covers the machines, not the seeds"}),
        _cell("d", "loss 0.500 [1, 2]\n"),
        _cell("e", "sample 3\n"),
    ]
    runs = [
        _run(
            "baseline",
            "steps 200, loss 0.500\n",
            "loss 0.500\n",
            "loss 0.500\n",
            "loss 0.500 [1, 2]\n",
            "sample 3\n",
        ),
        _run(
            "ATEN_CPU_CAPABILITY=default",
            "steps 200, loss 0.510\n",
            "loss 0.510\n",
            "loss 0.510\n",
            "loss 0.500 [1,2]\n",
            "sample 3\n",
        ),
        _run(
            "seed+1",
            "steps 200, loss 0.530\n",
            "loss 0.530\n",
            "loss 0.530\n",
            "loss 0.500 [1, 2]\n",
            "sample -3 (new)\n",
        ),
    ]
    _path, data = _study(tmp_path, cells, runs)
    entry = data["notebooks"]["chapters/nb.ipynb"]
    loss = entry["cells"][0]["numbers"][1]
    assert (loss["stored"], loss["min"], loss["max"]) == ("0.500", "0.500", "0.510")
    assert loss["spread"] == pytest.approx(0.01) and loss["rel_spread"] == pytest.approx(0.02)
    assert loss["seed_spread"] == pytest.approx(0.03)
    assert entry["cells"][0]["numbers"][0]["spread"] == 0  # steps 200 did not move

    found, checked = problems(data, tmp_path)
    assert checked == 5
    text = "\n".join(found)
    assert "cell 0: 1 number(s) move" in text and "declares no tolerance" in text
    assert "cell 1" not in text  # 0.15 * 0.5 >= 2 * max(0.01, seed spread 0.03)
    assert "cell 2: tolerance rtol=0.05" in text and "less than twice" in text
    assert "cell 3: the text around the numbers changes under ATEN" in text
    assert "cell 4" not in text  # another seed may print other text
    assert len(found) == 3


def test_stale_and_unknown_cells(tmp_path):
    cells = [_cell("a", "loss 0.5\n"), _cell("b", "loss 0.5\n")]
    runs = [
        _run("baseline", "loss 0.5\n", "loss 0.5\n"),
        _run("ATEN_CPU_CAPABILITY=default", "loss 0.5\n", "loss 0.6\n"),
    ]
    path, data = _study(tmp_path, cells, runs)
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].metadata["nbval"] = {"atol": 0.5, "reason": "measured"}
    nbformat.write(nb, path)
    assert problems(data, tmp_path) == ([], 2)  # metadata is no part of the cell's hash
    nb.cells.append(_cell("new", "loss 0.7\n"))  # a cell the study does not know: skipped
    nbformat.write(nb, path)
    assert problems(data, tmp_path) == ([], 2)
    # a figure's size is no part of the hash; any other change is
    assert source_hash("f(figsize=(10, 3.6))\n") == source_hash("f(figsize=(7, 2.5))\n")
    assert source_hash("f(x=1)") != source_hash("f(x=2)")
    nb.cells[0].source = "a changed"
    nbformat.write(nb, path)
    found, _checked = problems(data, tmp_path)
    assert len(found) == 1 and "older than the notebook" in found[0] and "cell 0" in found[0]
    assert "make spread NOTEBOOKS=chapters/nb.ipynb" in found[0]


def test_failed_run_is_a_problem(tmp_path):
    runs = [_run("baseline", "x 1\n"), _run("MKL_CBWR=AVX2", error="CellExecutionError: boom")]
    _, data = _study(tmp_path, [_cell("a", "x 1\n")], runs)
    found, _ = problems(data, tmp_path)
    assert found == ["chapters/nb.ipynb: run MKL_CBWR=AVX2 failed: CellExecutionError: boom"]


def test_shift_seeds():
    src = (
        "rng = ae.setup_notebook(seed=0)\n"
        "g = torch.Generator().manual_seed(0); torch.manual_seed(k)\n"
        "r = np.random.default_rng(12)  # seed=0 in a comment\n"
        "f(seed=0 + k, other=seed, random_state=1)\n"
        'print("seed=0")\n'
    )
    new, n = shift_seeds(src, 3)
    assert n == 4
    assert new == (
        "rng = ae.setup_notebook(seed=3)\n"
        "g = torch.Generator().manual_seed(3); torch.manual_seed(k)\n"
        "r = np.random.default_rng(15)  # seed=0 in a comment\n"
        "f(seed=0 + k, other=seed, random_state=4)\n"
        'print("seed=0")\n'
    )
    assert shift_seeds("x = (", 1) == ("x = (", 0)  # unreadable source: unchanged


# --------------------------------------------------------------------------- the BLAS dimension


def test_study_varies_openblas():
    """The study runs OpenBLAS's kernels of an AMD Zen and of older and newer Intel cores, and an
    AMD machine's kernels of OpenBLAS, torch and MKL at once (NumPy, SciPy and scikit-learn
    compute with OpenBLAS)."""
    from measure_spread import SETTINGS

    for core in ("Haswell", "Zen", "SkylakeX", "Sandybridge"):
        assert SETTINGS[f"OPENBLAS_CORETYPE={core}"] == {"OPENBLAS_CORETYPE": core}
    combined = "OPENBLAS_CORETYPE=Zen ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE"
    assert SETTINGS[combined] == {
        "OPENBLAS_CORETYPE": "Zen",
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_CBWR": "COMPATIBLE",
    }


def test_committed_study_ran_every_setting():
    """results/spread.json was measured under every setting of the study, for every notebook."""
    from measure_spread import SETTINGS

    data = json.loads(JSON_PATH.read_text())
    chapters = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "chapters").glob("ch*.ipynb"))
    unmeasured = [c for c in chapters if c not in data["notebooks"]]
    assert not unmeasured, f"no spread study of {unmeasured}: run `make spread NOTEBOOKS=...`"
    for name, entry in data["notebooks"].items():
        missing = set(SETTINGS) - set(entry["runs"])
        assert not missing, (
            f"{name}: not measured under {sorted(missing)}: re-run `make spread NOTEBOOKS={name}`"
        )


def test_make_test_and_ci_leave_openblas_alone():
    """On some processors the system sets OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for
    correctness: make test and CI neither set nor unset them; only the study's own runs do."""
    for path in (
        ROOT / "Makefile",
        ROOT / ".ci" / "run",
        *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
    ):
        lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
        assert not any("OPENBLAS_" in line for line in lines), path.name


def test_workflows_install_torch_cpu_build():
    """Both workflows install torch's CPU build, as the README tells a Linux reader (PyPI's default is CUDA)."""
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        assert "TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu" in path.read_text(), path.name


def test_declare_writes_the_tolerance_the_study_needs(tmp_path):
    """`measure_spread.py --declare` gives each uncovered cell the least nice tolerance that
    covers twice its spreads, keeps covered cells as they are, and then problems() is empty."""
    from measure_spread import declare

    cells = [
        _cell("a", "loss 0.500\n"),  # moves, no tolerance: gets an atol
        _cell("b", "loss 0.500\n", {"rtol": 0.05, "reason": "trained numbers. Measured (make spread): old"}),
        _cell("c", "loss 0.500\n", {"rtol": 0.5, "reason": "already enough"}),
    ]
    runs = [
        _run("baseline", *["loss 0.500\n"] * 3),
        _run("ATEN_CPU_CAPABILITY=default", *["loss 0.510\n"] * 3),
        _run("seed+1", *["loss 0.530\n"] * 3),
    ]
    path, data = _study(tmp_path, cells, runs)
    changed = declare(data, tmp_path)
    assert len(changed) == 2
    meta = [c.metadata.get("nbval") for c in nbformat.read(path, as_version=4).cells]
    assert meta[0]["atol"] == 0.1  # 2 * max(0.01, 0.03) = 0.06 -> 0.1
    assert meta[1]["rtol"] == 0.15 and meta[1]["reason"].startswith("trained numbers. Measured (make spread;")
    assert meta[2] == {"rtol": 0.5, "reason": "already enough"}
    entry = analyse_notebook(path, runs, ["baseline", "ATEN_CPU_CAPABILITY=default"], ["seed+1"])
    assert problems({"notebooks": {"chapters/nb.ipynb": entry}}, tmp_path)[0] == []
