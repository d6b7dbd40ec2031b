"""Run each notebook once, top to bottom, and print its wall time against its budget.

Usage: python tools/time_notebooks.py chapters/*.ipynb

Budgets (Developers' guide, 2 CPU cores): 45 s for chapters 1-2, 60 s for chapters 3-4.
Exits 1 if a notebook fails or exceeds its budget.  Outputs are not written back.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def budget(path: Path) -> float:
    m = re.match(r"ch(\d+)", path.name)
    return 60.0 if m and int(m.group(1)) >= 3 else 45.0


def main(paths: list[str]) -> int:
    status = 0
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        start = time.perf_counter()
        try:
            client.execute()
            ok = True
        except Exception as exc:  # report and go on with the next notebook
            ok = False
            print(f"{path}: FAILED ({type(exc).__name__})")
        wall = time.perf_counter() - start
        limit = budget(path)
        flag = "ok" if ok and wall <= limit else "OVER" if ok else "FAIL"
        print(f"{path.name:45s} {wall:6.1f} s  (budget {limit:.0f} s)  {flag}", flush=True)
        status |= flag != "ok"
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
