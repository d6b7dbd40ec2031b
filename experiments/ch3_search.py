"""Choose the default-run VAEs of Section 3.3 on VALIDATION NLL only (never on test data).

Each candidate is the page's configuration with a few changes (mostly for speed).  For each
candidate and seed the script trains on the fit part, early-stops on the validation part
(216 images of the book's split), and records the CPU time and the validation NLL
−L_1000 with its SE over the validation images.  Test images are never loaded here.

    .venv/bin/python -m experiments.ch3_search binary B0 B1 ... [--seeds 0,1,2]   # appends to results/ch3_search.jsonl
    .venv/bin/python -m experiments.ch3_search --table                            # the log as a markdown table

(``make results-ch3-search CH3_SEARCH="binary B15 --seeds 0,1,2"``; without CH3_SEARCH, the table.)

The choices made from these numbers are logged in results/ch3_notes.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import ae_lib as ae

from .ch3_common import normalise, parts, train_vae, variant

OUT = Path(__file__).resolve().parents[1] / "results" / "ch3_search.jsonl"

CANDIDATES = {
    "binary": {
        "B0": variant("binary"),
        "B1": variant("binary", hidden=[128, 64]),
        "B2": variant("binary", batch_size=256, lr=3e-3),
        "B3": variant("binary", patience=10),
        "B4": variant("binary", k=1),
        "B5": variant("binary", latent_dim=8),
        "B6": variant("binary", lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        "B7": variant("binary", hidden=[128, 64], lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        "B8": variant("binary", hidden=[128], lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        "B9": variant("binary", k=3, lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        # round 2
        "B10": variant("binary", hidden=[128, 64], patience=10),
        "B11": variant("binary", lr=4e-3, epochs=180, patience=180, schedule="onecycle"),
        "B12": variant("binary", lr=3e-3, patience=15),
        "B13": variant("binary", latent_dim=8, hidden=[128, 64]),
        "B14": variant("binary", lr=3e-3, epochs=150, patience=150, schedule="onecycle", dropout=0.2),
        # round 3: cheaper fixed-length runs
        "B15": variant("binary", lr=4e-3, epochs=150, patience=150, schedule="onecycle"),
    },
    "17 levels": {
        "G0": variant("17 levels"),
        "G1": variant("17 levels", hidden=[128, 64]),
        "G2": variant("17 levels", batch_size=256, lr=3e-3),
        "G3": variant("17 levels", patience=10),
        "G4": variant("17 levels", prior_components=10),
        "G5": variant("17 levels", latent_dim=8),
        "G6": variant("17 levels", lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        "G7": variant("17 levels", hidden=[128, 64], lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        "G8": variant("17 levels", hidden=[128], lr=4e-3, epochs=120, patience=120, schedule="onecycle"),
        "G9": variant("17 levels", k=5, lr=4e-3, epochs=80, patience=80, schedule="onecycle"),
        # round 2
        "G10": variant(
            "17 levels", prior_components=10, lr=4e-3, epochs=120, patience=120, schedule="onecycle"
        ),
        "G11": variant(
            "17 levels",
            prior_components=10,
            latent_dim=8,
            lr=4e-3,
            epochs=120,
            patience=120,
            schedule="onecycle",
        ),
        "G12": variant(
            "17 levels", prior_components=10, lr=4e-3, epochs=160, patience=160, schedule="onecycle"
        ),
        "G13": variant(
            "17 levels", prior_components=10, lr=6e-3, epochs=120, patience=120, schedule="onecycle"
        ),
        "G14": variant(
            "17 levels",
            prior_components=10,
            lr=4e-3,
            epochs=120,
            patience=120,
            schedule="onecycle",
            dropout=0.2,
        ),
        # round 3
        "G15": variant(
            "17 levels", prior_components=10, lr=4e-3, epochs=200, patience=200, schedule="onecycle"
        ),
        "G16": variant(
            "17 levels",
            prior_components=10,
            latent_dim=8,
            lr=4e-3,
            epochs=160,
            patience=160,
            schedule="onecycle",
        ),
    },
}


def version(row: dict) -> str:
    """The ae_lib version a row was measured with (rows without the key: 0.1.0, the pre-1.0 API)."""
    return row.get("ae_lib_version", "0.1.0")


def done() -> set[tuple[str, str, int, str]]:
    if not OUT.exists():
        return set()
    rows = [json.loads(line) for line in OUT.read_text().splitlines() if line.strip()]
    return {(r["setting"], r["name"], r["seed"], version(r)) for r in rows}


def table() -> str:
    """The log as a markdown table: per candidate, the changes from the page's config, mean over seeds."""
    from .ch3_common import PAGE_CONFIGS

    rows = [json.loads(line) for line in OUT.read_text().splitlines() if line.strip()]
    out = []
    for setting in CANDIDATES:
        out += [
            f"**{setting}** (changes from the page's configuration; validation NLL −L_1000 on the 216 "
            "validation images, mean over seeds; per-seed values in results/ch3_search.jsonl)",
            "",
            "| candidate | ae_lib | changes | seeds | val NLL (mean) | sd over seeds | epochs (mean) "
            "| CPU s (mean) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        groups: dict[tuple[str, str], list] = {}
        for r in rows:
            if r["setting"] == setting:
                groups.setdefault((r["name"], version(r)), []).append(r)
        for (name, ver), rs in sorted(
            groups.items(), key=lambda kv: (kv[0][1], sum(r["val_nll"] for r in kv[1]) / len(kv[1]))
        ):
            cfg = normalise(rs[0]["cfg"])
            changes = {k: v for k, v in cfg.items() if PAGE_CONFIGS[setting].get(k) != v}
            v = [r["val_nll"] for r in rs]
            sd = f"{statistics.stdev(v):.2f}" if len(v) > 1 else "—"
            out.append(
                f"| {name} | {ver} | {changes or 'none (the page)'} | {len(rs)} | {statistics.mean(v):.2f} | "
                f"{sd} | {statistics.mean(r['epochs'] for r in rs):.0f} | "
                f"{statistics.mean(r['cpu_s'] for r in rs):.1f} |"
            )
        out.append("")
    return "\n".join(out)


def main(setting: str, names: list[str], seeds: tuple[int, ...] = (0,)) -> None:
    p = parts(setting)
    for name in names:
        for seed in seeds:
            if (setting, name, seed, ae.__version__) in done():
                continue
            cfg = CANDIDATES[setting][name]
            vae, hist, cpu = train_vae(cfg, p["X_fit"], p["X_val"], seed)
            per_image = ae.per_image_nll(vae, p["X_val"], k=1000, seed=7)
            val = ae.mean_se(per_image)
            row = dict(
                setting=setting,
                name=name,
                seed=seed,
                ae_lib_version=ae.__version__,
                cfg=cfg,
                best_epoch=hist.best_epoch,
                epochs=hist.epochs,
                cpu_s=round(cpu, 1),
                val_nll=round(val.mean, 3),
                val_se=round(val.se, 3),
                val_per_image=[round(float(v), 4) for v in per_image],
            )
            print(json.dumps(row), flush=True)
            with OUT.open("a") as f:
                f.write(json.dumps(row) + "\n")


def cli(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("setting", nargs="?", choices=sorted(CANDIDATES), help="the setting to search in")
    ap.add_argument("candidates", nargs="*", help="names of CANDIDATES[setting] to train, e.g. B0 B1")
    ap.add_argument("--seeds", default="0", help="comma-separated seeds (default 0)")
    ap.add_argument("--table", action="store_true", help=f"print {OUT.name} as a markdown table and stop")
    a = ap.parse_args(argv)
    if a.table:
        print(table())
    elif a.setting is None:
        ap.error("name a setting and its candidates, or give --table")
    else:
        main(a.setting, a.candidates, tuple(int(s) for s in a.seeds.split(",")))


if __name__ == "__main__":
    cli()
