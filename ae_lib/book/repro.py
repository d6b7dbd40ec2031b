"""Reproducibility: one call at the top of every notebook, printed numbers, and the results files.

Thesis items: none numbered; the tools the chapters share.

Reproducibility: one call at the top of every notebook, and rounding and tables for printed numbers.

Committed results of the opt-in long runs, for the pages to quote.

A long run (``make results``) writes ``results/<name>.json`` in the repository, with the
command that produced it and the ``ae_lib`` version; pages glue its numbers instead of
typing them.  :func:`load_results` reads such a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.style
import numpy as np
import torch
from threadpoolctl import threadpool_limits

from ..core import checks as check
from ..core.seeds import check_seed

__all__ = ["RESULTS_DIR", "format_table", "load_results", "round_sig", "setup_notebook"]


#: The book's figure style (150 dpi, fonts of at least 9.5 pt, figures at most 7 in wide).
STYLE = Path(__file__).with_name("book.mplstyle")


def setup_notebook(seed: int = 0) -> np.random.Generator:
    """Seed NumPy and torch, fix torch and the BLAS libraries to one thread, apply the figure style.

    One thread because stored outputs must reproduce bit for bit: the same float
    reductions on 2 threads and on 1 thread differ in the last bits.  torch's own threads,
    and those of every BLAS/OpenMP library already loaded (NumPy's and SciPy's OpenBLAS,
    scikit-learn's OpenMP, via threadpoolctl), so that a notebook prints the same whether
    or not ``OMP_NUM_THREADS=1`` is set; libraries loaded later read ``OMP_NUM_THREADS`` and
    ``OPENBLAS_NUM_THREADS``, set here to 1 unless already set.

    Parameters
    ----------
    seed : int
        In [0, 2**32): seeds NumPy's legacy global generator, torch's global generator
        and the returned generator (for code a notebook writes itself; every ``ae_lib``
        function takes its own ``seed`` and draws from no global generator).

    Returns
    -------
    numpy.random.Generator
        A fresh generator seeded with ``seed``, for the notebook's own draws.
    """
    if not isinstance(check_seed(seed), int):
        raise TypeError(f"seed must be an int (it seeds the global generators), got {type(seed).__name__}")
    _use_inline_backend()
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    threadpool_limits(limits=1)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    np.set_printoptions(precision=4, suppress=True)
    matplotlib.style.use(STYLE)  # the book's one figure style
    return np.random.default_rng(seed)


def _use_inline_backend() -> None:
    """Inside a Jupyter kernel, draw inline even if ``MPLBACKEND`` says otherwise.

    With ``MPLBACKEND=Agg`` in the environment a kernel's ``plt.show()`` draws
    nothing, and every stored figure would be missing when nbval re-runs it.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with jupyter
        return
    shell = get_ipython()
    if shell is not None and "IPKernelApp" in shell.config:
        shell.run_line_magic("matplotlib", "inline")


def round_sig(x: float | np.ndarray, digits: int = 4) -> float | np.ndarray:
    """Round to ``digits`` significant digits (for printed output that must reproduce).

    Parameters
    ----------
    x : float or array
        Any shape; NaN and inf pass through.
    digits : int
        ≥ 1.

    Returns
    -------
    float or numpy.ndarray
        The shape of x.

    Examples
    --------
    >>> round_sig(0.0123456)
    0.01235
    """
    digits = check.positive_int("digits", digits)
    arr = check.as_finite_array("x", x, finite=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where(arr == 0, 0, np.floor(np.log10(np.abs(np.where(arr == 0, 1, arr)))))
    factor = 10.0 ** (digits - 1 - mag)
    out = np.round(arr * factor) / factor
    out = np.where(np.isfinite(arr), out, arr)
    return float(out) if out.ndim == 0 else out


def format_table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """A plain-text table of ``rows`` (dicts), floats at 4 significant digits (trailing zeros kept).

    Examples
    --------
    >>> print(format_table([{"d": 2, "mse": 0.123456}], ["d", "mse"]))
    d  mse
    -  ---------
    2  0.1235
    """
    if isinstance(rows, (str, bytes, dict)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a sequence of dicts, got {type(rows).__name__}")
    if isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence) or not columns:
        raise TypeError("columns must be a non-empty sequence of column names")
    for i, r in enumerate(rows):
        check.instance(f"rows[{i}]", r, dict)
        missing = [c for c in columns if c not in r]
        if missing:
            raise ValueError(f"rows[{i}] lacks the column(s) {missing}")
    cells = [[str(c) for c in columns]]
    for r in rows:
        cells.append([f"{r[c]:#.4g}" if isinstance(r[c], float) else str(r[c]) for c in columns])
    # A float column is at least 9 wide ("1.235e-05"), so that its width and its rule stay put
    # when a value moves in the last digits on another machine.
    floats = [any(isinstance(r[c], float) for r in rows) for c in columns]
    w = [max([len(row[j]) for row in cells] + [9 * floats[j]]) for j in range(len(columns))]
    lines = ["  ".join(s.ljust(w[j]) for j, s in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


#: Where the committed results files live: ``results/`` at the repository's root.
RESULTS_DIR = Path(__file__).resolve().parents[2] / "results"


def load_results(name: str) -> dict[str, Any]:
    """The contents of ``results/<name>.json``, e.g. ``load_results("ch3_likelihood")``.

    Parameters
    ----------
    name : str
        File name without ``.json``: letters, digits and ``_`` only.

    Returns
    -------
    dict
        With at least the keys ``"command"`` and ``"ae_lib_version"``.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
        raise ValueError(f"name must be letters, digits and '_' only (no path, no .json), got {name!r}")
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        have = sorted(p.stem for p in RESULTS_DIR.glob("*.json")) if RESULTS_DIR.exists() else []
        raise FileNotFoundError(f"no results file {path} (produce it with `make results`); have: {have}")
    data = json.loads(path.read_text())
    missing = {"command", "ae_lib_version"} - set(data)
    if missing:
        raise ValueError(f"{path} lacks the keys {sorted(missing)}")
    return data
