"""The opt-in long run of Section 3.3 (``make results``): every model and baseline, both splits, seeds.

For the book's split and for Tomczak's split (first 1000 / next 350 / last 447 digits, on
which nothing was tuned), and for binarised digits and 17 grey levels:

* every classical baseline's settings (mixture K and α, the sigmoid belief net's C) are
  chosen on the validation part and the chosen one is refitted on fit + validation
  (``ae_lib.select_on_validation``); the *best baseline* is the one with the lowest
  validation NLL; it is refitted with several EM seeds for its spread;
* the VAEs train on the fit part and early-stop on the validation part: the default-run
  configuration (the notebook's) for ``--seeds`` seeds, the page's former long
  configuration, and for three seeds an ablation: binary, the plain VAE (factorised Bernoulli
  decoder, p(z) = N(0, I)); 17 levels, the categorical-decoder VAE;
* every test NLL comes with its SE over the test images; VAE − best baseline, VAE − every
  baseline and every baseline − best baseline with the paired SE; the VAEs with mean, SD, min and max over
  seeds, and also their test −ELBO (the number papers often report).

Writes ``results/ch3_likelihood.json`` with the command and the ``ae_lib`` version.

    .venv/bin/python -m experiments.long_run [--quick] [--out results/ch3_likelihood.json]   # make results-ch3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

import ae_lib as ae

from .ch3_common import PAGE_CONFIGS, parts, train_vae
from .ch3_search import CANDIDATES
from .results_file import provenance, write

ROOT = Path(__file__).resolve().parents[1]

#: The default-run VAEs (the notebook's), chosen on validation NLL within the time budget:
#: candidates B15 and G16 of experiments/ch3_search.py (see results/ch3_notes.md).
DEFAULT_CONFIGS = {"binary": CANDIDATES["binary"]["B15"], "17 levels": CANDIDATES["17 levels"]["G16"]}
#: The page's former opt-in configurations (once AE_BOOK_LONG=1): a tighter bound in training.
LONG_CONFIGS = {
    "binary": dict(PAGE_CONFIGS["binary"], k=20),
    "17 levels": dict(PAGE_CONFIGS["17 levels"], k=5),
}
#: The binary default-run VAE without the two model ingredients of the page: a factorised Bernoulli
#: decoder and p(z) = N(0, I), same network, bound and schedule (an ablation; nothing is chosen on it).
PLAIN_CONFIG = dict(DEFAULT_CONFIGS["binary"], likelihood="bernoulli", prior_components=1)
#: The 17-level VAE with a free 17-way categorical decoder per pixel (the page's former opt-in run).
CATEGORICAL_CONFIG = dict(
    likelihood="categorical",
    prior_components=1,
    latent_dim=16,
    hidden=[256, 128],
    dropout=0.2,
    k=1,
    lr=1e-3,
    batch_size=64,
    epochs=500,
    patience=20,
)

ALPHAS = {"binary": [0.01, 0.1, 0.5, 1.0], "17 levels": [0.1, 0.25, 0.5, 1.0]}
BB_ALPHAS = [0.01, 0.1, 1.0]
KS = [5, 10, 20, 50, 100]


def baseline_families(setting: str, quick: bool) -> dict[str, tuple]:
    """name -> (fit(X, **params), candidates) for every classical baseline of the setting."""
    ks = [5, 20] if quick else KS
    alphas = ALPHAS[setting][:2] if quick else ALPHAS[setting]
    grid = lambda al, kk: [{"K": k, "alpha": a} for k in kk for a in al]
    if setting == "binary":
        mix = lambda X, K, alpha, seed=0: ae.BernoulliMixture(K, alpha=alpha).fit(X, max_iter=200, seed=seed)
        return {
            "independent": (mix, grid(alphas, [1])),
            "mixture of Bernoullis": (mix, grid(alphas, ks)),
            "sigmoid belief net": (
                lambda X, C, seed=0: ae.fit_sigmoid_belief_net(X, C=C),
                [{"C": c} for c in ([0.1, 1.0] if quick else [0.03, 0.1, 0.3, 1.0, 3.0])],
            ),
        }
    cat = lambda X, K, alpha, seed=0: ae.CategoricalMixture(K, alpha=alpha).fit(X, max_iter=200, seed=seed)
    bb = lambda X, K, alpha, seed=0: ae.BetaBinomialMixture(K, alpha=alpha).fit(X, max_iter=200, seed=seed)
    return {
        "independent categorical": (cat, grid(alphas, [1])),
        "mixture of categoricals": (cat, grid(alphas, ks)),
        "independent beta-binomial": (bb, grid(BB_ALPHAS[:2] if quick else BB_ALPHAS, [1])),
        "mixture of beta-binomials": (
            bb,
            grid(BB_ALPHAS[:2] if quick else BB_ALPHAS, ks + ([] if quick else [200])),
        ),
    }


def est(values: np.ndarray) -> dict:
    e = ae.mean_se(values)
    return {"mean": e.mean, "se": e.se, "text": str(e)}


def paired(a: np.ndarray, b: np.ndarray) -> dict:
    d = ae.paired_difference(a, b)
    return {"mean": d.mean, "se": d.se, "text": str(d)}


def spread(values) -> dict:
    s = ae.seed_spread(np.asarray(values, float))
    return {"mean": s.mean, "sd": s.sd, "min": s.min, "max": s.max, "n": s.n}


def run_setting(setting: str, split: str, seeds: list[int], quick: bool) -> dict:
    p = parts(setting, split)
    nll = lambda m, X: float(ae.per_image_nll(m, X).mean())
    out: dict = {
        "n_fit": len(p["X_fit"]),
        "n_val": len(p["X_val"]),
        "n_test": len(p["X_test"]),
        "baselines": {},
    }
    chosen_models, fits = {}, {}
    for name, (fit, cands) in baseline_families(setting, quick).items():
        sel = ae.select_on_validation(fit, nll, cands, p["X_fit"], p["X_val"], X_refit=p["X_all"])
        chosen_models[name], fits[name] = sel.model, fit
        out["baselines"][name] = {
            "validation": [[c, s] for c, s in sel.val_scores],
            "chosen": sel.best,
            "val_nll": min(s for _, s in sel.val_scores),
            "test": est(ae.per_image_nll(sel.model, p["X_test"])),
        }
        print(
            f"  {split} {setting} {name}: chosen {sel.best}, test {out['baselines'][name]['test']['text']}",
            flush=True,
        )
    best = min(out["baselines"], key=lambda n: out["baselines"][n]["val_nll"])
    base_test = ae.per_image_nll(chosen_models[best], p["X_test"])
    seeds_em = seeds if "belief" not in best else []  # the belief net's fit has no randomness
    em = [
        float(
            ae.per_image_nll(
                fits[best](p["X_all"], **out["baselines"][best]["chosen"], seed=s), p["X_test"]
            ).mean()
        )
        for s in seeds_em
    ]
    out["best_baseline"] = {
        "name": best,
        "test": est(base_test),
        "em_seed_spread": spread(em) if len(em) > 1 else None,
    }
    base_tests = {name: ae.per_image_nll(model, p["X_test"]) for name, model in chosen_models.items()}
    for name in chosen_models:  # every baseline against the best one, on the same test images
        d = ae.paired_difference(base_tests[name], base_test)
        out["baselines"][name]["minus_best_baseline"] = {"mean": d.mean, "se": d.se, "text": str(d)}
    configs = {"default": (DEFAULT_CONFIGS[setting], seeds), "long": (LONG_CONFIGS[setting], seeds[:3])}
    if setting == "binary":
        configs["plain"] = (PLAIN_CONFIG, seeds[:3])
    else:
        configs["categorical decoder"] = (CATEGORICAL_CONFIG, seeds[:3])
    out["vaes"] = {}
    for name, (cfg, cfg_seeds) in configs.items():
        if quick:
            cfg = dict(cfg, epochs=3, patience=None)
        runs, models = [], []
        for seed in cfg_seeds:
            vae, hist, cpu = train_vae(cfg, p["X_fit"], p["X_val"], seed)
            test = ae.per_image_nll(vae, p["X_test"], k=1000, seed=2)
            diff = ae.paired_difference(test, base_test)
            val = ae.mean_se(ae.per_image_nll(vae, p["X_val"], k=1000, seed=1))
            with torch.no_grad():  # −ELBO (100 codes per image): the number papers often report instead
                elbo = ae.negative_elbo(vae, p["X_test"], seed=3, n_samples=100, reduction="none")[0]
            runs.append(
                {
                    "seed": seed,
                    "best_epoch": hist.best_epoch,
                    "epochs": hist.epochs,
                    "cpu_s": round(cpu, 1),
                    "val_nll": val.mean,
                    "val": {"mean": val.mean, "se": val.se, "text": str(val)},
                    "test": est(test),
                    "test_neg_elbo": est(elbo.double().numpy()),
                    "minus_best_baseline": {"mean": diff.mean, "se": diff.se, "text": str(diff)},
                    "minus_baselines": {
                        n: paired(test, b) for n, b in base_tests.items()
                    },  # paired over the test images
                }
            )
            models.append(vae)
            print(
                f"  {split} {setting} VAE {name} seed {seed}: test {runs[-1]['test']['text']}, "
                f"minus {best} {diff} ({cpu:.0f} s)",
                flush=True,
            )
        entry = {
            "config": cfg,
            "runs": runs,
            "seed_spread": spread([r["test"]["mean"] for r in runs]) if len(runs) > 1 else None,
            "minus_best_baseline_spread": spread([r["minus_best_baseline"]["mean"] for r in runs])
            if len(runs) > 1
            else None,
        }
        if len(models) > 1:  # the equal-weight mixture of the seeds' VAEs, as the page's long run reported
            ens = ae.per_image_nll(models, p["X_test"], k=1000, seed=2)
            d = ae.paired_difference(ens, base_test)
            entry["ensemble"] = {
                "n_models": len(models),
                "test": est(ens),
                "minus_best_baseline": {"mean": d.mean, "se": d.se, "text": str(d)},
            }
        out["vaes"][name] = entry
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "results" / "ch3_likelihood.json"))
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--splits", default="book,tomczak")
    ap.add_argument("--quick", action="store_true", help="tiny grids and 3 epochs: checks the pipeline only")
    a = ap.parse_args()
    torch.set_num_threads(1)
    t0, seeds = time.process_time(), [int(s) for s in a.seeds.split(",")]
    res = {
        **provenance("results-ch3", "long_run", sys.argv[1:]),
        "quick": a.quick,
        "seeds": seeds,
        "protocol": (
            "baselines: settings chosen on the validation part, refitted on fit + validation; "
            "VAEs: trained on the fit part, early-stopped on the validation part; "
            "test NLL in nats per image (VAEs: -L_1000) with SE over test images; "
            "differences paired over the same test images; spreads over seeds"
        ),
        "splits": {},
    }
    for split in a.splits.split(","):
        res["splits"][split] = {s: run_setting(s, split, seeds, a.quick) for s in ("binary", "17 levels")}
    res["cpu_seconds"] = round(time.process_time() - t0)
    write(res, a.out)
    print(f"wrote {a.out} ({res['cpu_seconds']} CPU seconds)")


if __name__ == "__main__":
    main()
