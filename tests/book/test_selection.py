"""Tests of ae_lib.book.selection: settings chosen on the validation part, then refitted."""

from __future__ import annotations

import numpy as np
import pytest

import ae_lib as ae

X_FIT, X_VAL, X_ALL = np.zeros((5, 2)), np.ones((3, 2)), np.full((8, 2), 2.0)


class _Model:
    def __init__(self, X, c):
        self.n, self.c = len(X), c


class TestSelectOnValidation:
    def test_picks_lowest_and_refits(self):
        """The candidate with the lowest validation score wins and is refitted on X_refit."""
        seen = []

        def score(model, X):
            seen.append((model.n, len(X)))
            return (model.c - 2) ** 2

        sel = ae.select_on_validation(
            _Model, score, [{"c": c} for c in range(5)], X_FIT, X_VAL, X_refit=X_ALL
        )
        assert sel.best == {"c": 2} and sel.model.n == 8 and sel.model.c == 2
        assert seen == [(5, 3)] * 5  # every candidate fitted on X_fit, scored on X_val
        assert [s for _, s in sel.val_scores] == [4, 1, 0, 1, 4]

    def test_maximize_and_no_refit(self):
        """maximize picks the highest score; without X_refit the model fitted on X_fit is kept."""
        sel = ae.select_on_validation(
            _Model, lambda m, X: m.c, [{"c": 1}, {"c": 3}], X_FIT, X_VAL, maximize=True
        )
        assert sel.best == {"c": 3} and sel.model.n == 5

    def test_ties_go_to_first(self):
        """Equal scores: the earlier candidate."""
        sel = ae.select_on_validation(_Model, lambda m, X: 0.0, [{"c": 7}, {"c": 8}], X_FIT, X_VAL)
        assert sel.best == {"c": 7}

    def test_mixture_k_on_validation(self):
        """On binarised digits, choosing K of a Bernoulli mixture by validation NLL prefers K > 1."""
        d = ae.load_digits_split("binary")
        X_fit, X_val = ae.train_val_split(d.X_train[:600], val_fraction=0.3, seed=0)
        sel = ae.select_on_validation(
            lambda X, n_components: ae.BernoulliMixture(n_components).fit(X, max_iter=30),
            lambda m, X: m.nll(X),
            [{"n_components": 1}, {"n_components": 5}],
            X_fit,
            X_val,
        )
        assert sel.best == {"n_components": 5}

    def test_errors_name_arguments(self):
        """Empty candidates, column mismatches and non-finite scores are refused by name."""
        with pytest.raises(ValueError, match="candidates must hold at least one"):
            ae.select_on_validation(_Model, lambda m, X: 0.0, [], X_FIT, X_VAL)
        with pytest.raises(ValueError, match="X_val must have the 2 columns"):
            ae.select_on_validation(_Model, lambda m, X: 0.0, [{"c": 1}], X_FIT, np.ones((3, 4)))
        with pytest.raises(ValueError, match="X_refit must have the 2 columns"):
            ae.select_on_validation(
                _Model, lambda m, X: 0.0, [{"c": 1}], X_FIT, X_VAL, X_refit=np.ones((3, 1))
            )
        with pytest.raises(ValueError, match="scores must be finite"):
            ae.select_on_validation(_Model, lambda m, X: np.nan, [{"c": 1}], X_FIT, X_VAL)
