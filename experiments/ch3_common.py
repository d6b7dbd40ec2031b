"""Shared by the Section 3.3 experiments (experiments/ch3_search.py, experiments/long_run.py): data parts and VAE training.

Every setting of a VAE lives in a plain dict (a "config"), so that the scripts and the
results files record exactly what was trained.  Nothing here looks at test data.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch

import ae_lib as ae

torch.set_num_threads(1)

#: The two settings of Section 3.3 and the data kind each uses.
KINDS = {"binary": "binary", "17 levels": "raw"}


def parts(setting: str, split: str = "book") -> dict[str, np.ndarray]:
    """X_fit, X_val (the VAE's fit and early-stopping parts), X_all = fit + val, X_test.

    Book split: the validation part is ``train_val_split(X_train, 0.15, seed=0)`` (216 images),
    the one that early-stops the VAE.  Tomczak's split: its fixed 1000 / 350 / 447 parts.
    """
    d = ae.load_digits_split(KINDS[setting], split=split)
    if split == "book":
        X_fit, X_val = ae.train_val_split(d.X_train, val_fraction=0.15, seed=0)
        X_all = d.X_train
    else:
        X_fit, X_val = d.X_train, d.X_val
        X_all = np.concatenate([d.X_train, d.X_val])
    return {"X_fit": X_fit, "X_val": X_val, "X_all": X_all, "X_test": d.X_test}


def train_vae(cfg: dict, X_fit: np.ndarray, X_val: np.ndarray, seed: int):
    """Build and train the VAE ``cfg`` describes, early-stopped on ``X_val``.

    Returns (model, history, CPU seconds).  Keys of ``cfg``: likelihood (``"autoregressive"``
    for the autoregressive Bernoulli decoder), prior_components, latent_dim, hidden, dropout,
    k (bound trained on), lr, batch_size, epochs (maximum), patience, schedule (None or
    "onecycle").  ``seed`` seeds the initial weights and, inside ``fit``, the minibatches,
    the codes and the dropout masks (ae_lib 1.0: nothing global is touched).
    """
    cfg = normalise(cfg)
    t0 = time.process_time()
    vae = ae.VAE(
        X_fit.shape[1],
        cfg["latent_dim"],
        tuple(cfg["hidden"]),
        cfg["likelihood"],
        dropout=cfg["dropout"],
        prior_components=cfg["prior_components"],
        seed=seed,
    )
    hist = ae.fit(
        vae,
        ae.vae_loss(k=cfg["k"]),
        X_fit,
        X_val,
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        lr=cfg["lr"],
        patience=cfg["patience"],
        seed=seed,
        schedule=cfg.get("schedule"),
    )
    return vae, hist, time.process_time() - t0


def normalise(cfg: dict) -> dict:
    """A config in ae_lib 1.0's spelling.

    Rows of results/ch3_search.jsonl written with ae_lib 0.1.0 say ``likelihood="bernoulli",
    autoregressive=True`` for what 1.0 calls ``likelihood="autoregressive"``.
    """
    cfg = dict(cfg)
    if cfg.pop("autoregressive", False):
        cfg["likelihood"] = "autoregressive"
    return cfg


#: The configurations of the page before this change (55 s notebook): the reference point.
PAGE_CONFIGS = {
    "binary": dict(
        likelihood="autoregressive",
        prior_components=10,
        latent_dim=16,
        hidden=[256, 128],
        dropout=0.1,
        k=5,
        lr=2e-3,
        batch_size=128,
        epochs=500,
        patience=20,
    ),
    "17 levels": dict(
        likelihood="beta_binomial",
        prior_components=1,
        latent_dim=16,
        hidden=[256, 128],
        dropout=0.1,
        k=1,
        lr=2e-3,
        batch_size=128,
        epochs=500,
        patience=20,
    ),
}


def variant(setting: str, **changes) -> dict:
    """The page's configuration of ``setting`` with some keys changed."""
    cfg = dict(PAGE_CONFIGS[setting])
    unknown = set(changes) - set(cfg) - {"schedule"}
    if unknown:
        raise KeyError(f"unknown config keys {unknown}")
    cfg.update(changes)
    return cfg
