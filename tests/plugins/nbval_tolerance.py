"""pytest plugin: nbval compares the numbers in a notebook's text outputs as numbers.

nbval (0.11) stays the runner and compares every output exactly, as text. This plugin
changes one thing: in every compared text field (``stdout``/``stderr`` streams,
``text/plain``, ``text/html``, ``text/markdown``, ``text/latex`` after nbval's sanitizers
ran) the *numbers* are compared as numbers, within a tolerance; everything between the
numbers must still match character for character. The root ``conftest.py`` loads it, so
``make test``, ``make nbval`` and a plain ``pytest chapters`` all use it.

Tolerance
---------
The default is exact: each printed number must have the same value as the stored one
(``0.50`` and ``0.5`` are equal, ``0.1235`` and ``0.1234`` are not). A cell that needs
more says so in its cell metadata, with the reason::

    {"nbval": {"rtol": 0.02, "reason": "200 Adam steps: the last bits of the CPU kernels
               move the trained loss by about 0.5 % (results/spread_report.md)"}}

A new value ``new`` passes against the stored value ``stored`` when
``|new - stored| <= atol + rtol * |stored|`` (``rtol``, ``atol`` default to 0; at least one
is given). ``nan`` matches only ``nan``; ``inf`` only the same infinity. A tolerance
without a non-empty ``reason``, an unknown key or a negative/non-finite value fails
that cell. Declare a tolerance only as measured: ``tools/measure_spread.py``
(``make spread``) measures each number's spread, and ``tests/test_spread.py`` checks every
declared tolerance against it.

What counts as a number
-----------------------
:data:`NUMBER` is the one rule (the spread tool uses the same :func:`split_numbers`):

* digits with an optional decimal part and an optional exponent: ``16``, ``0.25``,
  ``.5``, ``3.``, ``1.3e-16``, ``7E+02``; and ``nan``, ``inf``, ``infinity`` in any case;
* a leading ``+``, ``-`` or ``−`` (U+2212) belongs to the number unless a letter, digit,
  underscore or dot stands right before the sign (``x=-4`` → -4, ``[0.1, -2]`` → -2,
  ``3-4`` → 3 and 4, ``a - 3`` → 3);
* a number is never glued to a word: no letter, digit, underscore or dot directly before
  it, no letter, digit or underscore directly after it, and no ``.digit`` after it. So
  ``ch3_3``, ``L_1000``, ``float32``, ``x2``, ``8x8``, ``2D``, ``1st``, ``0xADDRESS``,
  ``10ms`` and versions such as ``2.13.0`` stay text (compared exactly);
* brackets, parentheses, ``|``, ``=``, ``:``, ``,``, ``%``, ``×``, spaces and the like are
  text around a number: ``[0.1, 2]`` → 0.1 and 2, ``(3.5)`` → 3.5, ``|  16.49 |`` →
  16.49, ``K=50`` → 50, ``12.5%`` → 12.5 (compared as printed, i.e. in percent),
  ``8×8`` → 8 and 8, ``1,000`` → 1 and 000.

The text between the numbers must be identical. Under the exact default that includes the
padding spaces; in a cell that declares a tolerance, a run of spaces or tabs matches any
other such run, because a number that gains or loses a digit re-pads its table column.

Also
----
``--nbval-kernel-env NAME=VALUE`` (repeatable) sets an environment variable in the
notebook kernels only (``make nbval`` runs them with ``ATEN_CPU_CAPABILITY=avx2`` and
``MKL_CBWR=AVX2``, as an AVX2 machine would). The order the test files run in is another
plugin's concern (``file_order.py`` beside this one).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from nbval.plugin import IPyNbCell, IPyNbFile, NbCellError

_MANTISSA = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+\-]?[0-9]+)?"
_SPECIAL = r"(?i:nan|inf(?:inity)?)"
#: A printed number (see the module docstring for the rule and examples).
NUMBER = re.compile(
    r"(?<![\w.])"  # nothing word-like or a dot right before (sign or digits)
    r"(?:[+\-\u2212](?=[0-9.]|(?i:nan|inf)))?"  # an optional sign, glued to the number
    rf"(?:{_MANTISSA}|{_SPECIAL})"
    r"(?!\w|\.[0-9])"  # nothing word-like, and no '.digit', right after
)

TOLERANCE_KEYS = ("rtol", "atol", "reason")


class ToleranceError(ValueError):
    """A cell's ``nbval`` metadata does not declare a valid tolerance."""


@dataclass(frozen=True)
class Tolerance:
    """``|new - stored| <= atol + rtol * |stored|``; the default (0, 0) is exact."""

    rtol: float = 0.0
    atol: float = 0.0
    reason: str = ""

    @property
    def exact(self) -> bool:
        return self.rtol == 0 and self.atol == 0

    def allowed(self, stored: float) -> float:
        """The largest |difference| allowed around ``stored``."""
        return self.atol + self.rtol * abs(stored)

    def accepts(self, stored: float, new: float) -> bool:
        if math.isnan(stored) or math.isnan(new):
            return math.isnan(stored) and math.isnan(new)
        if math.isinf(stored) or math.isinf(new):
            return stored == new
        return abs(new - stored) <= self.allowed(stored)

    def describe(self) -> str:
        if self.exact:
            return "exact (the default: equal as printed)"
        return f"rtol={self.rtol:g}, atol={self.atol:g}; reason: {self.reason}"


EXACT = Tolerance()


def parse_tolerance(metadata: dict) -> Tolerance:
    """The tolerance a cell declares in ``metadata["nbval"]`` (:data:`EXACT` if none).

    Raises
    ------
    ToleranceError
        If ``metadata["nbval"]`` is not a mapping, has a key other than rtol/atol/reason,
        declares neither rtol nor atol, has a tolerance that is not a finite number >= 0,
        or has no non-empty ``reason`` string.
    """
    spec = (metadata or {}).get("nbval")
    if spec is None:
        return EXACT
    if not isinstance(spec, dict):
        raise ToleranceError(f'cell metadata "nbval" must be a mapping, got {spec!r}')
    unknown = sorted(set(spec) - set(TOLERANCE_KEYS))
    if unknown:
        raise ToleranceError(
            f'cell metadata "nbval" has unknown key(s) {unknown}; allowed: {list(TOLERANCE_KEYS)}'
        )
    if "rtol" not in spec and "atol" not in spec:
        raise ToleranceError('cell metadata "nbval" declares neither "rtol" nor "atol"')
    values = {}
    for key in ("rtol", "atol"):
        value = spec.get(key, 0.0)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < 0
        ):
            raise ToleranceError(f'cell metadata "nbval": {key} must be a finite number >= 0, got {value!r}')
        values[key] = float(value)
    reason = spec.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ToleranceError(
            'cell metadata "nbval": a tolerance needs a "reason" string '
            "(why this cell's numbers move, and where the spread was measured)"
        )
    return Tolerance(values["rtol"], values["atol"], reason.strip())


@dataclass(frozen=True)
class Number:
    """One number in a text: as printed, its value, where it starts."""

    text: str
    value: float
    start: int


def _value(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def split_numbers(text: str) -> tuple[list[str], list[Number]]:
    """Cut ``text`` into the text around the numbers and the numbers.

    Returns ``(literals, numbers)`` with ``len(literals) == len(numbers) + 1`` and
    ``text == literals[0] + numbers[0].text + literals[1] + ... + literals[-1]``.
    """
    literals, numbers, pos = [], [], 0
    for m in NUMBER.finditer(text):
        literals.append(text[pos : m.start()])
        numbers.append(Number(m.group(), _value(m.group()), m.start()))
        pos = m.end()
    literals.append(text[pos:])
    return literals, numbers


@dataclass
class Mismatch:
    """One number out of tolerance."""

    index: int  # position among the numbers of the text
    line: int  # 1-based line of the stored text
    stored: Number
    new: Number
    allowed: float

    def describe(self) -> str:
        diff = abs(self.new.value - self.stored.value)
        return (
            f"line {self.line}, number {self.index + 1}: stored {self.stored.text}, "
            f"new {self.new.text} (|difference| {diff:.3g} > allowed {self.allowed:.3g})"
        )


@dataclass
class Comparison:
    """The result of :func:`compare_text`."""

    same_text: bool  # the text around the numbers is identical
    mismatches: list[Mismatch]  # numbers out of tolerance (empty unless same_text)

    @property
    def ok(self) -> bool:
        return self.same_text and not self.mismatches


_PADDING = re.compile(r"[ \t]+")


def unpadded(literals: list[str]) -> list[str]:
    """The text around the numbers with every run of spaces or tabs read as one space: a
    number that gains or loses a digit re-pads its column, which says nothing new."""
    return [_PADDING.sub(" ", lit) for lit in literals]


def compare_text(stored: str, new: str, tolerance: Tolerance = EXACT) -> Comparison:
    """Compare ``new`` with ``stored``: identical text around the numbers, numbers within
    ``tolerance`` of the stored ones (relative to the stored value)."""
    if stored == new:
        return Comparison(True, [])
    s_lit, s_num = split_numbers(stored)
    n_lit, n_num = split_numbers(new)
    if s_lit != n_lit and (tolerance == EXACT or unpadded(s_lit) != unpadded(n_lit)):
        return Comparison(False, [])
    bad = [
        Mismatch(i, stored.count("\n", 0, a.start) + 1, a, b, tolerance.allowed(a.value))
        for i, (a, b) in enumerate(zip(s_num, n_num))
        if not tolerance.accepts(a.value, b.value)
    ]
    return Comparison(True, bad)


class NumberText(str):
    """A sanitized output string whose ``==`` is :func:`compare_text` under a tolerance.

    nbval compares ``reference != test`` (stored on the left); this class lets that one
    comparison in nbval's ``compare_outputs`` be tolerant without copying it.
    """

    def __new__(cls, text: str, tolerance: Tolerance):
        obj = super().__new__(cls, text)
        obj.tolerance = tolerance
        return obj

    def __eq__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return compare_text(str(self), str(other), self.tolerance).ok

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = str.__hash__


# --------------------------------------------------------------------------- pytest hooks


def pytest_addoption(parser):
    group = parser.getgroup("nbval", "Jupyter Notebook validation")
    group.addoption(
        "--nbval-kernel-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set an environment variable in the notebook kernels only "
        "(repeatable), e.g. ATEN_CPU_CAPABILITY=default",
    )


def _kernel_env(config) -> dict[str, str]:
    env = {}
    for item in config.getoption("nbval_kernel_env") or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise pytest.UsageError(f"--nbval-kernel-env wants NAME=VALUE, got {item!r}")
        env[name] = value
    return env


@contextmanager
def _environ(extra: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class TolerantNbCell(IPyNbCell):
    """nbval's cell item; numbers compared within the cell's declared tolerance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            self.tolerance, self.tolerance_error = parse_tolerance(self.cell.metadata), None
        except ToleranceError as exc:
            self.tolerance, self.tolerance_error = EXACT, str(exc)

    def sanitize(self, s):
        s = super().sanitize(s)
        return NumberText(s, self.tolerance) if isinstance(s, str) else s

    def format_output_compare(self, key, left, right):
        if isinstance(left, str) and isinstance(right, str):
            result = compare_text(str(left), str(right), self.tolerance)
            cc = self.colors
            if result.same_text:
                self.comparison_traceback.append(
                    cc.OKBLUE + f" numbers out of tolerance in '{key}' of cell "
                    f"{self.cell_num}; tolerance {self.tolerance.describe()}:" + cc.FAIL
                )
                self.comparison_traceback.extend("   " + m.describe() for m in result.mismatches)
                self.comparison_traceback.append(cc.ENDC)
            else:
                self.comparison_traceback.append(
                    cc.OKBLUE + f" text around the numbers differs in '{key}' of cell "
                    f"{self.cell_num} (compared exactly):" + cc.ENDC
                )
            left, right = str(left), str(right)
        super().format_output_compare(key, left, right)

    def runtest(self):
        if self.tolerance_error is None:
            return super().runtest()
        # Run the cell anyway (later cells need its state), then fail on the metadata.
        traceback = None
        try:
            super().runtest()
        except NbCellError as exc:
            traceback = f"{exc}\n{exc.inner_traceback or ''}"
        self.raise_cell_error(f"Invalid tolerance: {self.tolerance_error}", traceback)


class TolerantNbFile(IPyNbFile):
    """nbval's notebook collector: tolerant cells; kernels get --nbval-kernel-env."""

    def setup(self):
        with _environ(_kernel_env(self.config)):
            super().setup()

    def collect(self):
        for item in super().collect():
            yield TolerantNbCell.from_parent(
                self, name=item.name, cell_num=item.cell_num, cell=item.cell, options=item.options
            )


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path, parent):
    """Swap nbval's notebook collector for the tolerant one (nbval keeps its options)."""
    result = yield
    return [
        TolerantNbFile.from_parent(parent, path=file_path) if type(node) is IPyNbFile else node
        for node in result or []
    ]
