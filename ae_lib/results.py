"""Committed results of the opt-in long runs, for the pages to quote.

A long run (``make results``) writes ``results/<name>.json`` in the repository, with the
command that produced it and the ``ae_lib`` version; pages glue its numbers instead of
typing them.  :func:`load_results` reads such a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["RESULTS_DIR", "load_results"]

#: Where the committed results files live: ``results/`` at the repository's root.
RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"


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
