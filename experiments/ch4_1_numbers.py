"""Section 4.1's numbers with their uncertainty: the DAE against baselines chosen on validation.

* Corruptions and test draws exactly as on the page (six corruptions; the test digits
  corrupted once with ``numpy.random.default_rng(1)``, in the page's order).
* Denoising AE, plain AE, VAE: the page's recipes (``train_small_autoencoder`` /
  ``train_small_vae``, all training images), for several seeds; seed 0 is the page's model.
* Ridge denoiser: trained on the same six corruptions of the training digits (``N_COPIES``
  copies of every digit under each); its strength is chosen on the validation part (fit on
  the fit part, mean validation PSNR over the six corruptions, validation digits corrupted
  with ``default_rng(2)``), then refitted on all training digits (the rule of
  ``ae_lib.selection``).  ``n_copies_check`` records the chosen strength's validation PSNR
  for 1, 2, 5 and 10 copies: the page's 5 copies lose nothing that validation can see.
* PCA: k chosen on the validation part for each corruption, refitted on all training digits;
  and PCA with 16 components, the code length of the other models, fixed a priori.

Every table entry is a mean PSNR over the test images ± its SE; differences are paired.

    .venv/bin/python -m experiments.ch4_1_numbers [--splits book,tomczak] [--seeds 0,1,2,3,4] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch

import ae_lib as ae

from .results_file import provenance, write

torch.set_num_threads(1)

LEVELS = [("noise", 0.1), ("noise", 0.25), ("noise", 0.5), ("mask", 0.25), ("mask", 0.5), ("mask", 0.75)]
NAMES = [f"{kind} {level:g}" for kind, level in LEVELS]
COLUMNS = ["clean"] + NAMES
#: Candidate ridge strengths (the page's grid) and copies of every training digit per corruption.
STRENGTHS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
N_COPIES = 5
#: Candidate numbers of PCA components (the page's grid).
PCA_KS = [2, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48, 56]
RIDGE = "ridge (strength on validation)"
PCA_VAL = "PCA (k on validation)"
PCA_16 = "PCA, 16 components"
DAE = "denoising AE"


def corrupt(kind: str, level: float, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The page's test corruption: ``rng`` is advanced, so the order of the calls matters."""
    return (
        ae.add_gaussian_noise(X, level, seed=rng) if kind == "noise" else ae.mask_pixels(X, level, seed=rng)
    )


def training_corruption(kind: str, level: float) -> Callable:
    """``c(x, seed)`` on tensors, ``seed`` the loss's torch.Generator (as on the page)."""
    if kind == "noise":
        return lambda x, g: ae.add_gaussian_noise(x, level, seed=g)
    return lambda x, g: ae.mask_pixels(x, level, seed=g)


TRAIN_CORRUPTIONS = [training_corruption(kind, level) for kind, level in LEVELS]


def data(split: str):
    unit, raw = ae.load_digits_split("unit", split=split), ae.load_digits_split("raw", split=split)
    if split == "book":
        X_fit, X_val = ae.train_val_split(unit.X_train, val_fraction=0.15, seed=0)
        X_all, R_all = unit.X_train, raw.X_train
    else:
        X_fit, X_val = unit.X_train, unit.X_val
        X_all, R_all = np.concatenate([unit.X_train, unit.X_val]), np.concatenate([raw.X_train, raw.X_val])
    return X_fit, X_val, X_all, R_all, unit.X_test


def through(model: torch.nn.Module) -> Callable[[np.ndarray], np.ndarray]:
    return lambda X: model(torch.as_tensor(X, dtype=torch.float32)).detach().double().numpy()


def vae_through(vae: ae.VAE) -> Callable[[np.ndarray], np.ndarray]:
    """Encoder mean, decoder mean, back to [0, 1] (the VAE reads grey levels 0..16)."""
    return lambda X: vae.reconstruct(torch.as_tensor(16 * X, dtype=torch.float32)).double().numpy() / 16


def est(e) -> dict:
    return {"mean": e.mean, "se": e.se, "text": str(e)}


def spread(values) -> dict:
    s = ae.seed_spread(values)
    return {"mean": s.mean, "sd": s.sd, "min": s.min, "max": s.max, "n": s.n}


def select_ridge(X_fit, X_val, X_all, val_in, n_copies: int = N_COPIES):
    return ae.select_on_validation(
        lambda X, strength: ae.RidgeDenoiser(strength).fit(X, TRAIN_CORRUPTIONS, n_copies=n_copies, seed=0),
        lambda den, Xv: ae.mean_psnr(den, Xv, val_in),
        [{"strength": s} for s in STRENGTHS],
        X_fit,
        X_val,
        X_refit=X_all,
        maximize=True,
    )


def select_pca(X_fit, X_val, X_all, Xc):
    return ae.select_on_validation(
        lambda X, k: ae.pca_projector(X, k),
        lambda f, Xv: ae.mean_psnr(f, Xv, Xc),
        [{"k": k} for k in PCA_KS],
        X_fit,
        X_val,
        X_refit=X_all,
        maximize=True,
    )


def main(split: str, seeds: list[int]) -> dict:
    X_fit, X_val, X_all, R_all, X_test = data(split)
    test_rng, val_rng = np.random.default_rng(1), np.random.default_rng(2)
    test_in = {"clean": X_test} | {n: corrupt(k, lv, X_test, test_rng) for n, (k, lv) in zip(NAMES, LEVELS)}
    val_in = [corrupt(k, lv, X_val, val_rng) for k, lv in LEVELS]

    ridge = select_ridge(X_fit, X_val, X_all, val_in)
    best = ridge.best["strength"]
    copies_check = {
        str(c): ae.mean_psnr(
            ae.RidgeDenoiser(best).fit(X_fit, TRAIN_CORRUPTIONS, n_copies=c, seed=0), X_val, val_in
        )
        for c in (1, 2, 5, 10)
    }
    pca = {n: select_pca(X_fit, X_val, X_all, Xc) for n, Xc in zip(NAMES, val_in)}
    pca16 = ae.pca_projector(X_all, 16)

    per_image: dict[str, dict[str, np.ndarray]] = {"corrupted input": {}, PCA_16: {}, PCA_VAL: {}, RIDGE: {}}
    for c in COLUMNS:
        per_image[PCA_16][c] = ae.psnr(X_test, pca16(test_in[c]))
        if c != "clean":
            per_image["corrupted input"][c] = ae.psnr(X_test, test_in[c])
            per_image[PCA_VAL][c] = ae.psnr(X_test, pca[c].model(test_in[c]))
        per_image[RIDGE][c] = ae.psnr(X_test, ridge.model(test_in[c]))
    trained: dict[str, list[dict[str, np.ndarray]]] = {
        DAE: [],
        "AE, clean training": [],
        "VAE reconstruction": [],
    }
    for seed in seeds:
        dae = ae.train_small_autoencoder(
            X_all, latent_dim=16, hidden=(64,), epochs=60, corruptions=TRAIN_CORRUPTIONS, seed=seed
        )
        plain = ae.train_small_autoencoder(X_all, latent_dim=16, hidden=(64,), epochs=60, seed=seed)
        vae = ae.train_small_vae(R_all, latent_dim=16, hidden=(128,), epochs=40, seed=seed)
        fns = {
            DAE: through(dae),
            "AE, clean training": through(plain),
            "VAE reconstruction": vae_through(vae),
        }
        for m, f in fns.items():
            trained[m].append({c: ae.psnr(X_test, f(test_in[c])) for c in COLUMNS})
    for m, runs in trained.items():
        per_image[m] = runs[0]  # seeds[0]: the page's model

    table = {m: {c: est(ae.mean_se(v)) for c, v in cols.items()} for m, cols in per_image.items()}
    pairs = [(DAE, RIDGE), (DAE, PCA_VAL), (DAE, "corrupted input"), (PCA_VAL, "corrupted input")]
    pairs += [(RIDGE, "corrupted input"), (RIDGE, PCA_VAL)]
    diffs = {
        f"{a} - {b}": {
            c: est(ae.paired_difference(per_image[a][c], per_image[b][c]))
            for c in COLUMNS
            if c in per_image[a] and c in per_image[b]
        }
        for a, b in pairs
    }
    seed_spread = {}
    if len(seeds) > 1:
        seed_spread = {
            m: {c: spread([r[c].mean() for r in runs]) for c in COLUMNS} for m, runs in trained.items()
        }
        for base in (RIDGE, PCA_VAL, "corrupted input"):
            seed_spread[f"{DAE} - {base}"] = {
                c: spread([(r[c] - per_image[base][c]).mean() for r in trained[DAE]])
                for c in COLUMNS
                if c in per_image[base]
            }
    return {
        "split": split,
        "n_test": len(X_test),
        "seeds": seeds,
        "ridge": {
            "chosen": ridge.best,
            "n_copies": N_COPIES,
            "val_mean_psnr": [[c["strength"], s] for c, s in ridge.val_scores],
            "n_copies_check": copies_check,
        },
        "pca": {
            n: {"chosen": pca[n].best, "val_mean_psnr": [[c["k"], s] for c, s in pca[n].val_scores]}
            for n in NAMES
        },
        "table": table,
        "differences": diffs,
        "seed_spread": seed_spread,
    }


def show(res: dict) -> None:
    print(f"split {res['split']}: ridge strength chosen {res['ridge']['chosen']}")
    print("  validation PSNR of that strength by n_copies:", res["ridge"]["n_copies_check"])
    print("  PCA k chosen:", {n: v["chosen"]["k"] for n, v in res["pca"].items()})
    for m, cols in res["table"].items():
        print(f"{m:32s}" + "".join(f"{cols[c]['text'] if c in cols else '—':>15s}" for c in COLUMNS))
    for m, cols in res["differences"].items():
        print(f"{m:50s}" + "".join(f"{cols[c]['text'] if c in cols else '—':>15s}" for c in COLUMNS))
    for m, cols in res["seed_spread"].items():
        print(f"spread {m:42s}" + "".join(f"{v['mean']:8.2f} sd {v['sd']:.2f}" for v in cols.values()))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default="book,tomczak")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--out")
    a = ap.parse_args()
    out = {
        **provenance("results-ch4-1", "ch4_1_numbers", sys.argv[1:]),
        "columns": COLUMNS,
        "splits": {},
    }
    for split in a.splits.split(","):
        out["splits"][split] = main(split, [int(s) for s in a.seeds.split(",")])
        show(out["splits"][split])
    if a.out:
        write(out, a.out)
