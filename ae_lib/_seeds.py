"""Seeds for the numbers/baselines modules: ``seed`` as an int, a NumPy or a torch Generator (contract §2).

A stop-gap until the shared private seed helper of the ae_lib 1.0 API lands; then these two
functions are replaced by it.
"""

from __future__ import annotations

import numpy as np
import torch


def numpy_generator(seed) -> np.random.Generator:
    """A ``numpy.random.Generator`` from ``seed`` (int ≥ 0, NumPy or torch Generator); errors name ``seed``."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, torch.Generator):
        return np.random.default_rng(int(torch.randint(2**62, (1,), generator=seed)))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, numpy.random.Generator or torch.Generator, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return np.random.default_rng(int(seed))


def torch_generator(seed) -> torch.Generator:
    """A ``torch.Generator`` from ``seed`` (int ≥ 0, NumPy or torch Generator); errors name ``seed``."""
    if isinstance(seed, torch.Generator):
        return seed
    if isinstance(seed, np.random.Generator):
        return torch.Generator().manual_seed(int(seed.integers(2**62)))
    numpy_generator(seed)  # validates
    return torch.Generator().manual_seed(int(seed))
