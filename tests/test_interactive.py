"""Tests of ae_lib.interactive."""

import pytest

import ae_lib as ae


class TestExplore:
    def test_draws_start_value(self):
        """The control calls ``draw`` once with the start value."""
        seen = []
        ae.explore(seen.append, "gamma", [0.1, 0.5, 1.0])
        assert seen == [0.5]

    def test_rejects_empty_and_foreign_values(self):
        """An empty value list or a start value outside it is a ValueError."""
        with pytest.raises(ValueError, match="values"):
            ae.explore(print, "g", [])
        with pytest.raises(ValueError, match="value=2"):
            ae.explore(print, "g", [0.1, 1.0], value=2)
