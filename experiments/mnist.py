"""The book's VAEs on MNIST-size data: one command, on every core or on a GPU.

    make results-mnist DATA=path/to/mnist [DEVICE=cuda] [MNIST_ARGS="--seeds 0,1,2 --epochs 50"]
    = python -m experiments.mnist --data DIR_OR_NPZ --out results/mnist.json ...

* **Data** you already have: a directory with MNIST's four IDX files (gzipped or not) or an
  ``.npz`` in the layout of Keras' ``mnist.npz`` (``ae.load_mnist``; nothing is downloaded).
  A validation part of the training images (``--val-fraction``) is drawn once
  (``ae.train_val_split``, seed 0); the test images are scored once, at the end.
* **Models**: the Chapter 3 recipes at 28 × 28 (``CONFIGS``): binarised pixels (a pixel is 1
  where its grey level exceeds 127) with a Bernoulli decoder, with the standard normal prior
  and with a learned mixture prior (Definition 3.3.5).
* **Training**: ``ae.fit`` with early stopping on the validation part (``--patience``), its
  weights at the best validation epoch; test NLL by ``ae.iwae_nll`` (``--k`` importance
  samples) with its SE over test images; test −ELBO beside it.
* **Side by side**: every (configuration, seed) run is one joblib task, all on the cores at
  once (``--jobs``, default all), a tqdm bar counting finished runs.  joblib's Dask or Ray
  backend carries the same code to a cluster unchanged: wrap the call in
  ``with joblib.parallel_config(backend="dask"):`` (after ``from dask.distributed import
  Client; Client(...)``; neither package is a dependency of the book).
* **GPU**: ``--device cuda`` trains and scores there (runs then share the device; use
  ``--jobs 1`` or a few).

The results file carries its provenance (command, versions, commit) and, per run, its
configuration, seed, best epoch, wall time and test numbers; per configuration, the spread
over seeds.  It is never run in CI.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import joblib
import torch
from tqdm import tqdm

import ae_lib as ae
from ae_lib.core.training import as_device

from .results_file import provenance, write

#: The Chapter 3 recipes at MNIST's size: keyword arguments of ``ae.VAE`` (input width set from the
#: data); a Bernoulli decoder with the standard normal prior, and with a learned mixture prior.
CONFIGS: dict[str, dict] = {
    "bernoulli": dict(latent_dim=32, hidden=(512, 256), likelihood="bernoulli"),
    "bernoulli-mixture-prior": dict(
        latent_dim=32, hidden=(512, 256), likelihood="bernoulli", prior_components=10
    ),
}


def est(e: ae.Estimate) -> dict:
    return {"mean": e.mean, "se": e.se, "text": str(e)}


def run(name: str, seed: int, data: dict, args: argparse.Namespace) -> dict:
    """Train one configuration with one seed; its test numbers (runs in a joblib worker)."""
    torch.set_num_threads(1)
    start = time.perf_counter()
    model = ae.VAE(data["X_fit"].shape[1], seed=seed, **CONFIGS[name])
    hist = ae.fit(
        model,
        ae.vae_loss(),
        data["X_fit"],
        data["X_val"],
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        patience=args.patience,
        seed=seed,
        device=args.device,
    )
    nll = ae.per_image_nll(model, data["X_test"], k=args.k, seed=seed, device=args.device)
    neg_elbo = ae.negative_elbo(model, data["X_test"], seed=seed, reduction="none")[0].detach().numpy()
    return {
        "config": name,
        "seed": seed,
        "best_epoch": hist.best_epoch,
        "epochs": hist.epochs,
        "wall_s": round(time.perf_counter() - start, 1),
        "test_nll": est(ae.mean_se(nll)),
        "test_neg_elbo": est(ae.mean_se(neg_elbo)),
    }


def main(argv: list[str]) -> tuple[dict, str]:
    """The results of the runs ``argv`` asks for, and the path to write them to."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="a directory of MNIST's IDX files, or an .npz")
    p.add_argument("--out", default="results/mnist.json")
    p.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated names of CONFIGS")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--patience", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--k", type=int, default=1000, help="importance samples of the test NLL")
    p.add_argument("--val-fraction", type=float, default=1 / 6)
    p.add_argument(
        "--limit", type=int, default=None, help="use only the first N training images (a quick look)"
    )
    p.add_argument("--device", default="cpu")
    p.add_argument("--jobs", type=int, default=-1, help="joblib workers (-1: every core)")
    args = p.parse_args(argv)
    if not args.data:
        p.error(
            "no data: make results-mnist DATA=path/to/mnist (a directory of MNIST's four IDX files, or an .npz)"
        )
    names = [n.strip() for n in args.configs.split(",")]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        p.error(f"unknown --configs {unknown}; choose from {list(CONFIGS)}")
    seeds = [int(s) for s in args.seeds.split(",")]
    as_device(args.device)  # a device this machine lacks fails before any work

    split = ae.load_mnist(args.data, kind="binary")
    X_train = split.X_train if args.limit is None else split.X_train[: args.limit]
    X_fit, X_val = ae.train_val_split(X_train, val_fraction=args.val_fraction, seed=0)
    data = {"X_fit": X_fit, "X_val": X_val, "X_test": split.X_test}
    tasks = [(name, seed) for name in names for seed in seeds]
    jobs = joblib.Parallel(n_jobs=args.jobs, return_as="generator_unordered")(
        joblib.delayed(run)(name, seed, data, args) for name, seed in tasks
    )
    runs = list(tqdm(jobs, total=len(tasks), desc="runs", unit="run"))
    runs.sort(key=lambda r: (names.index(r["config"]), r["seed"]))
    per_config = {}
    for name in names:
        mine = [r for r in runs if r["config"] == name]
        s = ae.seed_spread([r["test_nll"]["mean"] for r in mine]) if len(mine) > 1 else None
        per_config[name] = {
            "config": CONFIGS[name],
            "seed_spread": None
            if s is None
            else {"mean": s.mean, "sd": s.sd, "min": s.min, "max": s.max, "n": s.n},
        }
    results = {
        **provenance("results-mnist", "mnist", argv),
        "protocol": (
            "binarised MNIST (grey level > 127); validation part drawn from the training images "
            "(seed 0); early stopping on it; test NLL by IWAE with k importance samples, mean ± SE "
            "over the test images; seed spread over the runs of a configuration"
        ),
        "data": {
            "n_fit": len(X_fit),
            "n_val": len(X_val),
            "n_test": len(split.X_test),
            "width": X_fit.shape[1],
        },
        "settings": {k: v for k, v in vars(args).items() if k not in ("data", "out")},
        "configs": per_config,
        "runs": runs,
    }
    return results, args.out


if __name__ == "__main__":
    results, out = main(sys.argv[1:])
    write(results, out)
    print(f"wrote {out}")
