"""Uncertainty of the book's numbers: standard errors over test items, paired differences, seeds.

Thesis items: Figure 3.18 (:obj:`~ae_lib.mean_se`).

Every headline number is a mean over test items (images), so its standard error is the
sample standard deviation over the items divided by √n.  Two models measured on the *same*
images are compared by the mean of the per-image differences and *its* standard error
(the paired SE, much smaller than the two SEs combined when the models agree on which
images are hard).  A trained model also varies with its seed: :func:`seed_spread` reports
mean, standard deviation, minimum and maximum over seeds (the ROC AUC's standard error is
:func:`~ae_lib.auc_se`, beside the AUC in :mod:`ae_lib.applications.novelty`).  :func:`format_se` prints
``16.49 ± 0.22`` with as many digits as the SE supports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.checks import as_finite_array, instance, nonneg_float, real

__all__ = [
    "Estimate",
    "SeedSpread",
    "format_se",
    "mean_se",
    "paired_difference",
    "ratio_of_means",
    "seed_spread",
]


def _round_se(se: float) -> tuple[float, int]:
    """The SE rounded by the Particle Data Group's rule, and the number of decimals it keeps.

    Its three leading digits 100–354: two significant digits; 355–949: one; 950–999:
    rounded up to 1000 and two significant digits.
    """
    exp = math.floor(math.log10(se))
    lead = int(f"{se:.2e}".replace(".", "")[:3])  # three leading digits, 100..999
    if lead >= 950:
        exp, lead = exp + 1, 100  # 0.0962 → 0.10
    sig = 2 if lead <= 354 else 1
    decimals = sig - 1 - exp
    return round(se, decimals), decimals


def format_se(mean: float, se: float, unit: str = "") -> str:
    """``mean ± se`` with digits chosen from the SE (the Particle Data Group's rounding rule).

    The SE keeps one or two significant digits (two when its leading digits are 100–354,
    else one), and the mean is rounded to the same decimal place: ``format_se(16.4917, 0.2203)``
    is ``"16.49 ± 0.22"``, ``format_se(98.754, 0.58)`` is ``"98.8 ± 0.6"``.  Digits below the
    SE are noise, so leaving them out keeps prints stable.

    Parameters
    ----------
    mean : float
    se : float
        ≥ 0 and finite; with ``se = 0`` the mean is printed with 4 significant digits.
    unit : str
        Appended after a space (e.g. ``"nats"``, ``"dB"``).
    """
    mean, se = real("mean", mean), nonneg_float("se", se)
    instance("unit", unit, str)
    suffix = f" {unit}" if unit else ""
    if se == 0:
        return f"{mean:.4g} ± 0{suffix}"
    se_r, decimals = _round_se(se)
    d = max(decimals, 0)
    m = round(mean, decimals)
    return f"{m + 0.0:.{d}f} ± {se_r:.{d}f}{suffix}"  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Estimate:
    """A mean over ``n`` test items with its standard error; ``str()`` gives :func:`format_se`.

    Attributes
    ----------
    mean : float
    se : float
        Standard error of the mean, sd(ddof = 1) / √n.
    n : int
        Number of test items.
    """

    mean: float
    se: float
    n: int

    def __str__(self) -> str:
        return format_se(self.mean, self.se)


@dataclass(frozen=True)
class SeedSpread:
    """One number measured for ``n`` seeds: mean, standard deviation (ddof = 1), min, max.

    Attributes
    ----------
    mean, sd, min, max : float
    n : int
        Number of seeds.
    """

    mean: float
    sd: float
    min: float
    max: float
    n: int

    def __str__(self) -> str:
        return (
            f"{format_se(self.mean, self.sd)} (sd over {self.n} seeds, range {self.min:.4g}–{self.max:.4g})"
        )


def _items(name: str, values) -> np.ndarray:
    v = as_finite_array(name, values, ndim=1)
    if v.size < 2:
        raise ValueError(f"{name} needs at least 2 items for a standard error, got {v.size}")
    return v


def mean_se(values: np.ndarray) -> Estimate:
    """Mean of per-item values and its standard error s / √n (s: sample SD, ddof = 1).

    Parameters
    ----------
    values : array, shape (n,)
        One number per test item, e.g. the NLL of each test image; n ≥ 2.

    Returns
    -------
    Estimate
    """
    v = _items("values", values)
    return Estimate(float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size)), int(v.size))


def paired_difference(a: np.ndarray, b: np.ndarray) -> Estimate:
    """Mean of a − b over the same items, with the paired standard error sd(a − b) / √n.

    Parameters
    ----------
    a, b : array, shape (n,)
        Two models' numbers on the *same* n items, in the same order.

    Returns
    -------
    Estimate
        Of mean(a − b).
    """
    a, b = _items("a", a), _items("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must be measured on the same items, got shapes {a.shape} and {b.shape}")
    return mean_se(a - b)


def ratio_of_means(a: np.ndarray, b: np.ndarray) -> Estimate:
    """mean(a) / mean(b) over the same items, with its delta-method standard error.

    With r = mean(a) / mean(b), the standard error is sd(a − r·b) / (√n · abs(mean(b))): the
    first-order (delta-method) error of a ratio of two means measured on the same n items,
    e.g. an autoencoder's test MSE over PCA's on the same images.

    Parameters
    ----------
    a, b : array, shape (n,)
        Two numbers per item, on the *same* n ≥ 2 items in the same order; mean(b) ≠ 0.

    Returns
    -------
    Estimate
        Of mean(a) / mean(b).
    """
    a, b = _items("a", a), _items("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must be measured on the same items, got shapes {a.shape} and {b.shape}")
    if b.mean() == 0:
        raise ValueError("b must have a non-zero mean (it is the denominator)")
    r = float(a.mean() / b.mean())
    se = float((a - r * b).std(ddof=1) / (math.sqrt(a.size) * abs(b.mean())))
    return Estimate(r, se, int(a.size))


def seed_spread(values: np.ndarray) -> SeedSpread:
    """Spread of one number over training seeds: mean, SD (ddof = 1), min, max, n.

    Parameters
    ----------
    values : array, shape (n_seeds,)
        n_seeds ≥ 2.
    """
    v = _items("values", values)
    return SeedSpread(float(v.mean()), float(v.std(ddof=1)), float(v.min()), float(v.max()), int(v.size))
