"""Root conftest: loads the repository's pytest plugin ``tools/nbval_tolerance.py``.

With it nbval compares the numbers in notebook outputs as numbers, within the tolerance a
cell declares in its metadata (exact by default). ``tools/`` is on ``sys.path`` through
``pythonpath`` in ``pyproject.toml``, so ``make test`` and a plain ``pytest chapters``
load the same plugin.
"""

pytest_plugins = ["nbval_tolerance"]
