"""Tests of ae_lib.variational.evaluation: per-image NLLs of mixtures, the sigmoid belief network and VAEs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ae_lib as ae

BIN = ae.load_digits_split("binary")


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _binary(n=20, seed=0):
    return torch.bernoulli(torch.full((n, 64), 0.3), generator=_gen(seed))


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


class TestIwaeNll:
    def test_vae_beats_best_mixture(self):
        """A small VAE trained a few seconds has lower test NLL than the Bernoulli mixture.

        K = 50 is the mixture Section 3.3 chooses on validation for binarised digits.
        """
        d = ae.load_digits_split("binary")
        X_fit, X_val = ae.train_val_split(d.X_train)
        mix = ae.BernoulliMixture(50).fit(d.X_train, seed=0).nll(d.X_test)
        m = ae.VAE(64, 16, (256,), seed=0)
        ae.fit(m, ae.vae_loss(k=10), X_fit, X_val, epochs=60, lr=3e-3, batch_size=64, patience=10, seed=0)
        assert ae.iwae_nll(m, d.X_test, k=200) < mix - 0.2

    def test_grey_level_vae_beats_best_mixture(self):
        """At 17 grey levels a small beta-binomial VAE beats the best categorical mixture by 3 nats.

        The mixture is K = 50, the largest of Section 3.3's grid; 25 epochs of the VAE are enough
        to show the gap.
        """
        d = ae.load_digits_split("raw")
        X_fit, _ = ae.train_val_split(d.X_train)
        mix = ae.CategoricalMixture(50, alpha=0.5).fit(d.X_train, seed=0).nll(d.X_test)
        m = ae.VAE(64, 16, (128,), "beta_binomial", seed=0)
        ae.fit(m, ae.vae_loss(), X_fit, epochs=25, lr=4e-3, batch_size=128, seed=0)
        assert ae.iwae_nll(m, d.X_test, k=100) < mix - 3

    def test_ensemble(self):
        """A list of M models is their equal-weight mixture: log-mean-exp of the bounds per image."""
        a, b = ae.VAE(64, 2, (8,), seed=1), ae.VAE(64, 2, (8,), seed=2)
        x = _binary(6)
        gen = _gen(0)
        with torch.no_grad():
            la, lb = ae.iwae_bound(a, x, 10, seed=gen), ae.iwae_bound(b, x, 10, seed=gen)
        expected = -(torch.logsumexp(torch.stack([la, lb]), 0) - np.log(2)).mean().item()
        assert ae.iwae_nll([a, b], x, k=10, seed=0) == pytest.approx(expected, rel=1e-6)
        assert ae.iwae_nll([a], x, k=10, seed=3) == ae.iwae_nll(a, x, k=10, seed=3)
        with pytest.raises(ValueError, match="non-empty"):
            ae.iwae_nll([], x)

    def test_deterministic(self):
        """Same seed, same estimate."""
        m = ae.VAE(64, 2, (8,))
        x = _binary(5).numpy()
        assert ae.iwae_nll(m, x, 20, seed=1) == ae.iwae_nll(m, x, 20, seed=1)


class TestDevice:
    def test_cpu_spellings_agree(self):
        """device="cpu" and torch.device("cpu") give the default's numbers; the models stay put."""
        models, X = [_vae(0), _vae(1)], _binary()
        base = ae.per_image_nll(models, X, k=5, seed=2)
        np.testing.assert_array_equal(ae.per_image_nll(models, X, k=5, seed=2, device="cpu"), base)
        assert ae.iwae_nll(models, X, 5, seed=2, device=torch.device("cpu")) == ae.iwae_nll(
            models, X, 5, seed=2
        )
        assert all(p.device.type == "cpu" for m in models for p in m.parameters())

    @pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
    def test_cuda(self):
        """On the GPU: a NumPy array back, close to the CPU's (same importance samples), models back on the CPU."""
        models, X = [_vae(0), _vae(1)], _binary()
        gpu = ae.per_image_nll(models, X, k=5, seed=2, device="cuda")
        assert isinstance(gpu, np.ndarray) and all(p.device.type == "cpu" for p in models[0].parameters())
        np.testing.assert_allclose(gpu, ae.per_image_nll(models, X, k=5, seed=2), rtol=1e-4)
