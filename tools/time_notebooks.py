"""Run each notebook once, top to bottom, and print its wall time against its budget.

Usage: python tools/time_notebooks.py chapters/*.ipynb

Budget (Developers' guide, on the 2-core machine): 45 s for every notebook; aim for 30 s.
Exits 1 if a notebook fails or exceeds its budget.  Outputs are not written back.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

BUDGET = 45.0
TARGET = 30.0


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
        flag = "FAIL" if not ok else "OVER" if wall > BUDGET else "ok" if wall <= TARGET else "slow"
        print(
            f"{path.name:45s} {wall:6.1f} s  (budget {BUDGET:.0f} s, aim {TARGET:.0f} s)  {flag}", flush=True
        )
        status |= flag in ("FAIL", "OVER")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
