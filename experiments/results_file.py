"""What every file of ``make results`` starts with, and how it is written.

The long runs (``experiments/long_run.py``, ``experiments/ch4_1_numbers.py``, ``experiments/ch4_2_numbers.py``)
write JSON files into ``results/`` that the pages quote.  Each file says how it was made:
the make target and the command behind it, the ae_lib version, the git commit and the
versions of Python, torch and NumPy.
"""

from __future__ import annotations

import json
import platform
import subprocess
from pathlib import Path

import numpy as np
import torch

import ae_lib as ae

ROOT = Path(__file__).resolve().parents[1]


def provenance(target: str, module: str, args: list[str]) -> dict:
    """The header of a results file: ``make <target>`` = ``python -m experiments.<module> <args>``, and versions."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "command": f"make {target}  # = " + " ".join(["python", "-m", f"experiments.{module}", *args]),
        "ae_lib_version": ae.__version__,
        "git_commit": commit,
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "numpy": np.__version__,
        },
    }


def write(results: dict, path: str | Path) -> None:
    """``results`` as indented JSON with a final newline (the committed files' layout)."""
    Path(path).write_text(json.dumps(results, indent=1) + "\n")
