"""`make results-mnist` (experiments/mnist.py) on a tiny MNIST-format file the test writes itself."""

from __future__ import annotations

import numpy as np
import pytest

from experiments import mnist


@pytest.fixture
def tiny_npz(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, size=(48, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, size=48),
        x_test=rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, size=12),
    )
    return path


def test_runs_side_by_side_and_records_provenance(tiny_npz, tmp_path):
    """Configurations × seeds, each a joblib task; every run and the spread are recorded."""
    argv = ["--data", str(tiny_npz), "--out", str(tmp_path / "r.json"), "--seeds", "0,1", "--epochs", "1"]
    results, out = mnist.main([*argv, "--k", "2", "--jobs", "1", "--batch-size", "40"])
    assert out.endswith("r.json") and results["command"].startswith("make results-mnist")
    assert results["data"] == {"n_fit": 40, "n_val": 8, "n_test": 12, "width": 784}
    assert [(r["config"], r["seed"]) for r in results["runs"]] == [
        (n, s) for n in mnist.CONFIGS for s in (0, 1)
    ]
    for r in results["runs"]:
        assert np.isfinite(r["test_nll"]["mean"]) and r["test_nll"]["se"] > 0
        assert r["test_nll"]["mean"] <= r["test_neg_elbo"]["mean"] + 5 * r["test_neg_elbo"]["se"]
    assert all(c["seed_spread"]["n"] == 2 for c in results["configs"].values())


def test_refuses_unknown_config_and_device(tiny_npz):
    with pytest.raises(SystemExit):
        mnist.main(["--data", str(tiny_npz), "--configs", "nope"])
    with pytest.raises(ValueError, match="device"):
        mnist.main(["--data", str(tiny_npz), "--device", "cuda:99"])
