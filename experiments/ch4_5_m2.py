"""Section 4.5's numbers: the semi-supervised VAE M2 on Section 4.4's protocol.

* Settings chosen on validation only: the training digits are split 85 / 15 % (``ae.train_val_split``,
  seed 0); 10 labels per class are drawn from the 85 % part, M2 is trained on that part for
  each α ∈ {0.1·N, N, 10·N, 100·N} (N the number of training images) and the epoch count and α with
  the best validation accuracy are kept.  Logistic regression on the same labelled pixels gives
  the validation reference.
* The grid: 1, 5, 10 and 50 labels per class, the first ``--draws`` of Section 4.4's 20 draws of
  the labelled examples (``draw_labelled`` with ``numpy.random.default_rng(0)``, the order of
  ``ae.few_label_accuracy``), M2 trained on all training digits with the chosen settings, and
  Section 4.4's logistic regression on pixels, PCA codes and VAE codes on the same draws.
* Why: at 10 labels per class (the first draw), M2's test accuracy as the unlabelled set grows.

Per-image correctness is stored for paired standard errors over the test images.

    .venv/bin/python -m experiments.ch4_5_m2 [--draws 5] [--epochs 30] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from sklearn.decomposition import PCA

import ae_lib as ae

from .results_file import provenance, write

torch.set_num_threads(1)

PER_CLASS = [1, 5, 10, 50]
N_DRAWS_44 = 20  # Section 4.4's draws; this run uses the first --draws of each
ALPHA_FACTORS = [0.1, 1.0, 10.0, 100.0]  # α = factor · N; the paper's is 0.1
UNLABELLED_SIZES = [0, 250, 600, None]  # None: all


def draws_44(y: np.ndarray) -> dict[int, list[np.ndarray]]:
    """Section 4.4's labelled draws, in the order ``ae.few_label_accuracy(..., seed=0)`` makes them."""
    rng = np.random.default_rng(0)
    return {k: [ae.draw_labelled(y, k, seed=rng) for _ in range(N_DRAWS_44)] for k in PER_CLASS}


def validation(raw: ae.DigitsSplit, unit: ae.DigitsSplit, epochs: int) -> dict:
    """α and the number of epochs chosen by the validation accuracy at 10 labels per class."""
    X_fit, X_val, y_fit, y_val = ae.train_val_split(raw.X_train, raw.y_train, val_fraction=0.15, seed=0)
    idx = ae.draw_labelled(y_fit, 10, seed=0)
    curves = {}
    for f in ALPHA_FACTORS:
        m = ae.train_m2(X_fit, y_fit, idx, alpha=f * len(X_fit), epochs=epochs, X_val=X_val, y_val=y_val)
        curves[f] = m.val_accuracy
    best = max(((f, e) for f in ALPHA_FACTORS for e in range(epochs)), key=lambda fe: curves[fe[0]][fe[1]])
    pix = ae.few_label_accuracy(X_fit / 16, y_fit, X_val / 16, y_val, 10, n_draws=1, seed=0)
    return {
        "n_fit": len(X_fit),
        "n_val": len(X_val),
        "alpha_factors": ALPHA_FACTORS,
        "val_accuracy": {str(f): c for f, c in curves.items()},
        "chosen_alpha_factor": best[0],
        "chosen_epochs": best[1] + 1,
        "chosen_val_accuracy": curves[best[0]][best[1]],
        "pixels_val_accuracy": float(pix[0]),
    }


def main(n_draws: int, epochs: int) -> dict:
    raw, unit = ae.load_digits_split("raw"), ae.load_digits_split("unit")
    val = validation(raw, unit, epochs)
    factor, n_epochs = val["chosen_alpha_factor"], val["chosen_epochs"]
    N = len(raw.X_train)

    vae = ae.train_small_vae(raw.X_train, latent_dim=8, hidden=(128,), epochs=40)  # Section 4.4's
    pca = PCA(8).fit(unit.X_train)
    features = {
        "pixels": (unit.X_train, unit.X_test),
        "PCA codes": (pca.transform(unit.X_train), pca.transform(unit.X_test)),
        "VAE codes": (ae.vae_codes(vae, raw.X_train), ae.vae_codes(vae, raw.X_test)),
    }
    correct = {
        name: ae.few_label_accuracy(
            F_tr, raw.y_train, F_te, raw.y_test, PER_CLASS, n_draws=N_DRAWS_44, seed=0, per_image=True
        )[:, :n_draws]
        for name, (F_tr, F_te) in features.items()
    }
    draws = draws_44(raw.y_train)
    m2 = np.empty((len(PER_CLASS), n_draws, len(raw.y_test)), dtype=bool)
    for i, k in enumerate(PER_CLASS):
        for j in range(n_draws):
            model = ae.train_m2(raw.X_train, raw.y_train, draws[k][j], alpha=factor * N, epochs=n_epochs)
            m2[i, j] = ae.m2_accuracy(model, raw.X_test, raw.y_test, per_image=True)
    correct["M2"] = m2

    # Why: the first draw at 10 labels per class, with more and more unlabelled images.
    idx = draws[10][0]
    others = np.setdiff1d(np.arange(N), idx)
    order = np.random.default_rng(1).permutation(others)
    growth = []
    for size in UNLABELLED_SIZES:
        keep = np.concatenate([idx, order[: len(others) if size is None else size]])
        model = ae.train_m2(
            raw.X_train[keep],
            raw.y_train[keep],
            np.arange(len(idx)),
            alpha=factor * len(keep),
            epochs=n_epochs,
        )
        growth.append(
            {"n_unlabelled": len(keep) - len(idx), "accuracy": ae.m2_accuracy(model, raw.X_test, raw.y_test)}
        )
    return {
        "protocol": (
            f"Section 4.4's protocol on the book's digits (grey levels 0..16, categorical decoder; the "
            f"classifiers read the pixels / 16): the first {n_draws} of 4.4's 20 draws of the labelled "
            f"examples per labels-per-class (reduced from 20: the run takes about four minutes of one CPU core); "
            f"M2 with code length 8, hidden (128,), Adam 3e-3, minibatches of 128; α and the epoch "
            f"count (at most {epochs}) chosen on a 15 % validation part of the training digits."
        ),
        "per_class": PER_CLASS,
        "n_draws": n_draws,
        "n_test": len(raw.y_test),
        "validation": val,
        "correct": {name: c.astype(int).tolist() for name, c in correct.items()},
        "unlabelled_growth": growth,
    }


def show(res: dict) -> None:
    v = res["validation"]
    print(
        f"chosen α = {v['chosen_alpha_factor']}·N, epochs {v['chosen_epochs']}: val {v['chosen_val_accuracy']:.3f}"
    )
    print(f"  pixels on validation {v['pixels_val_accuracy']:.3f}")
    for name, c in res["correct"].items():
        acc = np.asarray(c).mean(axis=-1)  # (m, draw)
        print(
            f"{name:10s}"
            + "".join(f"{a.mean():8.3f} ({a.std(ddof=1) if a.size > 1 else 0:.3f})" for a in acc)
        )
    for g in res["unlabelled_growth"]:
        print(f"  {g['n_unlabelled']:5d} unlabelled: {g['accuracy']:.3f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--out")
    a = ap.parse_args()
    out = {**provenance("results-ch4-5", "ch4_5_m2", sys.argv[1:]), **main(a.draws, a.epochs)}
    show(out)
    if a.out:
        write(out, a.out)
