"""Section 4.1's numbers with their uncertainty: the DAE against baselines chosen on validation.

* Corruptions and test draws exactly as on the page (six corruptions; the test digits
  corrupted once with ``numpy.random.default_rng(1)``, in the page's order).
* Denoising AE, plain AE, VAE: the page's recipes (``train_small_autoencoder`` /
  ``train_small_vae``, all training images), for several seeds.
* Ridge denoiser: trained on the same six corruptions of the training digits; its strength
  is chosen on the validation part (fit on the fit part, mean validation PSNR over the six
  corruptions, validation digits corrupted with ``default_rng(2)``), then refitted on all
  training digits (the rule of ``ae_lib.selection``).
* PCA: k chosen on the validation part for each corruption, refitted on all training digits.

Every table entry is a mean PSNR over the test images ± its SE; differences are paired.

    .venv/bin/python tools/ch4_1_numbers.py [--splits book,tomczak] [--seeds 0,1,2,3,4] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch

import ae_lib as ae

torch.set_num_threads(1)

LEVELS = [("noise", 0.1), ("noise", 0.25), ("noise", 0.5), ("mask", 0.25), ("mask", 0.5), ("mask", 0.75)]
NAMES = [f"{kind} {level:g}" for kind, level in LEVELS]
COLUMNS = ["clean"] + NAMES
STRENGTHS = [float(s) for s in np.logspace(-9, -1, 17)]
PCA_KS = [2, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48, 56]


def corrupt(kind, level, X, rng):
    return ae.add_gaussian_noise(X, level, rng=rng) if kind == "noise" else ae.mask_pixels(X, level, rng=rng)


TRAIN_CORRUPTIONS = [
    (lambda x, g, s=level: ae.add_gaussian_noise(x, s, rng=g))
    if kind == "noise"
    else (lambda x, g, p=level: ae.mask_pixels(x, p, rng=g))
    for kind, level in LEVELS
]


def data(split: str):
    unit, raw = ae.load_digits_split("unit", split=split), ae.load_digits_split("raw", split=split)
    if split == "book":
        X_fit, X_val = ae.train_val_split(unit.X_train, val_fraction=0.15, seed=0)
        X_all, R_all = unit.X_train, raw.X_train
    else:
        X_fit, X_val = unit.X_train, unit.X_val
        X_all, R_all = np.concatenate([unit.X_train, unit.X_val]), np.concatenate([raw.X_train, raw.X_val])
    return X_fit, X_val, X_all, R_all, unit.X_test


def through(model):
    return lambda X: model(torch.as_tensor(X, dtype=torch.float32)).detach().double().numpy()


def main(split: str, seeds: list[int]) -> dict:
    X_fit, X_val, X_all, R_all, X_test = data(split)
    test_rng, val_rng = np.random.default_rng(1), np.random.default_rng(2)
    test_in = {"clean": X_test} | {n: corrupt(k, lv, X_test, test_rng) for n, (k, lv) in zip(NAMES, LEVELS)}
    val_in = [corrupt(k, lv, X_val, val_rng) for k, lv in LEVELS]

    ridge = ae.select_on_validation(
        lambda X, strength: ae.RidgeDenoiser(strength).fit(X, TRAIN_CORRUPTIONS, n_copies=10, seed=0),
        lambda den, Xv: ae.mean_psnr(den, Xv, val_in),
        [{"strength": s} for s in STRENGTHS],
        X_fit,
        X_val,
        X_refit=X_all,
        maximize=True,
    )
    pca = {
        n: ae.select_on_validation(
            lambda X, k: ae.pca_projector(X, k),
            lambda f, Xv, Xc=Xc: ae.mean_psnr(f, Xv, Xc),
            [{"k": k} for k in PCA_KS],
            X_fit,
            X_val,
            X_refit=X_all,
            maximize=True,
        )
        for n, Xc in zip(NAMES, val_in)
    }

    per_image: dict[str, dict[str, np.ndarray]] = {
        "corrupted input": {},
        "PCA (k on validation)": {},
        "ridge (strength on validation)": {},
    }
    for c in COLUMNS:
        if c != "clean":
            per_image["corrupted input"][c] = ae.psnr(X_test, test_in[c])
            per_image["PCA (k on validation)"][c] = ae.psnr(X_test, pca[c].model(test_in[c]))
        per_image["ridge (strength on validation)"][c] = ae.psnr(X_test, ridge.model(test_in[c]))
    trained = {"denoising AE": [], "AE, clean training": [], "VAE reconstruction": []}
    for seed in seeds:
        torch.manual_seed(seed)
        dae = ae.train_small_autoencoder(
            X_all, code_dim=16, hidden=64, epochs=60, corruptions=TRAIN_CORRUPTIONS, seed=seed
        )
        plain = ae.train_small_autoencoder(X_all, code_dim=16, hidden=64, epochs=60, seed=seed)
        vae = ae.train_small_vae(R_all, latent_dim=16, hidden=128, epochs=40, seed=seed)
        fns = {
            "denoising AE": through(dae),
            "AE, clean training": through(plain),
            "VAE reconstruction": lambda X: (
                vae.reconstruct(torch.as_tensor(16 * X, dtype=torch.float32)).double().numpy() / 16
            ),
        }
        for m, f in fns.items():
            trained[m].append({c: ae.psnr(X_test, f(test_in[c])) for c in COLUMNS})
    for m, runs in trained.items():
        per_image[m] = runs[0]  # seed seeds[0]: the page's model

    def est(v):
        e = ae.mean_se(v)
        return {"mean": e.mean, "se": e.se, "text": str(e)}

    table = {m: {c: est(v) for c, v in cols.items()} for m, cols in per_image.items()}
    diffs = {}
    for base in ["ridge (strength on validation)", "PCA (k on validation)", "corrupted input"]:
        for c in COLUMNS:
            if c in per_image[base]:
                d = ae.paired_difference(per_image["denoising AE"][c], per_image[base][c])
                diffs.setdefault(f"denoising AE - {base}", {})[c] = {
                    "mean": d.mean,
                    "se": d.se,
                    "text": str(d),
                }
    for c in NAMES:
        d = ae.paired_difference(per_image["PCA (k on validation)"][c], per_image["corrupted input"][c])
        diffs.setdefault("PCA (k on validation) - corrupted input", {})[c] = {
            "mean": d.mean,
            "se": d.se,
            "text": str(d),
        }
        d = ae.paired_difference(
            per_image["ridge (strength on validation)"][c], per_image["corrupted input"][c]
        )
        diffs.setdefault("ridge (strength on validation) - corrupted input", {})[c] = {
            "mean": d.mean,
            "se": d.se,
            "text": str(d),
        }
    spread = {}
    if len(seeds) > 1:
        for m, runs in trained.items():
            spread[m] = {}
            for c in COLUMNS:
                s = ae.seed_spread([r[c].mean() for r in runs])
                spread[m][c] = {"mean": s.mean, "sd": s.sd, "min": s.min, "max": s.max, "n": s.n}
        spread["denoising AE - ridge (strength on validation)"] = {}
        for c in COLUMNS:
            s = ae.seed_spread(
                [
                    (r[c] - per_image["ridge (strength on validation)"][c]).mean()
                    for r in trained["denoising AE"]
                ]
            )
            spread["denoising AE - ridge (strength on validation)"][c] = {
                "mean": s.mean,
                "sd": s.sd,
                "min": s.min,
                "max": s.max,
                "n": s.n,
            }
    return {
        "split": split,
        "n_test": len(X_test),
        "seeds": seeds,
        "ridge": {"chosen": ridge.best, "val_mean_psnr": [[c["strength"], s] for c, s in ridge.val_scores]},
        "pca": {
            n: {"chosen": pca[n].best, "val_mean_psnr": [[c["k"], s] for c, s in pca[n].val_scores]}
            for n in NAMES
        },
        "table": table,
        "differences": diffs,
        "seed_spread": spread,
    }


def show(res: dict) -> None:
    print(
        f"split {res['split']}: ridge strength chosen:",
        res["ridge"]["chosen"],
        "| PCA k chosen:",
        {n: v["chosen"]["k"] for n, v in res["pca"].items()},
    )
    for m, cols in res["table"].items():
        print(f"{m:32s}" + "".join(f"{cols[c]['text'] if c in cols else '—':>15s}" for c in COLUMNS))
    for m, cols in res["differences"].items():
        print(f"{m:50s}" + "".join(f"{cols[c]['text'] if c in cols else '—':>15s}" for c in COLUMNS))
    for m, cols in res["seed_spread"].items():
        print(f"spread {m:42s}" + "".join(f"{cols[c]['mean']:8.2f} sd {cols[c]['sd']:.2f}" for c in COLUMNS))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default="book,tomczak")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--out")
    a = ap.parse_args()
    out = {
        "command": "make results  # = " + " ".join(["python", "tools/ch4_1_numbers.py", *sys.argv[1:]]),
        "ae_lib_version": ae.__version__,
        "columns": COLUMNS,
        "splits": {},
    }
    for split in a.splits.split(","):
        out["splits"][split] = main(split, [int(s) for s in a.seeds.split(",")])
        show(out["splits"][split])
    if a.out:
        with open(a.out, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
