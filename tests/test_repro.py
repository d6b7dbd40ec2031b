"""Tests of ae_lib.repro: tables whose layout a last-digit change on another machine does not move."""

import ae_lib as ae


class TestFormatTable:
    def test_layout(self):
        """A header, a rule, one line per row, floats at 4 significant digits in a column 9 wide."""
        text = ae.format_table([{"a": "x", "b": 1.234567}], ["a", "b"])
        assert text.splitlines() == ["a  b", "-  ---------", "x  1.235"]  # no trailing blanks
