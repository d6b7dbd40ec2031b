"""Argument checks shared by every module: each raises an error naming the argument."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def as_finite_array(name: str, value: Any, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float64 array; ``ValueError`` naming ``name`` if it has NaN/inf
    or the wrong number of dimensions."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be array-like of real numbers ({err})") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, but contains NaN or inf")
    return arr


def positive_int(name: str, value: Any) -> int:
    """``value`` if it is an integer ≥ 1, else an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def positive_float(name: str, value: Any) -> float:
    """``value`` if it is a finite real number > 0, else an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value}")
    return float(value)
