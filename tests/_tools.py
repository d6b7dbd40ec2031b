"""Import a script from tools/ (it is not a package) for the tests that check its output.

The experiments are a package (``experiments/``): tests import them as modules
(``from experiments import long_run``).
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_tool(name: str):
    """The module tools/<name>.py, registered in sys.modules (dataclasses look it up there)."""
    path = ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod
