"""Tests of ae_lib.variational.likelihoods: the interface every decoder likelihood keeps, and its checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


class TestLikelihoods:
    def test_non_binary_refused(self):
        """Non-binary data for the Bernoulli decoder is refused, naming X."""
        with pytest.raises(ValueError, match="X must be binary"):
            ae.BernoulliLikelihood(2).check(torch.tensor([[0.0, 0.5]]))

    @pytest.mark.parametrize("bad", [17.0, -1.0, 2.5])
    @pytest.mark.parametrize("lik", ["categorical", "beta_binomial"])
    def test_levels_outside_range_refused(self, bad, lik):
        """Values outside the integers 0..16 are refused for the grey-level decoders."""
        with pytest.raises(ValueError, match=f"integers in 0..16 for the {lik} decoder"):
            ae.make_likelihood(lik, 2).check(torch.tensor([[0.0, bad]]))

    def test_non_finite_refused(self):
        """NaN is refused for every likelihood, Gaussian included."""
        with pytest.raises(ValueError, match="finite"):
            ae.GaussianLikelihood(1).check(torch.tensor([[np.nan]]))

    def test_unknown_likelihood(self):
        """An unknown likelihood name is refused, listing the choices."""
        with pytest.raises(ValueError, match="likelihood must be one of"):
            ae.make_likelihood("poisson", 2)

    @pytest.mark.parametrize("lik", list(ae.LIKELIHOODS))
    def test_interface(self, lik):
        """Each likelihood has log_prob, mean and sample on the decoder's parameters, shapes (…,) and (…, D)."""
        L = ae.make_likelihood(lik, 5)
        params = L.reshape(torch.randn(4, 5 * L.params_per_pixel, generator=_gen()))
        x = L.sample(params, seed=1)
        assert x.shape == L.mean(params).shape == (4, 5)
        assert L.log_prob(params, x).shape == (4,) and torch.isfinite(L.log_prob(params, x)).all()
        L.check(x)
        assert torch.equal(x, L.sample(params, seed=1))
