"""Tests of ae_lib.decoder (Definition 3.1.1): the decoder's parameters, means and likelihood by name."""

import numpy as np
import pytest
import torch

import ae_lib as ae


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


class TestProbabilisticDecoder:
    @pytest.mark.parametrize(
        "lik,shape",
        [
            ("bernoulli", (4, 64)),
            ("categorical", (4, 64, 17)),
            ("beta_binomial", (4, 64, 2)),
            ("gaussian", (4, 64, 2)),
        ],
    )
    def test_parameter_shapes(self, lik, shape):
        """The decoder outputs the parameters of p_θ(x|z) per pixel (Definition 3.1.1)."""
        dec = ae.ProbabilisticDecoder(3, 64, (16,), lik)
        assert dec(torch.zeros(4, 3)).shape == shape
        assert dec.distribution(torch.zeros(4, 3)).event_shape == (64,)
        assert dec.mean(torch.zeros(4, 3)).shape == (4, 64)

    def test_categorical_mean(self):
        """E[x|z] of the categorical decoder is Σ_l l·softmax_l, inside [0, 16]."""
        dec = ae.ProbabilisticDecoder(2, 64, (8,), "categorical")
        z = torch.randn(5, 2, generator=_gen())
        probs = torch.softmax(dec(z), -1)
        expected = (probs * torch.arange(17.0)).sum(-1)
        torch.testing.assert_close(dec.mean(z), expected)

    def test_beta_binomial_mean(self):
        """E[x|z] of the beta-binomial decoder is 16 α / (α + β) with α, β = softplus(outputs)."""
        dec = ae.ProbabilisticDecoder(2, 64, (8,), "beta_binomial")
        z = torch.randn(5, 2, generator=_gen())
        alpha, beta = torch.nn.functional.softplus(dec(z)).unbind(-1)
        torch.testing.assert_close(dec.mean(z), 16 * alpha / (alpha + beta), rtol=1e-3, atol=1e-3)
        assert ((dec.mean(z) >= 0) & (dec.mean(z) <= 16)).all()

    def test_prior_is_standard_normal(self):
        """p(z) = N(0, I): log p(0) = −(d/2) log 2π."""
        assert ae.LatentPrior(3).log_prob(torch.zeros(3)).item() == pytest.approx(-1.5 * np.log(2 * np.pi))
