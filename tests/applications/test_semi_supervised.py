"""Tests of ae_lib.applications.semi_supervised (Section 4.5): the semi-supervised VAE M2, its bounds and its loss."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import ae_lib as ae

RNG = np.random.default_rng(0)
XR = RNG.integers(0, 17, size=(12, 6)).astype(float)  # grey levels, width 6
XB = (RNG.random((12, 6)) > 0.5).astype(float)  # binary, width 6
Y = np.arange(12) % 3


def small(likelihood: str = "categorical", seed: int = 0) -> ae.M2:
    return ae.M2(6, 3, 2, (5,), likelihood, seed=seed)


class TestM2:
    def test_classifier_is_a_distribution(self):
        """q(y|x) has one row per image, non-negative, summing to 1; predict is its argmax."""
        m = small()
        q = m.classify(XR)
        assert q.shape == (12, 3) and bool((q >= 0).all())
        assert torch.allclose(q.sum(-1), torch.ones(12))
        assert torch.equal(m.predict(XR), q.argmax(-1))

    @pytest.mark.parametrize("likelihood, X", [("categorical", XR), ("bernoulli", XB)])
    def test_unlabelled_bound_is_weighted_sum_plus_entropy(self, likelihood, X):
        """U(x) = Σ_y q(y|x)(−L(x,y)) + H(q(y|x)), with −L(x,y) computed label by label."""
        m = small(likelihood)
        with torch.no_grad():
            labelled = torch.stack(
                [m.labelled_bound(X, np.full(12, c), seed=3) for c in range(3)], dim=-1
            )  # same seed: the same ε for every label
            q = m.classify(X)
            direct = (q * labelled).sum(-1) - (q * q.log()).sum(-1)
            assert torch.allclose(m.class_bounds(X, seed=3), labelled)
            assert torch.allclose(m.unlabelled_bound(X, seed=3), direct, atol=1e-5)

    def test_labelled_bound_by_hand(self):
        """−L(x,y) = log p(x|y,z) + log p(y) − KL for the code z = μ + σε of the same ε."""
        m = small("bernoulli")
        X, y = torch.as_tensor(XB, dtype=torch.float32), torch.as_tensor(Y)
        onehot = torch.nn.functional.one_hot(y, 3).float()
        mu, log_var = m.encoder(torch.cat([X, onehot], -1)).chunk(2, -1)
        eps = torch.randn(12, 2, generator=torch.Generator().manual_seed(7))
        z = mu + torch.exp(0.5 * log_var) * eps
        log_px = (
            torch.distributions.Bernoulli(logits=m.decoder(torch.cat([z, onehot], -1))).log_prob(X).sum(-1)
        )
        kl = ae.gaussian_kl(mu, log_var)
        expected = log_px - math.log(3) - kl
        got = m.labelled_bound(XB, Y, seed=torch.Generator().manual_seed(7))
        assert torch.allclose(got, expected, atol=1e-5)

    def test_categorical_bound_matches_the_likelihood(self):
        """The fast categorical log-likelihood equals the likelihood object's."""
        m = small()
        params = torch.randn(4, 12, 6, 17, generator=torch.Generator().manual_seed(0))
        X = torch.as_tensor(XR, dtype=torch.float32).expand(4, 12, 6)
        assert torch.allclose(m._log_px(params, X), m.likelihood.log_prob(params, X), atol=1e-4)

    def test_same_seed_same_weights(self):
        """The seed fixes the initial weights and leaves torch's global generator alone."""
        state = torch.random.get_rng_state()
        a, b, c = small(seed=1), small(seed=1), small(seed=2)
        assert torch.equal(torch.random.get_rng_state(), state)
        assert torch.equal(a.classifier[0].weight, b.classifier[0].weight)
        assert not torch.equal(a.classifier[0].weight, c.classifier[0].weight)

    def test_bad_labels(self):
        """Labels outside 0..K−1, non-integers or of the wrong length are refused, naming y."""
        m = small()
        for bad in (np.full(12, 3), np.full(12, 0.5), np.zeros(11)):
            with pytest.raises(ValueError, match="y"):
                m.labelled_bound(XR, bad)


class TestM2Loss:
    def test_mixed_batch(self):
        """The loss is the per-image mean of L + weight·CE over labelled and −U over unlabelled images."""
        m = small()
        y = np.where(np.arange(12) < 4, Y, -1).astype(float)
        X = torch.as_tensor(XR, dtype=torch.float32)
        yt = torch.as_tensor(y, dtype=torch.float32)
        loss = ae.m2_loss(2.0)(m, (X, yt), torch.Generator().manual_seed(0))
        gen = torch.Generator().manual_seed(0)
        lab = m.labelled_bound(XR[:4], Y[:4], seed=gen)
        unl = m.unlabelled_bound(XR[4:], seed=gen)
        ce = -torch.log_softmax(m.logits(XR[:4]), -1)[torch.arange(4), torch.as_tensor(Y[:4])]
        expected = ((-lab + 2.0 * ce).sum() - unl.sum()) / 12
        assert torch.isfinite(loss) and torch.allclose(loss, expected, atol=1e-4)

    def test_bad_weight_and_batch(self):
        with pytest.raises(ValueError, match="weight"):
            ae.m2_loss(-1.0)
        with pytest.raises(ValueError, match="batches"):
            ae.m2_loss()(small(), (torch.as_tensor(XR),), torch.Generator())


class TestTrainM2:
    def test_loss_decreases_and_deterministic(self, digits_raw):
        """On 200 digits with 3 labels per class the loss falls; the same seed gives the same model."""
        X, y = digits_raw.X_train[:200], digits_raw.y_train[:200]
        idx = ae.draw_labelled(y, 3, seed=0)
        loss = ae.m2_loss(1.0)
        targets = np.full(200, -1.0)
        targets[idx] = y[idx]
        data = (torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(targets, dtype=torch.float32))
        with torch.no_grad():  # the untrained model is the trained one's start (init seed 0)
            before = float(loss(ae.M2(hidden=(32,), seed=0), data, torch.Generator().manual_seed(0)))
        a = ae.train_m2(X, y, idx, epochs=3, hidden=(32,), seed=0, X_val=X[:50], y_val=y[:50])
        with torch.no_grad():
            after = float(loss(a, data, torch.Generator().manual_seed(0)))
        assert after < before and len(a.val_accuracy) == 3
        b = ae.train_m2(X, y, idx, epochs=3, hidden=(32,), seed=0, X_val=X[:50], y_val=y[:50])
        assert torch.equal(a.classifier[0].weight, b.classifier[0].weight)
        assert a.val_accuracy == b.val_accuracy

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match="labelled"):
            ae.train_m2(XR, Y, [0, 0], epochs=1)
        with pytest.raises(ValueError, match="labelled"):
            ae.train_m2(XR, Y, [12], epochs=1)
        with pytest.raises(ValueError, match="X_val"):
            ae.train_m2(XR, Y, [0, 1], epochs=1, X_val=XR)


class TestM2Accuracy:
    def test_accuracy_is_mean_of_per_image(self):
        """The accuracy is the mean of the per-image correctness, a float and a bool array."""
        m = small()
        acc = ae.m2_accuracy(m, XR, Y)
        per = ae.m2_accuracy(m, XR, Y, per_image=True)
        assert isinstance(acc, float) and per.dtype == bool and per.shape == (12,)
        assert acc == pytest.approx(per.mean())
