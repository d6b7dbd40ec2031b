"""Tests of ae_lib.book.claims: a claim of the prose holds, or the notebook stops."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae


class TestClaim:
    def test_a_true_claim_prints_its_sentence(self):
        c = ae.claim("the AE beats PCA", 0.1 < 0.2, ae=0.1, pca=0.2)
        assert str(c) == "✓ the AE beats PCA"
        assert c.text == "the AE beats PCA" and c.numbers == {"ae": 0.1, "pca": 0.2}

    @pytest.mark.parametrize(
        "holds", [np.bool_(True), np.array(True), np.array([True]), torch.tensor(True), torch.tensor([True])]
    )
    def test_numpy_and_torch_booleans(self, holds):
        assert ae.claim("holds", holds).text == "holds"

    def test_a_false_claim_raises_with_its_numbers(self):
        with pytest.raises(ae.ClaimFailed) as info:
            ae.claim(
                "every seed is within two paired SEs", np.abs(np.array([1.0, 3.0])).max() < 2.0, worst=3.0
            )
        assert "every seed is within two paired SEs" in str(info.value)
        assert "worst=3" in str(info.value)

    def test_a_failed_claim_is_an_assertion_error(self):
        """pytest and nbval report it as a failed assertion, and no try/except Exception hides it silently."""
        assert issubclass(ae.ClaimFailed, AssertionError)
        with pytest.raises(AssertionError):
            ae.claim("false", torch.tensor(False))

    def test_no_implicit_truth(self):
        """A number is not a claim: 0.3 would be 'true' and hide the comparison that was meant."""
        with pytest.raises(TypeError, match="holds must be a bool"):
            ae.claim("x", 0.3)


class TestClaimFailed:
    def test_message_format(self):
        with pytest.raises(ae.ClaimFailed, match=r"claim is false: 'a' \(x=1e-05, n=3\)"):
            ae.claim("a", False, x=1e-5, n=3)
