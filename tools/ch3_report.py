"""Markdown tables from results/ch3_likelihood.json (for results/ch3_notes.md and reviews).

.venv/bin/python tools/ch3_report.py [results/ch3_likelihood.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import ae_lib as ae

ROOT = Path(__file__).resolve().parents[1]


def fmt_params(p: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in p.items())


def headline(r: dict) -> list[str]:
    columns = [
        "split",
        "setting",
        "VAE (default run, seed 0)",
        "VAE over seeds: mean ± sd (min–max)",
        "best baseline (chosen on validation)",
        "VAE − best baseline, seed 0 (± paired SE)",
        "VAE − best baseline over seeds: mean ± sd",
        "ensemble of the long-run VAEs",
    ]
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for split, settings in r["splits"].items():
        for s, res in settings.items():
            v = res["vaes"]["default"]
            sp, dsp = v["seed_spread"], v["minus_best_baseline_spread"]
            b = res["best_baseline"]
            long = res["vaes"]["long"].get("ensemble")
            ens = f"{long['test']['text']} ({long['n_models']} models)" if long else "—"
            out.append(
                f"| {split} | {s} | {v['runs'][0]['test']['text']} | "
                f"{ae.format_se(sp['mean'], sp['sd'])} ({sp['min']:.2f}–{sp['max']:.2f}, n={sp['n']}) | "
                f"{b['name']} ({fmt_params(res['baselines'][b['name']]['chosen'])}): {b['test']['text']} | "
                f"{v['runs'][0]['minus_best_baseline']['text']} | {ae.format_se(dsp['mean'], dsp['sd'])} | {ens} |"
            )
    return out


def models(r: dict, split: str) -> list[str]:
    out = ["| setting | model | chosen on validation | val NLL | test NLL ± SE |", "|---|---|---|---|---|"]
    for s, res in r["splits"][split].items():
        for name, b in res["baselines"].items():
            star = " (best baseline)" if name == res["best_baseline"]["name"] else ""
            out.append(
                f"| {s} | {name}{star} | {fmt_params(b['chosen'])} | {b['val_nll']:.2f} | {b['test']['text']} |"
            )
        for name, v in res["vaes"].items():
            for run in v["runs"]:
                out.append(
                    f"| {s} | VAE, {name} config, seed {run['seed']} | best epoch {run['best_epoch']} of "
                    f"{run['epochs']} | {run['val_nll']:.2f} | {run['test']['text']} |"
                )
            if v.get("ensemble"):
                out.append(
                    f"| {s} | equal-weight mixture of the {v['ensemble']['n_models']} VAEs above | — | — | "
                    f"{v['ensemble']['test']['text']} |"
                )
    return out


def grids(r: dict, split: str) -> list[str]:
    out = []
    for s, res in r["splits"][split].items():
        for name, b in res["baselines"].items():
            cells = "; ".join(f"{fmt_params(c)}: {v:.2f}" for c, v in b["validation"])
            out.append(f"* {s}, {name}: {cells} → **{fmt_params(b['chosen'])}**")
    return out


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "results" / "ch3_likelihood.json"
    r = json.loads(path.read_text())
    print("\n".join(headline(r)))
    for split in r["splits"]:
        print(f"\n### {split} split: every model\n")
        print("\n".join(models(r, split)))
        print(f"\n### {split} split: validation NLL of every baseline candidate (fit on the fit part)\n")
        print("\n".join(grids(r, split)))
