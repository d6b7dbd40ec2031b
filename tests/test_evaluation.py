"""Tests of ae_lib.evaluation: per-image NLLs of mixtures, the sigmoid belief network and VAEs."""

import numpy as np
import pytest
import torch

import ae_lib as ae

BIN = ae.load_digits_split("binary")


def _vae(seed=0):
    return ae.VAE(64, 2, (16,), "bernoulli", seed=seed)


class TestPerImageNll:
    def test_mixture_is_minus_log_prob(self):
        """For an EM mixture: −log_prob, image by image; its mean is nll()."""
        m = ae.BernoulliMixture(3).fit(BIN.X_train[:200], seed=0)
        v = ae.per_image_nll(m, BIN.X_test[:50])
        np.testing.assert_allclose(v, -m.log_prob(BIN.X_test[:50]))
        assert v.mean() == pytest.approx(m.nll(BIN.X_test[:50]))

    def test_torch_distribution(self):
        """A torch distribution (the sigmoid belief network) is evaluated by its log_prob."""
        sbn = ae.AutoregressiveBernoulli(torch.zeros(64), torch.zeros(64, 64))
        np.testing.assert_allclose(ae.per_image_nll(sbn, BIN.X_test[:5]), 64 * np.log(2), rtol=1e-6)

    def test_vae_mean_is_iwae_nll(self):
        """For a VAE (and a list of VAEs) the mean over images is iwae_nll with the same seed."""
        X = BIN.X_test[:40]
        v = ae.per_image_nll(_vae(), X, k=20, seed=3)
        assert v.shape == (40,) and v.mean() == pytest.approx(ae.iwae_nll(_vae(), X, k=20, seed=3), rel=1e-6)
        both = [_vae(0), _vae(1)]
        assert ae.per_image_nll(both, X, k=20, seed=3).mean() == pytest.approx(
            ae.iwae_nll(both, X, k=20, seed=3), rel=1e-6
        )

    def test_vae_keeps_training_mode(self):
        """The VAE is evaluated in eval mode and handed back in the mode it came in."""
        vae = _vae().train()
        ae.per_image_nll(vae, BIN.X_test[:4], k=2)
        assert vae.training

    def test_bad_model(self):
        """Something without log_prob is refused, naming model."""
        with pytest.raises(
            TypeError, match="model must be a VAE, a sequence of VAEs, or a model with a log_prob method"
        ):
            ae.per_image_nll(object(), BIN.X_test[:4])
        with pytest.raises(ValueError, match="X must be 2-D"):
            ae.per_image_nll(_vae(), BIN.X_test[0])
