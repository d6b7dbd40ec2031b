"""Tests of ae_lib.training (the shared training loop) and ae_lib.repro."""

import numpy as np
import pytest
import torch

import ae_lib as ae


def _mse(model, batch, gen):
    (x,) = batch
    return ((model(x) - x) ** 2).mean()


def _model(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(8, 2), torch.nn.Linear(2, 8))


X = np.random.default_rng(0).normal(size=(64, 8))


class TestFit:
    def test_loss_decreases(self):
        """Training lowers the training loss."""
        h = ae.fit(_model(), _mse, X, epochs=30, lr=1e-2, seed=0)
        assert h.train_loss[-1] < 0.8 * h.train_loss[0]

    def test_determinism(self):
        """Same seed, same history."""
        a = ae.fit(_model(), _mse, X, X[:16], epochs=5, lr=1e-2, seed=3)
        b = ae.fit(_model(), _mse, X, X[:16], epochs=5, lr=1e-2, seed=3)
        assert a.train_loss == b.train_loss and a.val_loss == b.val_loss

    def test_nan_stops_training(self):
        """A loss that turns NaN stops training with a message naming the step size."""
        with pytest.raises(ae.TrainingDiverged, match="lr="):
            ae.fit(_model(), _mse, X * 1e3, epochs=50, lr=1e3, optimizer="sgd", seed=0)

    def test_early_stopping_restores_best(self):
        """With patience, training stops and the best validation weights are restored."""
        m = _model()
        h = ae.fit(m, _mse, X, X[:16] + 5.0, epochs=200, lr=5e-2, patience=3, seed=0)
        assert h.stopped_early and h.epochs < 200
        with torch.no_grad():
            v = float(_mse(m, (torch.tensor(X[:16] + 5.0, dtype=torch.float32),), None))
        assert v == pytest.approx(min(h.val_loss), rel=1e-5)

    def test_patience_needs_val(self):
        """Early stopping without validation data is refused."""
        with pytest.raises(ValueError, match="patience"):
            ae.fit(_model(), _mse, X, epochs=2, patience=2)

    @pytest.mark.parametrize("kw,msg", [({"lr": 0.0}, "lr"), ({"lr": float("nan")}, "lr"),
                                        ({"epochs": 0}, "epochs"), ({"batch_size": -1}, "batch_size")])
    def test_bad_arguments(self, kw, msg):
        """Non-positive or non-finite step sizes and counts name the argument."""
        with pytest.raises(ValueError, match=msg):
            ae.fit(_model(), _mse, X, **kw)

    def test_nan_data(self):
        """NaN in the data is refused before training."""
        Xn = X.copy()
        Xn[0, 0] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            ae.fit(_model(), _mse, Xn, epochs=1)

    def test_progress_off_in_ci(self, monkeypatch, capsys):
        """No progress output when CI is set, even if asked for."""
        monkeypatch.setenv("CI", "true")
        ae.fit(_model(), _mse, X, epochs=2, progress=True)
        assert capsys.readouterr().err == ""


class TestRepro:
    def test_round_sig(self):
        """Four significant digits."""
        assert ae.round_sig(0.0123456) == 0.01235 and ae.round_sig(123456.0) == 123500.0
        assert ae.round_sig(0.0) == 0.0

    def test_setup_notebook_threads(self):
        """setup_notebook fixes torch to one thread and returns a seeded generator."""
        rng = ae.setup_notebook(5)
        assert torch.get_num_threads() == 1
        assert rng.integers(1000) == np.random.default_rng(5).integers(1000)


class TestFitSchedule:
    def test_onecycle_runs_and_learns(self):
        """schedule='onecycle' anneals the step size over all epochs and still lowers the loss."""
        h = ae.fit(_model(), _mse, X, epochs=30, lr=2e-2, seed=0, schedule="onecycle")
        assert h.epochs == 30 and h.train_loss[-1] < 0.8 * h.train_loss[0]

    def test_onecycle_deterministic(self):
        """Same seed, same history with the OneCycle schedule."""
        a = ae.fit(_model(), _mse, X, X[:16], epochs=4, lr=1e-2, seed=1, schedule="onecycle")
        b = ae.fit(_model(), _mse, X, X[:16], epochs=4, lr=1e-2, seed=1, schedule="onecycle")
        assert a.train_loss == b.train_loss and a.val_loss == b.val_loss

    def test_unknown_schedule(self):
        """An unknown schedule name is refused, naming the argument."""
        with pytest.raises(ValueError, match="schedule"):
            ae.fit(_model(), _mse, X, epochs=1, schedule="cosine")
