"""CPU time of what the default (notebook) run of Section 3.3 computes, piece by piece.

Refits of the baselines chosen on validation (from results/ch3_likelihood.json), the two
default-run VAEs (seed 0) and their −L_1000 on the test images.  Prints times only.

    .venv/bin/python -m experiments.ch3_default_timing      # make results-ch3-timing
"""

from __future__ import annotations

import argparse
import time

import ae_lib as ae

from .ch3_common import parts, train_vae
from .long_run import DEFAULT_CONFIGS, baseline_families


def clock(label: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, printing its CPU time after ``label``."""
    t = time.process_time()
    out = fn(*args, **kwargs)
    print(f"{label:55s} {time.process_time() - t:6.1f} s", flush=True)
    return out


def main(argv=None) -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    r = ae.load_results("ch3_likelihood")["splits"]["book"]
    total = 0.0
    for setting in ("binary", "17 levels"):
        p = parts(setting)
        t0 = time.process_time()
        for name, (fit, _) in baseline_families(setting, quick=False).items():
            chosen = r[setting]["baselines"][name]["chosen"]
            m = clock(f"{setting}: refit {name} {chosen}", fit, p["X_all"], **chosen)
            clock(f"{setting}: test NLL of {name}", ae.per_image_nll, m, p["X_test"])
        vae, _hist, _cpu = clock(
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


if __name__ == "__main__":
    main()
