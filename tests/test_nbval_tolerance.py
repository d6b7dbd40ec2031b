"""The nbval plugin tests/plugins/nbval_tolerance.py: numbers compared as numbers, text exactly."""

import math

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbval_tolerance import (
    EXACT,
    NUMBER,
    Tolerance,
    ToleranceError,
    compare_text,
    parse_tolerance,
    split_numbers,
)

pytest_plugins = ["pytester"]


def numbers(text):
    return [n.text for n in split_numbers(text)[1]]


class TestSplitNumbers:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("epoch 3: loss 0.25", ["3", "0.25"]),
            ("42", ["42"]),
            ("-7 +8 \u22123", ["-7", "+8", "\u22123"]),
            ("1.3e-16 and 7E+02, 1e5, .5, 3.", ["1.3e-16", "7E+02", "1e5", ".5", "3."]),
            ("nan NaN inf -inf Infinity", ["nan", "NaN", "inf", "-inf", "Infinity"]),
            ("[0.1, 2] (3.5) |  16.49 | {4}", ["0.1", "2", "3.5", "16.49", "4"]),
            ("[-0.1,-2]", ["-0.1", "-2"]),
            ("accuracy 97.5%", ["97.5"]),
            ("K=50, beta=-4", ["50", "-4"]),
            ("3-4 and a - 3", ["3", "4", "3"]),
            ("8\u00d78 digits", ["8", "8"]),
            ("tensor([[0.5000, 1.2500]])", ["0.5000", "1.2500"]),
            ("Linear(in_features=4, out_features=3, bias=True)", ["4", "3"]),
            ("end of sentence 16.", ["16."]),
        ],
    )
    def test_numbers(self, text, expected):
        assert numbers(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "ch3_3_likelihood",
            "L_1000",
            "float32",
            "x2",
            "8x8",
            "2D",
            "1st",
            "0xADDRESS",
            "10ms",
            "torch 2.13.0",
            "sigma_2",
            "\u03b82",
            "information",
            "nanny",
            "v1.2",
        ],
    )
    def test_words_with_digits_stay_text(self, text):
        assert numbers(text) == []

    def test_values(self):
        values = [n.value for n in split_numbers("-1.5e2 \u22122 7E+02 (3)")[1]]
        assert values == [-150.0, -2.0, 700.0, 3.0]
        nan, inf = (n.value for n in split_numbers("nan -inf")[1])
        assert math.isnan(nan) and inf == -math.inf

    def test_round_trip(self):
        text = "a=1, b=[-2.5e-3, nan] | 16.49 | ch3_3 end."
        literals, nums = split_numbers(text)
        assert len(literals) == len(nums) + 1
        assert "".join(lit + n.text for lit, n in zip(literals, nums)) + literals[-1] == text
        assert NUMBER.pattern  # one shared rule (tools/measure_spread.py uses it too)


class TestCompareText:
    def test_identical(self):
        assert compare_text("loss 0.25\n", "loss 0.25\n").ok

    def test_default_is_exact(self):
        assert EXACT.exact and EXACT.rtol == 0 and EXACT.atol == 0
        result = compare_text("loss 0.1234", "loss 0.1235")
        assert result.same_text and not result.ok
        (m,) = result.mismatches
        assert (m.stored.text, m.new.text, m.allowed) == ("0.1234", "0.1235", 0.0)

    def test_equal_as_printed(self):
        assert compare_text("0.50 and -0.0", "0.5 and 0.0").ok

    def test_changed_word_fails_even_within_tolerance(self):
        loose = Tolerance(rtol=1.0, atol=1.0, reason="test")
        result = compare_text("train loss 0.25", "test loss 0.25", loose)
        assert not result.same_text and not result.ok
        assert not compare_text("loss 0.25", "loss  0.25").ok  # padding is text when exact
        assert compare_text("loss 0.25", "loss  0.25", loose).ok  # a column re-padded under a tolerance
        assert not compare_text("loss 0.25", "loss\n0.25", loose).ok  # a new line is not padding
        assert not compare_text("loss 0.25", "loss 0.25 0.3", loose).ok  # one more number

    def test_inside_tolerance_passes(self):
        tol = Tolerance(rtol=0.02, reason="test")
        assert compare_text("[1.000, 200]", "[1.019, 196]", tol).ok

    def test_outside_tolerance_fails(self):
        tol = Tolerance(rtol=0.02, reason="test")
        result = compare_text("a\nloss (1.000) | 200 |", "a\nloss (1.021) | 200 |", tol)
        (m,) = result.mismatches
        assert (m.line, m.index, m.stored.text, m.new.text) == (2, 0, "1.000", "1.021")
        assert math.isclose(m.allowed, 0.02)
        assert "stored 1.000, new 1.021" in m.describe()

    def test_atol(self):
        tol = Tolerance(atol=1e-14, reason="rounding")
        assert compare_text("gap 0.0e+00", "gap 2.2e-16", tol).ok
        assert not compare_text("gap 0.0e+00", "gap 2.2e-13", tol).ok

    def test_scientific_and_integers(self):
        tol = Tolerance(rtol=0.1, reason="test")
        assert compare_text("7E+02 items, 1.3e-16", "7.5E+02 items, 1.2e-16", tol).ok
        assert not compare_text("12 of 360", "13 of 360").ok

    def test_nan_and_inf(self):
        tol = Tolerance(rtol=0.5, atol=1.0, reason="test")
        assert compare_text("nan inf -inf", "nan inf -inf", tol).ok
        assert not compare_text("nan", "1.0", tol).ok
        assert not compare_text("1.0", "nan", tol).ok
        assert not compare_text("inf", "-inf", tol).ok
        assert not compare_text("1e308", "inf", tol).ok


class TestParseTolerance:
    def test_no_metadata_is_exact(self):
        assert parse_tolerance({}) is EXACT
        assert parse_tolerance({"tags": ["hide-input"]}) is EXACT

    def test_declared(self):
        tol = parse_tolerance({"nbval": {"rtol": 0.02, "atol": 1e-6, "reason": " measured "}})
        assert tol == Tolerance(0.02, 1e-6, "measured")
        assert parse_tolerance({"nbval": {"atol": 1, "reason": "r"}}) == Tolerance(0, 1.0, "r")

    @pytest.mark.parametrize(
        "spec, words",
        [
            ({"rtol": 0.02}, "reason"),
            ({"rtol": 0.02, "reason": "  "}, "reason"),
            ({"rtol": 0.02, "reason": 3}, "reason"),
            ({"reason": "why"}, "neither"),
            ({"rtol": -0.1, "reason": "why"}, "rtol"),
            ({"atol": float("nan"), "reason": "why"}, "atol"),
            ({"rtol": "0.1", "reason": "why"}, "rtol"),
            ({"rtol": True, "reason": "why"}, "rtol"),
            ({"rtl": 0.1, "reason": "why"}, "unknown"),
            ([0.1], "mapping"),
        ],
    )
    def test_rejected(self, spec, words):
        with pytest.raises(ToleranceError, match=words):
            parse_tolerance({"nbval": spec})


def _cell(source, stored, metadata=None, mime=False):
    cell = new_code_cell(source, metadata=metadata or {}, execution_count=1)
    if mime:
        cell.outputs = [new_output("execute_result", {"text/plain": stored}, execution_count=1)]
    else:
        cell.outputs = [new_output("stream", name="stdout", text=stored)]
    return cell


def test_inside_nbval(pytester):
    """End to end: pytest + nbval + the plugin over a generated notebook."""
    tol = {"nbval": {"rtol": 0.02, "reason": "test"}}
    cells = [
        _cell(
            'print("epoch 3: [0.1, 2] (3.5) |  16.49 | nan 1.3e-16 7E+02 12% ch3_3")',
            "epoch 3: [0.1, 2] (3.5) |  16.49 | nan 1.3e-16 7E+02 12% ch3_3\n",
        ),
        _cell('print("loss", 0.1234)', "loss 0.1235\n"),  # exact by default
        _cell('print("loss", 1.01)', "loss 1.0\n", tol),  # inside rtol
        _cell('print("loss", 1.05)', "loss 1.0\n", tol),  # outside rtol
        _cell('print("test loss", 1.0)', "train loss 1.0\n", tol),  # a changed word
        _cell('print("loss", 1.0)', "loss 1.0\n", {"nbval": {"rtol": 0.02}}),  # no reason
        _cell('import os; print(os.environ.get("NBVAL_TOL_PROBE"))', "on\n"),
        _cell("1.0 + 0.004", "1.0", {"nbval": {"atol": 0.01, "reason": "test"}}, mime=True),
        _cell("0.5 + 0.1", "0.6", mime=True),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nbformat.write(nb, pytester.path / "tiny.ipynb")
    result = pytester.runpytest(
        "-p",
        "nbval_tolerance",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "--nbval-kernel-env=NBVAL_TOL_PROBE=on",
        "-p",
        "no:randomly",
        "-p",
        "no:xdist",
        "-rf",
        "tiny.ipynb",
    )
    result.assert_outcomes(passed=5, failed=4)
    out = result.stdout.str()
    for failed in ("Cell 1 ", "Cell 3 ", "Cell 4 ", "Cell 5 "):
        assert f"FAILED tiny.ipynb::{failed}".strip() in out
    assert "stored 0.1235, new 0.1234" in out and "allowed 0" in out
    assert "stored 1.0, new 1.05" in out and "rtol=0.02" in out
    assert "text around the numbers differs" in out
    assert "Invalid tolerance" in out and "reason" in out
