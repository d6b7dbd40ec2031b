"""Tests of ae_lib.core.training (the shared training loop) and ae_lib.book.repro."""

from __future__ import annotations

from pathlib import Path

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

    @pytest.mark.parametrize(
        "kw,msg",
        [
            ({"lr": 0.0}, "lr"),
            ({"lr": float("nan")}, "lr"),
            ({"epochs": 0}, "epochs"),
            ({"batch_size": -1}, "batch_size"),
        ],
    )
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

    def test_setup_notebook_blas_threads(self):
        """setup_notebook limits every loaded BLAS/OpenMP library to one thread (threadpoolctl),
        so outputs do not depend on whether OMP_NUM_THREADS=1 is set."""
        from threadpoolctl import threadpool_info

        ae.setup_notebook(0)
        assert threadpool_info(), "no BLAS library found"
        assert all(lib["num_threads"] == 1 for lib in threadpool_info())


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


def _dropout_run(seed: int) -> list[float]:
    """Two epochs of a VAE with dropout on binarised digits; the training and validation losses."""
    X = ae.load_digits_split("binary").X_train[:256]
    model = ae.VAE(64, 2, (16,), dropout=0.3, seed=0)
    h = ae.fit(model, ae.vae_loss(), X[:192], X[192:], epochs=2, batch_size=64, lr=1e-2, seed=seed)
    return h.train_loss + h.val_loss


SCRIPT = "import torch; torch.set_num_threads(1); from test_training import _dropout_run; print(repr(_dropout_run(5)))"


class TestReproducible:
    def test_same_seed_same_history_with_dropout(self):
        """Dropout masks come from the seeded generator: same seed, same history; another seed differs."""
        assert _dropout_run(5) == _dropout_run(5)
        assert _dropout_run(5) != _dropout_run(6)

    def test_global_generator_untouched(self):
        """fit draws nothing from torch's global generator and leaves it as it was."""
        state = torch.random.get_rng_state()
        _dropout_run(1)
        assert torch.equal(torch.random.get_rng_state(), state)

    def test_same_history_across_processes(self):
        """A fresh interpreter and this one give the same history for the same seed."""
        import os
        import subprocess
        import sys

        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path(__file__).parent)}
        cmd = [sys.executable, "-c", SCRIPT]
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        here = repr(_dropout_run(5))  # one thread here too (conftest.py)
        assert run.stdout == here + "\n"

    def test_generator_seed(self):
        """A torch.Generator or numpy Generator is accepted as seed, and advanced."""
        g = torch.Generator().manual_seed(3)
        a = ae.fit(_model(), _mse, X, epochs=2, batch_size=16, lr=1e-2, seed=g).train_loss
        b = ae.fit(_model(), _mse, X, epochs=2, batch_size=16, lr=1e-2, seed=g).train_loss
        c = ae.fit(
            _model(), _mse, X, epochs=2, batch_size=16, lr=1e-2, seed=torch.Generator().manual_seed(3)
        ).train_loss
        assert a == c and a != b


class TestDivergence:
    def test_non_finite_parameters_stop_training(self):
        """A step that leaves a parameter infinite stops fit (epoch, step, lr named) though the loss was finite."""
        model = torch.nn.Linear(1, 1)

        def loss(m, batch, seed):  # finite value (about 1e30), gradient 1e30: one SGD step overflows float32
            return (m.weight * 1e30).sum() + 0.0 * m(batch[0]).sum()

        with pytest.raises(
            ae.TrainingDiverged, match=r"parameters became NaN or infinite at epoch 1, step 1 \(lr=1e\+10\)"
        ):
            ae.fit(model, loss, np.ones((4, 1)), epochs=3, batch_size=4, lr=1e10, optimizer="sgd")

    def test_numpy_loop_names_epoch_and_lr(self):
        """train_network stops with the same exception, naming the epoch and the step size."""
        net = ae.DeepNetwork.from_widths([4, 8, 4], "identity", seed=0)
        with pytest.raises(ae.TrainingDiverged, match=r"at epoch \d+ \(lr=1e\+08\)"):
            ae.train_network(net, ae.squared_loss, X[:, :4], X[:, :4], ae.GradientStep(1e8), epochs=5)


class TestDtype:
    def test_adopts_float64_model(self):
        """fit trains a float64 model (linear_autoencoder) in float64 without being told."""
        lin = ae.linear_autoencoder(8, 2)
        h = ae.fit(lin, ae.reconstruction_loss(), X, epochs=3, lr=1e-2)
        assert h.epochs == 3 and all(p.dtype == torch.float64 for p in lin.parameters())

    def test_to_torch_twin_trains(self):
        """The float64 twin of a NumPy autoencoder trains as it is."""
        net = ae.AutoencoderNet.from_autoencoder(ae.Autoencoder.from_widths([8, 4, 2], "tanh"))
        assert ae.fit(net, ae.reconstruction_loss(), X, epochs=2).epochs == 2


CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")


def _digits():
    data = ae.load_digits_split("binary")
    return data.X_train[:300], data.X_test[:100]


def _vae_run(device, dropout=0.1):
    """A small VAE trained by fit on ``device`` for 2 epochs: its history, NLL and the model."""
    X_train, X_test = _digits()
    model = ae.VAE(64, 4, (32,), "bernoulli", dropout=dropout, seed=1)
    h = ae.fit(model, ae.vae_loss(), X_train, X_test, epochs=2, seed=2, device=device)
    return h, ae.iwae_nll(model, X_test, k=10, seed=3, device=device), model


class TestDevice:
    def test_cpu_spellings_give_the_same_history(self):
        """The default, "cpu" and torch.device("cpu") run the very same computation."""
        runs = [_vae_run(d) for d in ("cpu", torch.device("cpu"))]
        default = ae.fit(
            ae.VAE(64, 4, (32,), dropout=0.1, seed=1), ae.vae_loss(), *_digits(), epochs=2, seed=2
        )
        for h, nll, model in runs:
            assert h.train_loss == runs[0][0].train_loss == default.train_loss
            assert h.val_loss == runs[0][0].val_loss == default.val_loss and nll == runs[0][1]
            assert all(p.device.type == "cpu" for p in model.parameters())

    def test_refuses_a_device_it_does_not_have(self):
        with pytest.raises(ValueError, match="device='cuda:99'"):
            ae.fit(_model(), _mse, X, epochs=1, device="cuda:99")
        with pytest.raises(TypeError, match="device must be a str"):
            ae.fit(_model(), _mse, X, epochs=1, device=0)  # type: ignore[arg-type]

    @CUDA
    def test_cuda(self):
        """fit and iwae_nll on the GPU: results on the CPU, model back on the CPU, numbers as on the CPU.

        Without dropout (its masks come from the device's own generator), the same seed draws
        the same minibatches and codes on both devices: the numbers differ by rounding only.
        """
        h_gpu, nll_gpu, model = _vae_run("cuda", dropout=0.0)
        h_cpu, nll_cpu, _ = _vae_run("cpu", dropout=0.0)
        # Dropout draws from CUDA's generator, which fit seeds too: two runs agree.
        np.testing.assert_allclose(_vae_run("cuda")[0].train_loss, _vae_run("cuda")[0].train_loss, rtol=1e-6)
        assert all(p.device.type == "cpu" for p in model.parameters()) and isinstance(nll_gpu, float)
        np.testing.assert_allclose(h_gpu.train_loss, h_cpu.train_loss, rtol=1e-3)
        np.testing.assert_allclose(h_gpu.val_loss, h_cpu.val_loss, rtol=1e-3)
        assert nll_gpu == pytest.approx(nll_cpu, rel=1e-3)
        on_gpu = ae.VAE(64, 4, (32,), seed=1).to("cuda")  # a model the caller put there stays there
        ae.fit(on_gpu, ae.vae_loss(), _digits()[0], epochs=1, device="cuda")
        assert all(p.device.type == "cuda" for p in on_gpu.parameters())
