#!/usr/bin/env python3
"""Measure how far every printed number of the notebooks moves on other machines.

Usage:  python tools/measure_spread.py [chapters/X.ipynb ...] [--seeds 1 2 3]
            [--openblas-coretype NAME ...] [--jobs 2] [--json results/spread.json]
            [--report results/spread_report.md] [--report-only] [--check]

Re-executes each notebook (all of chapters/*.ipynb when none is named) with nbclient,
top to bottom, in memory (the notebook file is never written), once per run:

* ``baseline``: this machine's default kernels;
* one run per kernel setting in :data:`SETTINGS`, each with that one environment variable
  set in the kernel: they make torch/MKL/oneDNN pick the kernels another x86-64 CPU
  would pick, so they stand in for other machines;
* ``seed+S`` for each seed shift S (``--seeds``, default 1 2 3): this machine's kernels,
  every integer literal seed of the code cells shifted by S (:func:`shift_seeds` says
  exactly what is rewritten);
  The OpenBLAS settings (``OPENBLAS_CORETYPE``) are among them: NumPy, SciPy and
  scikit-learn compute with OpenBLAS, whose kernels differ between an AMD Zen, an older Intel
  and this machine; the last setting combines an AMD machine's kernels of all three
  libraries. The variable is set in that one run's kernel only: ``make test`` and CI never
  set or unset it;
* optionally ``OPENBLAS_CORETYPE=NAME`` per ``--openblas-coretype`` for another core type.

Every run has ``OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0`` (as the Makefile
exports); two notebooks run at a time (``--jobs``), one per core. Cells tagged
``nbval-skip`` are not run, as under nbval.

Each compared cell's text outputs are read the way nbval compares them (streams merged,
``tests/nbval_sanitize.cfg`` applied, images left out) and cut into text and numbers by
``nbval_tolerance.split_numbers`` — the plugin's own rule — so the numbers of all runs
line up by position. A run whose text around the numbers differs from the stored output
(other than in the padding of a column) is reported as a *text change* (nbval would fail it
whatever the tolerance).

Per number: the stored value; min and max over the machine runs (stored value, baseline
and the kernel settings); the spread = max - min, absolute and relative to the stored
value; the same over the seed runs (the seed spread); the cell's declared tolerance and
whether it allows, for every number that moves between machines, at least twice the larger
of its machine and seed spreads: on some other CPU a training forks and moves a number as
far as another seed does (:func:`required`).

Writes ``results/spread.json`` (merged: notebooks not run this time keep their entries;
``tests/test_spread.py`` reads it) and the Markdown table ``results/spread_report.md``
generated from it. ``--check`` exits 1 when :func:`problems` finds any.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import importlib.util
import io
import json
import math
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import time
import tokenize
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbval.plugin import coalesce_streams, find_comment_markers, find_metadata_tags, get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]


def _nbval_plugin():
    """The nbval plugin tests/plugins/nbval_tolerance.py, whose number rule and tolerance grammar
    the study shares: the one pytest loaded already, else loaded from its file (it is no package)."""
    name = "nbval_tolerance"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "plugins" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before running it: its dataclasses look the module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


_plugin = _nbval_plugin()
ToleranceError, parse_tolerance = _plugin.ToleranceError, _plugin.parse_tolerance
split_numbers, unpadded = _plugin.split_numbers, _plugin.unpadded
SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"
JSON_PATH = ROOT / "results" / "spread.json"
REPORT_PATH = ROOT / "results" / "spread_report.md"

#: Kernel settings that stand in for other x86-64 machines (one run each).
SETTINGS = {
    "ATEN_CPU_CAPABILITY=default": {"ATEN_CPU_CAPABILITY": "default"},
    "ATEN_CPU_CAPABILITY=avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "MKL_CBWR=COMPATIBLE": {"MKL_CBWR": "COMPATIBLE"},
    "MKL_CBWR=AVX2": {"MKL_CBWR": "AVX2"},
    "ONEDNN_MAX_CPU_ISA=AVX2": {"ONEDNN_MAX_CPU_ISA": "AVX2"},
    "MKL_ENABLE_INSTRUCTIONS=SSE4_2": {"MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    # OpenBLAS (NumPy's, SciPy's and so scikit-learn's BLAS) picks its kernels by CPU model:
    # an AMD Zen, an older Intel and this machine run other code for the same matrix product.
    **{
        f"OPENBLAS_CORETYPE={c}": {"OPENBLAS_CORETYPE": c}
        for c in ("Haswell", "Zen", "SkylakeX", "Sandybridge")
    },
    # All of an AMD machine's kernels at once: OpenBLAS's Zen, torch's portable ones, MKL's compatible path.
    "OPENBLAS_CORETYPE=Zen ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE": {
        "OPENBLAS_CORETYPE": "Zen",
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_CBWR": "COMPATIBLE",
    },
}
#: As the Makefile exports for every run.
BASE_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
#: nbval's skip_compare (nbval/plugin.py, IPyNbFile): never compared, so not measured.
SKIP_KEYS = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}

# --------------------------------------------------------------------------- seeds

#: ``NAME = <int>`` keyword arguments that are seeds, and ``NAME(<int>)`` calls that seed.
SEED_KEYWORDS = {"seed", "random_state"}
SEED_CALLS = {"manual_seed", "default_rng", "seed", "RandomState"}


def shift_seeds(source: str, shift: int) -> tuple[str, int]:
    """Add ``shift`` to every integer literal seed in a code cell's source.

    Rewritten, found with Python's tokenizer (so strings and comments are never touched):
    ``seed=<int>`` and ``random_state=<int>`` keyword arguments whose whole value is the
    integer literal (``seed=0`` → ``seed=S``, but ``seed=0 + k``, ``seed=seed`` stay),
    and calls with one integer literal argument named ``manual_seed``, ``default_rng``,
    ``seed`` or ``RandomState`` (``torch.manual_seed(0)``,
    ``torch.Generator().manual_seed(0)``, ``np.random.default_rng(0)``,
    ``np.random.seed(0)``). Seeds inside tuples, ranges or variables are not rewritten.
    Returns the new source and the number of seeds shifted; a source the tokenizer
    cannot read is returned unchanged.
    """
    try:
        toks = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source, 0
    targets = []
    for i in range(2, len(toks) - 1):
        name, op, num, after = toks[i - 2], toks[i - 1], toks[i], toks[i + 1]
        if num.type != tokenize.NUMBER or not re.fullmatch(r"[0-9]+", num.string):
            continue
        keyword = (
            name.type == tokenize.NAME
            and name.string in SEED_KEYWORDS
            and op.string == "="
            and (after.string in {",", ")"} or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER))
        )
        call = (
            name.type == tokenize.NAME
            and name.string in SEED_CALLS
            and op.string == "("
            and after.string == ")"
        )
        if keyword or call:
            targets.append(num)
    lines = source.splitlines(keepends=True)
    for num in sorted(targets, key=lambda t: t.start, reverse=True):
        (row, col), (_, end) = num.start, num.end
        line = lines[row - 1]
        lines[row - 1] = line[:col] + str(int(num.string) + shift) + line[end:]
    return "".join(lines), len(targets)


# --------------------------------------------------------------------------- outputs


def _sanitizer():
    patterns = get_sanitize_patterns(SANITIZE_CFG.read_text())

    def sanitize(text: str) -> str:
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    return sanitize


def text_fields(outputs, sanitize) -> dict[str, list[str]]:
    """A cell's compared text outputs as nbval flattens them: key -> list of texts."""
    fields: dict[str, list[str]] = {}
    for out in coalesce_streams(copy.deepcopy(list(outputs))):
        if out.output_type == "stream":
            items = [(out.name, out.text)]
        else:
            items = list(out.get("data", {}).items())
            items += [(k, v) for k, v in out.items() if k not in ("data",)]
        for key, value in items:
            if key not in SKIP_KEYS and isinstance(value, str):
                fields.setdefault(key, []).append(sanitize(value))
    return fields


def compared(cell) -> bool:
    """Whether nbval compares this code cell's outputs (no skip / ignore-output marker)."""
    options = dict(find_metadata_tags(cell.metadata))
    options.update(find_comment_markers(cell.source))
    return not options.get("skip") and options.get("check", True) and cell.execution_count is not None


#: A figure's size (``figsize=(7, 3)``) cannot move a printed number: the hash leaves it out, so
#: that making a figure readable does not make the study stale.
COSMETIC = re.compile(r"figsize=\([^()]*\)")


def source_hash(source: str) -> str:
    """The hash by which the study knows a code cell: its source, figure sizes left out."""
    return hashlib.sha256(COSMETIC.sub("figsize=(...)", source).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- one run


def run_notebook(path: str, run: str, env: dict[str, str], shift: int, timeout: int) -> dict:
    """Execute one notebook once (in a worker process); its cells' text fields."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    shifted = 0
    if shift:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source, n = shift_seeds(cell.source, shift)
                shifted += n
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        skip_cells_with_tag="nbval-skip",
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    start, error = time.perf_counter(), None
    try:
        client.execute(env={**os.environ, **BASE_ENV, **env}, stderr=subprocess.DEVNULL)
    except Exception as exc:  # report it with the other runs
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
    seconds = time.perf_counter() - start
    sanitize = _sanitizer()
    cells = {}
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        cells[i] = text_fields(cell.get("outputs", []), sanitize)
    return {
        "path": path,
        "run": run,
        "seconds": round(seconds, 1),
        "error": error,
        "seeds_shifted": shifted,
        "cells": cells,
    }


# --------------------------------------------------------------------------- statistics


def _spread(values: list[float]) -> float:
    if not values:
        return 0.0
    nans = [math.isnan(v) for v in values]
    if any(nans):
        return 0.0 if all(nans) else math.inf
    if any(math.isinf(v) for v in values):
        return 0.0 if len(set(values)) == 1 else math.inf
    return max(values) - min(values)


def _finite(x: float):
    return x if math.isfinite(x) else str(x)


def _num(x) -> float:
    """A spread from the JSON (``"inf"`` is stored as a string)."""
    return float(x)


def _first_text_change(ref: str, new: str) -> str:
    """Where the text around the numbers of ``new`` first differs from ``ref``."""
    ref_lines, new_lines = ref.splitlines(), new.splitlines()
    for k in range(max(len(ref_lines), len(new_lines))):
        a = ref_lines[k] if k < len(ref_lines) else "<no line>"
        b = new_lines[k] if k < len(new_lines) else "<no line>"
        if unpadded(split_numbers(a)[0]) != unpadded(split_numbers(b)[0]):
            return f"line {k + 1}: {a.strip()[:60]!r} became {b.strip()[:60]!r}"
    return "differs"


def analyse_notebook(path: Path, results: list[dict], machine_runs: list[str], seed_runs: list[str]) -> dict:
    """The JSON entry of one notebook from its runs."""
    nb = nbformat.read(path, as_version=4)
    sanitize = _sanitizer()
    by_run = {r["run"]: r for r in results}
    code = [c for c in nb.cells if c.cell_type == "code"]
    entry = {
        "measured": datetime.date.today().isoformat(),
        "runs": {
            r["run"]: {
                "seconds": r["seconds"],
                "error": r["error"],
                **({"seeds_shifted": r["seeds_shifted"]} if r["run"] in seed_runs else {}),
            }
            for r in results
        },
        "cell_hashes": {c.get("id", str(i)): source_hash(c.source) for i, c in enumerate(code)},
        "cells": [],
    }
    for i, cell in enumerate(code):
        if not compared(cell):
            continue
        stored_fields = text_fields(cell.outputs, sanitize)
        try:
            tol = parse_tolerance(cell.metadata)
            tolerance, tol_error = (
                (None if tol.exact else {"rtol": tol.rtol, "atol": tol.atol, "reason": tol.reason}),
                None,
            )
        except ToleranceError as exc:
            tol, tolerance, tol_error = None, None, str(exc)
        cell_entry = {
            "cell": i,
            "id": cell.get("id", str(i)),
            "source_sha256": source_hash(cell.source),
            "tolerance": tolerance,
            "text_changes": {},
            "numbers": [],
        }
        if tol_error:
            cell_entry["tolerance_error"] = tol_error
        runs = [r for r in machine_runs + seed_runs if r in by_run and not by_run[r]["error"]]
        run_fields = {r: by_run[r]["cells"].get(i, by_run[r]["cells"].get(str(i), {})) for r in runs}
        keys = list(stored_fields) + [k for r in runs for k in run_fields[r] if k not in stored_fields]
        for key in dict.fromkeys(keys):
            stored_list = stored_fields.get(key, [])
            base_list = run_fields.get("baseline", {}).get(key, [])
            for j in range(max(len(stored_list), len(base_list))):
                stored_text = stored_list[j] if j < len(stored_list) else None
                ref_text = stored_text if stored_text is not None else base_list[j]
                ref_lit, ref_nums = split_numbers(ref_text)
                if stored_text is None:
                    cell_entry["text_changes"].setdefault("stored", []).append(f"{key}[{j}] missing")
                aligned = {}
                for r in runs:
                    texts = run_fields[r].get(key, [])
                    if j >= len(texts):
                        cell_entry["text_changes"].setdefault(r, []).append(f"{key}[{j}] missing")
                        continue
                    lit, nums = split_numbers(texts[j])
                    if unpadded(lit) != unpadded(ref_lit):  # a re-padded column is no text change
                        cell_entry["text_changes"].setdefault(r, []).append(
                            f"{key}[{j}] {_first_text_change(ref_text, texts[j])}"
                        )
                        continue
                    aligned[r] = nums
                for n, ref in enumerate(ref_nums):
                    values = {r: aligned[r][n].text for r in runs if r in aligned}
                    machine = [float(aligned[r][n].value) for r in machine_runs if r in aligned]
                    if stored_text is not None:
                        machine.append(ref.value)
                    seeds = [float(aligned[r][n].value) for r in ["baseline"] + seed_runs if r in aligned]
                    stored_value = ref.value
                    spread = _spread(machine)
                    rel = (
                        spread / abs(stored_value)
                        if stored_value not in (0.0,) and math.isfinite(stored_value)
                        else (0.0 if spread == 0 else math.inf)
                    )
                    printed = {
                        float(aligned[r][n].value): aligned[r][n].text for r in machine_runs if r in aligned
                    }
                    if stored_text is not None:
                        printed.setdefault(ref.value, ref.text)
                    finite = sorted(v for v in printed if not math.isnan(v))
                    cell_entry["numbers"].append(
                        {
                            "field": key,
                            "output": j,
                            "index": n,
                            "line": ref_text.count("\n", 0, ref.start) + 1,
                            "stored": ref.text if stored_text is not None else None,
                            "reference": ref.text,
                            "min": printed[finite[0]] if finite else None,
                            "max": printed[finite[-1]] if finite else None,
                            "spread": _finite(spread),
                            "rel_spread": _finite(rel),
                            "seed_spread": _finite(_spread(seeds)),
                            **({"values": values} if len(set(values.values()) | {ref.text}) > 1 else {}),
                        }
                    )
        if cell_entry["numbers"] or cell_entry["text_changes"]:
            cell_entry["covered"] = covered(cell_entry, tol)
            entry["cells"].append(cell_entry)
    return entry


def covered(cell_entry: dict, tol) -> bool:
    """The declared tolerance allows at least twice the spread of each number that moves
    between machines, its seed spread included (see :func:`required`)."""
    if tol is None:
        return False
    for num in cell_entry["numbers"]:
        if not tol.allowed(float(num["reference"].replace("\u2212", "-"))) >= required(num):
            return False
    return True


def required(num: dict) -> float:
    """The least tolerance a number needs: 0 if it does not move between machines, else twice
    the larger of its machine spread and its seed spread, because on some other CPU the
    trajectory forks and the number moves as far as another seed moves it."""
    if _num(num["spread"]) == 0:
        return 0.0
    return 2 * max(_num(num["spread"]), _num(num["seed_spread"]))


# --------------------------------------------------------------------------- the check


def problems(data: dict, root: Path = ROOT) -> tuple[list[str], int]:
    """What is wrong between the notebooks' declared tolerances and the measured spreads.

    For each notebook in ``data`` (cells it does not know are skipped): a code cell whose
    source changed since the study (stale JSON), a run that failed, a text change, a cell
    whose numbers moved under the machine runs but declares no tolerance, and a declared
    tolerance smaller than twice a number's machine spread. Returns the problems and the
    number of cells checked.
    """
    found, checked = [], 0
    for name, entry in sorted(data.get("notebooks", {}).items()):
        path = root / name
        if not path.exists():
            continue
        rerun = f"re-run `make spread NOTEBOOKS={name}`"
        for run, info in entry.get("runs", {}).items():
            if info.get("error"):
                found.append(f"{name}: run {run} failed: {info['error']}")
        nb = nbformat.read(path, as_version=4)
        code = {
            c.get("id", str(i)): (i, c) for i, c in enumerate(c for c in nb.cells if c.cell_type == "code")
        }
        hashes = entry.get("cell_hashes", {})
        stale = [
            f"cell {i}"
            for cid, (i, c) in code.items()
            if cid in hashes and hashes[cid] != source_hash(c.source)
        ]
        if stale:
            found.append(
                f"{name}: {', '.join(stale)} changed since the spread study "
                f"(results/spread.json is older than the notebook): {rerun}"
            )
        for cell_entry in entry.get("cells", []):
            cid = cell_entry["id"]
            if cid not in code or source_hash(code[cid][1].source) != cell_entry["source_sha256"]:
                continue  # unknown now, or stale (reported above)
            i, cell = code[cid]
            if not compared(cell):
                continue
            checked += 1
            where = f"{name} cell {i}"
            try:
                tol = parse_tolerance(cell.metadata)
            except ToleranceError as exc:
                found.append(f"{where}: {exc}")
                continue
            for run, changes in cell_entry.get("text_changes", {}).items():
                if run.startswith("seed+"):
                    continue  # another seed may print other text: for information only
                found.append(
                    f"{where}: the text around the numbers changes under {run} "
                    f"({'; '.join(changes)}): print something stable"
                )
            moved = [n for n in cell_entry["numbers"] if _num(n["spread"]) > 0]
            if moved and tol.exact:
                worst = max(moved, key=lambda n: _num(n["rel_spread"]))
                found.append(
                    f"{where}: {len(moved)} number(s) move between machines but the cell "
                    f"declares no tolerance (e.g. line {worst['line']}: stored "
                    f"{worst['stored']}, runs {worst['min']}..{worst['max']}, spread "
                    f"{_num(worst['spread']):.3g}, relative {_num(worst['rel_spread']):.3g})"
                )
                continue
            for n in moved:
                value = float(n["reference"].replace("\u2212", "-"))
                if not tol.allowed(value) >= required(n):
                    found.append(
                        f"{where}: tolerance rtol={tol.rtol:g}, atol={tol.atol:g} allows "
                        f"{tol.allowed(value):.3g} around {n['reference']} (line {n['line']}), "
                        f"less than twice its measured spread {required(n) / 2:.3g} "
                        "(the larger of the machine and the seed spread)"
                    )
    return found, checked


# --------------------------------------------------------------------------- declaring


def _nice_ceil(x: float) -> float:
    """The least of 1, 1.5, 2, 3, 5 times a power of ten that is >= x (x > 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    for step in (1.0, 1.5, 2.0, 3.0, 5.0, 10.0):
        if step * power >= x * (1 - 1e-12):
            return float(f"{step * power:.6g}")
    return 10 * power


def needed_tolerance(cell_entry: dict, tol) -> tuple[float, float] | None:
    """The (rtol, atol) a cell needs for :func:`covered`, or None if ``tol`` already covers it.

    The cell keeps the kind of tolerance it declares: with an rtol (and every moving number
    away from 0) the rtol grows, otherwise the atol; new values are rounded up to 1, 1.5, 2,
    3 or 5 times a power of ten, never below what the cell declares.
    """
    moved = [n for n in cell_entry["numbers"] if _num(n["spread"]) > 0]
    if not moved or (tol is not None and not tol.exact and covered(cell_entry, tol)):
        return None
    rtol, atol = (tol.rtol, tol.atol) if tol is not None else (0.0, 0.0)
    values = [(abs(float(n["reference"].replace("\u2212", "-"))), required(n)) for n in moved]
    if rtol > 0 and all(v > 0 for v, _ in values):
        rtol = max(rtol, _nice_ceil(max((r - atol) / v for v, r in values)))
    else:
        atol = max(atol, _nice_ceil(max(r - rtol * v for v, r in values)))
    return rtol, atol


def _reason(cell_entry: dict, old: str) -> str:
    """The tolerance's reason: what moves (kept from ``old``), then what the study measured."""
    what = old.split(" Measured (make spread")[0].strip() or (
        "trained numbers or sums whose last digits move with the CPU's kernels."
    )
    nums = cell_entry["numbers"]
    moved = [n for n in nums if _num(n["spread"]) > 0]
    tight = max(
        moved, key=lambda n: required(n) / max(abs(_num(n["reference"].replace("\u2212", "-"))), 1e-12)
    )
    return (
        f"{what} Measured (make spread; results/spread_report.md): {len(moved)} of {len(nums)} printed "
        f"numbers move; the largest machine spread is {max(_num(n['spread']) for n in moved):.2g} and the "
        f"largest seed spread {max(_num(n['seed_spread']) for n in moved):.2g} (the tightest case: "
        f"{tight['reference']} moves by {_num(tight['spread']):.2g} between kernel settings and "
        f"{_num(tight['seed_spread']):.2g} between seeds). Each number may move twice the larger of its "
        "two spreads; a change beyond that, such as a different model, recipe or data split, still fails."
    )


def declare(data: dict, root: Path = ROOT) -> list[str]:
    """Write into each notebook's cell metadata the tolerance its measured spread needs.

    Only cells whose tolerance does not cover the study (:func:`needed_tolerance`) change;
    their outputs and sources stay as they are (so the study stays current). Returns one
    line per changed cell.
    """
    changed = []
    for name, entry in sorted(data.get("notebooks", {}).items()):
        path = root / name
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        code = {c.get("id"): (i, c) for i, c in enumerate(c for c in nb.cells if c.cell_type == "code")}
        edited = False
        for cell_entry in entry.get("cells", []):
            i, cell = code.get(cell_entry["id"], (None, None))
            if cell is None or source_hash(cell.source) != cell_entry["source_sha256"] or not compared(cell):
                continue
            tol = parse_tolerance(cell.metadata)
            need = needed_tolerance(cell_entry, tol)
            if need is None:
                continue
            spec = {k: v for k, v in zip(("rtol", "atol"), need) if v > 0}
            spec["reason"] = _reason(cell_entry, tol.reason)
            cell.metadata["nbval"] = spec
            edited = True
            changed.append(
                f"{name} cell {i}: {tol.describe().split('; reason')[0]} -> "
                + ", ".join(f"{k}={v:g}" for k, v in spec.items() if k != "reason")
            )
        if edited:
            nbformat.write(nb, path)
    return changed


# --------------------------------------------------------------------------- the report


def _fmt(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    return "0" if x == 0 else f"{x:.3g}"


def write_report(data: dict, path: Path, json_path: Path = JSON_PATH) -> None:
    """The Markdown table of ``data`` (generated; do not edit)."""
    try:
        json_name = json_path.resolve().relative_to(ROOT)
    except ValueError:
        json_name = json_path
    lines = [
        "# Spread of the printed numbers between machines",
        "",
        f"Generated by `tools/measure_spread.py` (`make spread`) from `{json_name}`;",
        "do not edit. Machine runs: the stored output, `baseline` (this machine's default",
        "kernels) and one run per kernel setting: "
        + ", ".join(f"`{s}`" for s in data["machine_runs"][1:])
        + ". Seed runs: "
        + ", ".join(f"`{s}`" for s in data["seed_runs"])
        + " (every literal seed shifted).",
        "*spread* = max - min over the machine runs; *rel.* = spread / |stored|;",
        "*seed spread* = max - min over `baseline` and the seed runs (the spread of another",
        "seed). *ok* says whether the cell's declared tolerance allows at least twice the larger",
        "of the two for every number that moves between machines (on another CPU a training",
        "forks as another seed does); `tests/test_spread.py` requires it of every cell.",
        "Cells whose numbers did not move in any run are listed on one line; a run whose",
        "text around the numbers changed is listed as a text change and not counted.",
        "",
        f"Environment: {data.get('environment', {})}",
        "",
    ]
    for name, entry in sorted(data["notebooks"].items()):
        runs = entry["runs"]
        lines += [
            f"## {name}",
            "",
            f"Measured {entry['measured']}. Seconds per run: "
            + ", ".join(
                f"{r} {v['seconds']}" + (f" (**failed**: {v['error']})" if v["error"] else "")
                for r, v in runs.items()
            )
            + ".",
            "",
        ]
        lines += [
            "| cell | output | line | stored | min | max | spread | rel. | seed spread | tolerance | ok |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for c in entry["cells"]:
            tol = c["tolerance"]
            tol_text = "—" if not tol else ", ".join(f"{k} {tol[k]:g}" for k in ("rtol", "atol") if tol[k])
            if c.get("tolerance_error"):
                tol_text = "**invalid**"
            for run, changes in c["text_changes"].items():
                verdict = "(seed: info)" if run.startswith("seed+") else "**no**"
                what = "; ".join(changes).replace("|", "\\|")
                lines.append(
                    f"| {c['cell']} | text changes under `{run}`: {what} "
                    f"| | | | | | | | {tol_text} | {verdict} |"
                )
            moving = [n for n in c["numbers"] if _num(n["spread"]) > 0 or _num(n["seed_spread"]) > 0]
            if not moving:
                if c["numbers"]:
                    lines.append(
                        f"| {c['cell']} | {len(c['numbers'])} numbers, none moved | "
                        f"| | | | 0 | 0 | 0 | {tol_text} | yes |"
                    )
                continue
            still = len(c["numbers"]) - len(moving)
            for n in moving:
                ok = "yes" if (_num(n["spread"]) == 0 or c.get("covered")) else "**no**"
                lines.append(
                    f"| {c['cell']} | {n['field']}[{n['output']}] | {n['line']} | "
                    f"{_fmt(n['stored'])} | {_fmt(n['min'])} | {_fmt(n['max'])} | "
                    f"{_fmt(_num(n['spread']))} | {_fmt(_num(n['rel_spread']))} | "
                    f"{_fmt(_num(n['seed_spread']))} | {tol_text} | {ok} |"
                )
            if still:
                lines.append(
                    f"| {c['cell']} | {still} more numbers, none moved | | | | | 0 | 0 "
                    f"| 0 | {tol_text} | yes |"
                )
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


# --------------------------------------------------------------------------- main


def _environment() -> dict:
    import numpy
    import torch

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "cpu": cpu,
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks (default: chapters/*.ipynb)")
    ap.add_argument(
        "--seeds", nargs="*", type=int, default=[1, 2, 3], help="seed shifts, one run each (default: 1 2 3)"
    )
    ap.add_argument(
        "--openblas-coretype",
        action="append",
        default=[],
        metavar="NAME",
        help="also run with OPENBLAS_CORETYPE=NAME in the kernel (beyond those of SETTINGS)",
    )
    ap.add_argument(
        "--settings",
        nargs="*",
        default=list(SETTINGS),
        choices=list(SETTINGS),
        help="kernel settings to run (default: all)",
    )
    ap.add_argument("--jobs", type=int, default=2, help="notebook runs at a time (default 2)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900)")
    ap.add_argument("--json", type=Path, default=JSON_PATH)
    ap.add_argument("--report", type=Path, default=REPORT_PATH)
    ap.add_argument(
        "--report-only", action="store_true", help="run nothing: rewrite the report from the JSON"
    )
    ap.add_argument("--check", action="store_true", help="exit 1 if problems() finds any")
    ap.add_argument(
        "--declare",
        action="store_true",
        help="run nothing: write into each cell the tolerance its measured spread needs (declare())",
    )
    args = ap.parse_args(argv)

    data = json.loads(args.json.read_text()) if args.json.exists() else {"notebooks": {}}
    machine_runs = (
        ["baseline"] + list(args.settings) + [f"OPENBLAS_CORETYPE={c}" for c in args.openblas_coretype]
    )
    seed_runs = [f"seed+{s}" for s in args.seeds]
    if args.declare:
        for line in declare(data):
            print("declared:", line)
    elif not args.report_only:
        paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "chapters").glob("*.ipynb"))
        envs = {
            "baseline": {},
            **{s: SETTINGS[s] for s in args.settings},
            **{f"OPENBLAS_CORETYPE={c}": {"OPENBLAS_CORETYPE": c} for c in args.openblas_coretype},
        }
        jobs = [(str(p.resolve()), r, envs[r], 0) for p in paths for r in machine_runs]
        jobs += [(str(p.resolve()), f"seed+{s}", {}, s) for p in paths for s in args.seeds]
        results: dict[str, list[dict]] = {}
        start = time.perf_counter()
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=args.jobs, mp_context=ctx) as pool:
            futures = [pool.submit(run_notebook, *job, args.timeout) for job in jobs]
            for fut in as_completed(futures):
                res = fut.result()
                results.setdefault(res["path"], []).append(res)
                name = Path(res["path"]).name
                print(
                    f"{name:40s} {res['run']:32s} {res['seconds']:6.1f} s  {res['error'] or 'ok'}",
                    file=sys.stderr,
                    flush=True,
                )
        print(f"all runs: {time.perf_counter() - start:.0f} s", file=sys.stderr)
        for p in paths:
            name = str(p.resolve().relative_to(ROOT))
            data["notebooks"][name] = analyse_notebook(p, results[str(p.resolve())], machine_runs, seed_runs)
        data.update(
            {
                "about": "generated by tools/measure_spread.py (make spread); do not edit",
                "machine_runs": machine_runs,
                "seed_runs": seed_runs,
                "environment": _environment(),
            }
        )
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    write_report(data, args.report, args.json)
    found, checked = problems(data)
    for line in found:
        print("PROBLEM:", line)
    print(f"{checked} cells checked, {len(found)} problems (JSON: {args.json}, report: {args.report})")
    return 1 if args.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
