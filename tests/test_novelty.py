"""Tests of ae_lib.novelty (the novelty scorers of Section 4.2)."""

import numpy as np
import pytest
import torch

import ae_lib as ae

SPLIT = ae.load_digits_split("unit")


class TestPcaResidualScorer:
    def test_zero_on_the_subspace(self):
        """Points of the principal subspace score 0; points off it score their squared distance."""
        rng = np.random.default_rng(0)
        X = np.column_stack([rng.normal(size=(200, 2)), np.zeros((200, 3))])
        score = ae.pca_residual_scorer(2)(X)
        assert np.allclose(score(X), 0, atol=1e-20)
        assert score(np.array([[0.0, 0, 0, 3, 4]]))[0] == pytest.approx(25.0)


class TestIsolationForestScorer:
    def test_outlier_scores_higher(self):
        """A far-away point scores higher than the bulk; the same seed gives the same scores."""
        X = np.random.default_rng(0).normal(size=(300, 4))
        score = ae.isolation_forest_scorer(seed=0)(X)
        assert score(np.full((1, 4), 8.0))[0] > np.quantile(score(X), 0.99)
        assert np.array_equal(score(X), ae.isolation_forest_scorer(seed=0)(X)(X))

    def test_max_samples(self):
        """max_samples: "auto" is scikit-learn's min(256, n), "all" every image, an int is capped at n."""
        X = np.random.default_rng(0).normal(size=(300, 4))

        auto = ae.isolation_forest_scorer(max_samples="auto")(X)(X)
        assert np.array_equal(auto, ae.isolation_forest_scorer()(X)(X))
        every = ae.isolation_forest_scorer(max_samples="all")(X)(X)
        assert np.array_equal(every, ae.isolation_forest_scorer(max_samples=10_000)(X)(X))
        assert not np.array_equal(every, auto)


class TestReconstructionErrorScorer:
    def test_squared_error(self):
        """The score is the squared reconstruction error ‖x − model(x)‖² per row."""
        zero = torch.nn.Linear(3, 3)
        with torch.no_grad():
            zero.weight.zero_(), zero.bias.zero_()
        score = ae.reconstruction_error_scorer(lambda X: zero)(np.zeros((2, 3)))
        assert np.allclose(score(np.array([[1.0, 2.0, 2.0], [0.0, 0.0, 0.0]])), [9.0, 0.0])

    def test_trained_on_normal_data_only(self):
        """``train`` receives the normal data it is given."""
        got = []
        ae.reconstruction_error_scorer(lambda X: got.append(X.shape) or torch.nn.Linear(64, 64))(
            SPLIT.X_train[:10]
        )
        assert got == [(10, 64)]


class TestNegativeElboScorer:
    def test_matches_negative_elbo(self):
        """The score is negative_elbo(reduction='none') with the seeded codes; the same on every call."""
        vae = ae.VAE(64, 2, (16,), likelihood="bernoulli", seed=0)
        X = ae.load_digits_split("binary").X_test[:5]
        score = ae.negative_elbo_scorer(lambda X: vae, n_samples=3, seed=1)(X)
        with torch.no_grad():
            ref = ae.negative_elbo(
                vae,
                torch.tensor(X, dtype=torch.float32),
                seed=torch.Generator().manual_seed(1),
                n_samples=3,
                reduction="none",
            )[0].numpy()
        assert np.allclose(score(X), ref) and np.array_equal(score(X), score(X))
