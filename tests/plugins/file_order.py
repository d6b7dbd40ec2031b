"""pytest plugin: run the test files longest first, and measure how long each one takes.

``--file-durations PATH`` runs the test files (notebooks and unit-test modules) longest
first, by the seconds recorded in PATH (a file it does not know counts as 30 s for a
notebook, 1 s otherwise); the order of the items inside a file is kept. With pytest-xdist
(``-n 2 --dist loadfile --no-loadscope-reorder``) the longest notebooks start first and
the short files fill the gaps. ``--store-file-durations`` writes the measured seconds of
this run's files into PATH (``make durations``).

The root ``conftest.py`` loads it; ``pyproject.toml``'s ``addopts`` names
``tests/durations.json``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path


def pytest_addoption(parser):
    group = parser.getgroup("file-order", "test files longest first")
    group.addoption(
        "--file-durations",
        default=None,
        metavar="PATH",
        help="run the longest test files first, by the seconds in this JSON file",
    )
    group.addoption(
        "--store-file-durations",
        action="store_true",
        help="write this run's seconds per test file into --file-durations",
    )


UNKNOWN_SECONDS = {".ipynb": 30.0}


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _durations_path(config):
    path = config.getoption("file_durations")
    return None if path is None else Path(config.rootpath, path)


def pytest_collection_modifyitems(config, items):
    """Longest files first (stable inside a file) when --file-durations is given."""
    path = _durations_path(config)
    if path is None:
        return
    known = json.loads(path.read_text()) if path.exists() else {}
    order = {}
    for item in items:
        order.setdefault(_file_of(item.nodeid), len(order))

    def seconds(name):
        return known.get(name, UNKNOWN_SECONDS.get(Path(name).suffix, 1.0))

    rank = {name: i for i, name in enumerate(sorted(order, key=lambda n: (-seconds(n), order[n])))}
    items.sort(key=lambda item: rank[_file_of(item.nodeid)])


class _FileTimer:
    """Sums each file's setup + call + teardown seconds; writes them at the end."""

    def __init__(self, path: Path):
        self.path, self.seconds = path, defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.seconds[_file_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self):
        known = json.loads(self.path.read_text()) if self.path.exists() else {}
        known.update({name: round(sec, 1) for name, sec in self.seconds.items()})
        self.path.write_text(json.dumps(dict(sorted(known.items())), indent=1) + "\n")


def pytest_configure(config):
    path = _durations_path(config)
    if (
        path is not None and config.getoption("store_file_durations") and not hasattr(config, "workerinput")
    ):  # the xdist controller, or a plain run
        config.pluginmanager.register(_FileTimer(path), "file-order-timer")
