"""CPU time of what the default (notebook) run of Section 3.3 computes, piece by piece.

Refits of the baselines chosen on validation (from results/ch3_likelihood.json), the two
default-run VAEs (seed 0) and their −L_1000 on the test images.  Prints times only.

    .venv/bin/python tools/ch3_default_timing.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch3_common import parts, train_vae
from long_run import DEFAULT_CONFIGS, baseline_families

import ae_lib as ae


def clock(label: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, printing its CPU time after ``label``."""
    t = time.process_time()
    out = fn(*args, **kwargs)
    print(f"{label:55s} {time.process_time() - t:6.1f} s", flush=True)
    return out


if __name__ == "__main__":
    r = ae.load_results("ch3_likelihood")["splits"]["book"]
    total = 0.0
    for setting in ("binary", "17 levels"):
        p = parts(setting)
        t0 = time.process_time()
        for name, (fit, _) in baseline_families(setting, quick=False).items():
            chosen = r[setting]["baselines"][name]["chosen"]
            m = clock(f"{setting}: refit {name} {chosen}", fit, p["X_all"], **chosen)
            clock(f"{setting}: test NLL of {name}", ae.per_image_nll, m, p["X_test"])
        vae, hist, cpu = clock(
            f"{setting}: train the default VAE (seed 0)",
            train_vae,
            DEFAULT_CONFIGS[setting],
            p["X_fit"],
            p["X_val"],
            0,
        )
        clock(f"{setting}: VAE test NLL, k = 1000", ae.per_image_nll, vae, p["X_test"], k=1000, seed=2)
        total += time.process_time() - t0
    print(f"{'total':55s} {total:6.1f} s")
