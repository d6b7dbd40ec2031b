"""Root conftest: loads the repository's two pytest plugins, both in ``tests/plugins/``.

* ``nbval_tolerance``: nbval compares the numbers in notebook outputs as numbers, within the
  tolerance a cell declares in its metadata (exact by default);
* ``file_order``: the test files run longest first, by ``tests/durations.json``
  (``--file-durations``; ``make durations`` measures them again).

``tests/plugins/`` is on ``sys.path`` through ``pythonpath`` in ``pyproject.toml``, so
``make test`` and a plain ``pytest chapters`` load the same plugins.
"""

pytest_plugins = ["nbval_tolerance", "file_order"]
