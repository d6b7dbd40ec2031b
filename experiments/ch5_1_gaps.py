"""Section 5.1's long run: the approximation and amortisation gaps of the binary VAE, k = 5000, seeds.

For each seed, the binary VAE of Section 3.3 (the default-run configuration of
``results/ch3_likelihood.json``, trained on the fit part and early-stopped on the validation
part of the book's split) is trained; the number of Adam steps of the per-image posterior
optimisation is chosen on the validation images (``ae.choose_steps``, never a test image);
and ``ae.inference_gaps`` splits log p(x) − ELBO on the 360 test images with k importance
samples per proposal.  Every gap comes with its paired SE over the test images, and each
number with its spread over the seeds.

    .venv/bin/python -m experiments.ch5_1_gaps [--seeds 0,1,2,3,4] [--k 5000] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch

import ae_lib as ae

from .ch3_common import parts, train_vae
from .results_file import provenance, write

torch.set_num_threads(1)

#: Step counts tried on the validation images, and the optimiser's settings.
STEP_CANDIDATES = [0, 50, 100, 200, 400, 800]
LR, N_SAMPLES = 0.01, 8
KS = [1, 10, 100, 1000, 5000]


def est(e: ae.Estimate) -> dict:
    return {"mean": e.mean, "se": e.se, "text": str(e)}


def spread(values) -> dict:
    s = ae.seed_spread(np.asarray(values))
    return {"mean": s.mean, "sd": s.sd, "min": s.min, "max": s.max, "n": s.n}


def one_seed(cfg: dict, p: dict, seed: int, k: int) -> dict:
    vae, hist, cpu_s = train_vae(cfg, p["X_fit"], p["X_val"], seed)
    steps, val = ae.choose_steps(vae, p["X_val"], STEP_CANDIDATES, lr=LR, n_samples=N_SAMPLES, seed=seed)
    g = ae.inference_gaps(
        vae,
        p["X_test"],
        k=k,
        steps=steps,
        lr=LR,
        n_samples=N_SAMPLES,
        ks=[v for v in KS if v <= k],
        seed=seed,
    )
    diff = ae.paired_difference(g.approximation, g.amortisation)
    return {
        "seed": seed,
        "train_cpu_s": cpu_s,
        "best_epoch": hist.best_epoch,
        "steps": steps,
        "val_elbo_by_steps": val,
        "elbo_encoder": est(ae.mean_se(g.elbo_encoder)),
        "elbo_optimal": est(ae.mean_se(g.elbo_optimal)),
        "log_px": est(ae.mean_se(g.log_px)),
        "approximation": est(ae.paired_difference(g.log_px, g.elbo_optimal)),
        "amortisation": est(ae.paired_difference(g.elbo_optimal, g.elbo_encoder)),
        "total": est(ae.paired_difference(g.log_px, g.elbo_encoder)),
        "approximation_minus_amortisation": est(diff),
        "ks": g.ks.tolist(),
        "iwae_encoder": g.iwae_encoder.mean(1).tolist(),
        "iwae_optimal": g.iwae_optimal.mean(1).tolist(),
    }


def main(seeds: list[int], k: int) -> dict:
    cfg = ae.load_results("ch3_likelihood")["splits"]["book"]["binary"]["vaes"]["default"]["config"]
    p = parts("binary")
    runs = [one_seed(cfg, p, s, k) for s in seeds]
    fields = ["elbo_encoder", "elbo_optimal", "log_px", "approximation", "amortisation", "total"]
    return {
        "protocol": (
            f"binary digits, book split; the Section 3.3 binary VAE (default config) per seed; Adam steps on "
            f"(mu, log var) chosen on the 216 validation images from {STEP_CANDIDATES} (fewest within 0.02 "
            f"nats of the best mean ELBO), lr={LR}, {N_SAMPLES} draws per step; on the 360 test images "
            f"k={k} importance samples from each of q_phi and q*, log p(x) from the 2k draws with proposal "
            "(q_phi + q*)/2; SEs paired over the test images"
        ),
        "config": cfg,
        "k": k,
        "seeds": seeds,
        "n_test": len(p["X_test"]),
        "runs": runs,
        "seed_spread": {
            f: spread([r[f]["mean"] for r in runs]) for f in fields + ["approximation_minus_amortisation"]
        }
        if len(seeds) > 1
        else {},
    }


def show(res: dict) -> None:
    for r in res["runs"]:
        print(
            f"seed {r['seed']}: steps {r['steps']}  approximation {r['approximation']['text']}  "
            f"amortisation {r['amortisation']['text']}  total {r['total']['text']}"
        )
    for f, s in res["seed_spread"].items():
        print(f"{f:34s} {s['mean']:.3f} (sd {s['sd']:.3f} over {s['n']} seeds)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--k", type=int, default=5000)
    ap.add_argument("--out")
    a = ap.parse_args()
    out = {
        **provenance("results-ch5-1", "ch5_1_gaps", sys.argv[1:]),
        **main([int(s) for s in a.seeds.split(",")], a.k),
    }
    show(out)
    if a.out:
        write(out, a.out)
